import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../../../server/store/db';
import { migrations } from '../../../../server/store/migrations';
import { closeStores, engines, exec, freshStore, tables, violates } from './store-engines';

afterEach(closeStores);

describe.each(engines)('migration 007-scorecards on %s', (engine) => {
  it('adds the team rubric and scorecards on top of earlier data, one per clip, gone with its clip', async () => {
    const at = migrations.findIndex((m) => m.name === '007-scorecards');
    expect(at).toBeGreaterThan(0);
    const store = await freshStore(engine, at);
    const run = exec(store.db);
    await run`INSERT INTO teams (id, name, created_at) VALUES ('t1', 'Team', 0)`;
    const user = (id: string, role: string) =>
      run`INSERT INTO users (id, team_id, name, email, password_hash, role, created_at) VALUES (${id}, 't1', ${id}, ${id + '@x.test'}, 'h', ${role}, 0)`;
    await user('u1', 'rep');
    await user('m1', 'manager');
    await run`INSERT INTO calls (id, team_id, host_id, title, policy, started_at) VALUES ('c1', 't1', 'u1', 'Demo', 'team', 0)`;
    const clip = (id: string) =>
      run`INSERT INTO clips (id, team_id, call_id, clipper_id, visibility, status, range_kind, range_start, range_end, created_at, ready_at, updated_at)
        VALUES (${id}, 't1', 'c1', 'u1', 'team', 'ready', 'media', 0, 1000, 0, 0, 0)`;
    await clip('k1');
    await clip('k2');

    expect(await migrate(store, at + 1)).toEqual(['007-scorecards']);
    expect(await tables(store)).toContain('scorecards');
    // Teams from before read the default rubric (NULL).
    expect(await run`SELECT name, review_rubric FROM teams`).toEqual([{ name: 'Team', review_rubric: null }]);
    await run`UPDATE teams SET review_rubric = ${JSON.stringify(['Discovery'])} WHERE id = 't1'`;

    const card = (id: string, clipId: string, fields: Partial<Record<'rep' | 'reviewer' | 'team', string>> = {}) =>
      run`INSERT INTO scorecards (id, team_id, clip_id, rep_id, reviewer_id, scores, summary, created_at, updated_at)
        VALUES (${id}, ${fields.team ?? 't1'}, ${clipId}, ${fields.rep ?? 'u1'}, ${fields.reviewer ?? 'm1'}, '[]', 'Good', ${1_900_000_000_000}, 0)`;
    await card('s1', 'k1');
    expect(await run`SELECT next_steps, created_at FROM scorecards WHERE id = 's1'`).toEqual([{ next_steps: '', created_at: 1_900_000_000_000 }]);
    await expect(card('s2', 'k1')).rejects.toThrow(violates.unique);
    await expect(card('s3', 'nope')).rejects.toThrow(violates.foreignKey);
    await expect(card('s4', 'k2', { reviewer: 'nobody' })).rejects.toThrow(violates.foreignKey);
    await expect(card('s5', 'k2', { team: 'nope' })).rejects.toThrow(violates.foreignKey);
    await card('s6', 'k2');
    await run`DELETE FROM clips WHERE id = 'k1'`;
    expect(await run`SELECT id FROM scorecards ORDER BY id`).toEqual([{ id: 's6' }]);
  });
});
