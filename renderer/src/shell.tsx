import { useEffect, useRef, type ReactNode } from 'react';
import { can, type Role } from '../../contract';
import { endReasonText } from './labels';
import { Avatar } from './components/avatar';
import { Elapsed } from './components/elapsed';
import { HeadphonesIcon } from './components/icons';
import { QuestionsBadge } from './questions/questions-badge';
import { NotificationBell } from './notifications/notification-bell';
import { UpdateBanner } from './components/update-banner';
import { useSession } from './services/session-context';
import { navigate, routeHref, type Route } from './routing';
import type { ConnectionView } from './services/reconnect-policy';
import { notify, useAppStore } from './state/store';

const nav: { route: Route; label: string; desktopOnly?: boolean; forRole?: (role: Role) => boolean }[] = [
  { route: { name: 'onboarding' }, label: 'My onboarding' },
  { route: { name: 'board' }, label: 'Board' },
  { route: { name: 'go-live' }, label: 'Go live' },
  { route: { name: 'library' }, label: 'Library' },
  { route: { name: 'recordings' }, label: 'Recordings' },
  { route: { name: 'talk-tracks' }, label: 'Talk tracks' },
  { route: { name: 'questions' }, label: 'Questions' },
  { route: { name: 'reviews' }, label: 'Reviews', forRole: can.seeEverything },
  { route: { name: 'paths' }, label: 'Paths', forRole: can.seeEverything },
  { route: { name: 'scorecards', rep: null }, label: 'Scorecards' },
  { route: { name: 'metrics' }, label: 'Metrics' },
  { route: { name: 'team' }, label: 'Team' },
  { route: { name: 'audit' }, label: 'Audit log', forRole: can.manageTeam },
  { route: { name: 'account' }, label: 'Account' },
  { route: { name: 'settings' }, label: 'Settings' },
];

/** Which nav item a route belongs to (detail pages light up their list). */
function navSection(route: Route): Route['name'] {
  switch (route.name) {
    case 'listen':
      return 'board';
    case 'clip':
      return 'library';
    case 'recording':
      return 'recordings';
    case 'talk-track':
    case 'talk-track-edit':
      return 'talk-tracks';
    case 'debrief':
      return 'questions';
    case 'path':
    case 'path-edit':
      return 'paths';
    default:
      return route.name;
  }
}

/** The signed-in frame: header with navigation and connection state, live bar, main area. */
export function Shell({ route, children }: { route: Route; children: ReactNode }) {
  const me = useAppStore((s) => s.me);
  const desktop = useAppStore((s) => s.platformKind === 'electron');
  const connection = useAppStore((s) => s.connection);
  const hosting = useAppStore((s) => s.host.phase === 'live' || s.host.phase === 'ending');
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);

  // Move focus to the new page's heading on navigation, so keyboard and screen-reader users
  // land on the content (not on the first render).
  const routeKey = routeHref(route);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const heading = main.current?.querySelector<HTMLElement>('h1');
    if (heading) {
      heading.tabIndex = -1;
      heading.focus();
    }
  }, [routeKey]);

  useDocumentTitle(me?.team.name ?? null);
  useOpenLinks();
  useOpenNotifications();

  if (!me) return null;
  return (
    <div className="shell">
      <a className="skip-link" href="#main" onClick={(e) => {
        e.preventDefault();
        main.current?.focus();
      }}>
        Skip to content
      </a>
      <header className="topbar">
        <a className="brand" href="#/board" aria-label="Bullpen board">
          <span className="brand-mark" aria-hidden="true" />
          <span className="brand-name">Bullpen</span>
          <span className="brand-team">{me.team.name}</span>
        </a>
        <nav className="nav" aria-label="Main">
          {nav
            .filter((item) => (!item.desktopOnly || desktop) && (!item.forRole || item.forRole(me.user.role)))
            .map((item) => {
              const current = item.route.name === navSection(route);
              const live = item.route.name === 'go-live' && hosting;
              return (
                <a
                  key={item.label}
                  href={routeHref(item.route)}
                  className={`nav-link${current ? ' is-current' : ''}${live ? ' is-live' : ''}`}
                  aria-current={current ? 'page' : undefined}
                >
                  {live ? <span className="live-dot" aria-hidden="true" /> : null}
                  {live ? 'Live now' : item.label}
                  {item.route.name === 'questions' ? <QuestionsBadge /> : null}
                </a>
              );
            })}
        </nav>
        <div className="topbar-right">
          <ConnectionBadge status={connection} />
          <NotificationBell current={route.name === 'notifications'} />
          <a className="me" href="#/account" title={`${me.user.name} · ${me.user.email}`}>
            <Avatar name={me.user.name} size="sm" />
            <span className="me-name">{me.user.name}</span>
          </a>
        </div>
      </header>
      <ConnectionBanner status={connection} />
      <UpdateBanner />
      <LiveBar route={route} />
      <CallEndedNotifier route={route} />
      <main id="main" ref={main} tabIndex={-1} className="main">
        {children}
      </main>
    </div>
  );
}

const connectionLabels: Record<ConnectionView, string> = {
  online: 'Connected',
  connecting: 'Connecting…',
  reconnecting: 'Reconnecting…',
  refused: 'Too many windows',
  offline: 'Offline',
  asleep: 'Asleep',
};

/** The link to the server, always in the header; screen readers hear each change once. */
function ConnectionBadge({ status }: { status: ConnectionView }) {
  return (
    <span className={`conn conn-${status}`} role="status" aria-live="polite" data-testid="connection" data-status={status}>
      <span className="conn-dot" aria-hidden="true" />
      <span className="conn-text">{connectionLabels[status]}</span>
    </span>
  );
}

/** What a lost link means for the person, while it lasts. */
function ConnectionBanner({ status }: { status: ConnectionView }) {
  const hosting = useAppStore((s) => s.host.phase === 'live');
  const listening = useAppStore((s) => s.listen.phase === 'playing' || s.listen.phase === 'connecting' || s.listen.phase === 'rejoining');
  const resumes = hosting ? ' Your call carries on as soon as it is back.' : listening ? ' You rejoin the call as soon as it is back.' : '';
  switch (status) {
    case 'reconnecting':
      return (
        <div className="banner banner-warn" role="status" data-testid="connection-banner">
          Connection to the server lost. Reconnecting… Live audio keeps playing while it can.
        </div>
      );
    case 'offline':
      return (
        <div className="banner banner-warn" role="status" data-testid="connection-banner">
          You are offline. Bullpen reconnects by itself when the network is back.{resumes}
        </div>
      );
    case 'asleep':
      return (
        <div className="banner banner-warn" role="status" data-testid="connection-banner">
          This computer is going to sleep. Bullpen reconnects when it wakes.{resumes}
        </div>
      );
    case 'refused':
      return (
        <div className="banner banner-warn" role="status" data-testid="too-many-windows">
          Bullpen is open in too many of your windows and devices. Close one, and this one connects by itself.
        </div>
      );
    case 'online':
    case 'connecting':
      return null;
  }
}

/** Shows an ongoing call (hosting or listening) while the person is on another screen. */
function LiveBar({ route }: { route: Route }) {
  const host = useAppStore((s) => s.host);
  const listen = useAppStore((s) => s.listen);
  const session = useSession();

  if ((host.phase === 'live' || host.phase === 'ending') && host.call && route.name !== 'go-live') {
    return (
      <div className="livebar livebar-host" role="region" aria-label="Your live call">
        <span className="live-dot" aria-hidden="true" />
        <strong>You’re live</strong>
        <span className="livebar-title">{host.call.title}</span>
        <Elapsed since={host.call.startedAt} />
        <span>{host.listeners.length === 1 ? '1 listener' : `${host.listeners.length} listeners`}</span>
        <a className="btn btn-secondary btn-sm" href="#/go-live">
          Open call
        </a>
      </div>
    );
  }
  const listening = listen.phase === 'joining' || listen.phase === 'connecting' || listen.phase === 'playing' || listen.phase === 'rejoining';
  if (listening && listen.callId && !(route.name === 'listen' && route.callId === listen.callId)) {
    return (
      <div className="livebar livebar-listen" role="region" aria-label="Call you are listening to">
        <HeadphonesIcon size={16} />
        <strong>Listening</strong>
        <span className="livebar-title">
          {listen.call ? `${listen.call.hostName} · ${listen.call.title}` : 'Joining…'}
        </span>
        {listen.call ? <Elapsed since={listen.call.startedAt} /> : null}
        <a className="btn btn-secondary btn-sm" href={routeHref({ name: 'listen', callId: listen.callId })}>
          Open
        </a>
        <button type="button" className="btn btn-ghost btn-sm" onClick={() => void session.listen.leave()}>
          Leave
        </button>
      </div>
    );
  }
  return null;
}

/** Tells a listener who is on another screen that the call they listened to ended. */
function CallEndedNotifier({ route }: { route: Route }) {
  const phase = useAppStore((s) => s.listen.phase);
  const reason = useAppStore((s) => s.listen.endedReason);
  const callId = useAppStore((s) => s.listen.callId);
  const hostName = useAppStore((s) => s.listen.call?.hostName);
  const onListenScreen = route.name === 'listen' && route.callId === callId;
  const previous = useRef(phase);
  useEffect(() => {
    const was = previous.current;
    previous.current = phase;
    if (phase === 'ended' && was !== 'ended' && !onListenScreen) {
      notify(`${hostName ? `${hostName}’s call ended. ` : ''}${endReasonText(reason, 'listener')}`);
    }
  }, [phase, reason, hostName, onListenScreen]);
  return null;
}

/** The desktop app opened with a `bullpen://clip/<id>` link shows that clip. */
function useOpenLinks() {
  const session = useSession();
  useEffect(() => session.platform.onOpenLink((link) => navigate({ name: 'clip', id: link.id })), [session]);
}

/** A clicked desktop / browser notification opens its screen (its route is checked by the contract). */
function useOpenNotifications() {
  const session = useSession();
  useEffect(
    () =>
      session.platform.onNotificationOpen((route) => {
        if (route.startsWith('#/')) location.hash = route;
      }),
    [session],
  );
}

/** The window title says when you are live or listening, so it shows in the taskbar too. */
function useDocumentTitle(teamName: string | null) {
  const hostTitle = useAppStore((s) => (s.host.phase === 'live' ? (s.host.call?.title ?? null) : null));
  const listening = useAppStore((s) => (s.listen.phase === 'playing' ? (s.listen.call?.hostName ?? null) : null));
  useEffect(() => {
    document.title = hostTitle
      ? `● Live: ${hostTitle} · Bullpen`
      : listening
        ? `Listening to ${listening} · Bullpen`
        : teamName
          ? `${teamName} · Bullpen`
          : 'Bullpen';
  }, [hostTitle, listening, teamName]);
}
