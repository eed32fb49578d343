import type { Socket } from 'socket.io';
import { BullpenError, clientEvents, fail, MAX_SOCKETS_PER_USER, type Result } from '../../contract';
import type { RateLimits } from '../limits/rate-limits';
import type { Logger } from '../logger';
import type { SharedSocketCount } from './shared-socket-count';

/**
 * Caps open sockets per person. Sockets are counted from the handshake (not from rooms, which a
 * socket joins a tick later), so handshakes racing each other cannot slip past the cap together.
 * The 11th is refused (not the oldest closed: a stolen token must not be able to kick the owner's
 * windows off). In cluster mode `shared` counts them across nodes too (shared-socket-count.ts).
 */
export class SocketCap {
  readonly #admitted = new Map<string, Set<string>>();
  readonly #log: Logger;
  readonly #shared: SharedSocketCount | undefined;

  constructor(log: Logger, shared?: SharedSocketCount) {
    this.#log = log;
    this.#shared = shared;
  }

  /** Counts `socket` for `userId`, or throws RATE_LIMITED when they have the most open already. */
  async admit(userId: string, socket: Socket): Promise<void> {
    const mine = this.#admitted.get(userId) ?? new Set<string>();
    if (mine.size >= MAX_SOCKETS_PER_USER) throw this.#refuse(userId, mine.size);
    // Counted here before any wait, so this node's own racing handshakes see each other.
    mine.add(socket.id);
    this.#admitted.set(userId, mine);
    let released = false;
    const counted = this.#shared?.add(userId, socket.id, MAX_SOCKETS_PER_USER);
    const release = () => {
      if (released) return;
      released = true;
      mine.delete(socket.id);
      if (mine.size === 0 && this.#admitted.get(userId) === mine) this.#admitted.delete(userId);
      void counted?.then((yes) => yes && this.#shared!.remove(userId, socket.id));
    };
    // A socket that closes before its connection completes never sees 'disconnect'; its transport closes either way.
    socket.conn.once('close', release);
    socket.once('disconnect', release);
    if (counted && !(await counted)) {
      release();
      throw this.#refuse(userId, MAX_SOCKETS_PER_USER, 'cluster');
    }
  }

  #refuse(userId: string, open: number, where: 'node' | 'cluster' = 'node'): BullpenError {
    this.#log.warn('socket refused: too many open for one person', { userId, open, where });
    return new BullpenError(
      'RATE_LIMITED',
      `You already have Bullpen open in ${MAX_SOCKETS_PER_USER} windows, the most one person may. Close one, then try again.`,
    );
  }
}

/**
 * Every incoming event of a socket passes here first. One without an ack cannot be answered: it
 * is dropped and counted, logged once per socket (a flood of them is not a flood of log lines).
 * Unknown names are refused; the rest spend the person's event budget (all their sockets share
 * it) and are refused with RATE_LIMITED past it. Returns how many ack-less events were dropped.
 */
export function guardSocketEvents(socket: Socket, opts: { userId: string; limits: RateLimits; log: Logger }): () => number {
  const { userId, limits, log } = opts;
  let acklessDropped = 0;
  socket.use((packet, next) => {
    const ack = packet[packet.length - 1] as unknown;
    if (typeof ack !== 'function') {
      if (acklessDropped++ === 0) {
        log.warn('socket events without an ack are dropped (logged once per socket)', { event: String(packet[0]).slice(0, 64), userId, socketId: socket.id });
      }
      return;
    }
    const reply = ack as (r: Result<never>) => void;
    if (!Object.hasOwn(clientEvents, packet[0])) {
      reply(fail('BAD_REQUEST', 'Invalid request: unknown event'));
      return;
    }
    limits.take('socketEvent', userId).then(
      () => next(),
      (error: unknown) => {
        if (error instanceof BullpenError) {
          reply(fail(error.code, error.message, error.retryAfterSec));
          return;
        }
        log.error('socket rate limit failed', { userId, error });
        reply(fail('INTERNAL', 'Something went wrong on the server. Try again.'));
      },
    );
  });
  return () => acklessDropped;
}
