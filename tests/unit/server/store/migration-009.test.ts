import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../../../server/store/db';
import { migrations } from '../../../../server/store/migrations';
import { closeStores, engines, exec, freshStore, tables, violates } from './store-engines';

afterEach(closeStores);

const STEP = '009-onboarding-paths';

describe.each(engines)('migration 009 on %s', (engine) => {
  it('009 adds call kinds, onboarding tables and the onboarding notification kinds, keeping earlier data', async () => {
    const index = migrations.findIndex((m) => m.name === STEP);
    expect(index).toBeGreaterThan(0);
    const store = await freshStore(engine, index);
    const run = exec(store.db);
    await run`INSERT INTO teams (id, name, created_at) VALUES ('t1', 'Team', 0)`;
    for (const id of ['u1', 'u2']) {
      await run`INSERT INTO users (id, team_id, name, email, password_hash, role, created_at) VALUES (${id}, 't1', 'A', ${`${id}@x.test`}, 'h', 'rep', 0)`;
    }
    await run`INSERT INTO calls (id, team_id, host_id, title, policy, started_at) VALUES ('c1', 't1', 'u1', 'Old call', 'team', 0)`;
    await run`INSERT INTO notifications (id, team_id, user_id, kind, payload, actor_id, created_at) VALUES ('n1', 't1', 'u1', 'clip-sent', '{"a":1}', 'u2', ${1_900_000_000_000})`;
    await run`INSERT INTO notification_settings (user_id, kind, enabled) VALUES ('u1', 'call-live', 0)`;
    const before = await tables(store);

    expect(await migrate(store, index + 1)).toEqual([STEP]);
    expect(await tables(store)).toEqual(
      [...before, 'onboarding_assignments', 'onboarding_paths', 'onboarding_progress', 'onboarding_steps'].sort(),
    );

    // Calls: old ones are 'other'; only known kinds.
    expect(await run`SELECT kind FROM calls`).toEqual([{ kind: 'other' }]);
    await run`INSERT INTO calls (id, team_id, host_id, title, policy, started_at, kind) VALUES ('c2', 't1', 'u1', 'Demo', 'team', 0, 'demo')`;
    await expect(run`INSERT INTO calls (id, team_id, host_id, title, policy, started_at, kind) VALUES ('c3', 't1', 'u1', 'X', 'team', 0, 'party')`).rejects.toThrow(
      violates.check,
    );

    // Notifications kept, with the new kinds allowed and unknown ones still refused.
    expect(await run`SELECT id, kind, payload, quiet, created_at FROM notifications`).toEqual([
      { id: 'n1', kind: 'clip-sent', payload: '{"a":1}', quiet: 0, created_at: 1_900_000_000_000 },
    ]);
    expect(await run`SELECT kind, enabled FROM notification_settings`).toEqual([{ kind: 'call-live', enabled: 0 }]);
    const notify = (id: string, kind: string) =>
      run`INSERT INTO notifications (id, team_id, user_id, kind, payload, created_at) VALUES (${id}, 't1', 'u1', ${kind}, '{}', 0)`;
    await notify('n2', 'path-assigned');
    await notify('n3', 'onboarding-nudge');
    await expect(notify('n4', 'party-invite')).rejects.toThrow(violates.check);
    await expect(run`INSERT INTO notifications (id, team_id, user_id, kind, payload, created_at) VALUES ('n5', 't1', 'ghost', 'clip-sent', '{}', 0)`).rejects.toThrow(
      violates.foreignKey,
    );
    await run`INSERT INTO notification_settings (user_id, kind, enabled) VALUES ('u1', 'onboarding-nudge', 0)`;
    await expect(run`INSERT INTO notification_settings (user_id, kind, enabled) VALUES ('u1', 'onboarding-nudge', 1)`).rejects.toThrow(violates.unique);

    // Paths, steps, assignments and progress with their constraints.
    await run`INSERT INTO onboarding_paths (id, team_id, name, created_by, created_at, updated_at) VALUES ('p1', 't1', 'Ramp', 'u1', 0, 0)`;
    const step = (id: string, kind: string) =>
      run`INSERT INTO onboarding_steps (id, path_id, position, kind, config, created_at) VALUES (${id}, 'p1', 0, ${kind}, '{}', 0)`;
    await step('s1', 'task');
    await expect(step('s2', 'juggle')).rejects.toThrow(violates.check);
    const assign = (id: string, userId: string, start: number, due: number) =>
      run`INSERT INTO onboarding_assignments (id, team_id, path_id, user_id, assigned_by, start_at, due_at, created_at) VALUES (${id}, 't1', 'p1', ${userId}, 'u1', ${start}, ${due}, 0)`;
    await assign('a1', 'u2', 0, 1_900_000_000_000);
    await expect(assign('a2', 'u2', 0, 10)).rejects.toThrow(violates.unique);
    await expect(assign('a3', 'u1', 10, 5)).rejects.toThrow(violates.check);
    await expect(assign('a4', 'ghost', 0, 10)).rejects.toThrow(violates.foreignKey);
    await run`INSERT INTO onboarding_progress (assignment_id, step_id, done_at) VALUES ('a1', 's1', 5)`;
    await expect(run`INSERT INTO onboarding_progress (assignment_id, step_id, done_at) VALUES ('a1', 's1', 6)`).rejects.toThrow(violates.unique);
    await expect(run`INSERT INTO onboarding_progress (assignment_id, step_id) VALUES ('a1', 'ghost')`).rejects.toThrow(violates.foreignKey);
    // Deleting a path takes its steps, assignments and progress with it.
    await run`DELETE FROM onboarding_paths WHERE id = 'p1'`;
    expect(await run`SELECT COUNT(*) AS n FROM onboarding_progress`).toEqual([{ n: 0 }]);
  });
});
