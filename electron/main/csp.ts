/**
 * Content-Security-Policy of the desktop renderer: the shared renderer policy with network
 * access limited to the configured server. Pure: no electron imports, so it is unit tested.
 */
import { rendererCsp } from '../../contract/csp';

/**
 * The origins the renderer may connect to for a configured server URL: its http(s) origin
 * (REST, socket.io polling) and the matching ws(s) origin (socket.io websocket). Returns an
 * empty list for anything that is not a plain http(s) URL.
 */
export function serverConnectSources(serverUrl: string): string[] {
  let url: URL;
  try {
    url = new URL(serverUrl);
  } catch {
    return [];
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return [];
  if (url.username !== '' || url.password !== '') return [];
  const wsProtocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return [url.origin, `${wsProtocol}//${url.host}`];
}

/**
 * Builds the CSP header value for the renderer: nothing by default, our own bundle for
 * scripts and styles (React sets styles through the CSSOM, which CSP does not restrict, so no
 * `'unsafe-inline'`), microphone/loopback streams and blobs for media, and network access
 * only to the configured Bullpen server. An unusable server URL yields `connect-src 'none'`
 * rather than a policy that allows more.
 */
export function buildCsp(serverUrl: string): string {
  return rendererCsp(serverConnectSources(serverUrl));
}
