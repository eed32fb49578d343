/**
 * The renderer's Content-Security-Policy, one definition for both shells: nothing by default,
 * our own bundle for scripts and styles (no inline code), microphone streams and blobs for
 * media, and network access only to `connectSources` (the browser shell passes `'self'`, the
 * desktop app its configured server's http(s) and ws(s) origins).
 */
export function rendererCsp(connectSources: readonly string[]): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "media-src 'self' blob: mediastream:",
    `connect-src ${connectSources.length > 0 ? connectSources.join(' ') : "'none'"}`,
    "manifest-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}
