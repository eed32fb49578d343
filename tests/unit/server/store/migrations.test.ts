import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../../../server/store/db';
import { migrations } from '../../../../server/store/migrations';

const dirs: string[] = [];
function freshDb(): Database.Database {
  const dir = mkdtempSync(join(tmpdir(), 'bullpen-mig-'));
  dirs.push(dir);
  const db = new Database(join(dir, 'test.sqlite'));
  db.pragma('foreign_keys = ON');
  return db;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const tables = (db: Database.Database) =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);

describe('migrations', () => {
  it('applies every step once and records the version', () => {
    const db = freshDb();
    expect(migrate(db)).toEqual(migrations.map((_, i) => i + 1));
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    expect(migrate(db)).toEqual([]);
  });

  it('001 creates teams, users, sessions, invites, mentorships, calls and listens with constraints', () => {
    const db = freshDb();
    migrate(db, 1);
    expect(tables(db)).toEqual(['calls', 'invites', 'listens', 'mentorships', 'sessions', 'teams', 'users']);
    db.prepare("INSERT INTO teams VALUES ('t1', 'Team', 0)").run();
    const user = db.prepare(
      "INSERT INTO users (id, team_id, name, email, password_hash, role, created_at) VALUES (?, 't1', 'A', ?, 'h', ?, 0)",
    );
    user.run('u1', 'a@x.test', 'rep');
    expect(() => user.run('u2', 'a@x.test', 'rep')).toThrow(/UNIQUE/);
    expect(() => user.run('u3', 'c@x.test', 'owner')).toThrow(/CHECK/);
    expect(() =>
      db.prepare("INSERT INTO users (id, team_id, name, email, password_hash, role, created_at) VALUES ('u4', 'nope', 'B', 'b@x.test', 'h', 'rep', 0)").run(),
    ).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare("INSERT INTO mentorships VALUES ('t1', 'u1', 'u1', 0)").run()).toThrow(/CHECK/);
    expect(() =>
      db.prepare("INSERT INTO calls (id, team_id, host_id, title, policy, started_at) VALUES ('c1', 't1', 'u1', 'x', 'everyone', 0)").run(),
    ).toThrow(/CHECK/);
  });

  it('002 adds recording consent, retention, recordings, clips, comments and clip search on top of 001 data', () => {
    const db = freshDb();
    migrate(db, 1);
    db.prepare("INSERT INTO teams VALUES ('t1', 'Team', 0)").run();
    db.prepare(
      "INSERT INTO users (id, team_id, name, email, password_hash, role, created_at) VALUES ('u1', 't1', 'A', 'a@x.test', 'h', 'rep', 0)",
    ).run();
    const call = db.prepare("INSERT INTO calls (id, team_id, host_id, title, policy, started_at) VALUES (?, 't1', 'u1', 'Demo', 'team', 0)");
    call.run('c1');

    expect(migrate(db, 2)).toEqual([2]);
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    const before = ['calls', 'invites', 'listens', 'mentorships', 'sessions', 'teams', 'users'];
    // FTS5 keeps its index in shadow tables (clips_fts_data, …): not part of the schema we own.
    expect(tables(db).filter((name) => !name.startsWith('clips_fts_'))).toEqual(
      [...before, 'clip_comments', 'clips', 'clips_fts', 'recordings'].sort(),
    );

    // Rows from before keep their data and get the new columns' defaults.
    expect(db.prepare("SELECT name, recording_retention_days FROM teams WHERE id = 't1'").get()).toEqual({
      name: 'Team',
      recording_retention_days: 30,
    });
    expect(db.prepare("SELECT title, recording_consent_by, recording_consent_at FROM calls WHERE id = 'c1'").get()).toEqual({
      title: 'Demo',
      recording_consent_by: null,
      recording_consent_at: null,
    });

    // Retention is 1 to 3650 days; consent names a real user.
    const retention = db.prepare("UPDATE teams SET recording_retention_days = ? WHERE id = 't1'");
    for (const days of [0, 3651, -5]) expect(() => retention.run(days)).toThrow(/CHECK/);
    for (const days of [1, 3650, 30]) retention.run(days);
    const consent = db.prepare("UPDATE calls SET recording_consent_by = ?, recording_consent_at = 5 WHERE id = 'c1'");
    expect(() => consent.run('nobody')).toThrow(/FOREIGN KEY/);
    consent.run('u1');

    // Recordings: one per call, a known state, defaults for what is learnt later.
    const recording = db.prepare("INSERT INTO recordings (call_id, team_id, state, started_at) VALUES (?, 't1', ?, 0)");
    recording.run('c1', 'recording');
    expect(db.prepare("SELECT duration_ms, bytes, ended_at FROM recordings WHERE call_id = 'c1'").get()).toEqual({
      duration_ms: 0,
      bytes: 0,
      ended_at: null,
    });
    call.run('c2');
    expect(() => recording.run('c2', 'paused')).toThrow(/CHECK/);
    expect(() => recording.run('nope', 'kept')).toThrow(/FOREIGN KEY/);
    expect(() => recording.run('c1', 'kept')).toThrow(/UNIQUE|PRIMARY KEY/);
    expect(() => db.prepare("UPDATE recordings SET state = 'gone' WHERE call_id = 'c1'").run()).toThrow(/CHECK/);

    // Clips: visibility, status and range kind are checked, and a clip belongs to a real call.
    const clip = (fields: Partial<Record<'id' | 'call_id' | 'visibility' | 'status' | 'range_kind', string>>) =>
      db
        .prepare(
          `INSERT INTO clips (id, team_id, call_id, clipper_id, visibility, status, range_kind, range_start, range_end,
             created_at, ready_at, updated_at)
           VALUES (@id, 't1', @call_id, 'u1', @visibility, @status, @range_kind, 0, 1000, 0, 0, 0)`,
        )
        .run({ id: 'k1', call_id: 'c1', visibility: 'team', status: 'pending', range_kind: 'wall', ...fields });
    clip({});
    const defaults = db.prepare("SELECT title, note, tags, start_ms, duration_ms, bytes, reviewed_at FROM clips WHERE id = 'k1'");
    expect(defaults.get()).toEqual({
      title: '',
      note: '',
      tags: '[]',
      start_ms: 0,
      duration_ms: 0,
      bytes: 0,
      reviewed_at: null,
    });
    clip({ id: 'k2', visibility: 'private', status: 'ready', range_kind: 'media' });
    expect(() => clip({ id: 'k3', visibility: 'public' })).toThrow(/CHECK/);
    expect(() => clip({ id: 'k3', status: 'done' })).toThrow(/CHECK/);
    expect(() => clip({ id: 'k3', range_kind: 'frames' })).toThrow(/CHECK/);
    expect(() => clip({ id: 'k3', call_id: 'nope' })).toThrow(/FOREIGN KEY/);
    // A call with clips cannot vanish from under them.
    expect(() => db.prepare("DELETE FROM calls WHERE id = 'c1'").run()).toThrow(/FOREIGN KEY/);

    // Comments thread on a clip and go with it.
    const comment = db.prepare(
      "INSERT INTO clip_comments (id, clip_id, parent_id, author_id, at_ms, body, created_at) VALUES (?, ?, ?, 'u1', 0, 'Nice', 0)",
    );
    comment.run('m1', 'k1', null);
    comment.run('m2', 'k1', 'm1');
    comment.run('m3', 'k2', null);
    expect(() => comment.run('m4', 'nope', null)).toThrow(/FOREIGN KEY/);
    db.prepare("DELETE FROM clips WHERE id = 'k1'").run();
    expect(db.prepare('SELECT id FROM clip_comments ORDER BY id').all()).toEqual([{ id: 'm3' }]);

    // Search: full text over title, note, tags and comments, accents folded.
    const index = db.prepare('INSERT INTO clips_fts (clip_id, title, note, tags, comments) VALUES (?, ?, ?, ?, ?)');
    index.run('k2', 'Pricing pushback', 'The café objection', 'pricing discount', 'great save');
    index.run('k9', 'Intro', 'Small talk', '', '');
    const search = (q: string) =>
      (db.prepare('SELECT clip_id FROM clips_fts WHERE clips_fts MATCH ? ORDER BY rank').all(q) as { clip_id: string }[]).map(
        (r) => r.clip_id,
      );
    expect(search('pricing')).toEqual(['k2']);
    expect(search('cafe')).toEqual(['k2']);
    expect(search('comments:save')).toEqual(['k2']);
    expect(search('talk')).toEqual(['k9']);
    expect(search('renewal')).toEqual([]);
  });

  it('rolls back a failing step and leaves the version unchanged', () => {
    const db = freshDb();
    migrate(db);
    migrations.push({ name: 'broken', sql: 'CREATE TABLE ok_table (id TEXT); SELECT * FROM missing_table;' });
    try {
      expect(() => migrate(db)).toThrow(/missing_table/);
      expect(db.pragma('user_version', { simple: true })).toBe(migrations.length - 1);
      expect(tables(db)).not.toContain('ok_table');
    } finally {
      migrations.pop();
    }
  });
});
