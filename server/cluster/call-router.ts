import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import {
  BullpenError,
  clientEvents,
  fail,
  ok,
  parse,
  resultSchema,
  type ClientPayload,
  type ClientReply,
  type Result,
} from '../../contract';
import type { AuthService } from '../auth/auth-service';
import { CALL_ACTIONS, type ActionContext, type CallAction, type CallActionRunner, type CallActions } from '../calls/call-actions';
import type { CallRegistry } from '../calls/call-registry';
import type { Logger } from '../logger';
import type { CallStore } from '../store/call-store';
import type { ClusterNodes } from './cluster-nodes';
import { openRedis } from './redis';

/** How long a call action waits for the owner node's answer. */
export const ROUTE_TIMEOUT_MS = 3000;

/** What a caller is told when the node carrying a call does not answer (dead, or cut off). */
export const OWNER_GONE_MESSAGE = 'The server carrying this call is not answering. Try again in a moment.';

const channel = {
  requests: (nodeId: string) => `bullpen:calls:req:${nodeId}`,
  replies: (nodeId: string) => `bullpen:calls:rep:${nodeId}`,
  notices: 'bullpen:calls:notice',
};

/** A call action on its way to the owner: the caller's session token, so the owner authenticates it itself. */
const RoutedRequest = z.object({
  id: z.string(),
  from: z.string(),
  action: z.enum(CALL_ACTIONS),
  token: z.string(),
  socketId: z.string(),
  payload: z.unknown(),
});
type RoutedRequest = z.infer<typeof RoutedRequest>;

const RoutedReply = z.object({ id: z.string(), result: resultSchema(z.unknown()) });

/**
 * What every node hears, each acting for the calls it carries: signalling connections opening
 * and closing anywhere in the cluster. (Team setting changes travel through NodeFanout.)
 */
export const SocketNotice = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('socket-opened'), userId: z.string() }),
  z.object({ kind: z.literal('socket-closed'), userId: z.string(), socketId: z.string() }),
]);
export type SocketNotice = z.infer<typeof SocketNotice>;

interface RouterEvents {
  notice: [notice: SocketNotice];
}

export interface CallRouterDeps {
  redisUrl: string;
  cluster: ClusterNodes;
  registry: CallRegistry;
  /** This node's own execution of call actions. */
  actions: CallActions;
  auth: AuthService;
  calls: CallStore;
  log: Logger;
  timeoutMs?: number;
}

/**
 * Runs each call action on the node that owns the call (cluster mode). A request/reply channel
 * of its own over Redis pub/sub rather than socket.io's `serverSideEmit` with acks: that one
 * goes to every node and waits for all of them to answer, so one dead or slow node would hold up
 * every action; here a request goes to the owner's channel only, `PUBLISH` tells at once when no
 * node listens there (the owner is gone), and a silent owner costs at most `timeoutMs`.
 *
 * The owner authenticates the caller's token and re-parses the payload itself, then runs the
 * action exactly as for a socket of its own: every check happens there, at the moment it acts.
 */
export class CallRouter implements CallActionRunner {
  readonly #deps: CallRouterDeps;
  readonly #pub: Redis;
  readonly #sub: Redis;
  readonly #pending = new Map<string, { resolve: (r: Result<unknown>) => void; timer: NodeJS.Timeout }>();
  readonly #events = new EventEmitter<RouterEvents>();
  #closed = false;

  private constructor(deps: CallRouterDeps) {
    this.#deps = deps;
    this.#pub = openRedis(deps.redisUrl, deps.log, 'router-pub');
    this.#sub = openRedis(deps.redisUrl, deps.log, 'router-sub');
    this.#sub.on('message', (ch: string, message: string) => this.#onMessage(ch, message));
  }

  /** Subscribes to this node's request and reply channels before resolving. */
  static async start(deps: CallRouterDeps): Promise<CallRouter> {
    const router = new CallRouter(deps);
    const self = deps.cluster.nodeId;
    await router.#sub.subscribe(channel.requests(self), channel.replies(self), channel.notices);
    return router;
  }

  on<E extends keyof RouterEvents>(event: E, listener: (...args: RouterEvents[E]) => void): void {
    this.#events.on(event, listener as never);
  }

  /** Tells every node (this one included) that a signalling connection opened or closed. */
  announce(notice: SocketNotice): void {
    this.#pub.publish(channel.notices, JSON.stringify(notice)).catch((error: unknown) => {
      this.#deps.log.warn('socket notice not sent', { kind: notice.kind, error: error instanceof Error ? error.message : String(error) });
    });
  }

  async run<E extends CallAction>(event: E, ctx: ActionContext & { token: string }, payload: ClientPayload<E>): Promise<ClientReply<E>> {
    const { registry, cluster, actions, calls } = this.#deps;
    const callId = payload.callId;
    if (registry.owns(callId)) return actions.run(event, ctx, payload);
    let owner: string | undefined;
    try {
      owner = await cluster.ownerOf(callId);
    } catch {
      throw new BullpenError('UNAVAILABLE', OWNER_GONE_MESSAGE);
    }
    if (owner && owner !== cluster.nodeId) {
      const result = await this.#request(owner, { action: event, token: ctx.token, socketId: ctx.socketId, payload });
      if (!result.ok) throw new BullpenError(result.error.code, result.error.message, { retryAfterSec: result.error.retryAfterSec });
      return result.value as ClientReply<E>;
    }
    // No live owner: a call still open in the store lost its node. Its host's publish adopts it
    // here; anything else waits for that.
    const row = owner ? undefined : await calls.openCallOfTeam(ctx.caller.team.id, callId);
    if (row) {
      if (event !== 'call:publish') throw new BullpenError('UNAVAILABLE', OWNER_GONE_MESSAGE);
      const { offer } = payload as ClientPayload<'call:publish'>;
      if (row.hostId === ctx.caller.user.id && !(await this.lock(`adopt:${callId}`, ROUTE_TIMEOUT_MS))) {
        // Another node is adopting it right now: the host's app publishes again in a moment.
        throw new BullpenError('UNAVAILABLE', OWNER_GONE_MESSAGE);
      }
      return { answer: await registry.adopt(ctx.caller, row, offer, ctx.socketId) } as ClientReply<E>;
    }
    // Not a live call of the caller's team: the local run says which error (not found, ended).
    return actions.run(event, ctx, payload);
  }

  /**
   * Takes a cluster-wide lock `name` for `ttlMs` (Redis `SET NX PX`); false if another node holds
   * it or Redis cannot be reached. Used so one node alone adopts, or ends, a call that lost its node.
   */
  async lock(name: string, ttlMs: number): Promise<boolean> {
    try {
      return (await this.#pub.set(`bullpen:lock:${name}`, this.#deps.cluster.nodeId, 'PX', ttlMs, 'NX')) === 'OK';
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const [, pending] of this.#pending) {
      clearTimeout(pending.timer);
      pending.resolve(fail('UNAVAILABLE', OWNER_GONE_MESSAGE));
    }
    this.#pending.clear();
    this.#sub.disconnect();
    this.#pub.disconnect();
  }

  /** Sends one action to `owner` and waits for its result; UNAVAILABLE if nobody answers. */
  async #request(owner: string, req: Omit<RoutedRequest, 'id' | 'from'>): Promise<Result<unknown>> {
    const id = randomUUID();
    const message: RoutedRequest = { id, from: this.#deps.cluster.nodeId, ...req };
    const answered = new Promise<Result<unknown>>((resolve) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        this.#deps.log.warn('call owner did not answer', { owner, action: req.action });
        resolve(fail('UNAVAILABLE', OWNER_GONE_MESSAGE));
      }, this.#deps.timeoutMs ?? ROUTE_TIMEOUT_MS);
      timer.unref();
      this.#pending.set(id, { resolve, timer });
    });
    let receivers = 0;
    try {
      receivers = await this.#pub.publish(channel.requests(owner), JSON.stringify(message));
    } catch {
      // Redis is down: nothing was sent.
    }
    if (receivers === 0) this.#settle(id, fail('UNAVAILABLE', OWNER_GONE_MESSAGE));
    return answered;
  }

  #settle(id: string, result: Result<unknown>): void {
    const pending = this.#pending.get(id);
    if (!pending) return;
    this.#pending.delete(id);
    clearTimeout(pending.timer);
    pending.resolve(result);
  }

  #onMessage(ch: string, message: string): void {
    let value: unknown;
    try {
      value = JSON.parse(message);
    } catch {
      return;
    }
    const self = this.#deps.cluster.nodeId;
    if (ch === channel.replies(self)) {
      const reply = RoutedReply.safeParse(value);
      if (reply.success) this.#settle(reply.data.id, reply.data.result as Result<unknown>);
    } else if (ch === channel.requests(self)) {
      const req = RoutedRequest.safeParse(value);
      if (req.success) void this.#serve(req.data);
    } else if (ch === channel.notices) {
      const notice = SocketNotice.safeParse(value);
      if (notice.success) this.#events.emit('notice', notice.data);
    }
  }

  /** Runs a routed action here, as for a socket of this node, and sends its result back. */
  async #serve(req: RoutedRequest): Promise<void> {
    let result: Result<unknown>;
    try {
      const caller = await this.#deps.auth.authenticate(req.token);
      const parsed = parse(clientEvents[req.action].payload, req.payload);
      result = parsed.ok
        ? ok(await this.#deps.actions.run(req.action, { caller, socketId: req.socketId }, parsed.value as ClientPayload<CallAction>))
        : parsed;
    } catch (error) {
      if (error instanceof BullpenError) {
        result = fail(error.code, error.message, error.retryAfterSec);
      } else {
        this.#deps.log.error('routed call action failed', { action: req.action, from: req.from, error });
        result = fail('INTERNAL', 'Something went wrong on the server. Try again.');
      }
    }
    await this.#pub.publish(channel.replies(req.from), JSON.stringify({ id: req.id, result })).catch(() => undefined);
  }
}
