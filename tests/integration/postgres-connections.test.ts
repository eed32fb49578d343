/**
 * A PostgreSQL server that cuts the server's idle connections (a restart, a failover, an admin's
 * pg_terminate_backend) must not end the Bullpen process: the pool drops them, logs once, and
 * opens new connections for the next request. Runs only on PostgreSQL (`npm run test:pg`).
 */
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { routes } from '../../contract';
import { createLogger } from '../../server/logger';
import { onCleanup, runCleanups } from '../helpers/live-call';
import { testEngine } from '../helpers/test-database';
import { api, startTestServer, unwrap } from '../helpers/test-server';

afterEach(runCleanups);

describe.skipIf(testEngine !== 'postgres')('PostgreSQL connections (runs in npm run test:pg)', () => {
  it('keeps serving after the database cuts its connections', async () => {
    const lines: string[] = [];
    const server = await startTestServer({ log: createLogger({ level: 'warn', write: (line) => lines.push(line) }) });
    onCleanup(() => server.stop());
    const setup = unwrap(
      (await api(server.url, routes.setup, { body: { teamName: 'Acme', name: 'Ada', email: 'ada@acme.test', password: 'correct horse battery' } }))
        .result,
    );
    const admin = new pg.Client({ connectionString: server.databaseUrl });
    await admin.connect();
    try {
      const cut = await admin.query(
        'SELECT pg_terminate_backend(pid) AS cut FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
      );
      expect(cut.rowCount).toBeGreaterThan(0);
    } finally {
      await admin.end();
    }
    // The pool's idle connections learn of the cut asynchronously: wait for its log line.
    await expect.poll(() => lines.some((l) => l.includes('database connection lost')), { timeout: 10_000 }).toBe(true);
    const me = await api(server.url, routes.me, { token: setup.token });
    expect(me.status).toBe(200);
    expect(unwrap(me.result).user.email).toBe('ada@acme.test');
  });
});
