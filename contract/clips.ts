import { z } from 'zod';
import { Id } from './team';
import { multiLineText, singleLineText } from './text';

/**
 * Recording, clips, comments and the team library: the shapes every side shares.
 *
 * Times: `*At` fields are wall-clock epoch ms (server clock). `startMs`, `atMs`, `durationMs`
 * are media time in ms: a clip's `startMs` is its offset into the call's recording, a comment's
 * `atMs` its offset into the clip.
 */

/** Tags offered everywhere; people may add their own (see {@link ClipTag}). */
export const STANDARD_CLIP_TAGS = ['discovery', 'objection', 'pricing', 'closing', 'rapport'] as const;

/** One tag: lower case letters, digits, spaces and dashes. */
export const ClipTag = singleLineText()
  .trim()
  .toLowerCase()
  .min(1, 'is empty')
  .max(32, 'must be at most 32 characters')
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} -]*$/u, 'may use letters, digits, spaces and dashes');
export const ClipTags = z
  .array(ClipTag)
  .max(12, 'at most 12 tags')
  .transform((tags) => [...new Set(tags)]);

/** Who may see a clip. The clipper and the call's host always may. */
export const ClipVisibility = z.enum(['team', 'managers', 'private']);
export type ClipVisibility = z.infer<typeof ClipVisibility>;

export const ClipTitle = singleLineText().trim().max(120, 'must be at most 120 characters');
export const ClipNote = multiLineText().trim().max(4000, 'must be at most 4000 characters');

/** Seconds of audio before / after the moment a clip is marked. Per-user settings. */
export const PreRollSec = z.number().int().min(0).max(120);
export const PostRollSec = z.number().int().min(0).max(60);
export const DEFAULT_PRE_ROLL_SEC = 30;
export const DEFAULT_POST_ROLL_SEC = 10;
/** The longest clip one can save from a kept recording. */
export const MAX_CLIP_MS = 10 * 60_000;

/** Recording retention the admin sets, in days. */
export const RetentionDays = z.number().int().min(1).max(3650);
export const DEFAULT_RETENTION_DAYS = 30;

/**
 * How a host goes live with recording. Recording on requires confirming that the customer was
 * told; the server stores who confirmed and when.
 */
export const RecordingChoice = z
  .object({ enabled: z.boolean(), customerInformed: z.boolean() })
  .refine((r) => !r.enabled || r.customerInformed, {
    message: 'confirm the customer was told the call is recorded',
    path: ['customerInformed'],
  });
export type RecordingChoice = z.infer<typeof RecordingChoice>;

/** `pending`: waiting for the post-roll to end; `ready`: playable; `failed`: nothing to cut. */
export const ClipStatus = z.enum(['pending', 'ready', 'failed']);
export type ClipStatus = z.infer<typeof ClipStatus>;

export const ClipSummary = z.object({
  id: Id,
  callId: Id,
  callTitle: z.string(),
  account: z.string().nullable(),
  hostId: Id,
  hostName: z.string(),
  clipperId: Id,
  clipperName: z.string(),
  title: z.string(),
  note: z.string(),
  tags: z.array(z.string()),
  visibility: ClipVisibility,
  status: ClipStatus,
  /** Offset of the clip into the call's recording (known once ready). */
  startMs: z.number(),
  durationMs: z.number(),
  createdAt: z.number(),
  /** When the clip became (or is expected to become) playable. */
  readyAt: z.number(),
  commentCount: z.number().int(),
  reviewed: z.boolean(),
  /** What the viewer may do with it. */
  canEdit: z.boolean(),
  canDelete: z.boolean(),
});
export type ClipSummary = z.infer<typeof ClipSummary>;

export const ClipComment = z.object({
  id: Id,
  clipId: Id,
  /** The comment this one replies to (threads are one level deep: replies to the thread's root). */
  parentId: Id.nullable(),
  authorId: Id,
  authorName: z.string(),
  atMs: z.number(),
  body: z.string(),
  createdAt: z.number(),
  editedAt: z.number().nullable(),
  canEdit: z.boolean(),
  canDelete: z.boolean(),
});
export type ClipComment = z.infer<typeof ClipComment>;

/** The longest comment (a comment is a remark at a moment; longer thoughts go in the clip's note). */
export const MAX_COMMENT_CHARS = 2000;
/** The most comments (replies included) one clip holds; past it the server answers CONFLICT. */
export const MAX_COMMENTS_PER_CLIP = 500;
export const CommentBody = multiLineText()
  .trim()
  .min(1, 'is required')
  .max(MAX_COMMENT_CHARS, `must be at most ${MAX_COMMENT_CHARS} characters`);
export const MediaMs = z.number().int().min(0).max(24 * 3600_000);

/** Library filters (query string of `GET /api/clips`). All optional. */
export const LibraryQuery = z.object({
  q: z.string().trim().max(200).optional(),
  /** The rep whose call it was (host) or who clipped it. */
  rep: Id.optional(),
  tag: ClipTag.optional(),
  /** Inclusive wall-clock range of `createdAt`, epoch ms. */
  from: z.coerce.number().int().min(0).optional(),
  to: z.coerce.number().int().min(0).optional(),
  reviewed: z.enum(['yes', 'no']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});
export type LibraryQuery = z.input<typeof LibraryQuery>;

export const UpdateClipBody = z
  .object({
    title: ClipTitle.optional(),
    note: ClipNote.optional(),
    tags: ClipTags.optional(),
    visibility: ClipVisibility.optional(),
    /** Managers mark a clip reviewed (or not). */
    reviewed: z.boolean().optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'nothing to change');
export type UpdateClipBody = z.input<typeof UpdateClipBody>;

export const AddCommentBody = z.object({ atMs: MediaMs, body: CommentBody, parentId: Id.nullable().default(null) });
export type AddCommentBody = z.input<typeof AddCommentBody>;
export const EditCommentBody = z.object({ body: CommentBody });

/** A call's kept recording, as its list and range picker show it. */
export const RecordingSummary = z.object({
  callId: Id,
  callTitle: z.string(),
  account: z.string().nullable(),
  hostId: Id,
  hostName: z.string(),
  startedAt: z.number(),
  endedAt: z.number().nullable(),
  durationMs: z.number(),
  /** `recording` while the call is live. */
  state: z.enum(['recording', 'kept']),
  /** When the full recording will be deleted (clips stay). */
  expiresAt: z.number().nullable(),
  consentBy: z.string(),
  consentAt: z.number(),
  clipCount: z.number().int(),
  canDiscard: z.boolean(),
});
export type RecordingSummary = z.infer<typeof RecordingSummary>;

/** Saves a clip from a kept recording: a range in media ms of the recording. */
export const ClipFromRecordingBody = z
  .object({
    startMs: MediaMs,
    endMs: MediaMs,
    title: ClipTitle.default(''),
    note: ClipNote.default(''),
    tags: ClipTags.default([]),
    visibility: ClipVisibility.default('team'),
  })
  .refine((b) => b.endMs > b.startMs, { message: 'must be after the start', path: ['endMs'] })
  .refine((b) => b.endMs - b.startMs <= MAX_CLIP_MS, { message: 'a clip may be at most 10 minutes', path: ['endMs'] });
export type ClipFromRecordingBody = z.input<typeof ClipFromRecordingBody>;

export const TeamSettings = z.object({
  retentionDays: RetentionDays,
  /** Reps may write talk tracks too (mentors, managers and admins always may). */
  repsWriteTalkTracks: z.boolean(),
  /**
   * Managers and admins may join any call they may see, whatever the host chose at go-live
   * (default on). Off: a host may keep them out of a call.
   */
  managersAlwaysJoin: z.boolean(),
});
export type TeamSettings = z.infer<typeof TeamSettings>;

const Count = z.number().int().nonnegative();

/**
 * The team's audio on disk (admins only): full recordings still kept (or being recorded) and
 * ready clips, as the server tracks them when it writes and deletes files, plus today's use of
 * the team's daily clip budget.
 */
export const TeamUsage = z.object({
  recordingsBytes: Count,
  recordings: Count,
  clipsBytes: Count,
  clips: Count,
  /** Minutes of clips cut in the current day's window, and the most the team may cut per day. */
  clipMinutesToday: Count,
  clipMinutesPerDay: Count,
});
export type TeamUsage = z.infer<typeof TeamUsage>;

/** `clip:mark` payload: mark the moment now in a live, recorded call. */
export const ClipMarkPayload = z.object({
  callId: Id,
  preRollSec: PreRollSec.default(DEFAULT_PRE_ROLL_SEC),
  postRollSec: PostRollSec.default(DEFAULT_POST_ROLL_SEC),
  title: ClipTitle.default(''),
  note: ClipNote.default(''),
  tags: ClipTags.default([]),
  visibility: ClipVisibility.default('team'),
});

/** The title a clip shows when its clipper gave none. */
export function clipDisplayTitle(clip: Pick<ClipSummary, 'title' | 'callTitle'>): string {
  return clip.title || `Moment from “${clip.callTitle}”`;
}
