/**
 * Board pushes that scale. A team's board differs between viewers only in what each may see of
 * each call (listen, view as its host, or restricted: role, mentee-of-host, policy), so viewers
 * are grouped into audiences by that pattern and
 * each audience gets one `board:update` emitted to all its users' rooms at once: socket.io
 * encodes it once per audience, not once per socket. Changes are coalesced per team (at most
 * one push per `intervalMs`), and boards are built from the live calls and the in-memory
 * roster, never from SQL.
 */
import type { BoardCall as BoardEntry, CallSummary, User } from '../../contract';
import type { Call } from '../calls/call';
import { boardAccess } from '../calls/policy';
import type { Logger } from '../logger';
import { Coalescer } from './coalescer';
import type { Roster, TeamRosters } from './team-roster';

/** What a board needs of a live call. */
export type BoardCall = Pick<Call, 'hostId' | 'policy' | 'boardEntry'> & Partial<Pick<Call, 'accessFacts'>>;

export interface Audience {
  userIds: string[];
  board: BoardEntry[];
}

type Access = ReturnType<typeof boardAccess>;
const ACCESS_KEY: Record<Access, string> = { listen: 'L', view: 'V', restricted: 'R' };

/** What `viewer` sees of `call`, by the one listen policy. */
function accessOf(viewer: Pick<User, 'id' | 'role'>, call: BoardCall, roster: Roster): Access {
  const isMenteeOfHost = roster.get(viewer.id)?.mentorIds.has(call.hostId) ?? false;
  // Managers kept out by the host and people it removed see the call restricted, like anyone
  // else its policy keeps out.
  return boardAccess(viewer, call.hostId, call.policy, { isMenteeOfHost, ...call.accessFacts?.(viewer.id) });
}

function entryFor(entry: Omit<CallSummary, 'canListen'>, access: Access): BoardEntry {
  if (access === 'restricted') return { restricted: true, id: entry.id, hostId: entry.hostId, hostName: entry.hostName };
  return { ...entry, canListen: access === 'listen', restricted: false };
}

/**
 * The board `viewer` sees (for `board:get`); the viewer's role comes from its authenticated
 * session, mentorships from the roster.
 */
export function boardFor(viewer: Pick<User, 'id' | 'role'>, calls: readonly BoardCall[], roster: Roster): BoardEntry[] {
  return calls.map((call) => entryFor(call.boardEntry(), accessOf(viewer, call, roster)));
}

/**
 * Groups `viewerIds` by what they may see of `calls` (newest first): one board per group.
 * Viewers missing from the roster are left out (the caller reloads it and pushes again).
 */
export function boardAudiences(calls: readonly BoardCall[], viewerIds: Iterable<string>, roster: Roster): Audience[] {
  const entries = calls.map((call) => call.boardEntry());
  const byKey = new Map<string, string[]>();
  for (const id of viewerIds) {
    const member = roster.get(id);
    if (!member) continue;
    const viewer = { id, role: member.role };
    let key = '';
    for (const call of calls) key += ACCESS_KEY[accessOf(viewer, call, roster)];
    const group = byKey.get(key);
    if (group) group.push(id);
    else byKey.set(key, [id]);
  }
  return [...byKey].map(([key, userIds]) => ({
    userIds,
    board: entries.map((entry, i) => entryFor(entry, key[i] === 'L' ? 'listen' : key[i] === 'V' ? 'view' : 'restricted')),
  }));
}

/** Where a team's live calls come from: this process's registry, or every node's (cluster/board-exchange.ts). */
export interface BoardCalls {
  /** A team's live calls, newest first. */
  callsOf(teamId: string): readonly BoardCall[];
  /** `board-changed`: something on a team's board changed. */
  on(event: 'board-changed', listener: (teamId: string) => void): void;
}

export interface BoardPublisherDeps {
  registry: Pick<BoardCalls, 'callsOf'>;
  rosters: TeamRosters;
  /** User ids with at least one socket on the team now. */
  viewersOf(teamId: string): Set<string>;
  /** Emits one board to every socket of these users (one encoding). */
  emit(userIds: string[], board: BoardEntry[]): void;
  log: Logger;
  /** Shortest time between two pushes to a team. Default 100 ms. */
  intervalMs?: number;
}

/** Pushes coalesced, per-audience boards to every connected member of a team. */
export class BoardPublisher {
  readonly #deps: BoardPublisherDeps;
  readonly #coalescer: Coalescer<string>;
  #pushes = 0;

  constructor(deps: BoardPublisherDeps) {
    this.#deps = deps;
    this.#coalescer = new Coalescer(deps.intervalMs ?? 100, (teamId) => this.#push(teamId));
  }

  /** Something on a team's board changed: a push follows within `intervalMs`. */
  changed(teamId: string): void {
    this.#coalescer.schedule(teamId);
  }

  /** Board emits so far (one per audience per push), for tests and the benchmark. */
  get pushes(): number {
    return this.#pushes;
  }

  /** The board a viewer sees now (`board:get`). */
  async boardFor(viewer: User): Promise<BoardEntry[]> {
    const roster = await this.#deps.rosters.ensure(viewer.teamId, viewer.id);
    return boardFor(viewer, this.#deps.registry.callsOf(viewer.teamId), roster);
  }

  close(): void {
    this.#coalescer.close();
  }

  #push(teamId: string): void {
    const viewers = this.#deps.viewersOf(teamId);
    if (viewers.size === 0) {
      this.#deps.rosters.forget(teamId);
      this.#coalescer.cancel(teamId);
      return;
    }
    const roster = this.#deps.rosters.get(teamId);
    const missing: string[] = [];
    for (const id of viewers) if (!roster?.has(id)) missing.push(id);
    if (roster) {
      const calls = this.#deps.registry.callsOf(teamId);
      for (const audience of boardAudiences(calls, viewers, roster)) {
        this.#pushes++;
        this.#deps.emit(audience.userIds, audience.board);
      }
    }
    // Someone new on the team (or no roster yet): load it, then push again if that helped
    // (a user deleted meanwhile stays missing and must not cause a reload loop).
    if (missing.length > 0) {
      this.#deps.rosters.load(teamId).then(
        (loaded) => {
          if (missing.some((id) => loaded.has(id))) this.changed(teamId);
        },
        (error: unknown) => this.#deps.log.error('team roster could not be loaded', { teamId, error }),
      );
    }
  }
}
