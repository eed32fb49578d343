/**
 * `npm run test:pg`: the server integration suite again, on PostgreSQL. Needs
 * BULLPEN_TEST_DATABASE_URL (a role that may create databases); without it, says how to get
 * one and exits 0 so `npm test` stays green on machines without PostgreSQL.
 */
import { spawnSync } from 'node:child_process';
import pg from 'pg';

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

const run = spawnSync('npx', ['vitest', 'run', 'tests/integration', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, BULLPEN_TEST_ENGINE: 'postgres' },
});
process.exit(run.status ?? 1);
