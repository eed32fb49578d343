/**
 * Which engine the integration suite runs on, and a fresh database per test server.
 *
 * SQLite (default): the server's own file in its temporary data directory.
 * PostgreSQL: `BULLPEN_TEST_ENGINE=postgres` with `BULLPEN_TEST_DATABASE_URL` pointing at a
 * server where that role may create databases (`npm run test:pg` sets both; see
 * scripts/postgres-test-cluster.sh). Each test server gets its own database, dropped at stop.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openStore, type Engine, type Store } from '../../server/store/db';

export const testEngine: Engine = process.env.BULLPEN_TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite';

/** The admin URL of the PostgreSQL server tests may use, if one was given. */
export function postgresAdminUrl(): string | undefined {
  return process.env.BULLPEN_TEST_DATABASE_URL || undefined;
}

export interface TestDatabase {
  /** `postgres://…` of the fresh database; undefined on SQLite. */
  url: string | undefined;
  /** Drops the database (PostgreSQL). Idempotent. */
  drop(): Promise<void>;
}

async function admin<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A fresh, empty database on `engine` (nothing to create for SQLite). */
export async function createTestDatabase(engine: Engine = testEngine): Promise<TestDatabase> {
  if (engine === 'sqlite') return { url: undefined, drop: () => Promise.resolve() };
  const adminUrl = postgresAdminUrl();
  if (!adminUrl) throw new Error('BULLPEN_TEST_ENGINE=postgres needs BULLPEN_TEST_DATABASE_URL (see scripts/postgres-test-cluster.sh)');
  // Random, lower-case and quoted: safe as an identifier.
  const name = `bullpen_test_${randomBytes(6).toString('hex')}`;
  await admin(adminUrl, (c) => c.query(`CREATE DATABASE "${name}"`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  let dropped: Promise<void> | undefined;
  return {
    url: url.toString(),
    drop: () =>
      (dropped ??= admin(adminUrl, async (c) => {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      })),
  };
}

/** Opens the store a test server uses (to seed rows a test needs), on the same engine. */
export function openTestStore(server: { dataDir: string; databaseUrl?: string }): Promise<Store> {
  return openStore({ dataDir: server.dataDir, databaseUrl: server.databaseUrl });
}
