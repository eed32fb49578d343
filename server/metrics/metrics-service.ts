import type { z } from 'zod';
import {
  BullpenError,
  WEEK_MS,
  weekStartMs,
  weeksBetween,
  type Member,
  type MentorPair,
  MetricsQuery,
  type MetricsReply,
  type MetricsRow,
} from '../../contract';
import type { Caller } from '../auth/auth-service';
import type { ListenTotal, MetricsStore, WeekCount, WeekRange } from '../store/metrics-store';
import type { TeamStore } from '../store/team-store';
import { metricsCsv, metricsCsvFileName } from './metrics-csv';
import { metricsPolicy } from './metrics-policy';

/** Onboarding steps completed per person in `[fromMs, toMs)` (helper A's paths; optional). */
export type StepsCompletedBetween = (teamId: string, fromMs: number, toMs: number) => Promise<Map<string, number>>;

export interface MetricsServiceDeps {
  store: MetricsStore;
  teams: TeamStore;
  /** Path progress; without it the step column reads "—" (null). */
  stepsCompletedBetween?: StepsCompletedBetween;
  now?: () => number;
}

type Query = z.output<typeof MetricsQuery>;

/** A finished CSV export. */
export interface MetricsCsv {
  fileName: string;
  text: string;
}

/** Counts keyed `userId|week`. */
type Tally = Map<string, number>;
const key = (userId: string, week: number) => `${userId}|${week}`;

function tally(counts: WeekCount[]): Tally {
  return new Map(counts.map((c) => [key(c.userId, c.week), c.count]));
}

function sumBy(totals: ListenTotal[], who: (t: ListenTotal) => string): Tally {
  const out: Tally = new Map();
  for (const t of totals) out.set(key(who(t), t.week), (out.get(key(who(t), t.week)) ?? 0) + t.ms);
  return out;
}

/**
 * Weekly shadowing credit and team metrics. Each request runs one store query per metric family
 * for the whole team and range, then shapes rows for the people the caller may see (see
 * metrics-policy.ts): managers and admins the team, everyone else their own row.
 */
export class MetricsService {
  readonly #deps: MetricsServiceDeps;
  readonly #now: () => number;

  constructor(deps: MetricsServiceDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
  }

  /** The weekly rows and mentor pairs `caller` may see for `query`'s weeks and person. */
  async weekly(caller: Caller, query: Query): Promise<MetricsReply> {
    const viewer = { id: caller.user.id, role: caller.user.role };
    const team = metricsPolicy.mayReadTeam(viewer);
    const person = query.person ?? (team ? undefined : viewer.id);
    if (person !== undefined && !metricsPolicy.mayReadPerson(viewer, person)) {
      throw new BullpenError('FORBIDDEN', 'You can see your own metrics; managers see the team’s.');
    }
    const fromMs = weekStartMs(query.from);
    const lastMs = weekStartMs(query.to);
    const weeks = weeksBetween(query.from, query.to);
    // The route's schema checked these; a direct caller gets the same answer.
    if (fromMs === undefined || lastMs === undefined || weeks.length === 0) {
      throw new BullpenError('BAD_REQUEST', 'Pick a week range: from and to are Mondays, from first.');
    }
    const members = await this.#deps.teams.members(caller.team.id);
    if (person !== undefined && !members.some((m) => m.id === person)) {
      throw new BullpenError('NOT_FOUND', 'That person is not on your team.');
    }
    const range: WeekRange = { teamId: caller.team.id, fromMs, toMs: lastMs + WEEK_MS };
    const now = this.#now();
    const { store } = this.#deps;
    const [listens, calls, clips, reviews, questions, medians, steps] = await Promise.all([
      store.listenTotals(range, now),
      store.callsHosted(range),
      store.clipsMade(range),
      store.reviews(range),
      store.questions(range),
      store.firstManagerCommentMedians(range),
      this.#steps(range, weeks.length),
    ]);

    const listened = sumBy(listens, (t) => t.listenerId);
    const taught = sumBy(listens, (t) => t.hostId);
    const hosts = new Map<string, number>();
    for (const t of listens) hosts.set(key(t.listenerId, t.week), (hosts.get(key(t.listenerId, t.week)) ?? 0) + 1);
    const hosted = tally(calls);
    const made = tally(clips);
    const given = tally(reviews.given);
    const received = tally(reviews.received);
    const asked = tally(questions.asked);
    const answered = tally(questions.answered);
    const median = new Map(medians.map((m) => [key(m.userId, m.week), m.medianMs]));

    const shown = members
      .filter((m) => person === undefined || m.id === person)
      .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
    const rows: MetricsRow[] = [];
    weeks.forEach((week, i) => {
      for (const m of shown) {
        const k = key(m.id, i);
        rows.push({
          userId: m.id,
          name: m.name,
          role: m.role,
          week,
          listenedMs: listened.get(k) ?? 0,
          hostsShadowed: hosts.get(k) ?? 0,
          callsHosted: hosted.get(k) ?? 0,
          teachingMs: taught.get(k) ?? 0,
          clipsMade: made.get(k) ?? 0,
          scorecardsGiven: given.get(k) ?? 0,
          callClipsReviewed: received.get(k) ?? 0,
          questionsAsked: asked.get(k) ?? 0,
          questionsAnswered: answered.get(k) ?? 0,
          medianFirstManagerCommentMs: median.get(k) ?? null,
          stepsCompleted: steps ? (steps[i]!.get(m.id) ?? 0) : null,
        });
      }
    });
    return {
      weeks,
      scope: team ? 'team' : 'self',
      rows,
      pairs: mentorPairs(members, listens, weeks, person),
      pathProgress: steps !== undefined,
      generatedAt: now,
    };
  }

  /** The same rows as `weekly`, as a CSV file (same rules: a rep exports only their own). */
  async csv(caller: Caller, query: Query): Promise<MetricsCsv> {
    const reply = await this.weekly(caller, query);
    return { fileName: metricsCsvFileName(query.from, query.to), text: metricsCsv(reply) };
  }

  /** Steps completed per week from the onboarding provider (one call per week), if there is one. */
  async #steps(range: WeekRange, count: number): Promise<Map<string, number>[] | undefined> {
    const provider = this.#deps.stepsCompletedBetween;
    if (!provider) return undefined;
    return await Promise.all(
      Array.from({ length: count }, (_, i) => provider(range.teamId, range.fromMs + i * WEEK_MS, range.fromMs + (i + 1) * WEEK_MS)),
    );
  }
}

/**
 * Every current mentor↔mentee pair (of those involving `person`, when one is named) with the
 * time the mentee listened to the mentor's calls, per week (zero weeks included, so a pair
 * that never shadows shows up too).
 */
function mentorPairs(members: Member[], listens: ListenTotal[], weeks: string[], person: string | undefined): MentorPair[] {
  const byId = new Map(members.map((m) => [m.id, m]));
  const pairMs = new Map<string, number>();
  for (const t of listens) {
    const k = `${t.hostId}|${t.listenerId}|${t.week}`;
    pairMs.set(k, (pairMs.get(k) ?? 0) + t.ms);
  }
  const out: MentorPair[] = [];
  for (const mentor of members) {
    for (const menteeId of mentor.menteeIds) {
      const mentee = byId.get(menteeId);
      if (!mentee) continue;
      if (person !== undefined && person !== mentor.id && person !== mentee.id) continue;
      weeks.forEach((week, i) => {
        out.push({
          mentorId: mentor.id,
          mentorName: mentor.name,
          menteeId: mentee.id,
          menteeName: mentee.name,
          week,
          listenedMs: pairMs.get(`${mentor.id}|${mentee.id}|${i}`) ?? 0,
        });
      });
    }
  }
  return out;
}
