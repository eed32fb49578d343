import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../../../server/store/db';
import { migrations } from '../../../../server/store/migrations';
import { closeStores, engines, exec, freshStore, tables, violates } from './store-engines';

afterEach(closeStores);

const STEP = '008-follows-notifications';

describe.each(engines)('migration 008 on %s', (engine) => {
  it('008 adds follows, notifications and notification settings with their constraints, on top of earlier data', async () => {
    const index = migrations.findIndex((m) => m.name === STEP);
    expect(index).toBeGreaterThan(0);
    const store = await freshStore(engine, index);
    const run = exec(store.db);
    await run`INSERT INTO teams (id, name, created_at) VALUES ('t1', 'Team', 0)`;
    for (const id of ['u1', 'u2']) {
      await run`INSERT INTO users (id, team_id, name, email, password_hash, role, created_at) VALUES (${id}, 't1', 'A', ${`${id}@x.test`}, 'h', 'rep', 0)`;
    }
    const before = await tables(store);
    expect(before).not.toContain('follows');

    expect(await migrate(store, index + 1)).toEqual([STEP]);
    expect(await tables(store)).toEqual([...before, 'follows', 'notification_settings', 'notifications'].sort());
    expect(await run`SELECT id FROM users ORDER BY id`).toEqual([{ id: 'u1' }, { id: 'u2' }]);

    // Follows: one choice per pair, 0 or 1, never oneself, real people.
    const follow = (from: string, to: string, following: number) =>
      run`INSERT INTO follows (team_id, follower_id, followee_id, following, updated_at) VALUES ('t1', ${from}, ${to}, ${following}, 0)`;
    await follow('u1', 'u2', 1);
    await expect(follow('u1', 'u2', 0)).rejects.toThrow(violates.unique);
    await expect(follow('u2', 'u2', 1)).rejects.toThrow(violates.check);
    await expect(follow('u2', 'u1', 2)).rejects.toThrow(violates.check);
    await expect(follow('u2', 'ghost', 1)).rejects.toThrow(violates.foreignKey);

    // Notifications: a known kind, a real recipient, quiet 0 by default, big times kept.
    const notify = (id: string, kind: string, userId = 'u1') =>
      run`INSERT INTO notifications (id, team_id, user_id, kind, payload, actor_id, created_at) VALUES (${id}, 't1', ${userId}, ${kind}, '{}', 'u2', ${1_900_000_000_000})`;
    await notify('n1', 'clip-sent');
    expect(await run`SELECT quiet, read_at, created_at FROM notifications`).toEqual([{ quiet: 0, read_at: null, created_at: 1_900_000_000_000 }]);
    await expect(notify('n2', 'party-invite')).rejects.toThrow(violates.check);
    await expect(notify('n3', 'clip-sent', 'ghost')).rejects.toThrow(violates.foreignKey);
    await expect(run`UPDATE notifications SET quiet = 3`).rejects.toThrow(violates.check);

    // Settings: one per person and kind, 0 or 1.
    const setting = (kind: string, enabled: number) => run`INSERT INTO notification_settings (user_id, kind, enabled) VALUES ('u1', ${kind}, ${enabled})`;
    await setting('call-live', 0);
    await expect(setting('call-live', 1)).rejects.toThrow(violates.unique);
    await expect(setting('unknown', 1)).rejects.toThrow(violates.check);
    await expect(setting('clip-sent', 5)).rejects.toThrow(violates.check);
  });
});
