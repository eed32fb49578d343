import type { BoardCall, CallEndReason, CallKind, CallSummary, ListenPolicy, Role } from '../../contract';

/** People-facing words for contract enums. */

/** Under every new-password field; the server also refuses passwords that are easy to guess. */
export const PASSWORD_HINT = 'At least 10 characters and hard to guess: a few unrelated words work well.';

export const roleLabels: Record<Role, string> = {
  rep: 'Rep',
  mentor: 'Mentor',
  manager: 'Manager',
  admin: 'Admin',
};

export const roleDescriptions: Record<Role, string> = {
  rep: 'Goes live and listens to teammates.',
  mentor: 'A senior rep who mentors named teammates.',
  manager: 'Can ride along on any call and assign mentors.',
  admin: 'Manages the team: invites, roles and mentors.',
};

export const callKindLabels: Record<CallKind, string> = {
  discovery: 'Discovery',
  demo: 'Demo',
  'follow-up': 'Follow-up',
  negotiation: 'Negotiation',
  renewal: 'Renewal',
  other: 'Other',
};

export const policyLabels: Record<ListenPolicy, string> = {
  team: 'Everyone on the team',
  'mentees-and-managers': 'My mentees and managers',
  managers: 'Managers only',
};

export const policyShort: Record<ListenPolicy, string> = {
  team: 'Team',
  'mentees-and-managers': 'Mentees & managers',
  managers: 'Managers',
};

export function endReasonText(reason: CallEndReason | null, perspective: 'host' | 'listener'): string {
  switch (reason) {
    case 'host-ended':
      return perspective === 'host' ? 'You ended the call.' : 'The host ended the call.';
    case 'host-timeout':
      return perspective === 'host'
        ? 'Your connection to the server was lost for too long, so the call ended.'
        : 'The host’s connection was lost and did not come back.';
    case 'host-signed-out':
      return perspective === 'host' ? 'You signed out, so the call ended.' : 'The host signed out.';
    case 'server-shutdown':
      return 'The Bullpen server restarted, so the call ended.';
    case null:
      return perspective === 'host' ? 'The call ended.' : 'This call is no longer live.';
  }
}

export function hostStateLabel(state: CallSummary['hostState']): string {
  switch (state) {
    case 'connecting':
      return 'Connecting…';
    case 'live':
      return 'Live';
    case 'reconnecting':
      return 'Host reconnecting…';
  }
}

/** `m:ss` or `h:mm:ss`. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Bytes for people, in decimal units as file managers show them: "950 B", "1.2 MB", "34 GB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${Math.max(0, Math.round(bytes))} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 999.5 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value < 9.95 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

export function formatDateTime(ms: number): string {
  return dateTime.format(ms);
}

export function formatDate(ms: number): string {
  return dateOnly.format(ms);
}

/** "just now", "5 min ago", "3 h ago", else a date. */
export function formatAgo(ms: number, now = Date.now()): string {
  const diff = now - ms;
  if (diff < 60_000) return 'just now';
  if (diff < 3_600_000) return `${Math.floor(diff / 60_000)} min ago`;
  if (diff < 86_400_000) return `${Math.floor(diff / 3_600_000)} h ago`;
  return formatDate(ms);
}

/** Names joined for a sentence: "Ann", "Ann and Bo", "Ann, Bo and 3 others". */
export function nameList(names: string[], max = 3): string {
  if (names.length <= 1) return names[0] ?? '';
  if (names.length <= max) return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  const rest = names.length - (max - 1);
  return `${names.slice(0, max - 1).join(', ')} and ${rest} others`;
}

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0]![0], parts[parts.length - 1]![0]] : [parts[0]?.[0], parts[0]?.[1]];
  return letters.filter(Boolean).join('').toUpperCase() || '?';
}

/** A short description of a browser's user agent for the sessions list. */
export function describeUserAgent(ua: string): string {
  if (!ua) return 'Unknown device';
  const app = /Electron\//.test(ua) ? 'Bullpen desktop' : /Edg\//.test(ua) ? 'Edge' : /Chrome\//.test(ua) ? 'Chrome' : /Firefox\//.test(ua) ? 'Firefox' : /Safari\//.test(ua) ? 'Safari' : /node|undici/i.test(ua) ? 'Script' : 'Browser';
  const os = /Windows/.test(ua) ? 'Windows' : /Mac OS X|Macintosh/.test(ua) ? 'macOS' : /Android/.test(ua) ? 'Android' : /iPhone|iPad/.test(ua) ? 'iOS' : /Linux/.test(ua) ? 'Linux' : '';
  return os ? `${app} on ${os}` : app;
}

/**
 * What a screen reader hears when the set of live calls changes. A restricted call is announced
 * by its host only: the viewer is not told what it is about.
 */
export function boardAnnouncement(calls: readonly BoardCall[]): string {
  if (calls.length === 0) return 'No one is live.';
  const described = calls.map((c) =>
    c.restricted ? `${c.hostName}, restricted call` : `${c.hostName}, ${c.title}${c.hostState === 'reconnecting' ? ' (host reconnecting)' : ''}`,
  );
  return `${calls.length === 1 ? '1 call' : `${calls.length} calls`} live: ${described.join('; ')}.`;
}
