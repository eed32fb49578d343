import { useSyncExternalStore } from 'react';

/** Client-side routes, kept in the URL hash so they work from a file-like app origin too. */
export type Route =
  | { name: 'board' }
  | { name: 'setup' }
  | { name: 'signin' }
  | { name: 'join'; code: string | null }
  | { name: 'go-live' }
  | { name: 'listen'; callId: string }
  | { name: 'team' }
  | { name: 'account' }
  | { name: 'settings' }
  | { name: 'library' }
  | { name: 'clip'; id: string; commentId?: string }
  | { name: 'notifications' }
  | { name: 'recordings' }
  | { name: 'recording'; callId: string; /** Start playing here (ms into the recording). */ atMs?: number }
  | { name: 'questions'; tab?: 'queue' | 'mine' }
  | { name: 'debrief'; callId: string }
  | { name: 'talk-tracks' }
  | { name: 'talk-track'; id: string }
  /** `id` is `new` for a new track; `clipId` links that clip as its first example. */
  | { name: 'talk-track-edit'; id: string; clipId?: string }
  | { name: 'reviews' }
  | { name: 'scorecards'; rep: string | null }
  /** Weekly shadowing credit and team metrics. */
  | { name: 'metrics' }
  /** "My onboarding": the caller's assigned paths. */
  | { name: 'onboarding' }
  /** Managers: the team's onboarding paths; one path with each assignee's progress; its editor (`new` for a new one). */
  | { name: 'paths' }
  | { name: 'path'; id: string }
  | { name: 'path-edit'; id: string }
  /** Admins: the team's audit log. */
  | { name: 'audit' }
  /** An admin-issued password reset link (reachable signed out). */
  | { name: 'reset-password'; token: string };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(safeDecode);
  switch (parts[0]) {
    case 'setup':
      return { name: 'setup' };
    case 'signin':
      return { name: 'signin' };
    case 'join':
      return { name: 'join', code: parts[1] ?? null };
    case 'go-live':
      return { name: 'go-live' };
    case 'listen':
      return parts[1] ? { name: 'listen', callId: parts[1] } : { name: 'board' };
    case 'team':
      return { name: 'team' };
    case 'account':
      return { name: 'account' };
    case 'settings':
      return { name: 'settings' };
    case 'library':
      return { name: 'library' };
    case 'clips':
      if (!parts[1]) return { name: 'library' };
      return parts[2] === 'comments' && parts[3] ? { name: 'clip', id: parts[1], commentId: parts[3] } : { name: 'clip', id: parts[1] };
    case 'notifications':
      return { name: 'notifications' };
    case 'recordings':
      if (!parts[1]) return { name: 'recordings' };
      return parts[2] === 'at' && /^\d{1,9}$/.test(parts[3] ?? '')
        ? { name: 'recording', callId: parts[1], atMs: Number(parts[3]) }
        : { name: 'recording', callId: parts[1] };
    case 'questions':
      return parts[1] === 'mine' ? { name: 'questions', tab: 'mine' } : { name: 'questions' };
    case 'debrief':
      return parts[1] ? { name: 'debrief', callId: parts[1] } : { name: 'questions' };
    case 'talk-tracks':
      return talkTrackRoute(parts);
    case 'reviews':
      return { name: 'reviews' };
    case 'scorecards':
      return { name: 'scorecards', rep: parts[1] ?? null };
    case 'metrics':
      return { name: 'metrics' };
    case 'onboarding':
      return { name: 'onboarding' };
    case 'paths':
      if (!parts[1]) return { name: 'paths' };
      return parts[2] === 'edit' || parts[1] === 'new' ? { name: 'path-edit', id: parts[1] } : { name: 'path', id: parts[1] };
    case 'audit':
      return { name: 'audit' };
    case 'reset':
      return { name: 'reset-password', token: parts[1] ?? '' };
    default:
      return { name: 'board' };
  }
}

/** `#/talk-tracks`, `#/talk-tracks/<id>`, `#/talk-tracks/<id>/edit` (`?clip=<clipId>` for a new one from a clip). */
function talkTrackRoute(parts: string[]): Route {
  const id = parts[1];
  if (!id) return { name: 'talk-tracks' };
  const [action, search] = (parts[2] ?? '').split('?');
  if (action !== 'edit') return { name: 'talk-track', id };
  const clipId = new URLSearchParams(search ?? '').get('clip');
  return clipId ? { name: 'talk-track-edit', id, clipId } : { name: 'talk-track-edit', id };
}

export function routeHref(route: Route): string {
  switch (route.name) {
    case 'join':
      return route.code ? `#/join/${encodeURIComponent(route.code)}` : '#/join';
    case 'listen':
      return `#/listen/${encodeURIComponent(route.callId)}`;
    case 'clip':
      return `#/clips/${encodeURIComponent(route.id)}${route.commentId ? `/comments/${encodeURIComponent(route.commentId)}` : ''}`;
    case 'recording':
      return route.atMs === undefined
        ? `#/recordings/${encodeURIComponent(route.callId)}`
        : `#/recordings/${encodeURIComponent(route.callId)}/at/${Math.max(0, Math.round(route.atMs))}`;
    case 'questions':
      return route.tab === 'mine' ? '#/questions/mine' : '#/questions';
    case 'debrief':
      return `#/debrief/${encodeURIComponent(route.callId)}`;
    case 'talk-track':
      return `#/talk-tracks/${encodeURIComponent(route.id)}`;
    case 'talk-track-edit':
      return `#/talk-tracks/${encodeURIComponent(route.id)}/edit${route.clipId ? `?clip=${encodeURIComponent(route.clipId)}` : ''}`;
    case 'scorecards':
      return route.rep ? `#/scorecards/${encodeURIComponent(route.rep)}` : '#/scorecards';
    case 'path':
      return `#/paths/${encodeURIComponent(route.id)}`;
    case 'path-edit':
      return `#/paths/${encodeURIComponent(route.id)}/edit`;
    case 'reset-password':
      return `#/reset/${encodeURIComponent(route.token)}`;
    default:
      return `#/${route.name}`;
  }
}

export function navigate(route: Route, opts: { replace?: boolean } = {}): void {
  const href = routeHref(route);
  if (location.hash === href) return;
  if (opts.replace) history.replaceState(null, '', href);
  else location.hash = href;
  if (opts.replace) window.dispatchEvent(new HashChangeEvent('hashchange'));
}

/**
 * Goes to wherever the app lands a signed-in person (no route in the URL): the app decides
 * there ("My onboarding" while they have steps left, otherwise the board; see app.tsx).
 */
export function navigateToLanding(): void {
  history.replaceState(null, '', `${location.pathname}${location.search}#/`);
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

function subscribe(callback: () => void): () => void {
  window.addEventListener('hashchange', callback);
  return () => window.removeEventListener('hashchange', callback);
}

/** The current route; re-renders on navigation. */
export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => location.hash);
  return parseRoute(hash);
}
