import type { z } from 'zod';
import {
  BullpenError,
  REVIEW_QUEUE_PAGE_SIZE,
  type ReviewQueueQuery,
  type ReviewQueueReply,
  type Scorecard,
  type ScorecardBody,
  type ScorecardsReply,
  type User,
} from '../../contract';
import type { Caller } from '../auth/auth-service';
import { viewerOf, type ClipService } from '../clips/clip-service';
import { newId } from '../ids';
import type { Logger } from '../logger';
import type { ClipStore } from '../store/clip-store';
import type { ReviewStore, ScoreRecord, ScorecardRecord } from '../store/review-store';
import type { TeamStore } from '../store/team-store';
import { reviewPolicy } from './review-policy';

/** What the notifier needs when a clip was reviewed (wired to the notifications service). */
export interface ReviewedEvent {
  teamId: string;
  /** The reviewed rep: the host of the clip's call. */
  repId: string;
  /** Who made the clip (may be the rep, or a listener of the rep's call). */
  clipperId: string;
  clipId: string;
  reviewerId: string;
}

export interface ReviewServiceDeps {
  reviews: ReviewStore;
  clips: ClipService;
  clipStore: ClipStore;
  teams: TeamStore;
  log: Logger;
  /** Called once a new scorecard is stored (not on edits). */
  onReviewed?: (e: ReviewedEvent) => void;
}

const onlyManagers = () => new BullpenError('FORBIDDEN', 'Only managers can review clips.');
const hiddenScores = () => new BullpenError('FORBIDDEN', 'Scores are seen only by the reviewed rep and managers.');

/** The review rubric, the review queue and scorecards, with every role and team check. */
export class ReviewService {
  readonly #deps: ReviewServiceDeps;
  readonly #log: Logger;

  constructor(deps: ReviewServiceDeps) {
    this.#deps = deps;
    this.#log = deps.log.child({ component: 'reviews' });
  }

  async rubric(caller: Caller): Promise<string[]> {
    return await this.#deps.reviews.rubric(caller.team.id);
  }

  /** Admins change the rubric; scorecards already given keep the skills they were scored on. */
  async setRubric(caller: Caller, skills: string[]): Promise<string[]> {
    if (!reviewPolicy.mayEditRubric(caller.user)) throw new BullpenError('FORBIDDEN', 'Only admins can change the review rubric.');
    await this.#deps.reviews.setRubric(caller.team.id, skills);
    this.#log.info('rubric changed', { teamId: caller.team.id, userId: caller.user.id, skills: skills.length });
    return skills;
  }

  async queue(caller: Caller, query: z.output<typeof ReviewQueueQuery>): Promise<ReviewQueueReply> {
    if (!reviewPolicy.mayReview(caller.user)) throw onlyManagers();
    const pageSize = REVIEW_QUEUE_PAGE_SIZE;
    const { clips, total } = await this.#deps.clipStore.unreviewed(viewerOf(caller.user), {
      rep: query.rep,
      tag: query.tag,
      offset: (query.page - 1) * pageSize,
      limit: pageSize,
    });
    return { clips: clips.map((c) => this.#deps.clips.summaryFor(caller.user, c)), total, page: query.page, pageSize };
  }

  /** A clip's scorecard (null if none) for its rep and managers; FORBIDDEN for anyone else. */
  async forClip(caller: Caller, clipId: string): Promise<Scorecard | null> {
    const clip = await this.#deps.clips.visibleClip(caller, clipId);
    if (!reviewPolicy.maySeeScores(caller.user, clip.hostId)) throw hiddenScores();
    const card = await this.#deps.reviews.byClip(caller.team.id, clipId);
    return card ? this.#scorecard(caller.user, card) : null;
  }

  /** A manager reviews a clip: stores its scorecard on the team's rubric and marks it reviewed. */
  async submit(caller: Caller, clipId: string, body: z.output<typeof ScorecardBody>): Promise<Scorecard> {
    if (!reviewPolicy.mayReview(caller.user)) throw onlyManagers();
    const clip = await this.#deps.clips.visibleClip(caller, clipId);
    if (clip.hostId === caller.user.id) throw new BullpenError('FORBIDDEN', 'You cannot review a clip of your own call.');
    const scores = matchRubric(body.scores, await this.#deps.reviews.rubric(caller.team.id));
    const id = newId();
    await this.#deps.reviews.insert({
      id,
      teamId: caller.team.id,
      clipId,
      repId: clip.hostId,
      reviewerId: caller.user.id,
      scores,
      summary: body.summary,
      nextSteps: body.nextSteps,
      at: Date.now(),
    });
    this.#log.info('clip reviewed', { clipId, scorecardId: id, userId: caller.user.id });
    // The clip's `reviewed` changed: libraries refresh (the push names the clip, never its scores).
    this.#deps.clips.announceChange(caller.team.id, clip);
    this.#deps.onReviewed?.({ teamId: caller.team.id, repId: clip.hostId, clipperId: clip.clipperId, clipId, reviewerId: caller.user.id });
    return this.#scorecard(caller.user, (await this.#deps.reviews.byId(caller.team.id, id))!);
  }

  /** Its reviewer edits a scorecard, on the skills it was scored on. */
  async edit(caller: Caller, scorecardId: string, body: z.output<typeof ScorecardBody>): Promise<Scorecard> {
    const card = await this.#deps.reviews.byId(caller.team.id, scorecardId);
    if (!card || !reviewPolicy.maySeeScores(caller.user, card.repId)) {
      throw new BullpenError('NOT_FOUND', 'This scorecard was deleted or you cannot see it.');
    }
    if (!reviewPolicy.mayEditScorecard(caller.user, card)) throw new BullpenError('FORBIDDEN', 'Only the manager who wrote a scorecard can edit it.');
    const scores = matchRubric(body.scores, card.scores.map((s) => s.skill));
    await this.#deps.reviews.update(caller.team.id, scorecardId, { scores, summary: body.summary, nextSteps: body.nextSteps }, Date.now());
    const clip = await this.#deps.clipStore.byId(caller.team.id, card.clipId);
    if (clip) this.#deps.clips.announceChange(caller.team.id, clip);
    return this.#scorecard(caller.user, (await this.#deps.reviews.byId(caller.team.id, scorecardId))!);
  }

  /** A rep's scorecards over time: one's own, or (managers) any rep's of the team. */
  async forRep(caller: Caller, repId: string | undefined): Promise<ScorecardsReply> {
    const id = repId ?? caller.user.id;
    if (!reviewPolicy.maySeeScores(caller.user, id)) throw hiddenScores();
    const rep = await this.#deps.teams.member(caller.team.id, id);
    const cards = await this.#deps.reviews.forRep(caller.team.id, id);
    return { rep: { id: rep.id, name: rep.name }, scorecards: cards.map((c) => this.#scorecard(caller.user, c)) };
  }

  #scorecard(user: User, c: ScorecardRecord): Scorecard {
    const { teamId: _team, ...rest } = c;
    return { ...rest, canEdit: reviewPolicy.mayEditScorecard(user, c) };
  }
}

/**
 * The scores in rubric order, each skill of the rubric scored once and nothing else; the
 * rubric's spelling wins over the caller's case. BAD_REQUEST names what is missing or unknown.
 */
export function matchRubric(scores: ScoreRecord[], rubric: string[]): ScoreRecord[] {
  const byName = new Map(scores.map((s) => [s.skill.toLowerCase(), s]));
  const unknown = scores.filter((s) => !rubric.some((r) => r.toLowerCase() === s.skill.toLowerCase())).map((s) => s.skill);
  if (unknown.length > 0) throw new BullpenError('BAD_REQUEST', `Invalid request: not a skill of the rubric: ${unknown.join(', ')}`);
  const missing = rubric.filter((r) => !byName.has(r.toLowerCase()));
  if (missing.length > 0) throw new BullpenError('BAD_REQUEST', `Invalid request: score every skill; missing: ${missing.join(', ')}`);
  return rubric.map((skill) => {
    const s = byName.get(skill.toLowerCase())!;
    return { skill, score: s.score, note: s.note };
  });
}
