/**
 * Which engine the integration suite runs on, and a fresh database per test server.
 *
 * SQLite (default): the server's own file in its temporary data directory.
 * PostgreSQL: `BULLPEN_TEST_ENGINE=postgres` with `BULLPEN_TEST_DATABASE_URL` pointing at a
 * server where that role may create databases (`npm run test:pg` sets both; see
 * scripts/postgres-test-cluster.sh). Each test server gets its own database, dropped at stop.
 * Servers start on a copy of a migrated template (made once per set of migrations), which saves
 * the ~0.6 s the migrations take on PostgreSQL at every start; migration tests start empty.
 */
import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import { openStore, type Engine, type Store } from '../../server/store/db';
import { migrations } from '../../server/store/migrations';

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

function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * The name of a database holding every migration of this checkout, made on first use. Workers
 * race for it under an advisory lock; it is built under a temporary name and renamed, so a
 * half-made template is never copied. The name hashes the migrations, so a new step makes a new
 * template instead of reusing a stale one on a long-lived local cluster.
 */
async function migratedTemplate(adminUrl: string): Promise<string> {
  const digest = createHash('sha256');
  for (const step of migrations) digest.update(`${step.name}\n${step.up.toString()}\n`);
  const name = `bullpen_template_${digest.digest('hex').slice(0, 12)}`;
  return admin(adminUrl, async (client) => {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [name]);
    try {
      const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (!rowCount) {
        const building = `${name}_building_${randomBytes(4).toString('hex')}`;
        await client.query(`CREATE DATABASE "${building}"`);
        const store = await openStore({ dataDir: '', databaseUrl: databaseUrl(adminUrl, building) });
        await store.close();
        await client.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
      }
      return name;
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [name]);
    }
  });
}

/**
 * A fresh database on `engine` (nothing to create for SQLite): empty, or with `migrated`, already
 * holding the current schema (what a server would make of an empty one, made faster).
 */
export async function createTestDatabase(engine: Engine = testEngine, opts: { migrated?: boolean } = {}): Promise<TestDatabase> {
  if (engine === 'sqlite') return { url: undefined, drop: () => Promise.resolve() };
  const adminUrl = postgresAdminUrl();
  if (!adminUrl) throw new Error('BULLPEN_TEST_ENGINE=postgres needs BULLPEN_TEST_DATABASE_URL (see scripts/postgres-test-cluster.sh)');
  // Random, lower-case and quoted: safe as an identifier.
  const name = `bullpen_test_${randomBytes(6).toString('hex')}`;
  const template = opts.migrated ? await migratedTemplate(adminUrl) : undefined;
  await admin(adminUrl, (c) => c.query(template ? `CREATE DATABASE "${name}" TEMPLATE "${template}"` : `CREATE DATABASE "${name}"`));
  const url = databaseUrl(adminUrl, name);
  let dropped: Promise<void> | undefined;
  return {
    url,
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
