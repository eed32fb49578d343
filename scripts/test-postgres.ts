/**
 * `npm run test:pg`: the server integration suite again, on PostgreSQL. Needs
 * BULLPEN_TEST_DATABASE_URL (a role that may create databases); without it, says how to get
 * one and exits 0 so `npm test` stays green on machines without PostgreSQL.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import pg from 'pg';

/**
 * Suites about media and HTTP alone: they start a server, but nothing they check reads or writes
 * the store differently on PostgreSQL, so this pass leaves them to the SQLite one (about a
 * minute of CI). A file named here that no longer exists fails the run, so the list cannot rot.
 */
const ENGINE_INDEPENDENT = [
  'forwarder',
  'media-workers',
  'trickle-ice',
  'announced-address',
  'turn-credentials',
  'http-static',
  'host-controls-media',
].map((name) => `tests/integration/${name}.test.ts`);
const missing = ENGINE_INDEPENDENT.filter((file) => !existsSync(file));
if (missing.length > 0) {
  console.error(`test:pg: ENGINE_INDEPENDENT names files that do not exist: ${missing.join(', ')}`);
  process.exit(1);
}

const url = process.env.BULLPEN_TEST_DATABASE_URL;
if (!url) {
  console.log(
    'integration tests on PostgreSQL: skipped (set BULLPEN_TEST_DATABASE_URL, e.g. eval "$(bash scripts/postgres-test-cluster.sh start)" with the postgresql package installed)',
  );
  process.exit(0);
}

// A URL that was given but does not answer is a broken set-up, not a reason to skip.
const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
try {
  await client.connect();
  const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
  console.log(`== integration tests on PostgreSQL ${rows[0]?.server_version ?? ''}`);
} catch (error) {
  console.error(`test:pg: cannot reach BULLPEN_TEST_DATABASE_URL: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
} finally {
  await client.end().catch(() => undefined);
}

const run = spawnSync('npx', [
  'vitest',
  'run',
  'tests/integration',
  ...ENGINE_INDEPENDENT.flatMap((file) => ['--exclude', file]),
  ...process.argv.slice(2),
], {
  stdio: 'inherit',
  env: { ...process.env, BULLPEN_TEST_ENGINE: 'postgres' },
});
process.exit(run.status ?? 1);
