/**
 * Two weeks of KNOWN activity for the metrics tests, written through the server's own stores
 * (calls, listens, clips, comments, scorecards, questions) with chosen times, and the exact
 * numbers the metrics must report for them.
 *
 * Weeks: W1 starts Monday 2026-11-16 00:00 UTC, W2 Monday 2026-11-23. "Now" is Wednesday of W2,
 * 12:00 UTC (the test server's clock), while one call and one listen are still open.
 */
import { WEEK_MS } from '../../contract';
import { CallStore } from '../../server/store/call-store';
import { ClipStore } from '../../server/store/clip-store';
import type { Store } from '../../server/store/db';
import { QuestionStore } from '../../server/store/question-store';
import { ReviewStore } from '../../server/store/review-store';

export const W1 = '2026-11-16';
export const W2 = '2026-11-23';
const T1 = Date.parse(`${W1}T00:00:00Z`);
const T2 = T1 + WEEK_MS;
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** The server's clock during the test: Wednesday of W2, 12:00 UTC. */
export const METRICS_NOW = T2 + 2 * DAY + 12 * HOUR;

export interface MetricsPeople {
  teamId: string;
  /** Admin Alice. */
  alice: string;
  /** Mentor of Rita. */
  max: string;
  rita: string;
  olga: string;
  /** Manager. */
  mia: string;
}

/** Writes the two weeks; resolves when every write has landed. */
export async function seedMetricsWeeks(store: Store, p: MetricsPeople): Promise<void> {
  const calls = new CallStore(store);
  const clips = new ClipStore(store);
  const reviews = new ReviewStore(store);
  const questions = new QuestionStore(store);
  const teamId = p.teamId;
  let n = 0;
  const id = (prefix: string) => `${prefix}-${++n}`;

  const call = async (hostId: string, startedAt: number, endedAt: number | null, title: string) => {
    const callId = id('call');
    await calls.insertCall({ id: callId, teamId, hostId, title, account: null, policy: 'team', startedAt });
    if (endedAt !== null) await calls.endCall(callId, 'host-ended', endedAt);
    return callId;
  };
  const listen = async (callId: string, userId: string, joinedAt: number, leftAt: number | null) => {
    const listenId = id('listen');
    await calls.listenStarted(listenId, callId, userId, joinedAt);
    if (leftAt !== null) await calls.listenEnded(listenId, leftAt);
  };
  const clip = async (callId: string, clipperId: string, at: number) => {
    const clipId = id('clip');
    await clips.insert({
      id: clipId, teamId, callId, clipperId, title: `Clip ${clipId}`, note: '', tags: [], visibility: 'team',
      rangeKind: 'wall', rangeStart: at - 30_000, rangeEnd: at, createdAt: at, readyAt: at,
    });
    return clipId;
  };
  const comment = (clipId: string, authorId: string, at: number) =>
    clips.addComment({ id: id('comment'), clipId, parentId: null, authorId, atMs: 0, body: 'Nice moment', at });
  const scorecard = (clipId: string, repId: string, reviewerId: string, at: number) =>
    reviews.insert({ id: id('card'), teamId, clipId, repId, reviewerId, scores: [{ skill: 'Discovery', score: 4, note: '' }], summary: 'Good', nextSteps: '', at });
  const ask = async (callId: string, askerId: string, at: number) => {
    const questionId = id('question');
    await questions.insert({ id: questionId, teamId, callId, askerId, text: 'Why that price?', atMs: 1000, anonymous: false, shareWithManagers: false, at });
    return questionId;
  };

  // Before the range: counts nowhere.
  const old = await call(p.max, T1 - 2 * DAY, T1 - 2 * DAY + HOUR, 'Old call');
  await listen(old, p.rita, T1 - 2 * DAY, T1 - 2 * DAY + HOUR);
  await clip(old, p.rita, T1 - 2 * DAY + 10 * MIN);

  // W1, Tuesday 10:00–11:00: Max hosts. Rita listens 30 min; Olga stays past the end (10 min count).
  const tue = T1 + DAY;
  const c1 = await call(p.max, tue + 10 * HOUR, tue + 11 * HOUR, 'Max W1');
  await listen(c1, p.rita, tue + 10 * HOUR + 5 * MIN, tue + 10 * HOUR + 35 * MIN);
  await listen(c1, p.olga, tue + 10 * HOUR + 50 * MIN, tue + 11 * HOUR + 20 * MIN);
  // Sunday 23:30 → Monday 00:30: Olga hosts across the week boundary; Rita listens 23:40–00:20.
  const c2 = await call(p.olga, T2 - 30 * MIN, T2 + 30 * MIN, 'Olga across weeks');
  await listen(c2, p.rita, T2 - 20 * MIN, T2 + 20 * MIN);
  // W2 Tuesday 09:00–09:30: Rita hosts, her mentor Max listens throughout.
  const c4 = await call(p.rita, T2 + DAY + 9 * HOUR, T2 + DAY + 9 * HOUR + 30 * MIN, 'Rita W2');
  await listen(c4, p.max, T2 + DAY + 9 * HOUR, T2 + DAY + 9 * HOUR + 30 * MIN);
  // W2 Wednesday from 11:00, still live at 12:00: Max hosts; Rita listens from 11:30 (still open),
  // Mia 11:15–11:45.
  const wed = T2 + 2 * DAY;
  const c3 = await call(p.max, wed + 11 * HOUR, null, 'Max live now');
  await listen(c3, p.rita, wed + 11 * HOUR + 30 * MIN, null);
  await listen(c3, p.mia, wed + 11 * HOUR + 15 * MIN, wed + 11 * HOUR + 45 * MIN);
  await calls.idle();

  // Clips and their first manager comments. W1: Rita's two clips (Mia after 10 min, Alice after
  // 30: median 20 min; Max is no manager, Rita's own comment is hers); Olga's one (5 min).
  const k1 = await clip(c1, p.rita, tue + 10 * HOUR + 20 * MIN);
  await comment(k1, p.max, tue + 10 * HOUR + 22 * MIN);
  await comment(k1, p.mia, tue + 10 * HOUR + 30 * MIN);
  await comment(k1, p.mia, tue + 10 * HOUR + 40 * MIN);
  const k2 = await clip(c1, p.rita, tue + 10 * HOUR + 25 * MIN);
  await comment(k2, p.rita, tue + 10 * HOUR + 26 * MIN);
  await comment(k2, p.alice, tue + 10 * HOUR + 55 * MIN);
  const k3 = await clip(c1, p.olga, tue + 10 * HOUR + 55 * MIN);
  await comment(k3, p.mia, tue + 11 * HOUR);
  // W2: Rita's three commented clips (15, 5 and 10 min: median 10) and one that failed to cut.
  const k4 = await clip(c3, p.rita, wed + 11 * HOUR + 40 * MIN);
  await comment(k4, p.mia, wed + 11 * HOUR + 55 * MIN);
  const k6 = await clip(c3, p.rita, wed + 11 * HOUR + 41 * MIN);
  await comment(k6, p.mia, wed + 11 * HOUR + 46 * MIN);
  const k7 = await clip(c3, p.rita, wed + 11 * HOUR + 42 * MIN);
  await comment(k7, p.mia, wed + 11 * HOUR + 52 * MIN);
  const failed = await clip(c3, p.rita, wed + 11 * HOUR + 43 * MIN);
  await clips.markFailed(failed, wed + 11 * HOUR + 44 * MIN);
  // Mia's own clip with only her own comment: no median for her.
  const k8 = await clip(c3, p.mia, wed + 11 * HOUR + 44 * MIN);
  await comment(k8, p.mia, wed + 11 * HOUR + 45 * MIN);
  // Max clips Rita's call.
  const k9 = await clip(c4, p.max, T2 + DAY + 9 * HOUR + 15 * MIN);

  // Scorecards rate the call's host: Mia W1 on Max's call; Alice W2 on Max's; Mia W2 on Rita's.
  await scorecard(k1, p.max, p.mia, tue + 15 * HOUR);
  await scorecard(k4, p.max, p.alice, wed + 11 * HOUR + 50 * MIN);
  await scorecard(k9, p.rita, p.mia, wed + 9 * HOUR);

  // Questions: Rita asks twice in W1 (one answered that week, one dismissed), Olga once (answered
  // in W2), Rita once in W2 (still open).
  const q1 = await ask(c1, p.rita, tue + 10 * HOUR + 10 * MIN);
  await questions.answer(teamId, q1, 'Anchoring.', tue + 12 * HOUR);
  const q2 = await ask(c1, p.olga, tue + 10 * HOUR + 55 * MIN);
  await questions.answer(teamId, q2, 'Because.', T2 + 9 * HOUR);
  const q4 = await ask(c1, p.rita, tue + 10 * HOUR + 12 * MIN);
  await questions.dismiss(teamId, q4);
  await ask(c3, p.rita, wed + 11 * HOUR + 35 * MIN);
}

/** What the metrics must say, per person and week (minutes and counts; every other count is 0). */
export const EXPECTED = {
  [W1]: {
    rita: { listenedMin: 50, hostsShadowed: 2, clipsMade: 2, questionsAsked: 2, medianMin: 20 },
    olga: { listenedMin: 10, hostsShadowed: 1, callsHosted: 1, teachingMin: 20, clipsMade: 1, questionsAsked: 1, medianMin: 5 },
    max: { callsHosted: 1, teachingMin: 40, callClipsReviewed: 1, questionsAnswered: 1 },
    mia: { scorecardsGiven: 1 },
    alice: {},
    eve: {},
  },
  [W2]: {
    rita: { listenedMin: 50, hostsShadowed: 2, callsHosted: 1, teachingMin: 30, clipsMade: 3, callClipsReviewed: 1, questionsAsked: 1, medianMin: 10 },
    olga: { teachingMin: 20 },
    max: { listenedMin: 30, hostsShadowed: 1, callsHosted: 1, teachingMin: 60, clipsMade: 1, callClipsReviewed: 1, questionsAnswered: 1 },
    mia: { listenedMin: 30, hostsShadowed: 1, clipsMade: 1, scorecardsGiven: 1 },
    alice: { scorecardsGiven: 1 },
    eve: {},
  },
} as const;
