import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteAdapter, SqliteDialect, sql, type DialectAdapter } from 'kysely';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { migrationProvider, migrations } from './migrations';
import { PG_CONNECT_TIMEOUT_MS, PgAvailability } from './pg-availability';
import { NamedStatementPool, pgTypes } from './pg-named-statements';
import type { Database } from './schema';
import { SqliteStatementCache } from './sqlite-statement-cache';

export type Engine = 'sqlite' | 'postgres';
export type Db = Kysely<Database>;

/** An open store: the typed query builder, which engine it speaks, and how to close it. */
export interface Store {
  readonly db: Db;
  readonly engine: Engine;
  /** How many statements the engine compiled so far (cached statements are not counted again on SQLite). */
  preparedCount(): number;
  /** Waits for queries in flight, then closes the database. Idempotent. */
  close(): Promise<void>;
}

export interface StoreOptions {
  /** SQLite lives here (`bullpen.sqlite`) unless `databaseUrl` is set. */
  dataDir: string;
  /** `postgres://…`: run on PostgreSQL instead of the embedded SQLite file. */
  databaseUrl?: string;
  fileName?: string;
  /** Apply migrations up to this many steps (tests of one migration); default all. */
  migrateUpTo?: number;
  /**
   * Errors of idle PostgreSQL connections (the server restarted, a connection was cut). The pool
   * drops such a connection and opens a new one when needed; without a listener pg would throw
   * them and end the process.
   */
  onConnectionError?: (error: Error) => void;
  /**
   * PostgreSQL became unreachable (`down`, with what said so) or reachable again. Meanwhile
   * every query fails fast with `BullpenError('UNAVAILABLE')`. Called once per change.
   */
  onAvailability?: (down: boolean, error?: Error) => void;
  /** Called with the migrations this start applied (none when the schema was current). */
  onMigrated?: (names: string[]) => void;
}

/** SQLite supports DDL in transactions: let Kysely's Migrator apply each step atomically. */
class TransactionalSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class BullpenSqliteDialect extends SqliteDialect {
  override createAdapter(): DialectAdapter {
    return new TransactionalSqliteAdapter();
  }
}

/**
 * Opens the store and applies pending migrations: SQLite in `dataDir` (WAL, foreign keys,
 * FTS5) by default, PostgreSQL when `databaseUrl` is given.
 */
export async function openStore(opts: StoreOptions): Promise<Store> {
  const store = opts.databaseUrl ? openPostgres(opts.databaseUrl, opts.onConnectionError, opts.onAvailability) : openSqlite(opts.dataDir, opts.fileName);
  try {
    const applied = await migrate(store, opts.migrateUpTo);
    opts.onMigrated?.(applied);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

function openSqlite(dataDir: string, fileName = 'bullpen.sqlite'): Store {
  mkdirSync(dataDir, { recursive: true });
  const raw = new BetterSqlite3(join(dataDir, fileName));
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 5000');
  const cache = new SqliteStatementCache(raw);
  const db = new Kysely<Database>({ dialect: new BullpenSqliteDialect({ database: cache }) });
  let closing: Promise<void> | undefined;
  return {
    db,
    engine: 'sqlite',
    preparedCount: () => cache.prepared,
    close: () => (closing ??= db.destroy()),
  };
}

function openPostgres(url: string, onConnectionError: (error: Error) => void = () => undefined, onAvailability?: StoreOptions['onAvailability']): Store {
  // A bounded connect: an unreachable host fails requests with 503 instead of hanging them.
  const pool = new pg.Pool({ connectionString: url, max: 10, types: pgTypes, connectionTimeoutMillis: PG_CONNECT_TIMEOUT_MS, keepAlive: true });
  pool.on('error', onConnectionError);
  const named = new NamedStatementPool(pool, new PgAvailability(onAvailability));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: named }) });
  let closing: Promise<void> | undefined;
  return {
    db,
    engine: 'postgres',
    preparedCount: () => named.preparedCount,
    close: () => (closing ??= db.destroy()),
  };
}

/**
 * Applies every pending migration; returns the names applied. Throws if one fails. On
 * PostgreSQL, Kysely's Migrator holds a session advisory lock (`pg_advisory_lock`) while it
 * reads and applies the steps, so nodes starting at once on one database migrate one at a
 * time: the first applies the steps, the others wait, then find nothing left to apply.
 */
export async function migrate(store: Store, upTo = migrations.length): Promise<string[]> {
  if (store.engine === 'sqlite') await adoptUserVersion(store.db);
  const migrator = new Migrator({ db: store.db, provider: migrationProvider(store.engine, upTo) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/**
 * Stores made before Kysely recorded their schema version in `PRAGMA user_version` (1 or 2):
 * record those steps as applied in Kysely's migration table, once, so nothing runs twice.
 */
async function adoptUserVersion(db: Db): Promise<void> {
  const { rows } = await sql<{ user_version: number }>`PRAGMA user_version`.execute(db);
  const version = rows[0]?.user_version ?? 0;
  if (version === 0) return;
  await db.transaction().execute(async (trx) => {
    await trx.schema
      .createTable('kysely_migration')
      .ifNotExists()
      .addColumn('name', 'varchar(255)', (c) => c.notNull().primaryKey())
      .addColumn('timestamp', 'varchar(255)', (c) => c.notNull())
      .execute();
    const at = new Date().toISOString();
    for (const step of migrations.slice(0, version)) {
      await sql`INSERT OR IGNORE INTO kysely_migration (name, timestamp) VALUES (${step.name}, ${at})`.execute(trx);
    }
    // Kysely's table is the record from now on.
    await sql`PRAGMA user_version = 0`.execute(trx);
  });
}
