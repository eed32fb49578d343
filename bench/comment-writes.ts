/**
 * `comment_write_ms_at_400` and `comment_write_ms_at_10`: how long the store takes to write one
 * comment (insert + its search row) on a clip that already has about 10, and about 400,
 * comments. Writes must stay flat as a thread grows (each comment used to re-read the whole
 * thread to rebuild the clip's search row: the 416th took 10× the 10th). Measured on the embedded
 * SQLite store in a temp dir, the median of ten writes around each point.
 *
 * Part of `npm run bench`; alone: `npx tsx bench/comment-writes.ts`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { ClipStore } from '../server/store/clip-store';
import { openStore } from '../server/store/db';
import { percentile, report } from './figures';

const THREAD = 410;

export async function measureCommentWrites(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'bullpen-bench-comments-'));
  const store = await openStore({ dataDir });
  try {
    await sql`INSERT INTO teams (id, name, created_at) VALUES ('t1', 'Bench', 0)`.execute(store.db);
    await sql`INSERT INTO users (id, team_id, name, email, password_hash, role, created_at) VALUES ('u1', 't1', 'Ann', 'a@bench.test', 'h', 'manager', 0)`.execute(store.db);
    await sql`INSERT INTO calls (id, team_id, host_id, title, policy, started_at) VALUES ('c1', 't1', 'u1', 'Call', 'team', 0)`.execute(store.db);
    const clips = new ClipStore(store);
    await clips.insert({
      id: 'k1', teamId: 't1', callId: 'c1', clipperId: 'u1', title: 'Pricing pushback', note: 'Held the line', tags: ['pricing'],
      visibility: 'team', rangeKind: 'media', rangeStart: 0, rangeEnd: 30_000, createdAt: 0, readyAt: 0,
    });
    const ms: number[] = [];
    for (let n = 1; n <= THREAD; n++) {
      const body = `Comment ${n}: good recovery on the discount question, note how the rep reframes value before price (word${n}).`;
      const t0 = performance.now();
      await clips.addComment({ id: `m${n}`, clipId: 'k1', parentId: null, authorId: 'u1', atMs: n * 10, body, at: n });
      ms.push(performance.now() - t0);
    }
    const around = (n: number) => percentile(ms.slice(n - 6, n + 4), 50);
    const at10 = around(10);
    const at400 = around(400);
    report('comment_write_ms_at_10', at10, 'ms', undefined, 'median of comments 5–14 written to one clip (SQLite store)');
    report('comment_write_ms_at_400', at400, 'ms', `<= 2 × comment_write_ms_at_10`, `median of comments 395–404 on the same clip: ${(at400 / at10).toFixed(2)}× the write at 10`);
  } finally {
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await measureCommentWrites();
