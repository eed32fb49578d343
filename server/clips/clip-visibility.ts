/**
 * Who may see a clip: the one rule, for code that decides outside SQL (library pushes). The
 * store's `ClipStore.#visibleTo` is the same rule as a query; keep the two in step.
 */
import { can, type ClipVisibility, type Role } from '../../contract';

/** What deciding who sees a clip needs (captured when it changes, so a deleted clip still has it). */
export interface ClipAudience {
  clipId: string;
  visibility: ClipVisibility;
  clipperId: string;
  /** The host of the call it was cut from. */
  hostId: string;
}

/**
 * May `viewer` see the clip? Its clipper and the call's host always may; `team` clips are for
 * the whole team, `managers` clips for managers and admins too, `private` for those two only.
 */
export function maySeeClip(viewer: { id: string; role: Role }, clip: Omit<ClipAudience, 'clipId'>): boolean {
  if (clip.clipperId === viewer.id || clip.hostId === viewer.id) return true;
  return clip.visibility === 'team' || (clip.visibility === 'managers' && can.seeEverything(viewer.role));
}

/** A clip record's audience. */
export function audienceOf(clip: { id: string; visibility: ClipVisibility; clipperId: string; hostId: string }): ClipAudience {
  return { clipId: clip.id, visibility: clip.visibility, clipperId: clip.clipperId, hostId: clip.hostId };
}
