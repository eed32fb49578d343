/**
 * What one node tells the others about the live calls it owns, so every node can build the
 * same boards: each call's board entry (summary, host, policy, listeners, host state, paused,
 * the managers settings) and the people its host removed, which the one listen policy needs
 * (calls/policy.ts via board-publisher.ts). Nothing else of a call crosses nodes for boards.
 */
import { z } from 'zod';
import { CallSummary, Id } from '../../contract';
import type { Call } from '../calls/call';

/** One call's board-relevant facts, as announced by its owner node. */
export const BoardFacts = z.object({
  entry: CallSummary.omit({ canListen: true }),
  /** Users the host removed from the call (they see it restricted and may not join). */
  removed: z.array(Id),
});
export type BoardFacts = z.infer<typeof BoardFacts>;

/** The calls one node owns on one team, newest change first by `seq` (a per-node counter). */
export const TeamCalls = z.object({ seq: z.number().int(), calls: z.array(BoardFacts) });
export type TeamCalls = z.infer<typeof TeamCalls>;

/** A message on the board channel: a team's calls changed on `node`, or `node` left the cluster. */
export const BoardMessage = z.discriminatedUnion('kind', [
  TeamCalls.extend({ kind: z.literal('calls'), node: z.string().min(1), team: Id }),
  z.object({ kind: z.literal('left'), node: z.string().min(1) }),
]);
export type BoardMessage = z.infer<typeof BoardMessage>;

/** The facts of a call this node owns. */
export function factsOf(call: Call): BoardFacts {
  return { entry: call.boardEntry(), removed: call.removedUserIds() };
}

/**
 * A live call another node owns, as a board sees it: the same shape the board builder reads
 * from a local `Call` (`hostId`, `policy`, `boardEntry()`, `accessFacts()`). While its owner
 * is lost (`ownerLost`) the host shows as `reconnecting` until the call is adopted or ends.
 */
export class RemoteCall {
  readonly id: string;
  readonly hostId: string;
  readonly startedAt: number;
  readonly owner: string;
  readonly #entry: BoardFacts['entry'];
  readonly #removed: ReadonlySet<string>;
  ownerLost = false;

  constructor(facts: BoardFacts, owner: string) {
    this.#entry = facts.entry;
    this.#removed = new Set(facts.removed);
    this.id = facts.entry.id;
    this.hostId = facts.entry.hostId;
    this.startedAt = facts.entry.startedAt;
    this.owner = owner;
  }

  get policy(): BoardFacts['entry']['policy'] {
    return this.#entry.policy;
  }

  boardEntry(): BoardFacts['entry'] {
    return this.ownerLost ? { ...this.#entry, hostState: 'reconnecting' } : this.#entry;
  }

  /** As `Call.accessFacts`: the managers settings (absent means yes) and removals. */
  accessFacts(userId: string): { managersMayJoin: boolean; removedByHost: boolean } {
    return {
      managersMayJoin: (this.#entry.managersMayJoin ?? true) || (this.#entry.managersAlwaysJoin ?? true),
      removedByHost: this.#removed.has(userId),
    };
  }
}
