import {
  addWeeks,
  exportRoutes,
  isoWeekLabel,
  weekKey,
  weekStartMs,
  type MentorPair,
  type MetricsQuery,
  type MetricsReply,
  type MetricsRow,
} from '../../../contract';

/**
 * Pure shaping for the metrics dashboard: the default week range, how numbers read, the weekly
 * series the charts draw and the CSV download's path. Weeks are ISO weeks from Monday 00:00 UTC.
 */

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
/** The dashboard opens on this many weeks, ending with the current one. */
export const DEFAULT_WEEKS = 8;

/** The last `weeks` weeks up to (and including) the week holding `now`. */
export function defaultRange(now: number, weeks = DEFAULT_WEEKS): { from: string; to: string } {
  const to = weekKey(now);
  return { from: addWeeks(to, -(weeks - 1)), to };
}

/** The week choices of a picker: `count` weeks ending with the one holding `now`, newest first. */
export function weekChoices(now: number, count = 26): { value: string; label: string }[] {
  const last = weekKey(now);
  return Array.from({ length: count }, (_, i) => {
    const value = addWeeks(last, -i);
    return { value, label: weekLabel(value) };
  });
}

/** `2026-W48 · from 23 Nov` — the ISO week and its Monday. */
export function weekLabel(week: string): string {
  return `${isoWeekLabel(week)} · from ${shortDate(week)}`;
}

/** A week's Monday as `23 Nov` (UTC, so it never shifts with the viewer's time zone). */
export function shortDate(week: string): string {
  const ms = weekStartMs(week);
  if (ms === undefined) return week;
  return new Date(ms).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
}

/** Hours with at most one decimal (`1.5 h`); under an hour in whole minutes (`45 min`); `0 h` for none. */
export function formatDuration(ms: number): string {
  if (ms <= 0) return '0 h';
  if (ms < HOUR_MS) return `${Math.max(1, Math.round(ms / MINUTE_MS))} min`;
  return `${Number((ms / HOUR_MS).toFixed(1))} h`;
}

/** The median wait for a manager's first comment, or `—` when no clip got one. */
export function formatMedian(ms: number | null): string {
  return ms === null ? '—' : formatDuration(ms);
}

/** Onboarding steps, or `—` when the server has no onboarding paths to count from. */
export function formatSteps(steps: number | null): string {
  return steps === null ? '—' : String(steps);
}

/** One point per week for the charts: the shown rows' totals (the team's, or one person's). */
export interface WeekPoint {
  week: string;
  label: string;
  shadowedHours: number;
  teachingHours: number;
  callsHosted: number;
  clipsMade: number;
}

const hours = (ms: number) => Math.round((ms / HOUR_MS) * 100) / 100;

/** Weekly totals in the reply's week order (weeks without rows read as zero). */
export function weeklySeries(reply: Pick<MetricsReply, 'weeks' | 'rows'>): WeekPoint[] {
  return reply.weeks.map((week) => {
    const rows = reply.rows.filter((r) => r.week === week);
    const sum = (pick: (r: MetricsRow) => number) => rows.reduce((total, r) => total + pick(r), 0);
    return {
      week,
      label: shortDate(week),
      shadowedHours: hours(sum((r) => r.listenedMs)),
      teachingHours: hours(sum((r) => r.teachingMs)),
      callsHosted: sum((r) => r.callsHosted),
      clipsMade: sum((r) => r.clipsMade),
    };
  });
}

/** The rows of one week, by name. */
export function rowsOfWeek(rows: MetricsRow[], week: string): MetricsRow[] {
  return rows.filter((r) => r.week === week).sort((a, b) => a.name.localeCompare(b.name) || a.userId.localeCompare(b.userId));
}

/** The mentor pairs of one week, busiest first. */
export function pairsOfWeek(pairs: MentorPair[], week: string): MentorPair[] {
  return pairs
    .filter((p) => p.week === week)
    .sort((a, b) => b.listenedMs - a.listenedMs || a.mentorName.localeCompare(b.mentorName) || a.menteeName.localeCompare(b.menteeName));
}

/** The CSV export's URL path for a query (same filters as the dashboard's). */
export function metricsCsvPath(query: MetricsQuery): string {
  const search = new URLSearchParams({ from: query.from, to: query.to });
  if (query.person) search.set('person', query.person);
  return `${exportRoutes.metricsCsv.path}?${search.toString()}`;
}

/** The file name a Content-Disposition header names (plain `filename="…"`), or `fallback`. */
export function fileNameFrom(disposition: string | null, fallback: string): string {
  const match = /filename="([^"]+)"/.exec(disposition ?? '');
  return match?.[1] ?? fallback;
}
