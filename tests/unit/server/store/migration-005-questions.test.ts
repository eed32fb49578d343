import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../../../server/store/db';
import { migrations } from '../../../../server/store/migrations';
import { closeStores, engines, exec, freshStore, tables, violates } from './store-engines';

afterEach(closeStores);

const STEP = '005-questions-whispers';

describe.each(engines)('migration 005 on %s', (engine) => {
  it('005 adds the go-live question and whisper choices to calls and a questions table, on top of earlier data', async () => {
    const upTo = migrations.findIndex((m) => m.name === STEP);
    expect(upTo).toBeGreaterThan(0);
    const store = await freshStore(engine, upTo);
    const run = exec(store.db);
    await run`INSERT INTO teams (id, name, created_at) VALUES ('t1', 'Team', 0)`;
    for (const id of ['u1', 'u2']) {
      await run`INSERT INTO users (id, team_id, name, email, password_hash, role, created_at) VALUES (${id}, 't1', 'A', ${`${id}@x.test`}, 'h', 'rep', 0)`;
    }
    await run`INSERT INTO calls (id, team_id, host_id, title, policy, started_at) VALUES ('c1', 't1', 'u1', 'Demo', 'team', 0)`;

    expect(await migrate(store, upTo + 1)).toEqual([STEP]);
    expect(await tables(store)).toContain('questions');
    // A call from before gets the safe defaults: questions after the call, no whispers.
    expect(await run`SELECT title, questions_mode, whispers_allowed FROM calls WHERE id = 'c1'`).toEqual([
      { title: 'Demo', questions_mode: 'after-call', whispers_allowed: 0 },
    ]);
    await expect(run`UPDATE calls SET questions_mode = 'popup' WHERE id = 'c1'`).rejects.toThrow(violates.check);
    await expect(run`UPDATE calls SET whispers_allowed = 2 WHERE id = 'c1'`).rejects.toThrow(violates.check);

    const question = (f: Partial<Record<'id' | 'call_id' | 'asker_id' | 'status', string>> & { at?: number; anon?: number } = {}) => {
      const v = { id: 'q1', call_id: 'c1', asker_id: 'u2', status: 'open', at: 1200, anon: 0, ...f };
      return run`INSERT INTO questions (id, team_id, call_id, asker_id, body, at_ms, anonymous, share_with_managers, status, created_at)
        VALUES (${v.id}, 't1', ${v.call_id}, ${v.asker_id}, 'Why?', ${v.at}, ${v.anon}, 0, ${v.status}, ${1_900_000_000_000})`;
    };
    await question();
    expect(await run`SELECT at_ms, status, answer, answered_at, created_at FROM questions`).toEqual([
      { at_ms: 1200, status: 'open', answer: null, answered_at: null, created_at: 1_900_000_000_000 },
    ]);
    await expect(question({ id: 'q1' })).rejects.toThrow(violates.unique);
    await expect(question({ id: 'q2', call_id: 'nope' })).rejects.toThrow(violates.foreignKey);
    await expect(question({ id: 'q3', asker_id: 'nobody' })).rejects.toThrow(violates.foreignKey);
    await expect(question({ id: 'q4', status: 'maybe' })).rejects.toThrow(violates.check);
    await expect(question({ id: 'q5', at: -1 })).rejects.toThrow(violates.check);
    await expect(question({ id: 'q6', anon: 7 })).rejects.toThrow(violates.check);
  });
});
