import { sql, type RawBuilder } from 'kysely';
import { WEEK_MS } from '../../contract';
import type { Db, Store } from './db';

/** A team and a range of whole weeks, `[fromMs, toMs)`, both Mondays 00:00 UTC. */
export interface WeekRange {
  teamId: string;
  fromMs: number;
  /** Exclusive end: the Monday after the last week. */
  toMs: number;
}

/** Time one person listened to one host's calls in one week. */
export interface ListenTotal {
  listenerId: string;
  hostId: string;
  week: number;
  ms: number;
}

/** A count for one person and week. */
export interface WeekCount {
  userId: string;
  week: number;
  count: number;
}

/** The median delay of one person's clips to their first manager comment in one week. */
export interface WeekMedian {
  userId: string;
  week: number;
  medianMs: number;
}

interface CountRow {
  kind: string;
  user_id: string;
  week: number | string;
  n: number | string;
}

// GROUP BY names the week by its position: PostgreSQL would not match the select's expression
// to a repeated one (each interpolation is its own parameter).

/** The week index of a time column inside the range (integer on both engines). */
function weekOf(column: RawBuilder<unknown>, fromMs: number): RawBuilder<number> {
  return sql<number>`CAST((${column} - ${fromMs}) / ${WEEK_MS} AS INTEGER)`;
}

/** PostgreSQL returns SUM/AVG/COUNT of BIGINT as numeric text; SQLite as numbers. */
const num = (v: number | string | null): number => Number(v ?? 0);

/**
 * Weekly aggregates for the team metrics, one SQL statement per metric family, each grouped by
 * person and week over the whole team (never a query per person). Every statement runs on both
 * engines: only portable SQL (CASE instead of GREATEST/MAX(a, b), CAST for integer week numbers,
 * window functions for the median), and no per-listen row ever leaves the database.
 *
 * A range is `[fromMs, toMs)`, both Mondays 00:00 UTC; `week` in every result is the week's
 * index in the range (0 = the week starting at `fromMs`).
 */
export class MetricsStore {
  readonly #db: Db;

  constructor(store: Store) {
    this.#db = store.db;
  }

  /**
   * Listening time per listener, host and week. Each listen is clamped to its call's span (a
   * listen row can outlive a call by a write's delay), still-open listens and calls count up
   * to `now`, and a listen crossing a Monday is split at it (joined against the range's weeks).
   */
  async listenTotals(range: WeekRange, now: number): Promise<ListenTotal[]> {
    const { teamId, fromMs, toMs } = range;
    const { rows } = await sql<{ listener_id: string; host_id: string; week: number | string; ms: number | string }>`
      WITH RECURSIVE weeks(ws) AS (
        SELECT CAST(${fromMs} AS BIGINT)
        UNION ALL
        SELECT ws + ${WEEK_MS} FROM weeks WHERE ws + ${WEEK_MS} < ${toMs}
      ),
      spans AS (
        SELECT l.user_id AS listener_id, k.host_id AS host_id,
          CASE WHEN l.joined_at > k.started_at THEN l.joined_at ELSE k.started_at END AS s,
          CASE WHEN COALESCE(l.left_at, ${now}) < COALESCE(k.ended_at, ${now})
            THEN COALESCE(l.left_at, ${now}) ELSE COALESCE(k.ended_at, ${now}) END AS e
        FROM listens l
        INNER JOIN calls k ON k.id = l.call_id
        WHERE k.team_id = ${teamId}
          AND l.user_id <> k.host_id
          AND l.joined_at < ${toMs}
          AND (l.left_at IS NULL OR l.left_at > ${fromMs})
      )
      SELECT sp.listener_id, sp.host_id, ${weekOf(sql.ref('w.ws'), fromMs)} AS week,
        SUM(
          (CASE WHEN sp.e < w.ws + ${WEEK_MS} THEN sp.e ELSE w.ws + ${WEEK_MS} END)
          - (CASE WHEN sp.s > w.ws THEN sp.s ELSE w.ws END)
        ) AS ms
      FROM spans sp
      INNER JOIN weeks w ON sp.s < w.ws + ${WEEK_MS} AND sp.e > w.ws AND sp.e > sp.s
      GROUP BY sp.listener_id, sp.host_id, w.ws
    `.execute(this.#db);
    return rows.map((r) => ({ listenerId: r.listener_id, hostId: r.host_id, week: num(r.week), ms: Math.round(num(r.ms)) }));
  }

  /** Calls each person started (shared live) per week. */
  async callsHosted(range: WeekRange): Promise<WeekCount[]> {
    const rows = await this.#db
      .selectFrom('calls')
      .select(['host_id as user_id', weekOf(sql.ref('started_at'), range.fromMs).as('week'), (eb) => eb.fn.countAll<number | string>().as('n')])
      .where('team_id', '=', range.teamId)
      .where('started_at', '>=', range.fromMs)
      .where('started_at', '<', range.toMs)
      .groupBy(['host_id', 'week'])
      .execute();
    return rows.map((r) => ({ userId: r.user_id, week: num(r.week), count: num(r.n) }));
  }

  /** Clips each person made per week (cut or being cut; failed cuts are not clips). */
  async clipsMade(range: WeekRange): Promise<WeekCount[]> {
    const rows = await this.#db
      .selectFrom('clips')
      .select(['clipper_id as user_id', weekOf(sql.ref('created_at'), range.fromMs).as('week'), (eb) => eb.fn.countAll<number | string>().as('n')])
      .where('team_id', '=', range.teamId)
      .where('created_at', '>=', range.fromMs)
      .where('created_at', '<', range.toMs)
      .where('status', '<>', 'failed')
      .groupBy(['clipper_id', 'week'])
      .execute();
    return rows.map((r) => ({ userId: r.user_id, week: num(r.week), count: num(r.n) }));
  }

  /** Scorecards per week: `given` by their reviewer, `received` by the rep whose call they rate. */
  async reviews(range: WeekRange): Promise<{ given: WeekCount[]; received: WeekCount[] }> {
    const { teamId, fromMs, toMs } = range;
    const week = weekOf(sql.ref('created_at'), fromMs);
    const { rows } = await sql<CountRow>`
      SELECT 'given' AS kind, reviewer_id AS user_id, ${week} AS week, COUNT(*) AS n
      FROM scorecards WHERE team_id = ${teamId} AND created_at >= ${fromMs} AND created_at < ${toMs}
      GROUP BY reviewer_id, 3
      UNION ALL
      SELECT 'received' AS kind, rep_id AS user_id, ${week} AS week, COUNT(*) AS n
      FROM scorecards WHERE team_id = ${teamId} AND created_at >= ${fromMs} AND created_at < ${toMs}
      GROUP BY rep_id, 3
    `.execute(this.#db);
    return { given: byKind(rows, 'given'), received: byKind(rows, 'received') };
  }

  /** Questions per week: `asked` by their asker, `answered` (when answered) by the call's host. */
  async questions(range: WeekRange): Promise<{ asked: WeekCount[]; answered: WeekCount[] }> {
    const { teamId, fromMs, toMs } = range;
    const asked = weekOf(sql.ref('q.created_at'), fromMs);
    const answered = weekOf(sql.ref('q.answered_at'), fromMs);
    const { rows } = await sql<CountRow>`
      SELECT 'asked' AS kind, q.asker_id AS user_id, ${asked} AS week, COUNT(*) AS n
      FROM questions q WHERE q.team_id = ${teamId} AND q.created_at >= ${fromMs} AND q.created_at < ${toMs}
      GROUP BY q.asker_id, 3
      UNION ALL
      SELECT 'answered' AS kind, k.host_id AS user_id, ${answered} AS week, COUNT(*) AS n
      FROM questions q INNER JOIN calls k ON k.id = q.call_id
      WHERE q.team_id = ${teamId} AND q.status = 'answered' AND q.answered_at >= ${fromMs} AND q.answered_at < ${toMs}
      GROUP BY k.host_id, 3
    `.execute(this.#db);
    return { asked: byKind(rows, 'asked'), answered: byKind(rows, 'answered') };
  }

  /**
   * Per clip maker and week (of the clip): the median time from a clip to its first comment by
   * someone who is a manager or admin NOW (the role at comment time is not recorded), not
   * counting the maker's own comments. Clips nobody managing commented on are left out. The
   * median is taken in SQL: the middle row (or the mean of the two middle rows) by ROW_NUMBER.
   */
  async firstManagerCommentMedians(range: WeekRange): Promise<WeekMedian[]> {
    const { teamId, fromMs, toMs } = range;
    const { rows } = await sql<{ user_id: string; week: number | string; median: number | string }>`
      WITH firsts AS (
        SELECT c.clipper_id AS user_id, ${weekOf(sql.ref('c.created_at'), fromMs)} AS week,
          MIN(m.created_at) - c.created_at AS d
        FROM clips c
        INNER JOIN clip_comments m ON m.clip_id = c.id
        INNER JOIN users u ON u.id = m.author_id
        WHERE c.team_id = ${teamId} AND c.created_at >= ${fromMs} AND c.created_at < ${toMs}
          AND u.team_id = ${teamId} AND u.role IN ('manager', 'admin') AND m.author_id <> c.clipper_id
        GROUP BY c.id, c.clipper_id, c.created_at
      ),
      ranked AS (
        SELECT user_id, week, d,
          ROW_NUMBER() OVER (PARTITION BY user_id, week ORDER BY d) AS rn,
          COUNT(*) OVER (PARTITION BY user_id, week) AS n
        FROM firsts
      )
      SELECT user_id, week, AVG(d) AS median
      FROM ranked
      WHERE rn = (n + 1) / 2 OR rn = (n + 2) / 2
      GROUP BY user_id, week
    `.execute(this.#db);
    return rows.map((r) => ({ userId: r.user_id, week: num(r.week), medianMs: Math.round(num(r.median)) }));
  }
}

function byKind(rows: CountRow[], kind: string): WeekCount[] {
  return rows.filter((r) => r.kind === kind).map((r) => ({ userId: r.user_id, week: num(r.week), count: num(r.n) }));
}
