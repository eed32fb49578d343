/**
 * Talk tracks over real HTTP and socket.io: writing, versions, conflicts, restore, example clips
 * (visible, hidden, deleted), citations, search, and every permission rule.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes, type AuthReply, type ClipSummary, type TalkTrackContentInput } from '../../contract';
import { clipNow, goLive, rivalTeam, runCleanups, serverWithTeam, socketFor } from '../helpers/live-call';
import { encodeSineOpus } from '../helpers/opus';
import { addMember, api, nextEvent, unwrap, type TestServer } from '../helpers/test-server';

let server: TestServer;
let people: Record<'admin' | 'mentor' | 'mentor2' | 'rep' | 'manager' | 'clipper' | 'rival', AuthReply>;
/** Clips of the clipper's call: one for the team, one for managers only, one to delete later. */
let clips: Record<'team' | 'managers' | 'doomed', ClipSummary>;

beforeAll(async () => {
  const made = await serverWithTeam();
  server = made.server;
  const url = server.url;
  const token = made.admin.token;
  people = {
    admin: made.admin,
    mentor: await addMember(url, token, 'Max Mentor', 'mentor'),
    mentor2: await addMember(url, token, 'Nia Mentor', 'mentor'),
    rep: await addMember(url, token, 'Rita Rep', 'rep'),
    manager: await addMember(url, token, 'Mia Manager', 'manager'),
    clipper: await addMember(url, token, 'Cara Clipper', 'rep'),
    rival: await rivalTeam(server),
  };
  const socket = await socketFor(server, people.clipper);
  const { host, call } = await goLive(socket, { recording: { enabled: true, customerInformed: true } });
  await host.sendOpus(encodeSineOpus({ frames: 75 }));
  const streaming = host.sendOpus(encodeSineOpus({ frames: 250 }));
  clips = {
    team: await clipNow(socket, call.id, { title: 'Price objection handled' }),
    managers: await clipNow(socket, call.id, { title: 'Managers only', visibility: 'managers' }),
    doomed: await clipNow(socket, call.id, { title: 'Soon deleted' }),
  };
  await streaming;
}, 60_000);

afterAll(runCleanups);

const call = <R extends (typeof routes)[keyof typeof routes]>(route: R, who: AuthReply, opts: { params?: Record<string, string>; body?: unknown } = {}) =>
  api(server.url, route, { token: who.token, ...opts });

function content(overrides: Partial<TalkTrackContentInput> = {}): TalkTrackContentInput {
  return {
    title: 'Too expensive',
    situation: 'Prospect says we are too expensive',
    whatToSay: 'Ask **what** they compare us with.',
    whyItWorks: 'It moves the talk from price to value.',
    tags: ['pricing'],
    examples: [],
    ...overrides,
  };
}

async function create(who: AuthReply, overrides: Partial<TalkTrackContentInput> = {}) {
  return unwrap((await call(routes.createTalkTrack, who, { body: content(overrides) })).result).track;
}

const read = async (who: AuthReply, id: string) => unwrap((await call(routes.talkTrack, who, { params: { id } })).result).track;
const listIds = async (who: AuthReply, query = '') => {
  const res = await fetch(`${server.url}${routes.talkTracks.path}${query}`, { headers: { authorization: `Bearer ${who.token}` } });
  const json = (await res.json()) as { ok: boolean; value: { tracks: { id: string }[] } };
  expect(json.ok).toBe(true);
  return json.value.tracks.map((t) => t.id);
};

describe('talk tracks', () => {
  it('a mentor writes a track with an example clip at a moment; everyone on the team reads it', async () => {
    const track = await create(people.mentor, { examples: [{ clipId: clips.team.id, atMs: 1200, caption: 'Listen to the pause' }] });
    expect(track).toMatchObject({ version: 1, authorName: 'Max Mentor', updatedByName: 'Max Mentor', exampleCount: 1, canEdit: true, canDelete: true });
    for (const who of [people.rep, people.manager, people.clipper, people.admin]) {
      const seen = await read(who, track.id);
      expect(seen.whatToSay).toBe('Ask **what** they compare us with.');
      expect(seen.examples).toEqual([{ clipId: clips.team.id, atMs: 1200, caption: 'Listen to the pause', clip: expect.objectContaining({ id: clips.team.id }) }]);
    }
    // A rep reads but may not edit (the team does not let reps write yet); a teammate may not delete.
    expect(await read(people.rep, track.id)).toMatchObject({ canEdit: false, canDelete: false });
    expect(await read(people.manager, track.id)).toMatchObject({ canEdit: true, canDelete: true });
  });

  it('refuses: a rep cannot write a talk track unless the admin allows it', async () => {
    const track = await create(people.mentor, { title: 'Rep rule' });
    const before = await listIds(people.admin);
    const refused = await call(routes.createTalkTrack, people.rep, { body: content({ title: 'By a rep' }) });
    expect(refused.status).toBe(403);
    expect(refused.result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const edit = await call(routes.updateTalkTrack, people.rep, { params: { id: track.id }, body: { ...content({ title: 'Rep edit' }), baseVersion: 1 } });
    expect(edit.result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const add = await call(routes.addTalkTrackExample, people.rep, { params: { id: track.id }, body: { clipId: clips.team.id } });
    expect(add.result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await listIds(people.admin)).toEqual(before);
    expect(await read(people.admin, track.id)).toMatchObject({ version: 1, title: 'Rep rule', exampleCount: 0 });

    // The admin allows reps: now the rep writes.
    const allowed = unwrap((await call(routes.updateTeamSettings, people.admin, { body: { repsWriteTalkTracks: true } })).result);
    expect(allowed.settings.repsWriteTalkTracks).toBe(true);
    const byRep = await create(people.rep, { title: 'By a rep' });
    expect(byRep.authorName).toBe('Rita Rep');
    // Taken back: refused again, at the moment it acts.
    unwrap((await call(routes.updateTeamSettings, people.admin, { body: { repsWriteTalkTracks: false } })).result);
    const again = await call(routes.updateTalkTrack, people.rep, { params: { id: byRep.id }, body: { ...content({ title: 'Second' }), baseVersion: 1 } });
    expect(again.result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect((await read(people.rep, byRep.id)).title).toBe('By a rep');
  });

  it('refuses: only admins change whether reps write talk tracks', async () => {
    for (const who of [people.manager, people.mentor, people.rep]) {
      const res = await call(routes.updateTeamSettings, who, { body: { repsWriteTalkTracks: true } });
      expect(res.result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    expect(unwrap((await call(routes.teamSettings, people.rep)).result).settings.repsWriteTalkTracks).toBe(false);
  });

  it('refuses: another team cannot read, list, edit, restore, delete, link into or cite our tracks', async () => {
    const track = await create(people.mentor, { title: 'Ours only', examples: [{ clipId: clips.team.id, atMs: 0, caption: '' }] });
    const rival = people.rival;
    const params = { id: track.id };
    expect((await call(routes.talkTrack, rival, { params })).result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await listIds(rival)).not.toContain(track.id);
    expect((await call(routes.talkTrackVersions, rival, { params })).result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect((await call(routes.updateTalkTrack, rival, { params, body: { ...content({ title: 'Rival' }), baseVersion: 1 } })).result).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect((await call(routes.restoreTalkTrackVersion, rival, { params: { id: track.id, version: '1' }, body: { baseVersion: 1 } })).result).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect((await call(routes.deleteTalkTrack, rival, { params })).result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    // Our clips are not theirs to link or look up.
    const link = await call(routes.createTalkTrack, rival, { body: content({ examples: [{ clipId: clips.team.id, atMs: 0, caption: '' }] }) });
    expect(link.result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect((await call(routes.clipTalkTracks, rival, { params: { id: clips.team.id } })).result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await listIds(rival)).toEqual([]);
    expect(await read(people.mentor, track.id)).toMatchObject({ version: 1, title: 'Ours only' });
  });

  it('refuses: linking a clip the author cannot see (new track, new version, add to track)', async () => {
    const hidden = [{ clipId: clips.managers.id, atMs: 0, caption: '' }];
    const before = await listIds(people.admin);
    const created = await call(routes.createTalkTrack, people.mentor, { body: content({ title: 'Hidden link', examples: hidden }) });
    expect(created.result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await listIds(people.admin)).toEqual(before);
    const track = await create(people.mentor, { title: 'No hidden links' });
    const saved = await call(routes.updateTalkTrack, people.mentor, { params: { id: track.id }, body: { ...content({ examples: hidden }), baseVersion: 1 } });
    expect(saved.result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const added = await call(routes.addTalkTrackExample, people.mentor, { params: { id: track.id }, body: { clipId: clips.managers.id } });
    expect(added.result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    // An id that names no clip at all is refused the same way.
    const made = await call(routes.addTalkTrackExample, people.mentor, { params: { id: track.id }, body: { clipId: 'no-such-clip' } });
    expect(made.result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await read(people.mentor, track.id)).toMatchObject({ version: 1, exampleCount: 0 });
    expect(unwrap((await call(routes.talkTrackVersions, people.mentor, { params: { id: track.id } })).result).versions).toHaveLength(1);
  });

  it('refuses: saving on top of a version that is no longer the latest (CONFLICT, nothing lost)', async () => {
    const track = await create(people.mentor, { title: 'Race' });
    const first = call(routes.updateTalkTrack, people.mentor, { params: { id: track.id }, body: { ...content({ title: 'Race: Max' }), baseVersion: 1 } });
    const second = call(routes.updateTalkTrack, people.mentor2, { params: { id: track.id }, body: { ...content({ title: 'Race: Nia' }), baseVersion: 1 } });
    const results = await Promise.all([first, second]);
    const won = results.filter((r) => r.result.ok);
    const lost = results.filter((r) => !r.result.ok);
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.status).toBe(409);
    expect(lost[0]!.result).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringMatching(/newer version/) } });
    const winner = unwrap(won[0]!.result).track;
    expect(await read(people.rep, track.id)).toMatchObject({ version: 2, title: winner.title });
    expect(unwrap((await call(routes.talkTrackVersions, people.rep, { params: { id: track.id } })).result).versions.map((v) => v.version)).toEqual([2, 1]);
  });

  it('keeps every version with author and time; an old version can be viewed and restored as a new one', async () => {
    const track = await create(people.mentor, { title: 'History', whatToSay: 'First words' });
    unwrap((await call(routes.updateTalkTrack, people.mentor2, { params: { id: track.id }, body: { ...content({ title: 'History', whatToSay: 'Second words', tags: ['closing'] }), baseVersion: 1 } })).result);
    const versions = unwrap((await call(routes.talkTrackVersions, people.rep, { params: { id: track.id } })).result).versions;
    expect(versions.map((v) => [v.version, v.authorName, v.restoredFrom])).toEqual([
      [2, 'Nia Mentor', null],
      [1, 'Max Mentor', null],
    ]);
    expect(versions[0]!.createdAt).toBeGreaterThanOrEqual(versions[1]!.createdAt);
    const v1 = unwrap((await call(routes.talkTrackVersion, people.rep, { params: { id: track.id, version: '1' } })).result).version;
    expect(v1).toMatchObject({ version: 1, whatToSay: 'First words', tags: ['pricing'] });
    // Restoring on a stale base is refused like any save.
    const stale = await call(routes.restoreTalkTrackVersion, people.manager, { params: { id: track.id, version: '1' }, body: { baseVersion: 1 } });
    expect(stale.result).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    const restored = unwrap((await call(routes.restoreTalkTrackVersion, people.manager, { params: { id: track.id, version: '1' }, body: { baseVersion: 2 } })).result).track;
    expect(restored).toMatchObject({ version: 3, whatToSay: 'First words', tags: ['pricing'], updatedByName: 'Mia Manager' });
    const v3 = unwrap((await call(routes.talkTrackVersion, people.rep, { params: { id: track.id, version: '3' } })).result).version;
    expect({ ...v3, version: 1, authorId: v1.authorId, authorName: v1.authorName, createdAt: v1.createdAt, restoredFrom: null }).toEqual(v1);
    expect(v3.restoredFrom).toBe(1);
    expect((await call(routes.talkTrackVersion, people.rep, { params: { id: track.id, version: '9' } })).result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('shows an example clip that is deleted or hidden from the reader as unavailable, never dropped', async () => {
    const track = await create(people.manager, {
      title: 'Unavailable examples',
      examples: [
        { clipId: clips.team.id, atMs: 0, caption: 'visible' },
        { clipId: clips.managers.id, atMs: 500, caption: 'managers only' },
        { clipId: clips.doomed.id, atMs: 0, caption: 'deleted soon' },
      ],
    });
    const shown = async (who: AuthReply) => (await read(who, track.id)).examples.map((e) => [e.caption, e.clip?.id ?? null]);
    expect(await shown(people.manager)).toEqual([
      ['visible', clips.team.id],
      ['managers only', clips.managers.id],
      ['deleted soon', clips.doomed.id],
    ]);
    expect(await shown(people.rep)).toEqual([
      ['visible', clips.team.id],
      ['managers only', null],
      ['deleted soon', clips.doomed.id],
    ]);
    unwrap((await call(routes.deleteClip, people.clipper, { params: { id: clips.doomed.id } })).result);
    expect(await shown(people.rep)).toEqual([
      ['visible', clips.team.id],
      ['managers only', null],
      ['deleted soon', null],
    ]);
    expect((await read(people.manager, track.id)).exampleCount).toBe(3);
    // A mentor who cannot see the managers-only clip still saves the track: the existing link stays.
    const saved = unwrap(
      (await call(routes.updateTalkTrack, people.mentor, {
        params: { id: track.id },
        body: { ...content({ title: 'Unavailable examples, edited', examples: (await read(people.mentor, track.id)).examples.map(({ clipId, atMs, caption }) => ({ clipId, atMs, caption })) }), baseVersion: 1 },
      })).result,
    ).track;
    expect(saved.examples.map((e) => e.caption)).toEqual(['visible', 'managers only', 'deleted soon']);
  });

  it('adds a clip to a track from the clip, and the clip lists the tracks citing it', async () => {
    const track = await create(people.mentor, { title: 'Cited from a clip' });
    const added = unwrap((await call(routes.addTalkTrackExample, people.mentor2, { params: { id: track.id }, body: { clipId: clips.team.id, atMs: 3000, caption: 'the turn' } })).result).track;
    expect(added).toMatchObject({ version: 2, updatedByName: 'Nia Mentor' });
    expect(added.examples).toEqual([{ clipId: clips.team.id, atMs: 3000, caption: 'the turn', clip: expect.objectContaining({ id: clips.team.id }) }]);
    const citing = unwrap((await call(routes.clipTalkTracks, people.rep, { params: { id: clips.team.id } })).result).tracks.map((t) => t.id);
    expect(citing[0]).toBe(track.id);
    // Only clips the reader may see can be asked about.
    expect((await call(routes.clipTalkTracks, people.mentor, { params: { id: clips.managers.id } })).result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(unwrap((await call(routes.clipTalkTracks, people.manager, { params: { id: clips.managers.id } })).result).tracks.length).toBeGreaterThan(0);
  });

  it('refuses: only the author or a manager deletes a track', async () => {
    const track = await create(people.mentor, { title: 'Delete me' });
    for (const who of [people.mentor2, people.rep]) {
      expect((await call(routes.deleteTalkTrack, who, { params: { id: track.id } })).result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    expect((await read(people.rep, track.id)).title).toBe('Delete me');
    unwrap((await call(routes.deleteTalkTrack, people.mentor, { params: { id: track.id } })).result);
    expect((await call(routes.talkTrack, people.rep, { params: { id: track.id } })).result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const other = await create(people.mentor, { title: 'Managers may delete' });
    unwrap((await call(routes.deleteTalkTrack, people.manager, { params: { id: other.id } })).result);
    expect(await listIds(people.rep)).not.toContain(other.id);
  });

  it('searches title, situation, bodies and tags (prefixes, accents folded), filters by tag, latest update first', async () => {
    const a = await create(people.mentor, { title: 'Zebracorn budget', situation: 'CFO wants a discount', whatToSay: 'Offer a pilot', whyItWorks: 'Lowers the risk', tags: ['zebratag'] });
    const b = await create(people.mentor, { title: 'Renewal', situation: 'Zebracorn renewal café', whatToSay: 'Talk about outcomes', whyItWorks: 'Value first', tags: ['closing'] });
    expect(await listIds(people.rep, '?q=zebracorn')).toEqual([b.id, a.id]);
    expect(await listIds(people.rep, '?q=pilot%20zebra')).toEqual([a.id]);
    expect(await listIds(people.rep, '?q=lowers')).toEqual([a.id]);
    expect(await listIds(people.rep, '?q=CAFE')).toEqual([b.id]);
    expect(await listIds(people.rep, '?q=zebratag')).toEqual([a.id]);
    expect(await listIds(people.rep, '?tag=zebratag')).toEqual([a.id]);
    expect(await listIds(people.rep, '?q=zebracorn&tag=closing')).toEqual([b.id]);
    expect(await listIds(people.rep, '?q=%22zebracorn%22%20(*')).toEqual([b.id, a.id]);
    // Editing the older one moves it first and reindexes it.
    unwrap((await call(routes.updateTalkTrack, people.mentor, { params: { id: a.id }, body: { ...content({ title: 'Zebracorn budget', whatToSay: 'Quantify the gain' }), baseVersion: 1 } })).result);
    expect(await listIds(people.rep, '?q=zebracorn')).toEqual([a.id, b.id]);
    expect(await listIds(people.rep, '?q=pilot')).toEqual([]);
    expect(await listIds(people.rep, '?q=quantify')).toEqual([a.id]);
    const all = await listIds(people.rep);
    expect(all.slice(0, 2)).toEqual([a.id, b.id]);
  });

  it('refuses bad input with a clear error and changes nothing', async () => {
    const before = await listIds(people.admin);
    const bad = [
      content({ title: '' }),
      content({ whatToSay: '   ' }),
      content({ tags: ['no/slashes'] }),
      content({ examples: [{ clipId: clips.team.id, atMs: -5, caption: '' }] }),
      content({ examples: [{ clipId: clips.team.id, atMs: 0, caption: '' }, { clipId: clips.team.id, atMs: 0, caption: 'twice' }] }),
    ];
    for (const body of bad) {
      const res = await call(routes.createTalkTrack, people.mentor, { body });
      expect(res.status).toBe(400);
      expect(res.result).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    }
    expect(await listIds(people.admin)).toEqual(before);
  });

  it('pushes talk-tracks:changed to teammates when a track is saved', async () => {
    const socket = await socketFor(server, people.rep);
    const pushed = nextEvent(socket, 'talk-tracks:changed');
    const track = await create(people.mentor, { title: 'Pushed' });
    expect(await pushed).toEqual({ trackId: track.id });
  });
});
