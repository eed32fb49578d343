import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';
import {
  BullpenError,
  can,
  type AddCommentBody,
  type ClipComment,
  type ClipFromRecordingBody,
  type ClipMarkPayload,
  type ClipSummary,
  type LibraryQuery,
  type UpdateClipBody,
  type User,
} from '../../contract';
import type { Caller } from '../auth/auth-service';
import { newId } from '../ids';
import { MAX_PENDING_CUTS, MAX_QUEUED_CUTS } from '../limits/limit-policy';
import type { RateLimits } from '../limits/rate-limits';
import type { Logger } from '../logger';
import type { ClipRecord, ClipStore, CommentRecord, Viewer } from '../store/clip-store';
import { clipKey, type AudioStore } from '../storage/audio-store';
import { turns } from '../turns';
import { audienceOf, type ClipAudience } from './clip-visibility';
import type { RecordingService } from './recording-service';

/** After the post-roll ends, the first look for its last packet. */
const CUT_GRACE_MS = 20;
/**
 * How long past the post-roll's end a cut waits for a packet that arrived at or after it (late
 * packets: jitter, a stalled host). A host that went away ends the wait early at this bound.
 */
const MAX_CUT_WAIT_MS = 400;
const CUT_RECHECK_MS = 20;
/** How far past a clip's end a comment's moment may be and still be clamped to the end. */
const COMMENT_END_SLACK_MS = 1000;

interface ClipServiceEvents {
  /** A clip was cut (or failed): tell its clipper. */
  'clip-ready': [clip: ClipRecord];
  /** A clip of a team's library changed (added, edited, commented, cut or deleted); `clip` says who may see it. */
  'library-changed': [teamId: string, clip: ClipAudience];
  /** A comment was stored on a clip (its clipper is notified from this). */
  'comment-added': [teamId: string, clip: ClipRecord, comment: { id: string; authorId: string }];
}

/** The live call a clip is marked in, as the clip service needs it. */
export interface MarkableCall {
  id: string;
  teamId: string;
  hostId: string;
  recording: boolean;
  hasListener(userId: string): boolean;
}

export interface ClipServiceOptions {
  clips: ClipStore;
  recordings: RecordingService;
  /** Directory of clip files (`<clipId>.ogg`). */
  dir: string;
  log: Logger;
  limits: RateLimits;
  /** Object storage: each clip is uploaded once cut, its local file removed once confirmed. */
  objects?: AudioStore;
}

/** Where a clip's audio is: its local file, or an object of known size. */
export type ClipAudio = { path: string } | { key: string; objects: AudioStore };

const UPLOAD_RETRY_MAX_MS = 60_000;

export function viewerOf(user: User): Viewer {
  return { userId: user.id, teamId: user.teamId, privileged: can.seeEverything(user.role) };
}

/** The server is behind on cuts: refuse new clips for a moment rather than queue them. */
const busyCutting = () =>
  new BullpenError('RATE_LIMITED', 'The server is busy cutting clips.', { retryAfterSec: 5 });

const notFound = () => new BullpenError('NOT_FOUND', 'This clip was deleted or you cannot see it.');

/**
 * Clips: marking them in live calls, cutting them from recordings when their post-roll ends,
 * the library, editing, deleting and comments, with every visibility and role check.
 */
export class ClipService {
  readonly #clips: ClipStore;
  readonly #recordings: RecordingService;
  readonly #dir: string;
  readonly #log: Logger;
  readonly #limits: RateLimits;
  readonly #events = new EventEmitter<ClipServiceEvents>();
  readonly #timers = new Map<string, NodeJS.Timeout>();
  /** Cuts under way by clip id: a timer and a recording closing may ask for the same clip at once. */
  readonly #cutting = new Map<string, Promise<void>>();
  readonly #objects: AudioStore | undefined;
  /** Clip uploads waiting to be retried, by clip id. */
  readonly #retries = new Map<string, NodeJS.Timeout>();

  constructor(opts: ClipServiceOptions) {
    this.#objects = opts.objects;
    this.#clips = opts.clips;
    this.#recordings = opts.recordings;
    this.#dir = opts.dir;
    this.#log = opts.log.child({ component: 'clips' });
    this.#limits = opts.limits;
    mkdirSync(this.#dir, { recursive: true });
    // A call's recording closed: cut its clips still waiting for their post-roll (clamped to
    // the end of the call) before a discarded recording's files go.
    this.#recordings.onClosed(async (callId) => {
      for (const clip of await this.#clips.pending(callId)) await this.#cutNow(clip.id);
    });
  }

  on<E extends keyof ClipServiceEvents>(event: E, fn: (...args: ClipServiceEvents[E]) => void): void {
    this.#events.on(event, fn as never);
  }

  audioPath(clipId: string): string {
    return join(this.#dir, `${clipId}.ogg`);
  }

  /** Where a ready clip's audio is read from: the local file until its upload is confirmed. */
  audio(clipId: string): ClipAudio {
    if (!this.#objects || existsSync(this.audioPath(clipId))) return { path: this.audioPath(clipId) };
    return { key: clipKey(clipId), objects: this.#objects };
  }

  /**
   * Object storage: uploads a clip file and removes it once the object is confirmed; a failure
   * is retried with growing pauses (the file stays, so nothing is lost meanwhile).
   */
  async #upload(clipId: string, attempt = 0): Promise<void> {
    const objects = this.#objects;
    if (!objects) return;
    this.#retries.delete(clipId);
    const path = this.audioPath(clipId);
    try {
      const body = await readFile(path).catch(() => undefined);
      if (!body) return;
      await objects.put(clipKey(clipId), body);
      rmSync(path, { force: true });
    } catch (error) {
      if (attempt === 0) this.#log.error('clip upload failed; retrying', { clipId, error });
      const timer = setTimeout(() => void this.#upload(clipId, attempt + 1), Math.min(UPLOAD_RETRY_MAX_MS, 1000 * 2 ** attempt));
      timer.unref();
      this.#retries.set(clipId, timer);
    }
  }

  /** Marks [now − pre-roll, now + post-roll] of a live recorded call; the cut happens when the post-roll ends. */
  async mark(caller: Caller, call: MarkableCall, input: z.output<typeof ClipMarkPayload>): Promise<ClipSummary> {
    await this.#limits.take('clipMark', caller.user.id);
    if (call.hostId !== caller.user.id && !call.hasListener(caller.user.id)) {
      throw new BullpenError('NOT_LISTENING', 'Join the call to clip it.');
    }
    if (!call.recording || !this.#recordings.live(call.id)) {
      throw new BullpenError('NOT_RECORDED', 'This call is not recorded, so it cannot be clipped.');
    }
    if (this.#timers.size + this.#cutting.size >= MAX_PENDING_CUTS) throw busyCutting();
    await this.#limits.spendClipBudget(call.teamId, input.preRollSec + input.postRollSec);
    const now = Date.now();
    const id = newId();
    const end = now + input.postRollSec * 1000;
    await this.#clips.insert({
      id,
      teamId: call.teamId,
      callId: call.id,
      clipperId: caller.user.id,
      title: input.title,
      note: input.note,
      tags: input.tags,
      visibility: input.visibility,
      rangeKind: 'wall',
      rangeStart: now - input.preRollSec * 1000,
      rangeEnd: end,
      createdAt: now,
      readyAt: end,
    });
    this.#log.info('clip marked', { clipId: id, callId: call.id, userId: caller.user.id });
    this.#schedule(id, end + CUT_GRACE_MS - now);
    this.#events.emit('library-changed', call.teamId, { clipId: id, visibility: input.visibility, clipperId: caller.user.id, hostId: call.hostId });
    return this.#summary(caller.user, (await this.#clips.byId(call.teamId, id))!);
  }

  /** Saves a clip of a range of an ended call's kept recording, cut at once. */
  async fromRecording(caller: Caller, callId: string, input: z.output<typeof ClipFromRecordingBody>): Promise<ClipSummary> {
    await this.#limits.take('clipFromRecording', caller.user.id);
    // Cuts run one at a time: a flood waits in no queue longer than MAX_QUEUED_CUTS.
    if (this.#recordings.queuedCuts >= MAX_QUEUED_CUTS) throw busyCutting();
    const budgetSec = (input.endMs - input.startMs) / 1000;
    await this.#limits.spendClipBudget(caller.team.id, budgetSec);
    const now = Date.now();
    const id = newId();
    await this.#clips.insert({
      id,
      teamId: caller.team.id,
      callId,
      clipperId: caller.user.id,
      title: input.title,
      note: input.note,
      tags: input.tags,
      visibility: input.visibility,
      rangeKind: 'media',
      rangeStart: input.startMs,
      rangeEnd: input.endMs,
      createdAt: now,
      readyAt: now,
    });
    await this.#cutNow(id);
    const clip = (await this.#clips.byId(caller.team.id, id))!;
    if (clip.status !== 'ready') {
      await this.#clips.delete(caller.team.id, id);
      await this.#limits.refundClipBudget(caller.team.id, budgetSec);
      throw new BullpenError('BAD_REQUEST', 'That range is outside the recording. Pick a range within it.');
    }
    this.#events.emit('library-changed', caller.team.id, audienceOf(clip));
    return this.#summary(caller.user, clip);
  }

  /** Cuts clips left pending by a previous run (their recording is finished by now). */
  async resumePending(): Promise<void> {
    // Object storage: clip files of a previous run whose upload was not confirmed go up now.
    if (this.#objects) {
      for (const name of readdirSync(this.#dir)) {
        if (name.endsWith('.ogg')) await this.#upload(name.slice(0, -'.ogg'.length));
      }
    }
    for (const clip of await this.#clips.pending()) {
      if (this.#recordings.live(clip.callId)) this.#schedule(clip.id, Math.max(0, clip.rangeEnd + CUT_GRACE_MS - Date.now()));
      else await this.#cutNow(clip.id);
    }
  }

  async library(caller: Caller, query: z.output<typeof LibraryQuery>): Promise<ClipSummary[]> {
    return (await this.#clips.library(viewerOf(caller.user), query)).map((c) => this.#summary(caller.user, c));
  }

  /** The clips of one call the caller may see, in call order (for the debrief). */
  async forCall(caller: Caller, callId: string): Promise<ClipSummary[]> {
    return (await this.#clips.visibleForCall(viewerOf(caller.user), callId)).map((c) => this.#summary(caller.user, c));
  }

  async detail(caller: Caller, clipId: string): Promise<{ clip: ClipSummary; comments: ClipComment[] }> {
    const clip = await this.visibleClip(caller, clipId);
    const comments = await this.#clips.comments(clipId);
    return { clip: this.#summary(caller.user, clip), comments: comments.map((c) => this.#comment(caller.user, c)) };
  }

  /** A clip the caller may see, or NOT_FOUND (hidden and absent clips look the same). */
  async visibleClip(caller: Caller, clipId: string): Promise<ClipRecord> {
    const clip = await this.#clips.visible(viewerOf(caller.user), clipId);
    if (!clip) throw notFound();
    return clip;
  }

  async update(caller: Caller, clipId: string, body: z.output<typeof UpdateClipBody>): Promise<ClipSummary> {
    const clip = await this.visibleClip(caller, clipId);
    const { reviewed, ...fields } = body;
    const editing = Object.values(fields).some((v) => v !== undefined);
    if (editing && !this.#canEdit(caller.user, clip)) {
      throw new BullpenError('FORBIDDEN', 'Only the person who made the clip, the call’s host or a manager can edit it.');
    }
    if (reviewed !== undefined && !can.seeEverything(caller.user.role)) {
      throw new BullpenError('FORBIDDEN', 'Only managers can mark clips reviewed.');
    }
    const now = Date.now();
    await this.#clips.update(
      caller.team.id,
      clipId,
      { ...fields, ...(reviewed !== undefined ? { reviewed: reviewed ? { by: caller.user.id, at: now } : null } : {}) },
      now,
    );
    const updated = (await this.#clips.byId(caller.team.id, clipId))!;
    // Those who could see it before (it may have left their library) and those who can now.
    this.#events.emit('library-changed', caller.team.id, audienceOf(clip));
    if (updated.visibility !== clip.visibility) this.#events.emit('library-changed', caller.team.id, audienceOf(updated));
    return this.#summary(caller.user, updated);
  }

  async delete(caller: Caller, clipId: string): Promise<void> {
    const clip = await this.visibleClip(caller, clipId);
    if (!this.#canEdit(caller.user, clip)) {
      throw new BullpenError('FORBIDDEN', 'Only the person who made the clip, the call’s host or a manager can delete it.');
    }
    clearTimeout(this.#timers.get(clipId));
    this.#timers.delete(clipId);
    // A cut under way finishes first, so its file is not written after this delete.
    await this.#cutting.get(clipId);
    await this.#clips.delete(caller.team.id, clipId);
    clearTimeout(this.#retries.get(clipId));
    this.#retries.delete(clipId);
    rmSync(this.audioPath(clipId), { force: true });
    await this.#objects?.delete(clipKey(clipId)).catch((error: unknown) => this.#log.error('could not delete a clip from object storage', { clipId, error }));
    this.#log.info('clip deleted', { clipId, userId: caller.user.id });
    this.#events.emit('library-changed', caller.team.id, audienceOf(clip));
  }

  async addComment(caller: Caller, clipId: string, body: z.output<typeof AddCommentBody>): Promise<ClipComment> {
    await this.#limits.take('comment', caller.user.id);
    const clip = await this.visibleClip(caller, clipId);
    let parentId = body.parentId;
    if (parentId) {
      const parent = await this.#clips.comment(caller.team.id, parentId);
      if (!parent || parent.clipId !== clipId) throw new BullpenError('NOT_FOUND', 'The comment you replied to was deleted.');
      // Threads are one level deep: a reply to a reply joins the thread's root.
      parentId = parent.parentId ?? parent.id;
    }
    let atMs = body.atMs;
    if (clip.status === 'ready') {
      // A player's idea of the end can differ from ours by a frame: clamp, refuse only real misses.
      if (atMs > clip.durationMs + COMMENT_END_SLACK_MS) {
        throw new BullpenError('BAD_REQUEST', 'Invalid request: The moment you picked is past the end of the clip');
      }
      atMs = Math.min(atMs, clip.durationMs);
    }
    const id = newId();
    await this.#clips.addComment({ id, clipId, parentId, authorId: caller.user.id, atMs, body: body.body, at: Date.now() });
    this.#events.emit('library-changed', caller.team.id, audienceOf(clip));
    this.#events.emit('comment-added', caller.team.id, clip, { id, authorId: caller.user.id });
    return this.#comment(caller.user, (await this.#clips.comment(caller.team.id, id))!);
  }

  async editComment(caller: Caller, commentId: string, body: string): Promise<ClipComment> {
    await this.#limits.take('comment', caller.user.id);
    const { comment, clip } = await this.#visibleComment(caller, commentId);
    if (comment.authorId !== caller.user.id) throw new BullpenError('FORBIDDEN', 'Only its author can edit a comment.');
    await this.#clips.editComment(commentId, comment.clipId, body, Date.now());
    this.#events.emit('library-changed', caller.team.id, audienceOf(clip));
    return this.#comment(caller.user, (await this.#clips.comment(caller.team.id, commentId))!);
  }

  async deleteComment(caller: Caller, commentId: string): Promise<void> {
    const { comment, clip } = await this.#visibleComment(caller, commentId);
    if (comment.authorId !== caller.user.id && !can.seeEverything(caller.user.role)) {
      throw new BullpenError('FORBIDDEN', 'Only its author or a manager can delete a comment.');
    }
    await this.#clips.deleteComment(commentId);
    this.#events.emit('library-changed', caller.team.id, audienceOf(clip));
  }

  /** Something about a clip changed outside this service (a review): its library viewers are told. */
  announceChange(teamId: string, clip: ClipRecord): void {
    this.#events.emit('library-changed', teamId, audienceOf(clip));
  }

  /** The summary of a clip for one person (what they may do with it included). */
  summaryFor(user: User, clip: ClipRecord): ClipSummary {
    return this.#summary(user, clip);
  }

  /**
   * Stops pending cut timers and waits for cuts under way (server shutdown; pending clips are
   * resumed at the next start).
   */
  async close(): Promise<void> {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    for (const timer of this.#retries.values()) clearTimeout(timer);
    this.#retries.clear();
    while (this.#cutting.size > 0) await Promise.allSettled([...this.#cutting.values()]);
  }

  async #visibleComment(caller: Caller, commentId: string): Promise<{ comment: CommentRecord; clip: ClipRecord }> {
    const comment = await this.#clips.comment(caller.team.id, commentId);
    const clip = comment ? await this.#clips.visible(viewerOf(caller.user), comment.clipId) : undefined;
    if (!comment || !clip) throw new BullpenError('NOT_FOUND', 'This comment was deleted or you cannot see it.');
    return { comment, clip };
  }

  #schedule(clipId: string, delayMs: number): void {
    const timer = setTimeout(() => {
      this.#timers.delete(clipId);
      this.#cutWhenCovered(clipId).catch((error: unknown) => this.#log.error('clip cut check failed', { clipId, error }));
    }, Math.max(0, delayMs));
    timer.unref();
    this.#timers.set(clipId, timer);
  }

  /**
   * Cuts a live clip once the recording holds audio up to its end: a packet that arrived at or
   * after the post-roll's end, or MAX_CUT_WAIT_MS past it, whichever comes first.
   */
  async #cutWhenCovered(clipId: string): Promise<void> {
    // Clips marked together fall due together: each check waits its own turn (see turns.ts).
    await turns.take();
    const clip = await this.#clips.pendingById(clipId);
    if (!clip) return;
    const last = this.#recordings.live(clip.callId)?.lastArrivalMs ?? null;
    if (last !== null && last < clip.rangeEnd && Date.now() < clip.rangeEnd + MAX_CUT_WAIT_MS) {
      this.#schedule(clipId, CUT_RECHECK_MS);
      return;
    }
    await this.#cutNow(clipId);
  }

  /** Cuts a pending clip from its call's recording now; marks it ready or failed. Never rejects. */
  #cutNow(clipId: string): Promise<void> {
    clearTimeout(this.#timers.get(clipId));
    this.#timers.delete(clipId);
    const running = this.#cutting.get(clipId);
    if (running) return running;
    const cut = this.#cut(clipId)
      .catch((error: unknown) => this.#log.error('clip cut failed', { clipId, error }))
      .finally(() => this.#cutting.delete(clipId));
    this.#cutting.set(clipId, cut);
    return cut;
  }

  async #cut(clipId: string): Promise<void> {
    await turns.take();
    const clip = await this.#clips.pendingById(clipId);
    if (!clip) return;
    const now = Date.now();
    try {
      const [startMs, endMs] =
        clip.rangeKind === 'wall'
          ? [await this.#recordings.mediaMsAt(clip.callId, clip.rangeStart), await this.#recordings.mediaMsAt(clip.callId, clip.rangeEnd)]
          : [clip.rangeStart, clip.rangeEnd];
      const cut = await this.#recordings.cut(clip.callId, startMs, endMs, this.audioPath(clipId));
      await this.#upload(clipId);
      await this.#clips.markReady(clipId, cut, Date.now());
      this.#log.info('clip ready', { clipId, callId: clip.callId, durationMs: cut.durationMs, cutMs: Date.now() - now });
    } catch (error) {
      this.#log.warn('clip could not be cut', { clipId, callId: clip.callId, error });
      await this.#clips.markFailed(clipId, now);
    }
    const done = await this.#clips.byId(clip.teamId, clipId);
    if (done) {
      this.#events.emit('clip-ready', done);
      this.#events.emit('library-changed', clip.teamId, audienceOf(done));
    }
  }

  #canEdit(user: User, clip: ClipRecord): boolean {
    return clip.clipperId === user.id || clip.hostId === user.id || can.seeEverything(user.role);
  }

  #summary(user: User, c: ClipRecord): ClipSummary {
    const canEdit = this.#canEdit(user, c);
    return {
      id: c.id,
      callId: c.callId,
      callTitle: c.callTitle,
      account: c.account,
      hostId: c.hostId,
      hostName: c.hostName,
      clipperId: c.clipperId,
      clipperName: c.clipperName,
      title: c.title,
      note: c.note,
      tags: c.tags,
      visibility: c.visibility,
      status: c.status,
      startMs: c.startMs,
      durationMs: c.durationMs,
      createdAt: c.createdAt,
      readyAt: c.readyAt,
      commentCount: c.commentCount,
      reviewed: c.reviewedAt !== null,
      canEdit,
      canDelete: canEdit,
    };
  }

  #comment(user: User, c: CommentRecord): ClipComment {
    return {
      ...c,
      canEdit: c.authorId === user.id,
      canDelete: c.authorId === user.id || can.seeEverything(user.role),
    };
  }
}
