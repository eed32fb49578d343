import { shell } from 'electron';
import type { Logger } from './logger';

const MAX_URL_LENGTH = 2000;

/**
 * Parses `raw` and rebuilds it from its parts, so what reaches the OS is exactly what was
 * checked: http(s) links with a host and no credentials, or mailto links. Everything else
 * (file:, javascript:, custom protocol handlers, smb: and so on) returns `null`.
 */
export function sanitizeExternalUrl(raw: string): string | null {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_URL_LENGTH) return null;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  switch (url.protocol) {
    case 'http:':
    case 'https:': {
      if (url.hostname === '' || url.username !== '' || url.password !== '') return null;
      const port = url.port ? `:${url.port}` : '';
      return `${url.protocol}//${url.hostname}${port}${url.pathname}${url.search}${url.hash}`;
    }
    case 'mailto:':
      if (url.pathname === '') return null;
      return `mailto:${url.pathname}${url.search}`;
    default:
      return null;
  }
}

/**
 * Opens a link in the user's browser or mail client if it passes {@link sanitizeExternalUrl}.
 * Returns whether it was handed to the OS.
 */
export async function openExternalLink(raw: string, log: Logger): Promise<boolean> {
  const safe = sanitizeExternalUrl(raw);
  if (safe === null) {
    log.warn('refused to open external link', { url: raw.slice(0, 200) });
    return false;
  }
  await shell.openExternal(safe);
  return true;
}
