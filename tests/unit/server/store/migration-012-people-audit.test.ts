import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../../../server/store/db';
import { migrations } from '../../../../server/store/migrations';
import { closeStores, engines, exec, freshStore, tables, violates } from './store-engines';

afterEach(closeStores);

const STEP = '012-people-audit';

describe.each(engines)('migration 012 on %s', (engine) => {
  it('012 adds deactivation, revoke reasons, audit retention, reset links and the audit log, on top of earlier data', async () => {
    const index = migrations.findIndex((m) => m.name === STEP);
    expect(index).toBeGreaterThan(0);
    const store = await freshStore(engine, index);
    const run = exec(store.db);
    await run`INSERT INTO teams (id, name, created_at) VALUES ('t1', 'Team', 0)`;
    await run`INSERT INTO users (id, team_id, name, email, password_hash, role, created_at) VALUES ('u1', 't1', 'Ann', 'a@x.test', 'h', 'admin', 0)`;
    await run`INSERT INTO sessions (id, user_id, token_hash, user_agent, created_at, last_seen_at) VALUES ('s1', 'u1', 'th', 'ua', 0, 0)`;
    const before = await tables(store);
    expect(before).not.toContain('audit_events');

    expect(await migrate(store, index + 1)).toEqual([STEP]);
    expect(await tables(store)).toEqual([...before, 'audit_events', 'password_resets'].sort());

    // Rows from before keep their data and get the new columns' defaults.
    expect(await run`SELECT name, deactivated_at, deleted_at FROM users`).toEqual([{ name: 'Ann', deactivated_at: null, deleted_at: null }]);
    expect(await run`SELECT revoked_reason FROM sessions`).toEqual([{ revoked_reason: null }]);
    expect(await run`SELECT audit_retention_days FROM teams`).toEqual([{ audit_retention_days: 365 }]);
    for (const days of [0, 3651]) await expect(run`UPDATE teams SET audit_retention_days = ${days}`).rejects.toThrow(violates.check);
    await run`UPDATE teams SET audit_retention_days = 30`;
    await run`UPDATE users SET deactivated_at = ${1_900_000_000_000}`;
    expect(await run`SELECT deactivated_at FROM users`).toEqual([{ deactivated_at: 1_900_000_000_000 }]);

    // Reset links: one row per token hash, for a real person of a real team.
    const reset = (id: string, hash: string, userId = 'u1') =>
      run`INSERT INTO password_resets (id, team_id, user_id, token_hash, created_by, created_at, expires_at) VALUES (${id}, 't1', ${userId}, ${hash}, 'u1', 0, 1)`;
    await reset('r1', 'h1');
    await expect(reset('r2', 'h1')).rejects.toThrow(violates.unique);
    await expect(reset('r3', 'h3', 'ghost')).rejects.toThrow(violates.foreignKey);
    expect(await run`SELECT used_at, voided_at FROM password_resets`).toEqual([{ used_at: null, voided_at: null }]);

    // Audit rows outlive the people they name (no foreign key to users), but belong to a team.
    const audit = (id: string, team: string) =>
      run`INSERT INTO audit_events (id, team_id, at, kind, actor_id, actor_name) VALUES (${id}, ${team}, ${1_900_000_000_000}, 'sign-in', 'gone', 'Gone Person')`;
    await audit('e1', 't1');
    await expect(audit('e2', 'nope')).rejects.toThrow(violates.foreignKey);
    expect(await run`SELECT at, detail, subject_id FROM audit_events`).toEqual([{ at: 1_900_000_000_000, detail: '', subject_id: null }]);
  });
});
