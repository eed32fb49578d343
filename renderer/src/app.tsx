import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { LoadingBlock } from './components/feedback';
import { Notices } from './components/notices';
import { navigate, useRoute, type Route } from './routing';
import { AccountScreen } from './screens/account-screen';
import { BoardScreen } from './screens/board-screen';
import { BootScreen, UnreachableScreen } from './screens/boot-screens';
import { GoLiveScreen } from './screens/go-live-screen';
import { JoinScreen, JoinWhileSignedIn } from './screens/join-screen';
import { ClipScreen } from './screens/clip-screen';
import { LibraryScreen } from './screens/library-screen';
import { NotificationsScreen } from './screens/notifications-screen';
import { ListenScreen } from './screens/listen-screen';
import { DebriefScreen } from './screens/debrief-screen';
import { QuestionsScreen } from './screens/questions-screen';
import { RecordingScreen } from './screens/recording-screen';
import { RecordingsScreen } from './screens/recordings-screen';
import { ReviewsScreen } from './screens/reviews-screen';
import { ScorecardsScreen } from './screens/scorecards-screen';
import { MetricsScreen } from './metrics/metrics-screen';
import { SettingsScreen } from './screens/settings-screen';
import { SetupScreen } from './screens/setup-screen';
import { SignInScreen } from './screens/sign-in-screen';
import { TeamScreen } from './screens/team-screen';
import { Shell } from './shell';
import { OnboardingScreen } from './onboarding/onboarding-screen';
import { onboardingQueries } from './onboarding/onboarding-queries';
import { PathEditScreen } from './onboarding/path-edit-screen';
import { PathScreen } from './onboarding/path-screen';
import { PathsScreen } from './onboarding/paths-screen';
import { isActive } from './onboarding/progress';
import { useSession } from './services/session-context';
import { TalkTrackEditScreen } from './talk-tracks/talk-track-edit-screen';
import { TalkTrackScreen } from './talk-tracks/talk-track-screen';
import { TalkTracksScreen } from './talk-tracks/talk-tracks-screen';
import { useAppStore } from './state/store';
import { AuditScreen } from './audit/audit-screen';
import { ResetPasswordScreen } from './people/reset-password-screen';

/** Top level: boot states, the signed-out screens, and the signed-in shell with its routes. */
export function App() {
  const boot = useAppStore((s) => s.boot);
  const signedIn = useAppStore((s) => s.me !== null);
  const needsSetup = useAppStore((s) => s.needsSetup);
  const platformKind = useAppStore((s) => s.platformKind);
  const route = useRoute();

  return (
    <>
      {boot.status === 'loading' ? (
        <BootScreen />
      ) : boot.status === 'unreachable' ? (
        route.name === 'settings' && platformKind === 'electron' ? (
          <SettingsScreen signedOut />
        ) : (
          <UnreachableScreen message={boot.message} />
        )
      ) : !signedIn ? (
        <SignedOut route={route} needsSetup={needsSetup} desktop={platformKind === 'electron'} />
      ) : (
        <SignedIn route={route} />
      )}
      <Notices />
    </>
  );
}

function SignedOut({ route, needsSetup, desktop }: { route: Route; needsSetup: boolean; desktop: boolean }) {
  if (route.name === 'settings' && desktop) return <SettingsScreen signedOut />;
  if (route.name === 'reset-password') return <ResetPasswordScreen key={route.token} token={route.token} />;
  if (needsSetup) return <SetupScreen />;
  if (route.name === 'join') return <JoinScreen code={route.code} />;
  return <SignInScreen />;
}

function SignedIn({ route }: { route: Route }) {
  const landing = useLanding(route);
  // A reset link opened while signed in still works (the sign-in screen follows once it is used).
  if (route.name === 'reset-password') return <ResetPasswordScreen key={route.token} token={route.token} />;
  return (
    <Shell route={route}>
      {landing ? (
        <section className="page" aria-label="Opening">
          <LoadingBlock label="Opening…" />
        </section>
      ) : (
        screenFor(route)
      )}
    </Shell>
  );
}

/**
 * Where a signed-in person lands (after signing in, or opening the app with no route): "My
 * onboarding" while they have an assignment with steps left, otherwise the board. Returns true
 * while that is being decided.
 */
function useLanding(route: Route): boolean {
  const session = useSession();
  const queries = useQueryClient();
  const isLanding = route.name === 'setup' || route.name === 'signin' || (route.name === 'board' && (location.hash === '' || location.hash === '#/'));
  useEffect(() => {
    if (!isLanding) return undefined;
    let cancelled = false;
    queries
      .fetchQuery(onboardingQueries.mine(session.rest))
      .then(
        (mine) => mine.assignments.some(isActive),
        // No onboarding answer is no reason to keep someone off the board.
        () => false,
      )
      .then((onboarding) => {
        // Navigating ends the landing: the route is no longer a landing one.
        if (!cancelled) navigate(onboarding ? { name: 'onboarding' } : { name: 'board' }, { replace: true });
      });
    return () => {
      cancelled = true;
    };
  }, [isLanding, queries, session]);
  return isLanding;
}

function screenFor(route: Route) {
  switch (route.name) {
    case 'go-live':
      return <GoLiveScreen />;
    case 'listen':
      return <ListenScreen callId={route.callId} />;
    case 'team':
      return <TeamScreen />;
    case 'account':
      return <AccountScreen />;
    case 'library':
      return <LibraryScreen />;
    case 'clip':
      return <ClipScreen key={route.id} clipId={route.id} commentId={route.commentId} />;
    case 'notifications':
      return <NotificationsScreen />;
    case 'recordings':
      return <RecordingsScreen />;
    case 'recording':
      return <RecordingScreen key={`${route.callId}/${route.atMs ?? ''}`} callId={route.callId} atMs={route.atMs} />;
    case 'questions':
      return <QuestionsScreen tab={route.tab ?? 'queue'} />;
    case 'debrief':
      return <DebriefScreen key={route.callId} callId={route.callId} />;
    case 'talk-tracks':
      return <TalkTracksScreen />;
    case 'talk-track':
      return <TalkTrackScreen key={route.id} trackId={route.id} />;
    case 'talk-track-edit':
      return <TalkTrackEditScreen key={`${route.id}/${route.clipId ?? ''}`} trackId={route.id} clipId={route.clipId ?? null} />;
    case 'reviews':
      return <ReviewsScreen />;
    case 'scorecards':
      return <ScorecardsScreen key={route.rep ?? 'me'} rep={route.rep} />;
    case 'metrics':
      return <MetricsScreen />;
    case 'onboarding':
      return <OnboardingScreen />;
    case 'paths':
      return <PathsScreen />;
    case 'path':
      return <PathScreen key={route.id} pathId={route.id} />;
    case 'path-edit':
      return <PathEditScreen key={route.id} pathId={route.id} />;
    case 'settings':
      // Signed in, the browser has settings too (clips, default audio); the server is desktop-only.
      return <SettingsScreen />;
    case 'join':
      return <JoinWhileSignedIn />;
    case 'audit':
      return <AuditScreen />;
    case 'reset-password':
      return null;
    case 'board':
    case 'setup':
    case 'signin':
      return <BoardScreen />;
  }
}
