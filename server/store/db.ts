import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { migrations } from './migrations';

export type Db = Database.Database;

/**
 * Opens (creating if needed) the embedded SQLite store in `dataDir` with WAL and foreign
 * keys on, and applies pending migrations in one transaction each.
 */
export function openDatabase(dataDir: string, fileName = 'bullpen.sqlite'): Db {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, fileName));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

/** Applies every migration newer than `PRAGMA user_version`; returns the versions applied. */
export function migrate(db: Db, upTo = migrations.length): number[] {
  const current = db.pragma('user_version', { simple: true }) as number;
  const applied: number[] = [];
  for (let version = current + 1; version <= upTo; version++) {
    const step = migrations[version - 1];
    if (!step) throw new Error(`Missing migration ${version}`);
    db.transaction(() => {
      db.exec(step.sql);
      db.pragma(`user_version = ${version}`);
    })();
    applied.push(version);
  }
  return applied;
}
