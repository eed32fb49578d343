import type { ClipVisibility } from '../../contract';

/** People-facing words for the library, clips and recordings. */

export const visibilityLabels: Record<ClipVisibility, string> = {
  team: 'Everyone on the team',
  managers: 'Managers (and the call’s host)',
  private: 'Only me (and the call’s host)',
};

export const visibilityShort: Record<ClipVisibility, string> = {
  team: 'Team',
  managers: 'Managers',
  private: 'Private',
};

/** Media time as `m:ss.t` (tenths), for range pickers where a second is too coarse. */
export function formatMediaTime(ms: number): string {
  const tenths = Math.max(0, Math.round(ms / 100));
  const total = Math.floor(tenths / 10);
  const m = Math.floor(total / 60);
  const s = String(total % 60).padStart(2, '0');
  return `${m}:${s}.${tenths % 10}`;
}

/** "expires today", "expires in 1 day", "expires in 12 days". */
export function expiresIn(expiresAt: number, now = Date.now()): string {
  const days = Math.ceil((expiresAt - now) / 86_400_000);
  if (days <= 0) return 'expires today';
  return days === 1 ? 'expires in 1 day' : `expires in ${days} days`;
}

/** A safe file name for a download: the title without characters file systems refuse. */
export function downloadName(title: string, ext: string): string {
  const base = title.replace(/[\\/:*?"<>|\p{Cc}]+/gu, ' ').replace(/\s+/g, ' ').trim().slice(0, 100) || 'clip';
  return `${base}.${ext}`;
}

/** Plural helper: "1 comment", "3 comments". */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
