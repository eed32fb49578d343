import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { indexComment, matchesSearch, reindexClip, unindexComments } from '../../../../server/store/clip-search';
import { migrate } from '../../../../server/store/db';
import { migrations } from '../../../../server/store/migrations';
import { closeStores, engines, exec, freshStore, tables, violates } from './store-engines';

afterEach(closeStores);

const ALL_001 = ['calls', 'invites', 'listens', 'mentorships', 'sessions', 'teams', 'users'];

describe.each(engines)('migrations on %s', (engine) => {
  it('applies every step once and records it', async () => {
    const store = await freshStore(engine, 0);
    expect(await migrate(store)).toEqual(migrations.map((m) => m.name));
    expect(await migrate(store)).toEqual([]);
  });

  it('001 creates teams, users, sessions, invites, mentorships, calls and listens with constraints', async () => {
    const store = await freshStore(engine, 1);
    const run = exec(store.db);
    expect(await tables(store)).toEqual(ALL_001);
    await run`INSERT INTO teams VALUES ('t1', 'Team', 0)`;
    const user = (id: string, email: string, role: string) =>
      run`INSERT INTO users (id, team_id, name, email, password_hash, role, created_at) VALUES (${id}, 't1', 'A', ${email}, 'h', ${role}, 0)`;
    await user('u1', 'a@x.test', 'rep');
    await expect(user('u2', 'a@x.test', 'rep')).rejects.toThrow(violates.unique);
    await expect(user('u3', 'c@x.test', 'owner')).rejects.toThrow(violates.check);
    await expect(
      run`INSERT INTO users (id, team_id, name, email, password_hash, role, created_at) VALUES ('u4', 'nope', 'B', 'b@x.test', 'h', 'rep', 0)`,
    ).rejects.toThrow(violates.foreignKey);
    await expect(run`INSERT INTO mentorships VALUES ('t1', 'u1', 'u1', 0)`).rejects.toThrow(violates.check);
    await expect(
      run`INSERT INTO calls (id, team_id, host_id, title, policy, started_at) VALUES ('c1', 't1', 'u1', 'x', 'everyone', 0)`,
    ).rejects.toThrow(violates.check);
    // Times are milliseconds since 1970: they need 64 bits on PostgreSQL and come back as numbers.
    await run`INSERT INTO sessions VALUES ('s1', 'u1', 'hash', 'ua', ${1_900_000_000_000}, ${1_900_000_000_000}, NULL)`;
    expect(await run`SELECT created_at FROM sessions`).toEqual([{ created_at: 1_900_000_000_000 }]);
  });

  it('002 adds recording consent, retention, recordings, clips, comments and clip search on top of 001 data', async () => {
    const store = await freshStore(engine, 1);
    const run = exec(store.db);
    await run`INSERT INTO teams VALUES ('t1', 'Team', 0)`;
    await run`INSERT INTO users (id, team_id, name, email, password_hash, role, created_at) VALUES ('u1', 't1', 'A', 'a@x.test', 'h', 'rep', 0)`;
    const call = (id: string) => run`INSERT INTO calls (id, team_id, host_id, title, policy, started_at) VALUES (${id}, 't1', 'u1', 'Demo', 'team', 0)`;
    await call('c1');

    expect(await migrate(store, 2)).toEqual([migrations[1]!.name]);
    expect(await tables(store)).toEqual([...ALL_001, 'clip_comments', 'clips', 'clips_fts', 'recordings'].sort());

    // Rows from before keep their data and get the new columns' defaults.
    expect(await run`SELECT name, recording_retention_days FROM teams WHERE id = 't1'`).toEqual([{ name: 'Team', recording_retention_days: 30 }]);
    expect(await run`SELECT title, recording_consent_by, recording_consent_at FROM calls WHERE id = 'c1'`).toEqual([
      { title: 'Demo', recording_consent_by: null, recording_consent_at: null },
    ]);

    // Retention is 1 to 3650 days; consent names a real user.
    const retention = (days: number) => run`UPDATE teams SET recording_retention_days = ${days} WHERE id = 't1'`;
    for (const days of [0, 3651, -5]) await expect(retention(days)).rejects.toThrow(violates.check);
    for (const days of [1, 3650, 30]) await retention(days);
    const consent = (by: string) => run`UPDATE calls SET recording_consent_by = ${by}, recording_consent_at = 5 WHERE id = 'c1'`;
    await expect(consent('nobody')).rejects.toThrow(violates.foreignKey);
    await consent('u1');

    // Recordings: one per call, a known state, defaults for what is learnt later.
    const recording = (callId: string, state: string) =>
      run`INSERT INTO recordings (call_id, team_id, state, started_at) VALUES (${callId}, 't1', ${state}, 0)`;
    await recording('c1', 'recording');
    expect(await run`SELECT duration_ms, bytes, ended_at FROM recordings WHERE call_id = 'c1'`).toEqual([{ duration_ms: 0, bytes: 0, ended_at: null }]);
    await call('c2');
    await expect(recording('c2', 'paused')).rejects.toThrow(violates.check);
    await expect(recording('nope', 'kept')).rejects.toThrow(violates.foreignKey);
    await expect(recording('c1', 'kept')).rejects.toThrow(violates.unique);
    await expect(run`UPDATE recordings SET state = 'gone' WHERE call_id = 'c1'`).rejects.toThrow(violates.check);

    // Clips: visibility, status and range kind are checked, and a clip belongs to a real call.
    const clip = (fields: Partial<Record<'id' | 'call_id' | 'visibility' | 'status' | 'range_kind', string>>) => {
      const f = { id: 'k1', call_id: 'c1', visibility: 'team', status: 'pending', range_kind: 'wall', ...fields };
      return run`INSERT INTO clips (id, team_id, call_id, clipper_id, visibility, status, range_kind, range_start, range_end,
          created_at, ready_at, updated_at)
        VALUES (${f.id}, 't1', ${f.call_id}, 'u1', ${f.visibility}, ${f.status}, ${f.range_kind}, 0, 1000, 0, 0, 0)`;
    };
    await clip({});
    expect(await run`SELECT title, note, tags, start_ms, duration_ms, bytes, reviewed_at FROM clips WHERE id = 'k1'`).toEqual([
      { title: '', note: '', tags: '[]', start_ms: 0, duration_ms: 0, bytes: 0, reviewed_at: null },
    ]);
    await clip({ id: 'k2', visibility: 'private', status: 'ready', range_kind: 'media' });
    await clip({ id: 'k9' });
    await expect(clip({ id: 'k3', visibility: 'public' })).rejects.toThrow(violates.check);
    await expect(clip({ id: 'k3', status: 'done' })).rejects.toThrow(violates.check);
    await expect(clip({ id: 'k3', range_kind: 'frames' })).rejects.toThrow(violates.check);
    await expect(clip({ id: 'k3', call_id: 'nope' })).rejects.toThrow(violates.foreignKey);
    // A call with clips cannot vanish from under them.
    await expect(run`DELETE FROM calls WHERE id = 'c1'`).rejects.toThrow(violates.foreignKey);

    // Comments thread on a clip and go with it.
    const comment = (id: string, clipId: string, parentId: string | null) =>
      run`INSERT INTO clip_comments (id, clip_id, parent_id, author_id, at_ms, body, created_at) VALUES (${id}, ${clipId}, ${parentId}, 'u1', 0, 'Nice', 0)`;
    await comment('m1', 'k1', null);
    await comment('m2', 'k1', 'm1');
    await comment('m3', 'k2', null);
    await expect(comment('m4', 'nope', null)).rejects.toThrow(violates.foreignKey);
    await run`DELETE FROM clips WHERE id = 'k1'`;
    expect(await run`SELECT id FROM clip_comments ORDER BY id`).toEqual([{ id: 'm3' }]);

  });

  it('004 moves comments to search rows of their own; search keeps its meaning over title, note, tags and comments', async () => {
    const store = await freshStore(engine, 2);
    const run = exec(store.db);
    await run`INSERT INTO teams (id, name, created_at) VALUES ('t1', 'Team', 0)`;
    await run`INSERT INTO users (id, team_id, name, email, password_hash, role, created_at) VALUES ('u1', 't1', 'A', 'a@x.test', 'h', 'rep', 0)`;
    await run`INSERT INTO calls (id, team_id, host_id, title, policy, started_at) VALUES ('c1', 't1', 'u1', 'Demo', 'team', 0)`;
    const clip = (id: string, title: string, note: string, tags: string) =>
      run`INSERT INTO clips (id, team_id, call_id, clipper_id, title, note, tags, visibility, status, range_kind, range_start, range_end,
          created_at, ready_at, updated_at)
        VALUES (${id}, 't1', 'c1', 'u1', ${title}, ${note}, ${tags}, 'team', 'ready', 'media', 0, 1000, 0, 0, 0)`;
    await clip('k2', 'Pricing pushback', 'The café objection', '["pricing","discount"]');
    await clip('k9', 'Intro', 'Small talk', 'not json');
    await run`INSERT INTO clip_comments (id, clip_id, parent_id, author_id, at_ms, body, created_at) VALUES ('m1', 'k2', NULL, 'u1', 0, 'great save', 0)`;
    // The 002 index as the server wrote it: comments inside the clip's row.
    if (engine === 'sqlite') {
      await run`INSERT INTO clips_fts (clip_id, title, note, tags, comments) VALUES ('k2', 'Pricing pushback', 'The café objection', 'pricing discount', 'great save')`;
      await run`INSERT INTO clips_fts (clip_id, title, note, tags, comments) VALUES ('k9', 'Intro', 'Small talk', '', '')`;
    } else {
      await run`INSERT INTO clips_fts (clip_id, document) VALUES ('k2', array_to_tsvector(${['pricing', 'pushback', 'the', 'cafe', 'objection', 'discount', 'great', 'save']}::text[]))`;
      await run`INSERT INTO clips_fts (clip_id, document) VALUES ('k9', array_to_tsvector(${['intro', 'small', 'talk']}::text[]))`;
    }

    const upTo = migrations.findIndex((m) => m.name.startsWith('004-')) + 1;
    expect(await migrate(store, upTo)).toEqual(migrations.slice(2, upTo).map((m) => m.name));
    expect(await tables(store)).toEqual([...ALL_001, 'clip_comments', 'clips', 'clips_fts', 'comments_fts', 'recordings'].sort());

    // Search: each engine's own indexes, accents folded, every word a prefix, words from the
    // clip's row and its comments' rows together.
    const search = async (q: string) =>
      (await store.db.selectFrom('clips as c').select('c.id').where(matchesSearch(engine, q)!).orderBy('c.id').execute()).map((r) => r.id);
    expect(await search('pricing')).toEqual(['k2']);
    expect(await search('CAFE')).toEqual(['k2']);
    expect(await search('save pri')).toEqual(['k2']);
    expect(await search('great')).toEqual(['k2']);
    expect(await search('talk')).toEqual(['k9']);
    expect(await search('renewal')).toEqual([]);
    expect(await search('"pricing" OR (talk')).toEqual([]);

    // Comments are indexed one by one; the clip's row holds only its own fields now.
    await indexComment(store.db, engine, { id: 'm1', clipId: 'k2', body: 'renewal risk' });
    expect(await search('great')).toEqual([]);
    expect(await search('renewal pushback')).toEqual(['k2']);
    await reindexClip(store.db, engine, 'k9', { title: 'Intro', note: 'Small talk', tags: ['rapport'] });
    expect(await search('rapport')).toEqual(['k9']);
    await unindexComments(store.db, engine, ['m1']);
    expect(await search('renewal')).toEqual([]);
  });

  it('rolls back a failing step and records nothing of it', async () => {
    const store = await freshStore(engine);
    migrations.push({
      name: '999-broken',
      async up(db) {
        await db.schema.createTable('ok_table').addColumn('id', 'text').execute();
        await sql`SELECT * FROM missing_table`.execute(db);
      },
    });
    try {
      await expect(migrate(store)).rejects.toThrow(/missing_table/);
      expect(await tables(store)).not.toContain('ok_table');
      const applied = await store.db.selectFrom('kysely_migration' as never).select('name' as never).execute();
      expect(applied.map((r) => (r as { name: string }).name)).toEqual(migrations.slice(0, -1).map((m) => m.name));
    } finally {
      migrations.pop();
    }
  });
});
