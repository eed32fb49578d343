/**
 * Boards across nodes. Each node announces the board facts of the calls it owns (board-facts.ts)
 * and keeps the other nodes' announcements in memory, so a board is still built from live calls
 * and the in-memory roster (never from SQL or a Redis read per viewer), with the same policy.
 *
 * Redis holds, per node, a hash `bullpen:board:<node>` (team id → that team's calls as JSON,
 * plus `_seq`, the node's change counter when it was written), expiring unless re-asserted.
 * A change is written there and published at once on `bullpen:board` (coalesced per team);
 * every heartbeat each node rewrites its own hash and reads the live nodes' hashes. So a
 * publish lost while Redis was away, or a Redis that restarted empty, is repaired within two
 * beats. Every team's calls carry the owner's `seq`, so an old snapshot never undoes a newer
 * announcement.
 *
 * The calls of a node that is lost (`ClusterNodes` `node-lost`) stay on boards with host state
 * `reconnecting` until another node announces the same call (it adopted it) or the host grace
 * runs out (the call is ended by then); a node that shuts down says so and its calls go at once.
 */
import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import type { CallRegistry } from '../calls/call-registry';
import type { Logger } from '../logger';
import type { BoardCall } from '../realtime/board-publisher';
import { Coalescer } from '../realtime/coalescer';
import { BoardMessage, factsOf, RemoteCall, TeamCalls } from './board-facts';
import { NODE_HEARTBEAT_MS, NODE_TTL_MS, type ClusterNodes } from './cluster-nodes';
import { openRedis } from './redis';

const CHANNEL = 'bullpen:board';
const nodeKey = (nodeId: string) => `bullpen:board:${nodeId}`;
/** The hash field holding the node's change counter when the hash was written. */
const SEQ_FIELD = '_seq';

/** A call on a board of this node: a local `Call` or another node's `RemoteCall`. */
export type ClusterBoardCall = BoardCall & { readonly id: string; readonly startedAt: number };

export interface BoardExchangeDeps {
  nodeId: string;
  redisUrl: string;
  registry: Pick<CallRegistry, 'callsOf' | 'on'>;
  cluster: Pick<ClusterNodes, 'aliveNodes' | 'on'>;
  log: Logger;
  /** How long a lost node's calls stay on boards (the host grace: adopted or ended by then). */
  graceMs: number;
  /** Shortest time between two announcements of a team (default 100 ms, as board pushes). */
  intervalMs?: number;
  heartbeatMs?: number;
  /** How long this node's announcements outlive its last heartbeat in Redis. */
  ttlMs?: number;
}

interface RemoteNode {
  /** Per team: the owner's `seq` of the newest announcement applied (kept after the team empties). */
  seqs: Map<string, number>;
  calls: Map<string, RemoteCall[]>;
  /** Per team: the hash value last applied, so an unchanged snapshot is not parsed again. */
  raw: Map<string, string>;
  /** Set while the node is lost: its calls are dropped when this fires. */
  lostTimer?: NodeJS.Timeout;
}

/** This node's calls announced to the others, and the others' calls for this node's boards. */
export class BoardExchange {
  readonly #deps: BoardExchangeDeps;
  readonly #cmd: Redis;
  readonly #sub: Redis;
  readonly #events = new EventEmitter<{ 'board-changed': [teamId: string] }>();
  readonly #announcer: Coalescer<string>;
  readonly #timer: NodeJS.Timeout;
  readonly #remote = new Map<string, RemoteNode>();
  /** This node's teams with live calls: team id → the hash value announced last. */
  readonly #mine = new Map<string, string>();
  // Starts from the clock so a restarted node with the same id is newer than its old self.
  #seq = Date.now() * 1000;
  #beating = false;
  #closed = false;

  private constructor(deps: BoardExchangeDeps) {
    this.#deps = deps;
    this.#cmd = openRedis(deps.redisUrl, deps.log, 'board');
    this.#sub = openRedis(deps.redisUrl, deps.log, 'board-sub');
    this.#sub.on('message', (_channel: string, message: string) => this.#receive(message));
    this.#announcer = new Coalescer(deps.intervalMs ?? 100, (teamId) => this.#announce(teamId));
    deps.registry.on('board-changed', (teamId) => {
      this.#announcer.schedule(teamId);
      this.#events.emit('board-changed', teamId);
    });
    deps.cluster.on('node-lost', (nodeId) => this.#nodeLost(nodeId));
    this.#timer = setInterval(() => void this.#beat(), deps.heartbeatMs ?? NODE_HEARTBEAT_MS);
    this.#timer.unref();
  }

  /** Subscribes and reads the other nodes' calls before resolving (a first board is whole). */
  static async start(deps: BoardExchangeDeps): Promise<BoardExchange> {
    const exchange = new BoardExchange(deps);
    try {
      await exchange.#sub.subscribe(CHANNEL);
    } catch (error) {
      await exchange.close();
      throw new Error(`Cannot subscribe to Redis for boards across nodes (${error instanceof Error ? error.message : String(error)}). Check --redis-url and that Redis is running.`);
    }
    await exchange.#beat();
    return exchange;
  }

  /** `board-changed`: a team's board changed here or on another node (push this node's viewers). */
  on(event: 'board-changed', listener: (teamId: string) => void): void {
    this.#events.on(event, listener);
  }

  /** A team's live calls on every node, newest first; a call this node owns wins over any announcement. */
  callsOf(teamId: string): ClusterBoardCall[] {
    const local = this.#deps.registry.callsOf(teamId);
    const seen = new Set(local.map((call) => call.id));
    const all: ClusterBoardCall[] = [...local];
    // Live owners first: a call adopted by another node replaces its lost owner's entry.
    for (const lost of [false, true]) {
      for (const node of this.#remote.values()) {
        if ((node.lostTimer !== undefined) !== lost) continue;
        for (const call of node.calls.get(teamId) ?? []) {
          if (seen.has(call.id)) continue;
          seen.add(call.id);
          all.push(call);
        }
      }
    }
    return all.length === local.length ? local : all.sort((a, b) => b.startedAt - a.startedAt);
  }

  /** Whether `userId` hosts a live call owned by another node. */
  hostsElsewhere(userId: string): boolean {
    for (const node of this.#remote.values()) {
      for (const calls of node.calls.values()) if (calls.some((call) => call.hostId === userId)) return true;
    }
    return false;
  }

  /** Stops announcing; the other nodes drop this node's calls at once. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    this.#announcer.close();
    for (const node of this.#remote.values()) clearTimeout(node.lostTimer);
    try {
      await this.#cmd.del(nodeKey(this.#deps.nodeId));
      await this.#cmd.publish(CHANNEL, JSON.stringify({ kind: 'left', node: this.#deps.nodeId } satisfies BoardMessage));
    } catch (error) {
      this.#deps.log.warn('could not withdraw this node from boards; its entries expire on their own', { error });
    }
    this.#sub.disconnect();
    this.#cmd.disconnect();
  }

  /** Writes and publishes this node's calls of a team now. */
  #announce(teamId: string): void {
    if (this.#closed) return;
    const calls = this.#deps.registry.callsOf(teamId).map(factsOf);
    const seq = ++this.#seq;
    const value = JSON.stringify({ seq, calls } satisfies TeamCalls);
    const key = nodeKey(this.#deps.nodeId);
    const write = this.#cmd.multi().hset(key, SEQ_FIELD, seq);
    if (calls.length > 0) {
      this.#mine.set(teamId, value);
      write.hset(key, teamId, value);
    } else {
      this.#mine.delete(teamId);
      write.hdel(key, teamId);
    }
    write.pexpire(key, this.#deps.ttlMs ?? NODE_TTL_MS);
    const message: BoardMessage = { kind: 'calls', node: this.#deps.nodeId, team: teamId, seq, calls };
    // Redis away: the heartbeat after it returns writes these again and the others read them.
    write.exec().catch(() => undefined);
    this.#cmd.publish(CHANNEL, JSON.stringify(message)).catch(() => undefined);
  }

  /** Re-asserts this node's calls and reads the other live nodes' (one beat at a time). */
  async #beat(): Promise<void> {
    if (this.#beating || this.#closed) return;
    this.#beating = true;
    try {
      const key = nodeKey(this.#deps.nodeId);
      await this.#cmd
        .multi()
        .del(key)
        .hset(key, { [SEQ_FIELD]: String(this.#seq), ...Object.fromEntries(this.#mine) })
        .pexpire(key, this.#deps.ttlMs ?? NODE_TTL_MS)
        .exec();
      const others = (await this.#deps.cluster.aliveNodes()).filter((id) => id !== this.#deps.nodeId);
      const read = this.#cmd.pipeline();
      for (const id of others) read.hgetall(nodeKey(id));
      const hashes = others.length > 0 ? ((await read.exec()) ?? []) : [];
      others.forEach((id, i) => {
        const [error, hash] = hashes[i] ?? [null, {}];
        if (!error) this.#reconcile(id, hash as Record<string, string>);
      });
    } catch {
      // Redis is away: its connection logs that once; the next beat tries again.
    } finally {
      this.#beating = false;
    }
  }

  /** Applies a node's whole hash: teams newer than what was applied, and teams it no longer has. */
  #reconcile(nodeId: string, hash: Record<string, string>): void {
    const snapshotSeq = Number(hash[SEQ_FIELD]);
    // No hash yet (Redis restarted and the node has not beaten since): wait for it.
    if (!Number.isSafeInteger(snapshotSeq)) return;
    const node = this.#node(nodeId);
    // Alive after all (a Redis that restarted empty can make a node look lost for a beat).
    if (node.lostTimer) this.#revived(nodeId, node);
    for (const [teamId, value] of Object.entries(hash)) {
      if (teamId === SEQ_FIELD || node.raw.get(teamId) === value) continue;
      let parsed: TeamCalls;
      try {
        parsed = TeamCalls.parse(JSON.parse(value));
      } catch (error) {
        this.#deps.log.warn('ignored a malformed board announcement', { fromNode: nodeId, teamId, error });
        continue;
      }
      this.#apply(nodeId, teamId, parsed);
      node.raw.set(teamId, value);
    }
    for (const teamId of [...node.calls.keys()]) {
      if (teamId in hash || snapshotSeq <= (node.seqs.get(teamId) ?? -1)) continue;
      this.#apply(nodeId, teamId, { seq: snapshotSeq, calls: [] });
    }
  }

  #receive(message: string): void {
    let parsed: BoardMessage;
    try {
      parsed = BoardMessage.parse(JSON.parse(message));
    } catch (error) {
      this.#deps.log.warn('ignored a malformed board message', { error });
      return;
    }
    if (parsed.node === this.#deps.nodeId || this.#closed) return;
    if (parsed.kind === 'left') return this.#drop(parsed.node);
    this.#apply(parsed.node, parsed.team, parsed);
  }

  /** Applies a team's calls from `nodeId` unless something newer was applied already. */
  #apply(nodeId: string, teamId: string, { seq, calls }: TeamCalls): void {
    const node = this.#node(nodeId);
    if (seq <= (node.seqs.get(teamId) ?? -1)) return;
    if (node.lostTimer) this.#revived(nodeId, node);
    node.seqs.set(teamId, seq);
    node.raw.delete(teamId);
    if (calls.length > 0) node.calls.set(teamId, calls.map((facts) => new RemoteCall(facts, nodeId)));
    else node.calls.delete(teamId);
    // A call announced here that a lost node owned was adopted: its old entry goes.
    const ids = new Set(calls.map((facts) => facts.entry.id));
    for (const other of this.#remote.values()) {
      const mine = other.lostTimer ? other.calls.get(teamId) : undefined;
      if (mine?.some((call) => ids.has(call.id))) other.calls.set(teamId, mine.filter((call) => !ids.has(call.id)));
    }
    this.#events.emit('board-changed', teamId);
  }

  #node(nodeId: string): RemoteNode {
    let node = this.#remote.get(nodeId);
    if (!node) this.#remote.set(nodeId, (node = { seqs: new Map(), calls: new Map(), raw: new Map() }));
    return node;
  }

  /** A node's heartbeat ran out: its calls show `reconnecting` for the host grace, then go. */
  #nodeLost(nodeId: string): void {
    const node = this.#remote.get(nodeId);
    if (!node || node.lostTimer || this.#closed) return;
    const calls = [...node.calls.values()].flat();
    if (calls.length === 0) return void this.#remote.delete(nodeId);
    for (const call of calls) call.ownerLost = true;
    this.#deps.log.warn('calls of a lost node shown reconnecting', { lostNode: nodeId, calls: calls.length });
    node.lostTimer = setTimeout(() => {
      this.#deps.log.info('calls of a lost node dropped from boards (grace over)', { lostNode: nodeId });
      this.#drop(nodeId);
    }, this.#deps.graceMs);
    node.lostTimer.unref();
    for (const teamId of node.calls.keys()) this.#events.emit('board-changed', teamId);
  }

  /** A node thought lost announced again (its heartbeat was only late). */
  #revived(nodeId: string, node: RemoteNode): void {
    clearTimeout(node.lostTimer);
    node.lostTimer = undefined;
    for (const calls of node.calls.values()) for (const call of calls) call.ownerLost = false;
    this.#deps.log.info('lost node is back; its calls are live again', { node: nodeId });
    for (const teamId of node.calls.keys()) this.#events.emit('board-changed', teamId);
  }

  /** Forgets a node's calls (it left, or was lost longer than the grace). */
  #drop(nodeId: string): void {
    const node = this.#remote.get(nodeId);
    if (!node) return;
    clearTimeout(node.lostTimer);
    this.#remote.delete(nodeId);
    for (const teamId of node.calls.keys()) this.#events.emit('board-changed', teamId);
  }
}
