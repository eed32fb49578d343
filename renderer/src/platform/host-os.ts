import type { HostOs } from './platform';

/**
 * The OS from a browser's own words (`navigator.userAgentData.platform` where there is one,
 * else `navigator.platform`, else the user agent).
 */
export function osFromNavigator(nav: { platform?: string; userAgent?: string; userAgentData?: { platform?: string } }): HostOs {
  const text = `${nav.userAgentData?.platform ?? ''} ${nav.platform ?? ''} ${nav.userAgent ?? ''}`;
  if (/android|cros/i.test(text)) return 'other';
  if (/mac/i.test(text)) return 'darwin';
  if (/win/i.test(text)) return 'win32';
  if (/linux/i.test(text)) return 'linux';
  return 'other';
}
