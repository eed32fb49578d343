/**
 * Content-Security-Policy of the desktop renderer. Pure: no electron imports, so it is unit
 * tested directly and could be shared with other shells.
 */

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
  const connect = serverConnectSources(serverUrl);
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "media-src 'self' blob: mediastream:",
    `connect-src ${connect.length > 0 ? connect.join(' ') : "'none'"}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}
