import Database from 'better-sqlite3';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { ClipStore } from '../../../../server/store/clip-store';
import { openStore } from '../../../../server/store/db';
import { migrations } from '../../../../server/store/migrations';
import { TeamStore } from '../../../../server/store/team-store';
import { legacySqliteMigrations } from './legacy-sqlite-schema';
import { closeStores, tempDataDir } from './store-engines';

afterEach(closeStores);

/** A data dir as the pre-Kysely server left it: schema by raw SQL, `user_version` 2, rows. */
function legacyDataDir(): string {
  const dir = tempDataDir();
  const db = new Database(join(dir, 'bullpen.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  legacySqliteMigrations.forEach((step, i) => {
    db.exec(step.sql);
    db.pragma(`user_version = ${i + 1}`);
  });
  db.exec(`
    INSERT INTO teams (id, name, created_at, recording_retention_days) VALUES ('t1', 'Acme', 1, 45);
    INSERT INTO users VALUES ('u1', 't1', 'Alice', 'alice@acme.test', 'hash', 'admin', 2);
    INSERT INTO users VALUES ('u2', 't1', 'bob', 'bob@acme.test', 'hash', 'rep', 3);
    INSERT INTO mentorships VALUES ('t1', 'u1', 'u2', 4);
    INSERT INTO calls (id, team_id, host_id, title, policy, started_at, ended_at) VALUES ('c1', 't1', 'u1', 'Renewal', 'team', 5, 9);
    INSERT INTO clips (id, team_id, call_id, clipper_id, title, note, tags, visibility, status, range_kind, range_start, range_end,
      duration_ms, created_at, ready_at, updated_at)
      VALUES ('k1', 't1', 'c1', 'u2', 'Pricing pushback', 'Held the line', '["pricing"]', 'team', 'ready', 'media', 0, 30000, 30000, 6, 7, 7);
    INSERT INTO clip_comments VALUES ('m1', 'k1', NULL, 'u1', 1200, 'Great save on the discount', 8, NULL);
    INSERT INTO clips_fts (clip_id, title, note, tags, comments) VALUES ('k1', 'Pricing pushback', 'Held the line', 'pricing', 'Great save on the discount');
  `);
  expect(db.pragma('user_version', { simple: true })).toBe(2);
  db.close();
  return dir;
}

describe('a SQLite data dir from before the Kysely store', () => {
  it('opens with its data intact, its steps recorded as applied, and later steps applied', async () => {
    const dataDir = legacyDataDir();
    // A later step proves new migrations still run on an adopted store (and 001/002 do not
    // run again: they would fail on tables that exist).
    migrations.push({
      name: '999-later',
      async up(db) {
        await db.schema.alterTable('teams').addColumn('motto', 'text').execute();
      },
    });
    try {
      const store = await openStore({ dataDir });
      const { rows } = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(store.db);
      expect(rows.map((r) => r.name)).toEqual(migrations.map((m) => m.name));
      expect((await sql<{ user_version: number }>`PRAGMA user_version`.execute(store.db)).rows[0]!.user_version).toBe(0);
      expect((await sql<{ motto: string | null }>`SELECT motto FROM teams`.execute(store.db)).rows).toEqual([{ motto: null }]);

      const teams = new TeamStore(store);
      const members = await teams.members('t1');
      expect(members.map((m) => [m.name, m.role, m.menteeIds])).toEqual([
        ['Alice', 'admin', ['u2']],
        ['bob', 'rep', []],
      ]);
      expect((await teams.credentialsByEmail('bob@acme.test'))?.passwordHash).toBe('hash');

      const clips = new ClipStore(store);
      const viewer = { userId: 'u1', teamId: 't1', privileged: true };
      const found = await clips.library(viewer, { q: 'disc', limit: 50 } as never);
      expect(found.map((c) => [c.id, c.title, c.tags, c.commentCount, c.durationMs])).toEqual([['k1', 'Pricing pushback', ['pricing'], 1, 30000]]);
      expect((await clips.comments('k1')).map((c) => c.body)).toEqual(['Great save on the discount']);
      await store.close();

      // Opening again changes nothing.
      const again = await openStore({ dataDir });
      expect((await new TeamStore(again).members('t1')).length).toBe(2);
      await again.close();
    } finally {
      migrations.pop();
    }
  });
});
