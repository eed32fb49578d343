/** Link protocols a talk track may use; everything else (javascript:, data:, file:, …) is removed. */
const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/**
 * The URL a markdown link may point to, or undefined to drop it. Only absolute http, https and
 * mailto URLs pass: the URL parser strips the tabs, newlines and case tricks that hide a
 * `javascript:` (markdown has already decoded character references by now), and relative links
 * go nowhere useful inside the app, so they are dropped too.
 */
export function safeLinkUrl(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return undefined;
  }
  return SAFE_PROTOCOLS.has(url.protocol) ? url.href : undefined;
}
