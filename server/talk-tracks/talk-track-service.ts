import type { z } from 'zod';
import {
  BullpenError,
  MAX_TALK_TRACK_EXAMPLES,
  type TalkTrackContent,
  type TalkTrackDetail,
  type TalkTrackExample,
  type TalkTrackExampleRef,
  type TalkTracksQuery,
  type TalkTrackSummary,
  type TalkTrackVersion,
  type TalkTrackVersionInfo,
  type UpdateTalkTrackBody,
} from '../../contract';
import type { Caller } from '../auth/auth-service';
import type { ClipService } from '../clips/clip-service';
import { newId } from '../ids';
import type { Logger } from '../logger';
import type { TalkTrackRecord, TalkTrackStore, TalkTrackVersionRecord } from '../store/talk-track-store';
import { mayChangeSettings, mayDelete, mayWrite } from './talk-track-policy';

export interface TalkTrackServiceOptions {
  store: TalkTrackStore;
  /** Decides which example clips a reader may see (clip-visibility.ts through the clip store). */
  clips: Pick<ClipService, 'visibleClip' | 'summaryFor'>;
  log: Logger;
  /** A team's talk tracks changed (saved, restored, deleted): called after the change is committed. */
  onChanged?: (e: { teamId: string; trackId: string }) => void;
}

const notFound = () => new BullpenError('NOT_FOUND', 'This talk track was deleted.');

/** A clip the caller may not link (absent and hidden look the same) gets `message`; other failures pass. */
const unlinkable = (message: string) => (error: unknown): never => {
  if (error instanceof BullpenError && error.code === 'NOT_FOUND') throw new BullpenError('NOT_FOUND', message);
  throw error;
};
/** How often "Add to talk track" retries when someone saved in between (it appends, so it may). */
const APPEND_ATTEMPTS = 3;

/**
 * Talk tracks: browsing and search, writing versions (refusing saves on a stale version),
 * restoring, deleting, and the example clips each reader may see. Every method checks the
 * caller's team and role as it acts (talk-track-policy.ts).
 */
export class TalkTrackService {
  readonly #store: TalkTrackStore;
  readonly #clips: TalkTrackServiceOptions['clips'];
  readonly #log: Logger;
  readonly #onChanged: TalkTrackServiceOptions['onChanged'];

  constructor(opts: TalkTrackServiceOptions) {
    this.#store = opts.store;
    this.#clips = opts.clips;
    this.#log = opts.log.child({ component: 'talk-tracks' });
    this.#onChanged = opts.onChanged;
  }

  /** Whether reps of the team may write talk tracks (the team setting). */
  repsMayWrite(teamId: string): Promise<boolean> {
    return this.#store.repsMayWrite(teamId);
  }

  /** Admins only: lets reps write talk tracks, or stops them. */
  async setRepsMayWrite(caller: Caller, allowed: boolean): Promise<void> {
    if (!mayChangeSettings(caller.user)) throw new BullpenError('FORBIDDEN', 'Only admins can change who writes talk tracks.');
    await this.#store.setRepsMayWrite(caller.team.id, allowed);
  }

  async list(caller: Caller, query: z.output<typeof TalkTracksQuery>): Promise<TalkTrackSummary[]> {
    return (await this.#store.list(caller.team.id, query)).map(summaryOf);
  }

  async detail(caller: Caller, trackId: string): Promise<TalkTrackDetail> {
    const track = await this.#track(caller, trackId);
    const repsMayWrite = await this.#store.repsMayWrite(caller.team.id);
    const examples = await Promise.all((await this.#store.examples(trackId)).map((e) => this.#example(caller, e)));
    return {
      ...summaryOf(track),
      whatToSay: track.whatToSay,
      whyItWorks: track.whyItWorks,
      examples,
      canEdit: mayWrite(caller.user, repsMayWrite),
      canDelete: mayDelete(caller.user, track),
    };
  }

  async create(caller: Caller, content: TalkTrackContent): Promise<TalkTrackDetail> {
    await this.#mayWrite(caller);
    await this.#mayLink(caller, content.examples, []);
    const id = newId();
    await this.#store.create({ id, teamId: caller.team.id, authorId: caller.user.id, at: Date.now(), content });
    this.#log.info('talk track created', { trackId: id, userId: caller.user.id });
    return await this.#changed(caller, id);
  }

  /** Saves a new version on top of `baseVersion`; CONFLICT when someone saved after it. */
  async update(caller: Caller, trackId: string, body: z.output<typeof UpdateTalkTrackBody>): Promise<TalkTrackDetail> {
    await this.#mayWrite(caller);
    await this.#track(caller, trackId);
    const { baseVersion, ...content } = body;
    // Links the track already has stay, even to clips this editor cannot see; new ones must be visible.
    await this.#mayLink(caller, content.examples, await this.#store.examples(trackId));
    const version = await this.#store.saveVersion({ teamId: caller.team.id, trackId, baseVersion, authorId: caller.user.id, at: Date.now(), restoredFrom: null, content });
    this.#log.info('talk track saved', { trackId, version, userId: caller.user.id });
    return await this.#changed(caller, trackId);
  }

  /** Saves version `version`'s content as a new version on top of `baseVersion`. */
  async restore(caller: Caller, trackId: string, version: number, baseVersion: number): Promise<TalkTrackDetail> {
    await this.#mayWrite(caller);
    await this.#track(caller, trackId);
    const old = await this.#store.version(trackId, version);
    if (!old) throw new BullpenError('NOT_FOUND', `This talk track has no version ${version}.`);
    const content: TalkTrackContent = {
      title: old.title,
      situation: old.situation,
      whatToSay: old.whatToSay,
      whyItWorks: old.whyItWorks,
      tags: old.tags,
      examples: old.examples,
    };
    const saved = await this.#store.saveVersion({ teamId: caller.team.id, trackId, baseVersion, authorId: caller.user.id, at: Date.now(), restoredFrom: version, content });
    this.#log.info('talk track version restored', { trackId, from: version, version: saved, userId: caller.user.id });
    return await this.#changed(caller, trackId);
  }

  /** "Add to talk track" from a clip: a new version with the example appended. */
  async addExample(caller: Caller, trackId: string, example: TalkTrackExampleRef): Promise<TalkTrackDetail> {
    await this.#mayWrite(caller);
    await this.#clips.visibleClip(caller, example.clipId).catch(unlinkable('This clip was deleted or you cannot see it, so it cannot be linked.'));
    for (let attempt = 1; ; attempt++) {
      const track = await this.#track(caller, trackId);
      const examples = await this.#store.examples(trackId);
      if (examples.some((e) => e.clipId === example.clipId && e.atMs === example.atMs)) return await this.detail(caller, trackId);
      if (examples.length >= MAX_TALK_TRACK_EXAMPLES) throw new BullpenError('CONFLICT', `This talk track already has ${MAX_TALK_TRACK_EXAMPLES} example clips.`);
      try {
        await this.#store.saveVersion({
          teamId: caller.team.id,
          trackId,
          baseVersion: track.version,
          authorId: caller.user.id,
          at: Date.now(),
          restoredFrom: null,
          content: { ...track, examples: [...examples, example] },
        });
        return await this.#changed(caller, trackId);
      } catch (error) {
        // Appending does not depend on what the other save said: try again on the new latest.
        if (!(error instanceof BullpenError && error.code === 'CONFLICT') || attempt >= APPEND_ATTEMPTS) throw error;
      }
    }
  }

  async delete(caller: Caller, trackId: string): Promise<void> {
    const track = await this.#track(caller, trackId);
    if (!mayDelete(caller.user, track)) throw new BullpenError('FORBIDDEN', 'Only its author or a manager can delete a talk track.');
    await this.#store.delete(caller.team.id, trackId);
    this.#log.info('talk track deleted', { trackId, userId: caller.user.id });
    this.#onChanged?.({ teamId: caller.team.id, trackId });
  }

  async versions(caller: Caller, trackId: string): Promise<TalkTrackVersionInfo[]> {
    await this.#track(caller, trackId);
    return (await this.#store.versions(trackId)).map(versionInfoOf);
  }

  async version(caller: Caller, trackId: string, version: number): Promise<TalkTrackVersion> {
    await this.#track(caller, trackId);
    const found = await this.#store.version(trackId, version);
    if (!found) throw new BullpenError('NOT_FOUND', `This talk track has no version ${version}.`);
    return { ...versionInfoOf(found), situation: found.situation, whatToSay: found.whatToSay, whyItWorks: found.whyItWorks, tags: found.tags, examples: found.examples };
  }

  /** The tracks citing a clip the caller may see (NOT_FOUND otherwise, as the clip itself). */
  async citing(caller: Caller, clipId: string): Promise<TalkTrackSummary[]> {
    await this.#clips.visibleClip(caller, clipId);
    return (await this.#store.citing(caller.team.id, clipId)).map(summaryOf);
  }

  async #track(caller: Caller, trackId: string): Promise<TalkTrackRecord> {
    const track = await this.#store.byId(caller.team.id, trackId);
    if (!track) throw notFound();
    return track;
  }

  async #mayWrite(caller: Caller): Promise<void> {
    if (!mayWrite(caller.user, await this.#store.repsMayWrite(caller.team.id))) {
      throw new BullpenError('FORBIDDEN', 'Only mentors and managers write talk tracks here; your admin can let reps write them too.');
    }
  }

  /** Every example clip not linked already must be one the caller may see. */
  async #mayLink(caller: Caller, examples: TalkTrackExampleRef[], linked: TalkTrackExampleRef[]): Promise<void> {
    const known = new Set(linked.map((e) => e.clipId));
    for (const clipId of new Set(examples.map((e) => e.clipId))) {
      if (known.has(clipId)) continue;
      await this.#clips.visibleClip(caller, clipId).catch(unlinkable('An example clip was deleted or you cannot see it, so it cannot be linked. Remove it and save again.'));
    }
  }

  /** An example as this reader sees it: the clip, or null ("Clip unavailable"). */
  async #example(caller: Caller, ref: TalkTrackExampleRef): Promise<TalkTrackExample> {
    const clip = await this.#clips.visibleClip(caller, ref.clipId).then(
      (record) => this.#clips.summaryFor(caller.user, record),
      (error: unknown) => {
        if (error instanceof BullpenError && error.code === 'NOT_FOUND') return null;
        throw error;
      },
    );
    return { ...ref, clip };
  }

  async #changed(caller: Caller, trackId: string): Promise<TalkTrackDetail> {
    this.#onChanged?.({ teamId: caller.team.id, trackId });
    return await this.detail(caller, trackId);
  }
}

function summaryOf(t: TalkTrackRecord): TalkTrackSummary {
  return {
    id: t.id,
    title: t.title,
    situation: t.situation,
    tags: t.tags,
    authorId: t.authorId,
    authorName: t.authorName,
    version: t.version,
    updatedAt: t.updatedAt,
    updatedById: t.updatedById,
    updatedByName: t.updatedByName,
    exampleCount: t.exampleCount,
  };
}

function versionInfoOf(v: TalkTrackVersionRecord): TalkTrackVersionInfo {
  return { version: v.version, authorId: v.authorId, authorName: v.authorName, createdAt: v.createdAt, title: v.title, restoredFrom: v.restoredFrom };
}
