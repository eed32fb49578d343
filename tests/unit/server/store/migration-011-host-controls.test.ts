import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../../../server/store/db';
import { migrations } from '../../../../server/store/migrations';
import { closeStores, engines, exec, freshStore, violates } from './store-engines';

afterEach(closeStores);

describe.each(engines)('migration 011-host-controls on %s', (engine) => {
  it('adds "managers can always join" (on for existing teams) and the host’s choice on calls (yes for existing calls)', async () => {
    const at = migrations.findIndex((m) => m.name === '011-host-controls');
    expect(at).toBeGreaterThan(0);
    const store = await freshStore(engine, at);
    const run = exec(store.db);
    await run`INSERT INTO teams (id, name, created_at) VALUES ('t1', 'Team', 0)`;
    await run`INSERT INTO users (id, team_id, name, email, password_hash, role, created_at) VALUES ('u1', 't1', 'A', 'a@x.test', 'h', 'mentor', 0)`;
    await run`INSERT INTO calls (id, team_id, host_id, title, policy, started_at) VALUES ('c1', 't1', 'u1', 'Demo', 'team', 0)`;

    expect(await migrate(store, at + 1)).toEqual(['011-host-controls']);
    // Rows from before keep their data and today's rule: managers may join.
    expect(await run`SELECT name, managers_always_join FROM teams`).toEqual([{ name: 'Team', managers_always_join: 1 }]);
    expect(await run`SELECT title, managers_may_join FROM calls`).toEqual([{ title: 'Demo', managers_may_join: 1 }]);

    await run`UPDATE teams SET managers_always_join = 0 WHERE id = 't1'`;
    await run`INSERT INTO calls (id, team_id, host_id, title, policy, started_at, managers_may_join) VALUES ('c2', 't1', 'u1', 'Demo', 'team', 0, 0)`;
    await expect(run`UPDATE teams SET managers_always_join = 2 WHERE id = 't1'`).rejects.toThrow(violates.check);
    await expect(run`UPDATE calls SET managers_may_join = -1 WHERE id = 'c1'`).rejects.toThrow(violates.check);
    expect(await run`SELECT id, managers_may_join FROM calls ORDER BY id`).toEqual([
      { id: 'c1', managers_may_join: 1 },
      { id: 'c2', managers_may_join: 0 },
    ]);
  });
});
