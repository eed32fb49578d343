import { z } from 'zod';
import { ClipSummary, ClipTag, ClipTags, MediaMs } from './clips';
import { Id, type Role } from './team';
import { multiLineText, singleLineText } from './text';

/**
 * Talk tracks: what seniors say in a situation and why it works, with example clips linked at
 * a moment. Every save is a new numbered version (1, 2, …); the track shows its latest.
 * Bodies are markdown, rendered by the app with raw HTML off and a sanitiser on.
 */

export const TalkTrackTitle = singleLineText().trim().min(1, 'is required').max(120, 'must be at most 120 characters');
export const TalkTrackSituation = multiLineText().trim().min(1, 'is required').max(2000, 'must be at most 2000 characters');
/** A markdown body ("what to say", "why it works"). */
export const TalkTrackBody = multiLineText().trim().max(20_000, 'must be at most 20000 characters');
export const ExampleCaption = singleLineText().trim().max(200, 'must be at most 200 characters');
/** The most example clips one track links. */
export const MAX_TALK_TRACK_EXAMPLES = 20;

/** An example clip as a version stores it: which clip, where in it, and what to listen for. */
export const TalkTrackExampleRef = z.object({ clipId: Id, atMs: MediaMs.default(0), caption: ExampleCaption.default('') });
export type TalkTrackExampleRef = z.infer<typeof TalkTrackExampleRef>;

/** What one version of a track says. */
export const TalkTrackContent = z.object({
  title: TalkTrackTitle,
  situation: TalkTrackSituation,
  whatToSay: TalkTrackBody.min(1, 'is required'),
  whyItWorks: TalkTrackBody.default(''),
  tags: ClipTags.default([]),
  examples: z
    .array(TalkTrackExampleRef)
    .max(MAX_TALK_TRACK_EXAMPLES, `at most ${MAX_TALK_TRACK_EXAMPLES} example clips`)
    .refine((ex) => new Set(ex.map((e) => `${e.clipId}@${e.atMs}`)).size === ex.length, 'the same clip moment is linked twice')
    .default([]),
});
export type TalkTrackContentInput = z.input<typeof TalkTrackContent>;
export type TalkTrackContent = z.output<typeof TalkTrackContent>;

/** A new track (version 1). */
export const CreateTalkTrackBody = TalkTrackContent;
/**
 * A new version on top of `baseVersion`, the version the editor started from: when someone
 * saved after it, the save is refused with CONFLICT and nothing changes.
 */
export const UpdateTalkTrackBody = TalkTrackContent.extend({ baseVersion: z.number().int().min(1) });
export type UpdateTalkTrackBody = z.input<typeof UpdateTalkTrackBody>;

/** Restores an old version as a new one, on top of `baseVersion` (as an update). */
export const RestoreTalkTrackBody = z.object({ baseVersion: z.number().int().min(1) });

/** "Add to talk track" from a clip: appends one example to the latest version. */
export const AddTalkTrackExampleBody = TalkTrackExampleRef;

/** Browsing and search (query string of `GET /api/talk-tracks`). */
export const TalkTracksQuery = z.object({
  q: z.string().trim().max(200).optional(),
  tag: ClipTag.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});
export type TalkTracksQuery = z.input<typeof TalkTracksQuery>;

export const TalkTrackSummary = z.object({
  id: Id,
  title: z.string(),
  situation: z.string(),
  tags: z.array(z.string()),
  authorId: Id,
  authorName: z.string(),
  version: z.number().int(),
  updatedAt: z.number(),
  updatedById: Id,
  updatedByName: z.string(),
  exampleCount: z.number().int(),
});
export type TalkTrackSummary = z.infer<typeof TalkTrackSummary>;

/**
 * An example as a reader sees it: `clip` is null when the clip was deleted or the reader may not
 * see it ("Clip unavailable"); the link itself is never dropped.
 */
export const TalkTrackExample = TalkTrackExampleRef.extend({ clip: ClipSummary.nullable() });
export type TalkTrackExample = z.infer<typeof TalkTrackExample>;

export const TalkTrackDetail = TalkTrackSummary.extend({
  whatToSay: z.string(),
  whyItWorks: z.string(),
  examples: z.array(TalkTrackExample),
  canEdit: z.boolean(),
  canDelete: z.boolean(),
});
export type TalkTrackDetail = z.infer<typeof TalkTrackDetail>;

export const TalkTrackVersionInfo = z.object({
  version: z.number().int(),
  authorId: Id,
  authorName: z.string(),
  createdAt: z.number(),
  title: z.string(),
  /** Set when this version restored an older one. */
  restoredFrom: z.number().int().nullable(),
});
export type TalkTrackVersionInfo = z.infer<typeof TalkTrackVersionInfo>;

export const TalkTrackVersion = TalkTrackVersionInfo.extend({
  situation: z.string(),
  whatToSay: z.string(),
  whyItWorks: z.string(),
  tags: z.array(z.string()),
  examples: z.array(TalkTrackExampleRef),
});
export type TalkTrackVersion = z.infer<typeof TalkTrackVersion>;

/** Path parameters of one version of one track. */
export const TalkTrackVersionParams = z.object({ id: Id, version: z.coerce.number().int().min(1) });

export const TalkTracksReply = z.object({ tracks: z.array(TalkTrackSummary) });
export const TalkTrackReply = z.object({ track: TalkTrackDetail });
export const TalkTrackVersionsReply = z.object({ versions: z.array(TalkTrackVersionInfo) });
export const TalkTrackVersionReply = z.object({ version: TalkTrackVersion });

/** May someone with `role` write talk tracks, given the team's setting for reps? */
export function mayWriteTalkTracks(role: Role, repsMayWrite: boolean): boolean {
  return role !== 'rep' || repsMayWrite;
}
