import type { Redis } from 'ioredis';
import type { Logger } from '../logger';

/**
 * Open sockets per person counted across every node (cluster mode), so the cap on open
 * connections holds wherever the proxy sends each window. SocketCap still counts this node's
 * own sockets first; this only adds the cluster's view.
 */
export interface SharedSocketCount {
  /** Counts `socketId` for `userId` unless they hold `max` already; resolves with whether it was counted. */
  add(userId: string, socketId: string, max: number): Promise<boolean>;
  /** Stops counting a socket (after its `add` settled). */
  remove(userId: string, socketId: string): void;
  close(): Promise<void>;
}

/** How long a socket counts without its node renewing it: a dead node's sockets leave the count by then. */
export const SOCKET_LEASE_MS = 30_000;
const RENEW_MS = 10_000;

// Drops expired leases, refuses past `max`, else adds the member with its lease: one atomic step,
// so handshakes racing on different nodes cannot slip past the cap together.
const ADMIT = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1`;

const keyOf = (userId: string) => `bullpen:sockets:${userId}`;

/**
 * Each person's open sockets as a Redis sorted set of `node:socket` members scored by lease
 * expiry. The node renews its own sockets' leases every 10 s (which also restores them after
 * Redis restarts empty); a node that dies stops renewing, and its sockets drop out of the
 * count within SOCKET_LEASE_MS. While Redis is unreachable only the per-node cap applies
 * (failing closed would refuse every connection during an outage).
 */
export class RedisSocketCount implements SharedSocketCount {
  readonly #redis: Redis;
  readonly #nodeId: string;
  readonly #log: Logger;
  /** This node's counted sockets per person, for renewal. */
  readonly #mine = new Map<string, Set<string>>();
  readonly #timer: NodeJS.Timeout;
  #closed = false;

  constructor(redis: Redis, nodeId: string, log: Logger) {
    this.#redis = redis;
    this.#nodeId = nodeId;
    this.#log = log;
    this.#timer = setInterval(() => void this.#renew(), RENEW_MS);
    this.#timer.unref();
  }

  async add(userId: string, socketId: string, max: number): Promise<boolean> {
    if (this.#redis.status !== 'ready') return true;
    const now = Date.now();
    let added: unknown;
    try {
      added = await this.#redis.eval(ADMIT, 1, keyOf(userId), now, now + SOCKET_LEASE_MS, this.#member(socketId), max, SOCKET_LEASE_MS);
    } catch (error) {
      this.#log.warn('socket count in Redis failed; only this node\'s count applies', { userId, error: (error as Error).message });
      return true;
    }
    if (added !== 1) return false;
    const mine = this.#mine.get(userId) ?? new Set<string>();
    mine.add(socketId);
    this.#mine.set(userId, mine);
    return true;
  }

  remove(userId: string, socketId: string): void {
    const mine = this.#mine.get(userId);
    if (!mine?.delete(socketId)) return;
    if (mine.size === 0) this.#mine.delete(userId);
    // Best effort: a member left behind runs out with its lease.
    this.#redis.zrem(keyOf(userId), this.#member(socketId)).catch(() => undefined);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    if (this.#redis.status !== 'ready' || this.#mine.size === 0) return;
    const pipeline = this.#redis.pipeline();
    for (const [userId, sockets] of this.#mine) pipeline.zrem(keyOf(userId), ...[...sockets].map((s) => this.#member(s)));
    this.#mine.clear();
    await pipeline.exec().catch(() => undefined);
  }

  #member(socketId: string): string {
    return `${this.#nodeId}:${socketId}`;
  }

  async #renew(): Promise<void> {
    if (this.#mine.size === 0 || this.#redis.status !== 'ready') return;
    const expiry = Date.now() + SOCKET_LEASE_MS;
    const pipeline = this.#redis.pipeline();
    for (const [userId, sockets] of this.#mine) {
      for (const socketId of sockets) pipeline.zadd(keyOf(userId), expiry, this.#member(socketId));
      pipeline.pexpire(keyOf(userId), SOCKET_LEASE_MS);
    }
    await pipeline.exec().catch((error: unknown) => this.#log.warn('socket leases could not be renewed', { error: (error as Error).message }));
  }
}
