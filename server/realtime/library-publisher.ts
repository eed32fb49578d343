/**
 * `library:changed` pushes that tell each teammate only about clips they may see. Changes are
 * gathered per team for up to `intervalMs` (twenty clips cut together are one push, not twenty),
 * then the team's connected members are grouped by the list of changed clips each may see and
 * each group gets one emit to all its users' rooms (socket.io encodes it once per group).
 * Members who may see none of the changed clips get nothing.
 */
import type { Logger } from '../logger';
import { maySeeClip, type ClipAudience } from '../clips/clip-visibility';
import { Coalescer } from './coalescer';
import type { Roster, TeamRosters } from './team-roster';

/** The contract's cap on `clipIds`; past it a push says "anything may have changed" (null). */
const MAX_IDS = 1000;

/** Clips changed since the last push, by id (a clip may have had two audiences: before and after an edit), or null for "any". */
export type LibraryChanges = ReadonlyMap<string, readonly ClipAudience[]> | null;

export interface LibraryAudience {
  userIds: string[];
  /** The changed clips these users may see, or null: refresh everything (reveals no ids). */
  clipIds: string[] | null;
}

/** Groups `viewerIds` by the changed clips each may see; viewers who may see none are left out. */
export function libraryAudiences(changes: LibraryChanges, viewerIds: Iterable<string>, roster: Roster): LibraryAudience[] {
  if (changes === null) return [{ userIds: [...viewerIds], clipIds: null }].filter((a) => a.userIds.length > 0);
  const byKey = new Map<string, LibraryAudience>();
  for (const id of viewerIds) {
    const member = roster.get(id);
    if (!member) continue;
    const viewer = { id, role: member.role };
    const clipIds: string[] = [];
    for (const [clipId, audiences] of changes) if (audiences.some((a) => maySeeClip(viewer, a))) clipIds.push(clipId);
    if (clipIds.length === 0) continue;
    const key = clipIds.join(',');
    const group = byKey.get(key);
    if (group) group.userIds.push(id);
    else byKey.set(key, { userIds: [id], clipIds });
  }
  return [...byKey.values()];
}

export interface LibraryPublisherDeps {
  rosters: TeamRosters;
  /** User ids with at least one socket on the team now. */
  viewersOf(teamId: string): Set<string>;
  /** Emits one `library:changed` to every socket of these users (one encoding). */
  emit(userIds: string[], clipIds: string[] | null): void;
  log: Logger;
  /** Shortest time between two pushes to a team. Default 100 ms. */
  intervalMs?: number;
}

/** Gathers a team's clip changes and pushes each member the ones they may see. */
export class LibraryPublisher {
  readonly #deps: LibraryPublisherDeps;
  readonly #coalescer: Coalescer<string>;
  readonly #pending = new Map<string, Map<string, ClipAudience[]> | null>();

  constructor(deps: LibraryPublisherDeps) {
    this.#deps = deps;
    this.#coalescer = new Coalescer(deps.intervalMs ?? 100, (teamId) => {
      this.#push(teamId).catch((error: unknown) => deps.log.error('library push failed', { teamId, error }));
    });
  }

  /** A clip of a team changed: a push follows within `intervalMs`. */
  changed(teamId: string, clip: ClipAudience): void {
    let changes = this.#pending.get(teamId);
    if (changes === undefined) this.#pending.set(teamId, (changes = new Map()));
    if (changes !== null) {
      const audiences = changes.get(clip.clipId);
      if (audiences) audiences.push(clip);
      else if (changes.size >= MAX_IDS) this.#pending.set(teamId, null);
      else changes.set(clip.clipId, [clip]);
    }
    this.#coalescer.schedule(teamId);
  }

  close(): void {
    this.#coalescer.close();
    this.#pending.clear();
  }

  async #push(teamId: string): Promise<void> {
    const changes = this.#pending.get(teamId);
    this.#pending.delete(teamId);
    if (changes === undefined) return;
    const viewers = this.#deps.viewersOf(teamId);
    if (viewers.size === 0) return;
    let roster = this.#deps.rosters.get(teamId);
    if (!roster || [...viewers].some((id) => !roster!.has(id))) roster = await this.#deps.rosters.load(teamId);
    for (const audience of libraryAudiences(changes, viewers, roster)) this.#deps.emit(audience.userIds, audience.clipIds);
  }
}
