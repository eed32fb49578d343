import { z } from 'zod';
import { Id, Role } from './team';

/**
 * Shadowing credit and team metrics: weekly totals per person, computed by the server from what
 * it already records (listens, calls, clips, comments, scorecards, questions, onboarding steps).
 * Weeks are ISO weeks starting Monday 00:00 UTC; a week is named by its Monday (`2026-11-23`).
 * Totals are weekly on purpose: no timeline of anyone's minutes ever leaves the server.
 */

const DAY_MS = 86_400_000;
export const WEEK_MS = 7 * DAY_MS;
/** The epoch was a Thursday; the first Monday 00:00 UTC after it is 4 days in. */
const FIRST_MONDAY_MS = 4 * DAY_MS;
/** The widest range one request may ask for (a year of weeks). */
export const MAX_METRICS_WEEKS = 53;

/** Monday 00:00 UTC of the week holding `ms`. */
export function weekStartOf(ms: number): number {
  const offset = (((ms - FIRST_MONDAY_MS) % WEEK_MS) + WEEK_MS) % WEEK_MS;
  return ms - offset;
}

/** The week's name: its Monday as `YYYY-MM-DD` (UTC). */
export function weekKey(ms: number): string {
  return new Date(weekStartOf(ms)).toISOString().slice(0, 10);
}

/** Monday 00:00 UTC of a week named `YYYY-MM-DD`, or undefined when that is not a real Monday. */
export function weekStartMs(key: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(key)) return undefined;
  const ms = Date.parse(`${key}T00:00:00Z`);
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== key) return undefined;
  return weekStartOf(ms) === ms ? ms : undefined;
}

/** The week `n` weeks after (or before, when negative) the week named `key`. */
export function addWeeks(key: string, n: number): string {
  const start = weekStartMs(key);
  if (start === undefined) throw new RangeError(`${key} is not a Monday`);
  return weekKey(start + n * WEEK_MS);
}

/** Every week from `from` to `to`, both included, oldest first (empty when `to` is before `from`). */
export function weeksBetween(from: string, to: string): string[] {
  const a = weekStartMs(from);
  const b = weekStartMs(to);
  if (a === undefined || b === undefined) return [];
  const out: string[] = [];
  for (let t = a; t <= b; t += WEEK_MS) out.push(weekKey(t));
  return out;
}

/** The ISO week-numbering label of a week (`2026-W48`): the week belongs to its Thursday's year. */
export function isoWeekLabel(key: string): string {
  const start = weekStartMs(key);
  if (start === undefined) return key;
  const thursday = new Date(start + 3 * DAY_MS);
  const year = thursday.getUTCFullYear();
  const jan1 = Date.UTC(year, 0, 1);
  const week = Math.floor((thursday.getTime() - jan1) / WEEK_MS) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** A week named by its Monday (`YYYY-MM-DD`, UTC). */
export const WeekKey = z.string().refine((s) => weekStartMs(s) !== undefined, 'must be a Monday as YYYY-MM-DD');

/**
 * `GET /api/metrics` (and its CSV): weeks `from`..`to` (Mondays, both included, at most
 * MAX_METRICS_WEEKS), optionally one `person`. Reps and mentors may only ask for themselves.
 */
export const MetricsQuery = z
  .object({
    from: WeekKey,
    to: WeekKey,
    person: Id.optional(),
  })
  .refine((q) => q.from <= q.to, { message: 'must not be before from', path: ['to'] })
  .refine((q) => weeksBetween(q.from, q.to).length <= MAX_METRICS_WEEKS, {
    message: `may span at most ${MAX_METRICS_WEEKS} weeks`,
    path: ['to'],
  });
export type MetricsQuery = z.input<typeof MetricsQuery>;

/** One person's totals for one week. Durations in ms; counts are whole numbers. */
export const MetricsRow = z.object({
  userId: Id,
  name: z.string(),
  role: Role,
  week: z.string(),
  /** Time spent listening to teammates' live calls (clamped to each call's span). */
  listenedMs: z.number().nonnegative(),
  /** How many different hosts they listened to. */
  hostsShadowed: z.number().int().nonnegative(),
  /** Calls they shared live (started that week). */
  callsHosted: z.number().int().nonnegative(),
  /** Teaching credit: time others spent listening to their calls. */
  teachingMs: z.number().nonnegative(),
  clipsMade: z.number().int().nonnegative(),
  /** Scorecards they gave (managers and admins review). */
  scorecardsGiven: z.number().int().nonnegative(),
  /** Clips from their own calls that a manager scored (scorecards rate the call's host). */
  callClipsReviewed: z.number().int().nonnegative(),
  questionsAsked: z.number().int().nonnegative(),
  /** Questions on their calls they answered. */
  questionsAnswered: z.number().int().nonnegative(),
  /** Median ms from a clip they made to its first comment by a manager/admin; null: none commented. */
  medianFirstManagerCommentMs: z.number().nonnegative().nullable(),
  /** Onboarding steps completed; null when the server has no onboarding paths to count from. */
  stepsCompleted: z.number().int().nonnegative().nullable(),
});
export type MetricsRow = z.infer<typeof MetricsRow>;

/** A mentor and mentee with the time the mentee spent listening to the mentor's calls that week. */
export const MentorPair = z.object({
  mentorId: Id,
  mentorName: z.string(),
  menteeId: Id,
  menteeName: z.string(),
  week: z.string(),
  listenedMs: z.number().nonnegative(),
});
export type MentorPair = z.infer<typeof MentorPair>;

export const MetricsReply = z.object({
  weeks: z.array(z.string()),
  /** `team`: every member (managers, admins); `self`: the caller's own rows only. */
  scope: z.enum(['team', 'self']),
  rows: z.array(MetricsRow),
  pairs: z.array(MentorPair),
  /** Whether onboarding step counts are available (otherwise `stepsCompleted` is null). */
  pathProgress: z.boolean(),
  generatedAt: z.number(),
});
export type MetricsReply = z.infer<typeof MetricsReply>;
