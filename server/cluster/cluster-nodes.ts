import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger';
import { openRedis } from './redis';

/** How often a node says it is alive, and how long that lasts: a dead node is noticed within ~4 s. */
export const NODE_HEARTBEAT_MS = 1000;
export const NODE_TTL_MS = 3000;

const key = {
  /** Set of every node id seen; members whose heartbeat key is gone are dead. */
  nodes: 'bullpen:nodes',
  /** A node's heartbeat: its start time, expiring NODE_TTL_MS after the last beat. */
  node: (id: string) => `bullpen:node:${id}`,
  /** Hash: call id → id of the node that owns the call (its forwarder and recorder). */
  callOwners: 'bullpen:call-owners',
  /** Written by the node that finds another dead, so the rest believe it at once (a minute). */
  gone: (id: string) => `bullpen:node-gone:${id}`,
};

interface ClusterNodesEvents {
  /** A node's heartbeat ran out: its calls' media is gone (`calls`: the ids it owned). */
  'node-lost': [nodeId: string, calls: string[]];
  /** Redis came back after a loss (its data may be gone): everything this node announces was re-asserted. */
  'reconnected': [];
}

export interface ClusterNodesOptions {
  redisUrl: string;
  nodeId: string;
  log: Logger;
  heartbeatMs?: number;
  ttlMs?: number;
}

/**
 * The nodes of a cluster and which node owns which live call, kept in Redis. Each node beats
 * every `heartbeatMs` and re-asserts the calls it owns on every beat, so a Redis that restarts
 * empty is whole again within one beat. Every node also watches the others: when a node's
 * heartbeat runs out it emits `node-lost` with the calls that node owned (each node reacts for
 * its own sockets; `node-lost` may fire on several nodes for the same loss).
 */
export class ClusterNodes {
  readonly nodeId: string;
  readonly #redis: Redis;
  readonly #log: Logger;
  readonly #ttlMs: number;
  readonly #heartbeatMs: number;
  readonly #owned = new Set<string>();
  /** Nodes alive at the last watch, with the calls they owned then. */
  #known = new Map<string, string[]>();
  /**
   * When each node's heartbeat was first seen missing while the node was also missing from the
   * node set: that is what a Redis restarted empty looks like (every node beats again within a
   * beat of its return), so such a node is lost only after two beats more, unless another node
   * already declared it gone. A node still in the set whose heartbeat ran out is lost at once.
   */
  readonly #missingSince = new Map<string, number>();
  readonly #events = new EventEmitter<ClusterNodesEvents>();
  readonly #timer: NodeJS.Timeout;
  #beating: Promise<void> = Promise.resolve();
  #closed = false;
  #wasDown = false;

  private constructor(opts: ClusterNodesOptions) {
    this.nodeId = opts.nodeId;
    this.#log = opts.log;
    this.#ttlMs = opts.ttlMs ?? NODE_TTL_MS;
    this.#heartbeatMs = opts.heartbeatMs ?? NODE_HEARTBEAT_MS;
    this.#redis = openRedis(opts.redisUrl, opts.log, 'nodes');
    this.#redis.on('reconnecting', () => (this.#wasDown = true));
    this.#redis.on('ready', () => {
      if (!this.#wasDown) return;
      this.#wasDown = false;
      this.#beat().then(
        () => this.#events.emit('reconnected'),
        () => undefined,
      );
    });
    this.#timer = setInterval(() => void this.#beat(), this.#heartbeatMs);
    this.#timer.unref();
  }

  /** Joins the cluster: the first heartbeat is written before this resolves. */
  static async start(opts: ClusterNodesOptions): Promise<ClusterNodes> {
    const nodes = new ClusterNodes(opts);
    await nodes.#beat();
    return nodes;
  }

  on<E extends keyof ClusterNodesEvents>(event: E, listener: (...args: ClusterNodesEvents[E]) => void): void {
    this.#events.on(event, listener as never);
  }

  /** Records that this node owns `callId` (call it when the call starts or is adopted here). */
  async claimCall(callId: string): Promise<void> {
    this.#owned.add(callId);
    await this.#redis.hset(key.callOwners, callId, this.nodeId);
  }

  /** The call ended here: it has no owner any more. */
  async releaseCall(callId: string): Promise<void> {
    this.#owned.delete(callId);
    // Only if still ours: another node may have adopted it meanwhile.
    const owner = await this.#redis.hget(key.callOwners, callId);
    if (owner === this.nodeId) await this.#redis.hdel(key.callOwners, callId);
  }

  /** The node that owns `callId` now, or undefined (no such live call, or its owner died). */
  async ownerOf(callId: string): Promise<string | undefined> {
    const owner = await this.#redis.hget(key.callOwners, callId);
    if (!owner) return undefined;
    return owner === this.nodeId || (await this.isAlive(owner)) ? owner : undefined;
  }

  async isAlive(nodeId: string): Promise<boolean> {
    return nodeId === this.nodeId || (await this.#redis.exists(key.node(nodeId))) === 1;
  }

  /** Ids of the nodes whose heartbeat is current, this one included. */
  async aliveNodes(): Promise<string[]> {
    const ids = await this.#redis.smembers(key.nodes);
    if (ids.length === 0) return [this.nodeId];
    const beats = await this.#redis.mget(ids.map(key.node));
    const alive = ids.filter((_, i) => beats[i] !== null);
    return alive.includes(this.nodeId) ? alive : [...alive, this.nodeId];
  }

  /** Leaves the cluster: stops beating and removes this node's heartbeat and call claims. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    await this.#beating.catch(() => undefined);
    try {
      const pipeline = this.#redis.multi().del(key.node(this.nodeId)).srem(key.nodes, this.nodeId);
      for (const callId of this.#owned) pipeline.hdel(key.callOwners, callId);
      await pipeline.exec();
    } catch (error) {
      this.#log.warn('could not leave the cluster cleanly; the heartbeat runs out on its own', { error });
    }
    this.#redis.disconnect();
  }

  /** One beat: say we are alive, re-assert our calls, and notice nodes that died. */
  #beat(): Promise<void> {
    if (this.#closed) return this.#beating;
    this.#beating = this.#beating.then(async () => {
      try {
        const pipeline = this.#redis
          .multi()
          .set(key.node(this.nodeId), String(Date.now()), 'PX', this.#ttlMs)
          .sadd(key.nodes, this.nodeId);
        for (const callId of this.#owned) pipeline.hset(key.callOwners, callId, this.nodeId);
        await pipeline.exec();
        await this.#watch();
      } catch {
        // Redis is down: the connection logs it once; the next beat tries again.
      }
    });
    return this.#beating;
  }

  async #watch(): Promise<void> {
    const inSet = new Set(await this.#redis.smembers(key.nodes));
    // The known ones too: a Redis that restarted empty has lost the set, not the nodes.
    const ids = [...new Set([...inSet, ...this.#known.keys()])].filter((id) => id !== this.nodeId);
    const beats = ids.length > 0 ? await this.#redis.mget(ids.map(key.node)) : [];
    const gone = ids.length > 0 ? await this.#redis.mget(ids.map(key.gone)) : [];
    const owners = await this.#redis.hgetall(key.callOwners);
    const callsOf = (nodeId: string) => Object.entries(owners).filter(([, owner]) => owner === nodeId).map(([callId]) => callId);
    const now = Date.now();
    const alive = new Map<string, string[]>([[this.nodeId, callsOf(this.nodeId)]]);
    const dead: string[] = [];
    ids.forEach((id, i) => {
      if (beats[i] !== null) {
        this.#missingSince.delete(id);
        alive.set(id, callsOf(id));
        return;
      }
      if (inSet.has(id) || gone[i] !== null) return void dead.push(id);
      const since = this.#missingSince.get(id) ?? now;
      this.#missingSince.set(id, since);
      if (now - since >= 2 * this.#heartbeatMs) dead.push(id);
      // Perhaps only Redis restarted: counted alive for now, with the calls last known.
      else alive.set(id, this.#known.get(id) ?? []);
    });
    for (const id of dead) {
      const calls = [...new Set([...(this.#known.get(id) ?? []), ...callsOf(id)])];
      this.#missingSince.delete(id);
      this.#log.warn('cluster node lost', { lostNode: id, calls: calls.length });
      const cleanup = this.#redis.multi().srem(key.nodes, id).set(key.gone(id), '1', 'PX', 60_000);
      for (const callId of callsOf(id)) cleanup.hdel(key.callOwners, callId);
      await cleanup.exec();
      this.#events.emit('node-lost', id, calls);
    }
    this.#known = alive;
  }
}
