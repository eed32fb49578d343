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
  | { name: 'recording'; callId: string };

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
      return parts[1] ? { name: 'recording', callId: parts[1] } : { name: 'recordings' };
    default:
      return { name: 'board' };
  }
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
      return `#/recordings/${encodeURIComponent(route.callId)}`;
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
