/**
 * Manager reviews over real HTTP and socket.io: the review queue, scorecards on the team's
 * rubric, who may review and who may see scores, and the rubric's admin.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RUBRIC, REVIEW_QUEUE_PAGE_SIZE, routes, type AuthReply } from '../../contract';
import { rivalTeam, runCleanups, socketFor } from '../helpers/live-call';
import { expectRefused, fullScores, getWithQuery, reviewTeam, type ReviewTeam } from '../helpers/review-team';
import { openTestStore } from '../helpers/test-database';
import { api, nextEvent, unwrap } from '../helpers/test-server';
import { ClipStore } from '../../server/store/clip-store';

let t: ReviewTeam;
const reviewed: unknown[] = [];

beforeAll(async () => {
  t = await reviewTeam((e) => reviewed.push(e));
}, 120_000);
afterAll(runCleanups);

const queue = async (who: AuthReply, query: Record<string, string> = {}) =>
  unwrap((await getWithQuery(t.server.url, routes.reviewQueue, who.token, query)).result);
const scorecardOf = (who: AuthReply, clipId: string) => api(t.server.url, routes.clipScorecard, { token: who.token, params: { id: clipId } });
const submit = (who: AuthReply, clipId: string, body: unknown) =>
  api(t.server.url, routes.submitScorecard, { token: who.token, params: { id: clipId }, body });
const clipOf = async (who: AuthReply, clipId: string) => unwrap((await api(t.server.url, routes.clip, { token: who.token, params: { id: clipId } })).result).clip;

describe('review queue', () => {
  it('lists unreviewed clips oldest first, filtered by rep (the host) and tag', async () => {
    const all = await queue(t.mia);
    expect(all.clips.map((c) => c.title)).toEqual(['Rita one', 'Rita two', 'Rita three', 'Rita four', 'Rita five', 'Rita six', 'Olga one']);
    expect(all).toMatchObject({ total: 7, page: 1, pageSize: REVIEW_QUEUE_PAGE_SIZE });
    expect(all.clips.every((c) => !c.reviewed)).toBe(true);
    // Rep = the host of the call: Max clipped every clip, yet filtering by Max finds none.
    expect((await queue(t.mia, { rep: t.olga.user.id })).clips.map((c) => c.title)).toEqual(['Olga one']);
    expect((await queue(t.mia, { rep: t.max.user.id })).total).toBe(0);
    expect((await queue(t.mia, { tag: 'pricing', rep: t.olga.user.id })).clips.map((c) => c.title)).toEqual(['Olga one']);
    expect((await queue(t.admin, { tag: 'pricing' })).clips.map((c) => c.title)).toEqual(['Rita two', 'Rita three', 'Olga one']);
    // Past the last page: an empty page that still counts them all.
    const far = await queue(t.mia, { page: '50' });
    expect(far.clips).toEqual([]);
    expect(far.total).toBe(all.total);
  });

  it('pages the queue: oldest first across pages, each page at most a page size', async () => {
    // 21 more clips of Rita's call, written straight to the store (cutting 21 clips is not the subject).
    const store = await openTestStore(t.server);
    const clips = new ClipStore(store);
    const base = Date.now();
    for (let i = 0; i < 21; i++) {
      const id = `paged${String(i).padStart(2, '0')}`;
      await clips.insert({
        id,
        teamId: t.admin.team.id,
        callId: t.ritaClips[0]!.callId,
        clipperId: t.max.user.id,
        title: `Paged ${i}`,
        note: '',
        tags: [],
        visibility: 'team',
        rangeKind: 'media',
        rangeStart: 0,
        rangeEnd: 1000,
        createdAt: base + i,
        readyAt: base + i,
      });
    }
    await store.close();
    const first = await queue(t.mia, { rep: t.rita.user.id });
    const second = await queue(t.mia, { rep: t.rita.user.id, page: '2' });
    expect(first.total).toBe(27);
    expect(second.total).toBe(27);
    expect(first.clips).toHaveLength(REVIEW_QUEUE_PAGE_SIZE);
    expect(first.clips.slice(0, 6).map((c) => c.title)).toEqual(['Rita one', 'Rita two', 'Rita three', 'Rita four', 'Rita five', 'Rita six']);
    expect(second.clips.map((c) => c.title)).toEqual(['Paged 14', 'Paged 15', 'Paged 16', 'Paged 17', 'Paged 18', 'Paged 19', 'Paged 20']);
    expect(second.page).toBe(2);
  });

  it('refuses: a rep cannot open the review queue', async () => {
    for (const who of [t.rita, t.max, t.tom]) expectRefused(await getWithQuery(t.server.url, routes.reviewQueue, who.token, {}), 'FORBIDDEN');
  });

  it('refuses: a bad queue filter', async () => {
    expectRefused(await getWithQuery(t.server.url, routes.reviewQueue, t.mia.token, { page: '0' }), 'BAD_REQUEST');
    expectRefused(await getWithQuery(t.server.url, routes.reviewQueue, t.mia.token, { tag: '<b>' }), 'BAD_REQUEST');
  });
});

describe('scorecards', () => {
  it('a manager reviews a clip with a scorecard: stored on the rubric, clip marked reviewed, out of the queue, the rep and the clip maker notified', async () => {
    const clip = t.ritaClips[0]!;
    const ritaSocket = await socketFor(t.server, t.rita);
    const tomSocket = await socketFor(t.server, t.tom);
    const pushed = nextEvent(ritaSocket, 'library:changed', (e) => e.clipIds?.includes(clip.id) ?? false);
    // The rep whose call it rates and Max, who made the clip, are notified; a bystander is not.
    const ritaTold = nextEvent(ritaSocket, 'notification:new', (p) => p.notification.kind === 'clip-reviewed');
    const maxTold = nextEvent(t.maxSocket, 'notification:new', (p) => p.notification.kind === 'clip-reviewed');
    const toTom: unknown[] = [];
    tomSocket.on('notification:new', (p) => toTom.push(p));
    const before = Date.now();
    const scores = fullScores(4).map((s, i) => ({ ...s, score: i + 1, note: i === 0 ? 'Great opening questions' : '' }));
    const card = unwrap((await submit(t.mia, clip.id, { scores, summary: 'Solid discovery', nextSteps: 'Ask about budget earlier' })).result).scorecard;
    expect(card).toMatchObject({
      clipId: clip.id,
      repId: t.rita.user.id,
      repName: 'Rita Rep',
      reviewerId: t.mia.user.id,
      reviewerName: 'Mia Manager',
      summary: 'Solid discovery',
      nextSteps: 'Ask about budget earlier',
      canEdit: true,
    });
    expect(card.scores.map((s) => [s.skill, s.score])).toEqual(DEFAULT_RUBRIC.map((s, i) => [s, i + 1]));
    expect(card.scores[0]!.note).toBe('Great opening questions');
    expect(card.createdAt).toBeGreaterThanOrEqual(before);
    await pushed;
    expect((await clipOf(t.rita, clip.id)).reviewed).toBe(true);
    expect((await queue(t.mia)).clips.map((c) => c.id)).not.toContain(clip.id);
    expect(reviewed).toContainEqual({ teamId: t.admin.team.id, repId: t.rita.user.id, clipperId: t.max.user.id, clipId: clip.id, reviewerId: t.mia.user.id });
    for (const { notification } of await Promise.all([ritaTold, maxTold])) {
      expect(notification).toMatchObject({ kind: 'clip-reviewed', payload: { clipId: clip.id }, actorId: t.mia.user.id });
    }
    const centre = async (who: AuthReply) => unwrap((await api(t.server.url, routes.notifications, { token: who.token })).result).notifications;
    expect((await centre(t.rita)).filter((n) => n.kind === 'clip-reviewed')).toHaveLength(1);
    expect((await centre(t.mia)).filter((n) => n.kind === 'clip-reviewed')).toEqual([]);
    expect(toTom).toEqual([]);
    // The rep and every manager read the same scorecard; only its reviewer may edit it.
    expect(unwrap((await scorecardOf(t.rita, clip.id)).result).scorecard).toMatchObject({ id: card.id, canEdit: false });
    expect(unwrap((await scorecardOf(t.mo, clip.id)).result).scorecard).toMatchObject({ id: card.id, canEdit: false });
    // A second scorecard on the same clip is refused.
    expectRefused(await submit(t.mo, clip.id, { scores: fullScores(), summary: 'Again' }), 'CONFLICT');
    // It stays reviewed: un-marking it is refused (the clip's flag is the one record of "reviewed").
    expectRefused(await api(t.server.url, routes.updateClip, { token: t.mia.token, params: { id: clip.id }, body: { reviewed: false } }), 'CONFLICT');
    expect((await clipOf(t.mia, clip.id)).reviewed).toBe(true);
  });

  it('a manager edits their own scorecard; refuses: another manager cannot edit it', async () => {
    const clip = t.ritaClips[1]!;
    const card = unwrap((await submit(t.mia, clip.id, { scores: fullScores(2), summary: 'First take' })).result).scorecard;
    expectRefused(
      await api(t.server.url, routes.editScorecard, { token: t.mo.token, params: { id: card.id }, body: { scores: fullScores(5), summary: 'Hijack' } }),
      'FORBIDDEN',
    );
    expectRefused(
      await api(t.server.url, routes.editScorecard, { token: t.rita.token, params: { id: card.id }, body: { scores: fullScores(5), summary: 'Self-grade' } }),
      'FORBIDDEN',
    );
    expect(unwrap((await scorecardOf(t.mia, clip.id)).result).scorecard).toMatchObject({ summary: 'First take', updatedAt: card.updatedAt });
    const edited = unwrap(
      (await api(t.server.url, routes.editScorecard, { token: t.mia.token, params: { id: card.id }, body: { scores: fullScores(4), summary: 'Second take' } }))
        .result,
    ).scorecard;
    expect(edited).toMatchObject({ id: card.id, summary: 'Second take', createdAt: card.createdAt });
    expect(edited.scores.every((s) => s.score === 4)).toBe(true);
  });

  it('refuses: a rep cannot review (nor a mentor, nor the host), and nothing changes', async () => {
    const clip = t.ritaClips[2]!;
    for (const who of [t.rita, t.max, t.tom]) expectRefused(await submit(who, clip.id, { scores: fullScores(5), summary: 'I rate myself' }), 'FORBIDDEN');
    expect((await clipOf(t.mia, clip.id)).reviewed).toBe(false);
    expect(unwrap((await scorecardOf(t.mia, clip.id)).result).scorecard).toBeNull();
    expect((await queue(t.mia)).clips.map((c) => c.id)).toContain(clip.id);
  });

  it('refuses: scores out of range, an unknown or missing skill, no summary; nothing changes', async () => {
    const clip = t.ritaClips[3]!;
    const bad = [
      { scores: fullScores(0), summary: 'x' },
      { scores: fullScores(6), summary: 'x' },
      { scores: fullScores(2.5), summary: 'x' },
      { scores: [...fullScores(3), { skill: 'Juggling', score: 3 }], summary: 'x' },
      { scores: fullScores(3).slice(1), summary: 'x' },
      { scores: [...fullScores(3), { skill: 'discovery', score: 3 }], summary: 'x' },
      { scores: fullScores(3), summary: '   ' },
      { scores: 'great', summary: 'x' },
    ];
    for (const body of bad) expectRefused(await submit(t.mia, clip.id, body), 'BAD_REQUEST');
    expect((await clipOf(t.mia, clip.id)).reviewed).toBe(false);
    expect(unwrap((await scorecardOf(t.mia, clip.id)).result).scorecard).toBeNull();
  });

  it('refuses: another team cannot review, read or list scores', async () => {
    const rival = await rivalTeam(t.server);
    const reviewedClip = t.ritaClips[0]!;
    expectRefused(await submit(rival, t.ritaClips[4]!.id, { scores: fullScores(), summary: 'x' }), 'NOT_FOUND');
    expectRefused(await scorecardOf(rival, reviewedClip.id), 'NOT_FOUND');
    expectRefused(await getWithQuery(t.server.url, routes.scorecards, rival.token, { rep: t.rita.user.id }), 'NOT_FOUND');
    expect((await queue(rival)).total).toBe(0);
    expect((await clipOf(t.mia, t.ritaClips[4]!.id)).reviewed).toBe(false);
  });
});

describe('who sees scores', () => {
  it('refuses: a teammate cannot see another rep’s scores, through any path', async () => {
    const clip = t.ritaClips[4]!;
    const secret = 'Zanzibarish summary';
    const seen: string[] = [];
    const watchers = await Promise.all([t.max, t.tom, t.olga].map((who) => socketFor(t.server, who)));
    for (const s of watchers) s.onAny((event: string, payload: unknown) => seen.push(JSON.stringify({ event, payload })));
    const maxPush = nextEvent(watchers[0]!, 'library:changed', (e) => e.clipIds?.includes(clip.id) ?? false);
    const card = unwrap((await submit(t.mo, clip.id, { scores: fullScores(1, 'Quixotic note'), summary: secret, nextSteps: 'Xylophone next' })).result).scorecard;
    await maxPush;
    for (const who of [t.max, t.tom, t.olga]) {
      // The scorecard itself, and the rep's history.
      expectRefused(await scorecardOf(who, clip.id), 'FORBIDDEN');
      expectRefused(await getWithQuery(t.server.url, routes.scorecards, who.token, { rep: t.rita.user.id }), 'FORBIDDEN');
      expectRefused(
        await api(t.server.url, routes.editScorecard, { token: who.token, params: { id: card.id }, body: { scores: fullScores(), summary: 'x' } }),
        'NOT_FOUND',
      );
      // Clip payloads, the library and its search carry none of it.
      const detail = JSON.stringify(unwrap((await api(t.server.url, routes.clip, { token: who.token, params: { id: clip.id } })).result));
      const library = JSON.stringify(unwrap((await getWithQuery(t.server.url, routes.clips, who.token, {})).result));
      for (const text of [detail, library]) for (const word of ['Zanzibarish', 'Quixotic', 'Xylophone', '"score"']) expect(text).not.toContain(word);
      for (const q of ['Zanzibarish', 'Quixotic', 'Xylophone']) {
        expect(unwrap((await getWithQuery(t.server.url, routes.clips, who.token, { q })).result).clips).toEqual([]);
      }
    }
    // Pushes named the clip (its reviewed flag changed) and nothing of the scores.
    expect(seen.some((s) => s.includes(clip.id))).toBe(true);
    for (const word of ['Zanzibarish', 'Quixotic', 'Xylophone', 'score']) expect(seen.join('\n')).not.toContain(word);
    // The rep does see them.
    expect(unwrap((await scorecardOf(t.rita, clip.id)).result).scorecard?.summary).toBe(secret);
  });

  it('a rep sees their own scorecards oldest first; managers see any rep’s', async () => {
    const mine = unwrap((await getWithQuery(t.server.url, routes.scorecards, t.rita.token, {})).result);
    expect(mine.rep).toEqual({ id: t.rita.user.id, name: 'Rita Rep' });
    expect(mine.scorecards.length).toBeGreaterThanOrEqual(2);
    const times = mine.scorecards.map((c) => c.createdAt);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(mine.scorecards.every((c) => c.repId === t.rita.user.id)).toBe(true);
    const byManager = unwrap((await getWithQuery(t.server.url, routes.scorecards, t.mia.token, { rep: t.rita.user.id })).result);
    expect(byManager.scorecards.map((c) => c.id)).toEqual(mine.scorecards.map((c) => c.id));
    // Olga has none; she sees an empty history, not Rita's.
    expect(unwrap((await getWithQuery(t.server.url, routes.scorecards, t.olga.token, {})).result).scorecards).toEqual([]);
  });
});

describe('rubric', () => {
  it('an admin changes the rubric; past scorecards keep the skills they were scored on; refuses: a manager cannot change it', async () => {
    expect(unwrap((await api(t.server.url, routes.rubric, { token: t.tom.token })).result).skills).toEqual([...DEFAULT_RUBRIC]);
    expectRefused(await api(t.server.url, routes.updateRubric, { token: t.mia.token, body: { skills: ['Listening'] } }), 'FORBIDDEN');
    expectRefused(await api(t.server.url, routes.updateRubric, { token: t.admin.token, body: { skills: [] } }), 'BAD_REQUEST');
    expectRefused(await api(t.server.url, routes.updateRubric, { token: t.admin.token, body: { skills: ['Tone', 'tone'] } }), 'BAD_REQUEST');
    expect(unwrap((await api(t.server.url, routes.rubric, { token: t.admin.token })).result).skills).toEqual([...DEFAULT_RUBRIC]);

    const oldCard = unwrap((await scorecardOf(t.rita, t.ritaClips[0]!.id)).result).scorecard!;
    unwrap((await api(t.server.url, routes.updateRubric, { token: t.admin.token, body: { skills: ['Listening', 'Next steps'] } })).result);
    expect(unwrap((await api(t.server.url, routes.rubric, { token: t.mia.token })).result).skills).toEqual(['Listening', 'Next steps']);
    expect(unwrap((await scorecardOf(t.rita, t.ritaClips[0]!.id)).result).scorecard).toEqual(oldCard);

    // New scorecards use the new rubric; the old skills are unknown now.
    const clip = t.olgaClips[0]!;
    expectRefused(await submit(t.mia, clip.id, { scores: fullScores(), summary: 'x' }), 'BAD_REQUEST');
    const card = unwrap(
      (await submit(t.mia, clip.id, { scores: [{ skill: 'next steps', score: 2 }, { skill: 'Listening', score: 5 }], summary: 'New rubric' })).result,
    ).scorecard;
    expect(card.scores.map((s) => [s.skill, s.score])).toEqual([['Listening', 5], ['Next steps', 2]]);
    // Editing an old scorecard keeps its own skills.
    const edited = unwrap(
      (await api(t.server.url, routes.editScorecard, { token: t.mia.token, params: { id: oldCard.id }, body: { scores: fullScores(5), summary: 'Kept' } }))
        .result,
    ).scorecard;
    expect(edited.scores.map((s) => s.skill)).toEqual([...DEFAULT_RUBRIC]);
  });
});
