/**
 * `metrics_team_12w_ms`: how long one team metrics request takes for 50 people × 12 weeks of
 * activity (per person and week: 2 calls hosted, 6 listens of 20 minutes, 3 clips, a manager
 * comment on each, a question asked and answered, a scorecard). The whole team's weekly rows
 * and mentor pairs come from one statement per metric family, not one per person. Measured on
 * the embedded SQLite store in a temp dir (the service, without HTTP), median of five requests.
 *
 * Part of `npm run bench`; alone: `npx tsx bench/metrics-query.ts`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { addWeeks, weekKey, WEEK_MS, type Role } from '../contract';
import type { Caller } from '../server/auth/auth-service';
import { MetricsService } from '../server/metrics/metrics-service';
import { openStore } from '../server/store/db';
import { MetricsStore } from '../server/store/metrics-store';
import { TeamStore } from '../server/store/team-store';
import { percentile, report } from './figures';

const PEOPLE = 50;
const WEEKS = 12;
const MIN = 60_000;

export async function measureMetricsQuery(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'bullpen-bench-metrics-'));
  const store = await openStore({ dataDir });
  try {
    const db = store.db;
    const to = weekKey(Date.now());
    const from = addWeeks(to, -(WEEKS - 1));
    const start = Date.parse(`${from}T00:00:00Z`);
    await db.insertInto('teams').values({ id: 't1', name: 'Bench', created_at: 0 }).execute();
    const people = Array.from({ length: PEOPLE }, (_, i) => ({
      id: `u${i}`, team_id: 't1', name: `Person ${i}`, email: `p${i}@bench.test`, password_hash: 'h',
      role: (i < 3 ? 'manager' : i < 10 ? 'mentor' : 'rep') satisfies Role, created_at: 0,
    }));
    await db.insertInto('users').values(people).execute();
    await db.insertInto('mentorships').values(people.slice(10).map((p, i) => ({ team_id: 't1', mentor_id: `u${3 + (i % 7)}`, mentee_id: p.id, created_at: 0 }))).execute();
    await db.transaction().execute(async (trx) => {
      let n = 0;
      for (let w = 0; w < WEEKS; w++) {
        for (let p = 0; p < PEOPLE; p++) {
          for (let c = 0; c < 2; c++) {
            const callId = `c${++n}`;
            const at = start + w * WEEK_MS + (p * 2 + c) * 60 * MIN;
            await trx.insertInto('calls').values({ id: callId, team_id: 't1', host_id: `u${p}`, title: 'Call', account: null, policy: 'team', started_at: at, ended_at: at + 45 * MIN, end_reason: 'host-ended', recording_consent_by: null, recording_consent_at: null }).execute();
            for (let l = 1; l <= 3; l++) {
              await trx.insertInto('listens').values({ id: `${callId}-l${l}`, call_id: callId, user_id: `u${(p + l) % PEOPLE}`, joined_at: at + l * MIN, left_at: at + (l + 20) * MIN }).execute();
            }
          }
          const callId = `c${n}`;
          const at = start + w * WEEK_MS + p * 120 * MIN;
          for (let k = 0; k < 3; k++) {
            const clipId = `${callId}-k${k}`;
            await trx.insertInto('clips').values({ id: clipId, team_id: 't1', call_id: callId, clipper_id: `u${p}`, visibility: 'team', status: 'ready', range_kind: 'wall', range_start: at, range_end: at + 30_000, created_at: at + k * MIN, ready_at: at + k * MIN, updated_at: at }).execute();
            await trx.insertInto('clip_comments').values({ id: `${clipId}-m`, clip_id: clipId, parent_id: null, author_id: `u${p % 3}`, at_ms: 0, body: 'Nice', created_at: at + (k + 5) * MIN, edited_at: null }).execute();
          }
          await trx.insertInto('scorecards').values({ id: `${callId}-s`, team_id: 't1', clip_id: `${callId}-k0`, rep_id: `u${p}`, reviewer_id: `u${p % 3}`, scores: '[]', summary: 'ok', created_at: at + 60 * MIN, updated_at: at + 60 * MIN }).execute();
          await trx.insertInto('questions').values({ id: `${callId}-q`, team_id: 't1', call_id: callId, asker_id: `u${(p + 1) % PEOPLE}`, body: 'Why?', at_ms: 0, anonymous: 0, share_with_managers: 0, status: 'answered', answer: 'Because', answered_at: at + 90 * MIN, created_at: at + 10 * MIN }).execute();
        }
      }
    });
    await sql`ANALYZE`.execute(db);
    const teams = new TeamStore(store);
    const service = new MetricsService({ store: new MetricsStore(store), teams });
    const manager = await teams.userById('u0');
    const caller = { user: manager!, team: await teams.team('t1'), sessionId: 's', sessionExpiresAt: Infinity } satisfies Caller;
    const ms: number[] = [];
    let rows = 0;
    for (let i = 0; i < 6; i++) {
      const t0 = performance.now();
      const reply = await service.weekly(caller, { from, to });
      if (i > 0) ms.push(performance.now() - t0); // the first one warms the statement cache
      rows = reply.rows.length;
    }
    report('metrics_team_12w_ms', percentile(ms, 50), 'ms', undefined, `one manager's metrics request: ${rows} rows (${PEOPLE} people × ${WEEKS} weeks), SQLite, median of 5`);
  } finally {
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await measureMetricsQuery();
