import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../../../server/store/db';
import { migrations } from '../../../../server/store/migrations';
import { reindexTalkTrack, talkTrackMatches } from '../../../../server/store/talk-track-search';
import { closeStores, engines, exec, freshStore, tables, violates } from './store-engines';

afterEach(closeStores);

const STEP = migrations.findIndex((m) => m.name === '006-talk-tracks');

describe.each(engines)('migration 006-talk-tracks on %s', (engine) => {
  it('adds the reps setting, tracks, versions, example links and track search on top of existing data', async () => {
    expect(STEP).toBeGreaterThan(0);
    const store = await freshStore(engine, STEP);
    const run = exec(store.db);
    await run`INSERT INTO teams (id, name, created_at) VALUES ('t1', 'Team', 0)`;
    await run`INSERT INTO users (id, team_id, name, email, password_hash, role, created_at) VALUES ('u1', 't1', 'A', 'a@x.test', 'h', 'mentor', 0)`;

    expect(await migrate(store, STEP + 1)).toEqual([migrations[STEP]!.name]);
    const now = await tables(store);
    for (const t of ['talk_tracks', 'talk_track_versions', 'talk_track_examples', 'talk_tracks_fts']) expect(now).toContain(t);

    // Existing teams keep reps out of writing until the admin says otherwise; the flag is 0 or 1.
    expect(await run`SELECT name, reps_write_talk_tracks FROM teams`).toEqual([{ name: 'Team', reps_write_talk_tracks: 0 }]);
    await run`UPDATE teams SET reps_write_talk_tracks = 1`;
    await expect(run`UPDATE teams SET reps_write_talk_tracks = 2`).rejects.toThrow(violates.check);

    const track = (id: string, team = 't1', version = 1) =>
      run`INSERT INTO talk_tracks (id, team_id, author_id, version, title, situation, what_to_say, why_it_works, created_at, updated_at, updated_by)
        VALUES (${id}, ${team}, 'u1', ${version}, 'T', 'S', 'W', 'Y', 0, 0, 'u1')`;
    await track('k1');
    expect(await run`SELECT tags FROM talk_tracks`).toEqual([{ tags: '[]' }]);
    await expect(track('k2', 'nope')).rejects.toThrow(violates.foreignKey);
    await expect(track('k3', 't1', 0)).rejects.toThrow(violates.check);

    const version = (v: number, trackId = 'k1') =>
      run`INSERT INTO talk_track_versions (track_id, version, author_id, created_at, title, situation, what_to_say, why_it_works)
        VALUES (${trackId}, ${v}, 'u1', ${1_900_000_000_000}, 'T', 'S', 'W', 'Y')`;
    await version(1);
    await version(2);
    await expect(version(2)).rejects.toThrow(violates.unique);
    await expect(version(1, 'nope')).rejects.toThrow(violates.foreignKey);
    expect(await run`SELECT version, created_at, examples, restored_from FROM talk_track_versions ORDER BY version`).toEqual([
      { version: 1, created_at: 1_900_000_000_000, examples: '[]', restored_from: null },
      { version: 2, created_at: 1_900_000_000_000, examples: '[]', restored_from: null },
    ]);

    // Example links name any clip id (a deleted clip stays cited) and go with their track.
    await run`INSERT INTO talk_track_examples (track_id, position, clip_id, at_ms) VALUES ('k1', 0, 'gone-clip', 1500)`;
    await expect(run`INSERT INTO talk_track_examples (track_id, position, clip_id, at_ms) VALUES ('k1', 0, 'other', 0)`).rejects.toThrow(violates.unique);
    await run`DELETE FROM talk_tracks WHERE id = 'k1'`;
    expect(await run`SELECT clip_id FROM talk_track_examples`).toEqual([]);
    expect(await run`SELECT version FROM talk_track_versions`).toEqual([]);
  });

  it('track search rows: words as prefixes, accents folded, operators dropped, rewritten on save', async () => {
    const store = await freshStore(engine);
    const run = exec(store.db);
    await run`INSERT INTO teams (id, name, created_at) VALUES ('t1', 'Team', 0)`;
    await run`INSERT INTO users (id, team_id, name, email, password_hash, role, created_at) VALUES ('u1', 't1', 'A', 'a@x.test', 'h', 'mentor', 0)`;
    for (const id of ['k1', 'k2']) {
      await run`INSERT INTO talk_tracks (id, team_id, author_id, version, title, situation, what_to_say, why_it_works, created_at, updated_at, updated_by)
        VALUES (${id}, 't1', 'u1', 1, 'T', 'S', 'W', 'Y', 0, 0, 'u1')`;
    }
    await reindexTalkTrack(store.db, engine, 'k1', { title: 'Too expensive', situation: 'Le café', whatToSay: 'Ask why', whyItWorks: 'Value', tags: ['pricing'] });
    await reindexTalkTrack(store.db, engine, 'k2', { title: 'Renewal', situation: 'Churn risk', whatToSay: 'Outcomes', whyItWorks: 'Trust', tags: ['closing'] });
    const search = async (q: string) =>
      (await store.db.selectFrom('talk_tracks as t').select('t.id').where(talkTrackMatches(engine, q)!).orderBy('t.id').execute()).map((r) => r.id);
    expect(await search('expens')).toEqual(['k1']);
    expect(await search('CAFE')).toEqual(['k1']);
    expect(await search('pric value')).toEqual(['k1']);
    expect(await search('trust')).toEqual(['k2']);
    expect(await search('"renewal" OR (')).toEqual([]);
    expect(talkTrackMatches(engine, '"*(')).toBeNull();
    await reindexTalkTrack(store.db, engine, 'k1', { title: 'Budget', situation: '', whatToSay: '', whyItWorks: '', tags: [] });
    expect(await search('expensive')).toEqual([]);
    expect(await search('budget')).toEqual(['k1']);
    await reindexTalkTrack(store.db, engine, 'k1', null);
    expect(await search('budget')).toEqual([]);
  });
});
