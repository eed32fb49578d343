/**
 * Things every node must act on for its own sockets and calls, told to the other nodes through
 * socket.io's adapter (`serverSideEmit` over the Redis adapter in cluster mode): a host signed
 * out (their call ends on whichever node owns it), a team's people changed (each node reloads
 * its roster and re-checks its own calls' listeners), a clip changed (each node tells its own
 * viewers), the team's "Managers can always join" changed (each node applies it to its calls).
 *
 * The adapter rather than a channel of our own: it is already connected, it skips the sender,
 * and these are fire-and-forget hints with no reply. Arguments are parsed on receipt, as any
 * message crossing a process boundary. Outside cluster mode nothing leaves the process.
 */
import { z } from 'zod';
import { ClipVisibility, Id } from '../../contract';
import type { Logger } from '../logger';

const schemas = {
  'node:host-signed-out': z.tuple([Id]),
  'node:team-changed': z.tuple([Id]),
  'node:library-changed': z.tuple([Id, z.object({ clipId: Id, visibility: ClipVisibility, clipperId: Id, hostId: Id })]),
  'node:managers-always-join': z.tuple([Id, z.boolean()]),
} as const;

type Schemas = typeof schemas;
export type NodeEventName = keyof Schemas;
type Args<E extends NodeEventName> = z.infer<Schemas[E]>;

/** The server-side events nodes send each other (socket.io's `ServerSideEvents`). */
export type NodeEvents = { [E in NodeEventName]: (...args: Args<E>) => void };

/** The part of socket.io's server this needs. */
export interface NodeBus {
  serverSideEmit(event: string, ...args: unknown[]): boolean;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
}

export class NodeFanout {
  readonly #bus: NodeBus;
  readonly #clustered: boolean;
  readonly #log: Logger;
  readonly #handlers = new Map<NodeEventName, (...args: never[]) => void>();

  constructor(bus: NodeBus, clustered: boolean, log: Logger) {
    this.#bus = bus;
    this.#clustered = clustered;
    this.#log = log;
  }

  /** What this node does when `event` happens on any node (here or elsewhere). One handler per event. */
  handle<E extends NodeEventName>(event: E, handler: (...args: Args<E>) => void): void {
    this.#handlers.set(event, handler as (...args: never[]) => void);
    if (!this.#clustered) return;
    this.#bus.on(event, (...raw: unknown[]) => {
      const parsed = schemas[event].safeParse(raw);
      if (!parsed.success) return this.#log.warn('ignored a malformed message from another node', { event });
      handler(...(parsed.data as Args<E>));
    });
  }

  /** Runs the handler here, then on every other node. */
  toAll<E extends NodeEventName>(event: E, ...args: Args<E>): void {
    (this.#handlers.get(event) as ((...a: Args<E>) => void) | undefined)?.(...args);
    this.toOthers(event, ...args);
  }

  /** Runs the handler on every other node only (this node already acted itself). */
  toOthers<E extends NodeEventName>(event: E, ...args: Args<E>): void {
    if (this.#clustered) this.#bus.serverSideEmit(event, ...args);
  }
}
