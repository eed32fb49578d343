import type { SystemSignal } from './platform';

/**
 * The signals every shell's window gives: the network going away and back (`offline`/`online`,
 * `navigator.onLine`'s events) and the page being hidden or shown (`visibilitychange`). A
 * browser never hears of sleep, but a wake-up shows as one of these. Returns an unsubscribe.
 */
export function onWindowSignals(listener: (signal: SystemSignal) => void): () => void {
  const online = () => listener('online');
  const offline = () => listener('offline');
  const visibility = () => listener(document.visibilityState === 'visible' ? 'visible' : 'hidden');
  window.addEventListener('online', online);
  window.addEventListener('offline', offline);
  document.addEventListener('visibilitychange', visibility);
  return () => {
    window.removeEventListener('online', online);
    window.removeEventListener('offline', offline);
    document.removeEventListener('visibilitychange', visibility);
  };
}
