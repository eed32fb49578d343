/** Fresh stores on every engine the machine offers, for the store's unit tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openStore, type Db, type Engine, type Store } from '../../../../server/store/db';
import { createTestDatabase, postgresAdminUrl } from '../../../helpers/test-database';

/** SQLite always; PostgreSQL when BULLPEN_TEST_DATABASE_URL names a server. */
export const engines: Engine[] = postgresAdminUrl() ? ['sqlite', 'postgres'] : ['sqlite'];

const cleanups: (() => unknown)[] = [];

/** Runs the clean-ups of the stores opened by `freshStore` (call in `afterEach`). */
export async function closeStores(): Promise<void> {
  for (const fn of cleanups.splice(0).reverse()) await fn();
}

/** A new temp data dir (removed by `closeStores`). */
export function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bullpen-store-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A store on a fresh database of `engine`, migrated up to `upTo` steps (all by default). */
export async function freshStore(engine: Engine, upTo?: number): Promise<Store> {
  const database = await createTestDatabase(engine);
  cleanups.push(() => database.drop());
  const store = await openStore({ dataDir: tempDataDir(), databaseUrl: database.url, migrateUpTo: upTo });
  cleanups.push(() => store.close());
  return store;
}

/** Runs one SQL statement written as a template (values become parameters). */
export function exec(db: Db) {
  return async (strings: TemplateStringsArray, ...values: unknown[]) => (await sql(strings, ...values).execute(db)).rows as Record<string, unknown>[];
}

/** The tables we own (not Kysely's bookkeeping or FTS5 shadow tables), sorted. */
export async function tables(store: Store): Promise<string[]> {
  const run = exec(store.db);
  const rows =
    store.engine === 'sqlite'
      ? await run`SELECT name FROM sqlite_master WHERE type = 'table'`
      : await run`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'`;
  return rows
    .map((r) => String(r.name))
    // FTS5 keeps each index in shadow tables named after it (clips_fts_data, …).
    .filter((name) => !name.startsWith('kysely_') && !/_fts_(data|idx|content|docsize|config)$/.test(name))
    .sort();
}

/** Error patterns of each constraint on either engine. */
export const violates = {
  check: /CHECK constraint|violates check constraint/,
  foreignKey: /FOREIGN KEY constraint|violates foreign key constraint/,
  unique: /UNIQUE constraint|duplicate key value/,
};
