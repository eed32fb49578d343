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
