import { z } from 'zod';
import { ClipSummary, ClipTag } from './clips';
import { Id } from './team';
import { multiLineText, singleLineText } from './text';

/**
 * Manager reviews: the team's rubric (the skills a clip is scored on) and scorecards. A
 * scorecard rates a person, the host of the clip's call (the "rep"): only that rep, managers and
 * admins ever see one. Submitting a scorecard marks its clip reviewed (the clip's `reviewed` flag
 * is the one record of that).
 */

/** The rubric a team starts with until its admin changes it. */
export const DEFAULT_RUBRIC = ['Discovery', 'Objection handling', 'Pricing', 'Closing', 'Rapport'] as const;
export const MIN_SCORE = 1;
export const MAX_SCORE = 5;

/** One skill's name as the rubric spells it. */
export const SkillName = singleLineText().trim().min(1, 'is required').max(40, 'must be at most 40 characters');

/** The team's rubric: 1 to 12 skills, each named once (case does not make a new skill). */
export const Rubric = z
  .array(SkillName)
  .min(1, 'needs at least one skill')
  .max(12, 'at most 12 skills')
  .refine((skills) => new Set(skills.map((s) => s.toLowerCase())).size === skills.length, 'each skill may appear once');
export type Rubric = z.infer<typeof Rubric>;

export const RubricReply = z.object({ skills: z.array(z.string()) });
export const UpdateRubricBody = z.object({ skills: Rubric });
export type UpdateRubricBody = z.input<typeof UpdateRubricBody>;

/** A 1–5 score of one skill with an optional note. */
export const SkillScore = z.object({
  skill: SkillName,
  score: z
    .number({ error: `pick a score from ${MIN_SCORE} to ${MAX_SCORE}` })
    .int('must be a whole number').min(MIN_SCORE, `must be ${MIN_SCORE} to ${MAX_SCORE}`).max(MAX_SCORE, `must be ${MIN_SCORE} to ${MAX_SCORE}`),
  note: multiLineText().trim().max(1000, 'must be at most 1000 characters').default(''),
});
export type SkillScore = z.infer<typeof SkillScore>;

/**
 * What a reviewer submits (or edits): a score for every skill of the rubric (the team's current
 * one for a new scorecard, the one it was scored on for an edit), a summary and what to try next.
 */
export const ScorecardBody = z.object({
  scores: z
    .array(SkillScore)
    .min(1, 'score at least one skill')
    .max(12)
    .refine((s) => new Set(s.map((x) => x.skill.toLowerCase())).size === s.length, 'each skill may be scored once'),
  summary: multiLineText().trim().min(1, 'is required').max(4000, 'must be at most 4000 characters'),
  nextSteps: multiLineText().trim().max(4000, 'must be at most 4000 characters').default(''),
});
export type ScorecardBody = z.input<typeof ScorecardBody>;

export const Scorecard = z.object({
  id: Id,
  clipId: Id,
  clipTitle: z.string(),
  callTitle: z.string(),
  /** The reviewed person: the host of the clip's call. */
  repId: Id,
  repName: z.string(),
  reviewerId: Id,
  reviewerName: z.string(),
  /** The skills it was scored on, in rubric order (kept when the rubric changes later). */
  scores: z.array(z.object({ skill: z.string(), score: z.number().int(), note: z.string() })),
  summary: z.string(),
  nextSteps: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
  /** Only its reviewer may edit it. */
  canEdit: z.boolean(),
});
export type Scorecard = z.infer<typeof Scorecard>;

export const REVIEW_QUEUE_PAGE_SIZE = 20;

/** Review queue filters (query string of `GET /api/reviews/queue`). */
export const ReviewQueueQuery = z.object({
  /** The rep whose call the clip is from. */
  rep: Id.optional(),
  tag: ClipTag.optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
});
export type ReviewQueueQuery = z.input<typeof ReviewQueueQuery>;

export const ReviewQueueReply = z.object({
  clips: z.array(ClipSummary),
  /** Unreviewed clips matching the filters, over every page. */
  total: z.number().int().nonnegative(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type ReviewQueueReply = z.infer<typeof ReviewQueueReply>;

export const ScorecardReply = z.object({ scorecard: Scorecard });
/** A clip's scorecard for those who may see it (null: not reviewed with a scorecard). */
export const ClipScorecardReply = z.object({ scorecard: Scorecard.nullable() });

/** `GET /api/scorecards`: one rep's scorecards, oldest first (the caller's own unless `rep` names someone else). */
export const ScorecardsQuery = z.object({ rep: Id.optional() });
export type ScorecardsQuery = z.input<typeof ScorecardsQuery>;
export const ScorecardsReply = z.object({
  rep: z.object({ id: Id, name: z.string() }),
  scorecards: z.array(Scorecard),
});
export type ScorecardsReply = z.infer<typeof ScorecardsReply>;
