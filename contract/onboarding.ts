import { z } from 'zod';
import { CallKind } from './calls';
import { Id } from './team';
import { multiLineText, singleLineText } from './text';

/**
 * Onboarding paths: ordered steps a manager builds and assigns with a start and due date. Clip,
 * talk track and task steps are done by what the assignee does (played, acknowledged, ticked);
 * shadow and host-with-mentor steps are computed from the listens the server records.
 */

/** A listen of at least this long counts for shadow and host-with-mentor steps. */
export const MIN_COUNTED_LISTEN_MS = 5 * 60_000;
/** Share of a clip that must have been played for its step to be done. */
export const CLIP_PLAYED_SHARE = 0.9;
/** The fastest speed the clip player offers (renderer/src/media/clip-player.ts `PLAYBACK_RATES`). */
export const MAX_PLAYBACK_RATE = 2;
/**
 * A playback report is believed only if the wall time since the step's first report is at least
 * the seconds it claims played, played at {@link MAX_PLAYBACK_RATE}, times 0.9 (so a 40 s clip
 * cannot be "heard" in 5 s), less {@link PLAYBACK_SLACK_MS} for timer and network jitter.
 */
export const PLAYBACK_PACE = 0.9 / MAX_PLAYBACK_RATE;
export const PLAYBACK_SLACK_MS = 100;
export const MAX_PATH_STEPS = 50;

export const StepKind = z.enum(['clip', 'talk-track', 'shadow', 'host-with-mentor', 'task']);
export type StepKind = z.infer<typeof StepKind>;

/** The call kind a shadow step counts: one kind, or any call. */
export const ShadowCallKind = z.union([CallKind, z.literal('any')]);
export type ShadowCallKind = z.infer<typeof ShadowCallKind>;

export const TaskText = singleLineText().trim().min(1, 'is required').max(300, 'must be at most 300 characters');

/** What a step asks, by kind (stored as the step's settings; changing them makes it a new step). */
export const StepConfig = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('clip'), clipId: Id }),
  z.object({ kind: z.literal('talk-track'), trackId: Id }),
  z.object({
    kind: z.literal('shadow'),
    count: z.number({ error: 'must be a number' }).int('must be a whole number').min(1, 'at least 1').max(50, 'at most 50'),
    callKind: ShadowCallKind,
  }),
  z.object({ kind: z.literal('host-with-mentor') }),
  z.object({ kind: z.literal('task'), text: TaskText }),
]);
export type StepConfig = z.infer<typeof StepConfig>;

/**
 * A step as an edit sends it: `id` names an existing step of the path, kept (with everyone's
 * progress on it) when what it asks is unchanged; without an id, or with changed settings, it is
 * a new step. Steps of the path left out are removed (their progress no longer counts).
 */
export const StepInput = z.intersection(z.object({ id: Id.optional() }), StepConfig);
export type StepInput = z.input<typeof StepInput>;

export const PathName = singleLineText().trim().min(1, 'is required').max(100, 'must be at most 100 characters');

export const PathBody = z.object({
  name: PathName,
  description: multiLineText().trim().max(2000, 'must be at most 2000 characters').default(''),
  steps: z.array(StepInput).min(1, 'add at least one step').max(MAX_PATH_STEPS, `at most ${MAX_PATH_STEPS} steps`),
});
export type PathBody = z.input<typeof PathBody>;

/** A step of a path with what it points to, as the manager sees it. */
export const PathStep = z.intersection(
  z.object({
    id: Id,
    /** The clip's or talk track's title, when it still exists. */
    title: z.string().nullable(),
    /** False when its clip or talk track was deleted (or the clip is no longer one the viewer may see). */
    available: z.boolean(),
  }),
  StepConfig,
);
export type PathStep = z.infer<typeof PathStep>;

export const PathSchema = z.object({
  id: Id,
  name: z.string(),
  description: z.string(),
  steps: z.array(PathStep),
  createdAt: z.number(),
  updatedAt: z.number(),
  assigneeCount: z.number().int(),
});
export type Path = z.infer<typeof PathSchema>;

/** Why a step cannot be done: its clip or talk track is gone, or the clip is hidden from the assignee. */
export const UnavailableReason = z.enum(['deleted', 'not-visible']);

/** One step of one assignment with the assignee's progress on it. */
export const StepProgress = z.intersection(
  z.object({
    id: Id,
    title: z.string().nullable(),
    state: z.enum(['done', 'todo', 'unavailable']),
    /** When it was done (for computed steps: when the count was reached). */
    doneAt: z.number().nullable(),
    unavailable: UnavailableReason.nullable(),
    /** Shadow steps: qualifying calls so far (capped at the count); host-with-mentor: 0 or 1. */
    have: z.number().int().nullable(),
    /** Talk track steps: whether the assignee opened it (acknowledging needs that). */
    opened: z.boolean(),
    /** Clip steps: the share played so far (0..1). */
    playedShare: z.number().nullable(),
  }),
  StepConfig,
);
export type StepProgress = z.infer<typeof StepProgress>;

/**
 * A path assigned to one person with their progress. `total` leaves out steps that became
 * unavailable before they were done (they cannot block completion); `done` counts done steps.
 */
export const AssignmentSchema = z.object({
  id: Id,
  pathId: Id,
  pathName: z.string(),
  userId: Id,
  userName: z.string(),
  startAt: z.number(),
  dueAt: z.number(),
  assignedAt: z.number(),
  steps: z.array(StepProgress),
  done: z.number().int(),
  total: z.number().int(),
  unavailable: z.number().int(),
  /** The due date passed with steps left. */
  overdue: z.boolean(),
});
export type Assignment = z.infer<typeof AssignmentSchema>;

const DAY_MS = 86_400_000;

export const AssignBody = z
  .object({
    userIds: z.array(Id).min(1, 'pick at least one person').max(100),
    startAt: z.number().int().min(0),
    dueAt: z.number().int().min(0),
  })
  .refine((b) => b.dueAt > b.startAt, { message: 'the due date must be after the start date', path: ['dueAt'] })
  .refine((b) => b.dueAt - b.startAt <= 366 * DAY_MS, { message: 'a path may run for at most a year', path: ['dueAt'] });
export type AssignBody = z.input<typeof AssignBody>;

/** What the assignee did on a step: opened (talk track), acknowledged (talk track), ticked or unticked (task). */
export const StepActionBody = z.object({ action: z.enum(['open', 'acknowledge', 'tick', 'untick']) });
export type StepActionBody = z.infer<typeof StepActionBody>;

/** Seconds of a clip the player played, as `[start, end]` ranges (merged by the server). */
export const PlaybackBody = z.object({
  ranges: z
    .array(z.tuple([z.number().min(0).max(36_000), z.number().min(0).max(36_000)]).refine(([a, b]) => b >= a, 'a range must end after it starts'))
    .max(500),
});
export type PlaybackBody = z.infer<typeof PlaybackBody>;

export const NudgeNote = singleLineText().trim().max(200, 'must be at most 200 characters');
export const NudgeBody = z.object({ note: NudgeNote.default('') });
export type NudgeBody = z.input<typeof NudgeBody>;

export const AssignmentStepParams = z.object({ id: Id, stepId: Id });

export const PathsReply = z.object({ paths: z.array(PathSchema) });
export const PathReply = z.object({ path: PathSchema });
export const PathDetailReply = z.object({ path: PathSchema, assignments: z.array(AssignmentSchema) });
export const AssignmentsReply = z.object({ assignments: z.array(AssignmentSchema) });
export const AssignmentReply = z.object({ assignment: AssignmentSchema });

/** Seconds of a clip that were played, `[start, end]`. */
export type PlayedRange = [number, number];

/**
 * Sorted, merged ranges (overlapping or touching within 50 ms join), clipped to `[0, max]`.
 * The player and the server both use it, so they agree on what "played" covers.
 */
export function mergeRanges(ranges: readonly PlayedRange[], max = Number.POSITIVE_INFINITY): PlayedRange[] {
  const clipped = ranges
    .map(([a, b]): PlayedRange => [Math.max(0, Math.min(a, max)), Math.max(0, Math.min(b, max))])
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  const out: PlayedRange[] = [];
  for (const [a, b] of clipped) {
    const last = out[out.length - 1];
    if (last && a <= last[1] + 0.05) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/** How many seconds the ranges cover (after merging). */
export function coveredSeconds(ranges: readonly PlayedRange[]): number {
  return mergeRanges(ranges).reduce((sum, [a, b]) => sum + (b - a), 0);
}
