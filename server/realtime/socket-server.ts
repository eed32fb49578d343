import type { Server as HttpServer } from 'node:http';
import { Server, type ServerOptions } from 'socket.io';
import {
  BullpenError,
  clientEvents,
  fail,
  ok,
  parse,
  SocketAuth,
  type ClientEventName,
  type ClientPayload,
  type ClientReply,
  type ClientToServerEvents,
  type Result,
  type ServerEventName,
  type ServerPayload,
  type ServerToClientEvents,
  type IceServer,
  type SignedOutReason,
  type CallEndReason,
} from '../../contract';
import type { AuthService, Caller } from '../auth/auth-service';
import type { Call } from '../calls/call';
import type { CallRegistry } from '../calls/call-registry';
import type { CallAction, CallActionRunner } from '../calls/call-actions';
import type { SocketNotice } from '../cluster/call-router';
import type { ClipService } from '../clips/clip-service';
import type { RateLimits } from '../limits/rate-limits';
import type { QuestionService } from '../questions/question-service';
import type { Logger } from '../logger';
import type { TeamStore } from '../store/team-store';
import { turns } from '../turns';
import { NodeFanout, type NodeBus, type NodeEvents } from '../cluster/node-fanout';
import { BoardPublisher, type BoardCalls } from './board-publisher';
import { Coalescer } from './coalescer';
import { LibraryPublisher } from './library-publisher';
import type { SharedSocketCount } from './shared-socket-count';
import { guardSocketEvents, SocketCap } from './socket-limits';
import { TeamRosters } from './team-roster';

interface SocketData {
  token: string;
  userId: string;
  teamId: string;
  sessionId: string;
  /** When the session expires unless used again. */
  sessionExpiresAt: number;
}

export type BullpenIo = Server<ClientToServerEvents, ServerToClientEvents, NodeEvents, SocketData>;

export interface SocketServerDeps {
  auth: AuthService;
  teams: TeamStore;
  registry: CallRegistry;
  /** Call actions, run here or (cluster mode) on the node that owns the call. */
  actions: CallActionRunner;
  /** Cluster mode: sockets opening and closing on every node, for the calls this node carries. */
  presence?: SocketPresence;
  clips: ClipService;
  questions: QuestionService;
  limits: RateLimits;
  log: Logger;
  allowedOrigins: string[];
  /** Shortest time between two board pushes to a team (and host list pushes per call). Default 100 ms. */
  boardIntervalMs?: number;
  /** socket.io adapter joining several nodes (cluster mode); the in-memory default otherwise. */
  adapter?: ServerOptions['adapter'];
  /** Where boards find a team's live calls: every node's in cluster mode (BoardExchange); the registry's by default. */
  board?: BoardCalls;
  /** Fresh ICE servers (TURN credentials) for a person's next media connection; none by default. */
  iceServersFor?: (userId: string) => IceServer[];
  /** Cluster mode: open sockets per person counted across nodes (the per-node count always applies). */
  socketCount?: SharedSocketCount;
}

/** Cluster mode: how this node hears of, and tells, sockets opening and closing on any node. */
export interface SocketPresence {
  announce(notice: SocketNotice): void;
  on(event: 'notice', listener: (notice: SocketNotice) => void): void;
}

const room = {
  team: (id: string) => `team:${id}`,
  user: (id: string) => `user:${id}`,
  session: (id: string) => `session:${id}`,
  call: (id: string) => `call:${id}`,
};

/**
 * Socket.io signalling: authenticates each connection with its session token, validates
 * every event against the contract, re-checks the caller on every event, and pushes board
 * and call updates to the people allowed to see them.
 */
export function createSocketServer(http: HttpServer, deps: SocketServerDeps) {
  const { auth, registry, limits, log } = deps;
  const io: BullpenIo = new Server(http, {
    maxHttpBufferSize: 64 * 1024,
    serveClient: false,
    cors: { origin: deps.allowedOrigins, methods: ['GET', 'POST'] },
    ...(deps.adapter ? { adapter: deps.adapter } : {}),
  });

  const cap = new SocketCap(log, deps.socketCount);

  io.use(async (socket, next) => {
    const parsed = SocketAuth.safeParse(socket.handshake.auth);
    try {
      if (!parsed.success) throw new BullpenError('UNAUTHENTICATED', 'Sign in to connect.');
      const caller = await auth.authenticate(parsed.data.token);
      await cap.admit(caller.user.id, socket);
      socket.data = {
        token: parsed.data.token,
        userId: caller.user.id,
        teamId: caller.team.id,
        sessionId: caller.sessionId,
        sessionExpiresAt: caller.sessionExpiresAt,
      };
      next();
    } catch (error) {
      const code = error instanceof BullpenError ? error.code : 'INTERNAL';
      const err = new Error(error instanceof Error ? error.message : 'Connection refused') as Error & { data?: unknown };
      err.data = { code };
      next(err);
    }
  });

  const userSocketCount = (userId: string) => io.of('/').adapter.rooms.get(room.user(userId))?.size ?? 0;

  /** User ids with at least one socket on the team now. */
  const teamViewers = (teamId: string): Set<string> => {
    const userIds = new Set<string>();
    for (const id of io.of('/').adapter.rooms.get(room.team(teamId)) ?? []) {
      const socket = io.of('/').sockets.get(id);
      if (socket) userIds.add(socket.data.userId);
    }
    return userIds;
  };
  const rosters = new TeamRosters(deps.teams);
  const board = deps.board ?? registry;
  const boards = new BoardPublisher({
    registry: board,
    rosters,
    log,
    intervalMs: deps.boardIntervalMs,
    viewersOf: teamViewers,
    // One emit to many rooms: socket.io encodes the packet once for all of them. Local: every
    // node pushes its own sockets the boards it built (with the other nodes' calls).
    emit: (userIds, calls) => io.local.to(userIds.map(room.user)).emit('board:update', { calls }),
  });
  board.on('board-changed', (teamId) => boards.changed(teamId));
  // What every node does for its own sockets and calls, wherever it happened (node-fanout.ts).
  // (socket.io types serverSideEmit by the event table; NodeFanout parses every message itself.)
  const nodes = new NodeFanout(io as unknown as NodeBus, deps.adapter !== undefined, log);
  nodes.handle('node:host-signed-out', (userId) => registry.hostSignedOut(userId));
  nodes.handle('node:team-changed', (teamId) => {
    rosters.load(teamId).then(
      (roster) => {
        registry.revokeUnentitled(teamId, roster);
        boards.changed(teamId);
      },
      (error: unknown) => log.error('team roster could not be loaded', { teamId, error }),
    );
  });
  nodes.handle('node:managers-always-join', (teamId, on) => {
    registry.managersAlwaysJoinChanged(teamId, on).catch((error: unknown) => log.error('managers setting not applied', { teamId, error }));
  });

  // The host's listener list, coalesced per call like boards: a burst of leaves is one push.
  const hostLists = new Coalescer<Call>(deps.boardIntervalMs ?? 100, (call) => {
    if (call.ended) return;
    io.to(room.user(call.hostId)).emit('call:listeners', { callId: call.id, listeners: call.listeners() });
  });
  registry.on('listeners-changed', (call) => hostLists.schedule(call));
  registry.on('host-state-changed', (call) => {
    io.to(room.call(call.id)).emit('call:host-state', { callId: call.id, hostState: call.hostState });
  });
  registry.on('sharing-changed', (call) => {
    io.to(room.call(call.id)).emit('call:sharing', { callId: call.id, paused: call.paused });
  });
  // Trickle ICE: the server's candidates for one socket's connection. By socket id, so the Redis
  // adapter carries them to a socket on another node than the call's owner.
  registry.on('media-candidate', (socketId, payload) => io.to(socketId).emit('media:candidate', payload));
  registry.on('listener-revoked', (call, listener, why) => {
    // To the socket that joined: the listen view says why its audio stopped.
    io.to(listener.socketId).emit('listen:revoked', { callId: call.id, ...why });
    io.in(listener.socketId).socketsLeave(room.call(call.id));
  });
  registry.on('call-ended', (call, reason) => {
    hostLists.cancel(call);
    io.to(room.call(call.id)).emit('call:ended', { callId: call.id, reason });
    io.in(room.call(call.id)).socketsLeave(room.call(call.id));
  });
  deps.clips.on('clip-ready', (clip) => {
    void deps.teams
      .userById(clip.clipperId)
      .then((clipper) => {
        if (clipper) io.to(room.user(clip.clipperId)).emit('clip:ready', { clip: deps.clips.summaryFor(clipper, clip) });
      })
      .catch((error: unknown) => log.error('clip ready push failed', { clipId: clip.id, error }));
  });
  // Library changes, gathered per team like boards, each member told only of clips they may see.
  const library = new LibraryPublisher({
    rosters,
    log,
    intervalMs: deps.boardIntervalMs,
    viewersOf: teamViewers,
    emit: (userIds, clipIds) => io.local.to(userIds.map(room.user)).emit('library:changed', { clipIds }),
  });
  nodes.handle('node:library-changed', (teamId, clip) => library.changed(teamId, clip));
  deps.clips.on('library-changed', (teamId, clip) => nodes.toAll('node:library-changed', teamId, clip));
  // Questions: the host of a call with live questions gets only a count (never the text or asker).
  deps.questions.on('asked', (call, count) => {
    if (call.questions === 'live') io.to(room.user(call.hostId)).emit('question:count', { callId: call.id, count });
  });
  deps.questions.on('lists-changed', (userId) => io.to(room.user(userId)).emit('questions:changed', {}));
  // Whispers go to the host's own sockets and nowhere else.
  deps.questions.on('whisper', (hostId, whisper) => io.to(room.user(hostId)).emit('whisper:received', whisper));

  // Cluster mode: a call's host and listeners may have their sockets on other nodes. Every node
  // hears every open and close and acts for the calls it carries.
  deps.presence?.on('notice', (notice) => {
    if (notice.kind === 'socket-opened') {
      const hosted = registry.hostedBy(notice.userId);
      if (!hosted) return;
      // The host's new socket (on whichever node) gets the call's pushes again.
      io.in(room.user(notice.userId)).socketsJoin(room.call(hosted.id));
      registry.socketOpened(notice.userId);
      return;
    }
    const { userId, socketId } = notice;
    if (!registry.hostedBy(userId)) return registry.socketClosed(userId, socketId, true);
    // Whether the host still has a socket anywhere in the cluster.
    io.in(room.user(userId))
      .fetchSockets()
      .then(
        (sockets) => sockets.length > 0,
        () => false,
      )
      .then((still) => registry.socketClosed(userId, socketId, still));
  });

  io.on('connection', (socket) => {
    const { userId, teamId, sessionId } = socket.data;
    // A session that expires while its socket is open ends it as a revocation would; the
    // client's reconnect is then refused saying the session expired.
    const stopWatching = auth.watchSession(socket.data.token, { sessionId, expiresAt: socket.data.sessionExpiresAt }, () => socket.disconnect(true));
    void socket.join([room.team(teamId), room.user(userId), room.session(sessionId)]);
    const hosted = registry.hostedBy(userId);
    if (hosted) void socket.join(room.call(hosted.id));
    if (deps.presence) deps.presence.announce({ kind: 'socket-opened', userId });
    else registry.socketOpened(userId);
    // Loaded now so the first board push has this member's role and mentors.
    rosters.ensure(teamId, userId).catch((error: unknown) => log.error('team roster could not be loaded', { teamId, error }));
    log.debug('socket connected', { userId, socketId: socket.id });

    const acklessDropped = guardSocketEvents(socket, { userId, limits, log });

    const handle = <E extends ClientEventName>(
      event: E,
      fn: (caller: Caller, payload: ClientPayload<E>) => Promise<ClientReply<E>> | ClientReply<E>,
    ) => {
      // socket.io's typed `on` cannot express our generic handler; the listener is typed by the contract.
      (socket.on as (e: string, l: (...args: unknown[]) => void) => void)(event, async (...args: unknown[]) => {
        const ack = args[args.length - 1];
        // guardSocketEvents already dropped (and counted) events without an ack.
        if (typeof ack !== 'function') return;
        const reply = ack as (r: Result<ClientReply<E>>) => void;
        try {
          // One event's work per event-loop turn, so a burst of events cannot hold up forwarding.
          await turns.take();
          const caller = await auth.authenticate(socket.data.token);
          const parsed = parse(clientEvents[event].payload, args.length > 1 ? args[0] : undefined);
          if (!parsed.ok) return reply(parsed as Result<never>);
          reply(ok(await fn(caller, parsed.value as ClientPayload<E>)));
        } catch (error) {
          if (error instanceof BullpenError) {
            reply(fail(error.code, error.message, error.retryAfterSec));
          } else {
            log.error('socket handler failed', { event, userId, error });
            reply(fail('INTERNAL', 'Something went wrong on the server. Try again.'));
          }
        }
      });
    };

    handle('board:get', async (caller) => ({ calls: await boards.boardFor(caller.user) }));
    handle('call:start', async (caller, payload) => {
      await limits.take('callStart', caller.user.id);
      const started = await registry.start(caller, payload, socket.id);
      await socket.join(room.call(started.call.id));
      return started;
    });
    // Call actions: the runner checks the caller against the call, here or on its owner node.
    const act = <E extends CallAction>(event: E, caller: Caller, payload: ClientPayload<E>) =>
      deps.actions.run(event, { caller, token: socket.data.token, socketId: socket.id }, payload);
    handle('call:publish', async (caller, payload) => {
      const published = await act('call:publish', caller, payload);
      // The host's socket may be new to this call (reconnected, or the call moved to another node).
      await socket.join(room.call(payload.callId));
      return published;
    });
    for (const event of ['call:end', 'call:pause', 'call:resume', 'call:remove-listener', 'call:set-policy', 'call:start-recording', 'clip:mark', 'question:ask', 'whisper:send', 'media:candidate'] as const) {
      handle(event, (caller, payload) => act(event, caller, payload as never));
    }
    handle('listen:join', async (caller, payload) => {
      const joined = await act('listen:join', caller, payload);
      await socket.join(room.call(payload.callId));
      return joined;
    });
    handle('media:ice-servers', async (caller) => {
      await limits.take('iceServers', caller.user.id);
      return { iceServers: deps.iceServersFor?.(caller.user.id) ?? [] };
    });
    handle('listen:leave', async (caller, payload) => {
      const left = await act('listen:leave', caller, payload);
      await socket.leave(room.call(payload.callId));
      return left;
    });

    socket.on('disconnect', (reason) => {
      stopWatching();
      if (deps.presence) deps.presence.announce({ kind: 'socket-closed', userId, socketId: socket.id });
      else registry.socketClosed(userId, socket.id, userSocketCount(userId) > 0);
      log.debug('socket disconnected', { userId, socketId: socket.id, reason, acklessDropped: acklessDropped() });
    });
  });

  return {
    io,
    /**
     * The server ended every session of a person (deactivated, password reset): each of their
     * sockets is told why and closed (their listens end with it), and the call they host ends.
     */
    userSignedOut(userId: string, reason: SignedOutReason, message: string): void {
      // Through the adapter: their sockets on every node (sent before the close, in order).
      io.to(room.user(userId)).emit('session:revoked', { reason, message });
      io.in(room.user(userId)).disconnectSockets(true);
      nodes.toAll('node:host-signed-out', userId);
    },
    /**
     * Closes every socket of a revoked session, on every node; a host signing out (no socket of
     * another session left) ends their call on the node that owns it.
     */
    sessionRevoked(revokedSessionId: string): void {
      const sessionRoom = room.session(revokedSessionId);
      const revoke = () => {
        io.to(sessionRoom).emit('session:revoked', {});
        io.in(sessionRoom).disconnectSockets(true);
      };
      // Whose sockets they are is asked first: a fetch sent after the close would find none.
      void io
        .in(sessionRoom)
        .fetchSockets()
        .then(async (sockets) => {
          revoke();
          for (const userId of new Set(sockets.map((s) => s.data.userId))) {
            const left = (await io.in(room.user(userId)).fetchSockets()).filter((s) => s.data.sessionId !== revokedSessionId);
            if (left.length === 0) nodes.toAll('node:host-signed-out', userId);
          }
        })
        .catch((error: unknown) => {
          // A node did not answer: the sockets still close; the host's call waits for its grace.
          revoke();
          log.warn('could not ask every node for the revoked session', { error });
        });
    },
    /**
     * Roles or mentorships changed: reload who may see what, stop the audio of listeners whose
     * rights ended, then push the team's boards.
     */
    teamChanged(teamId: string): void {
      nodes.toAll('node:team-changed', teamId);
    },
    /** The team's "Managers can always join calls" changed and this node applied it: the others apply it to their calls. */
    managersAlwaysJoinChanged(teamId: string, on: boolean): void {
      nodes.toOthers('node:managers-always-join', teamId, on);
    },
    /** An admin renamed the team: every member's open windows show the new name. */
    teamRenamed(team: { id: string; name: string }): void {
      io.to(room.team(team.id)).emit('team:renamed', { team });
    },
    /** A team's talk tracks changed: its members refresh the lists and the track they show. */
    talkTracksChanged(teamId: string, trackId: string): void {
      io.to(room.team(teamId)).emit('talk-tracks:changed', { trackId });
    },
    /**
     * Cluster mode: the node carrying a call died. Its host and listeners whose sockets are on
     * this node are told (each surviving node tells its own sockets, so nobody hears it twice).
     */
    callMediaLost(callId: string, hostId: string): void {
      io.local.to([room.call(callId), room.user(hostId)]).emit('call:media-lost', { callId });
    },
    /** Cluster mode: a call whose node died was ended by this node (nobody adopted it in time). */
    callEndedElsewhere(callId: string, reason: CallEndReason): void {
      io.to(room.call(callId)).emit('call:ended', { callId, reason });
      io.in(room.call(callId)).socketsLeave(room.call(callId));
    },
    /** Pushes one event to every open socket of one person (none open: nothing is sent). */
    toUser<E extends ServerEventName>(userId: string, event: E, payload: ServerPayload<E>): void {
      (io.to(room.user(userId)).emit as (e: string, p: unknown) => void)(event, payload);
    },
    /** Board emits so far (one per audience per coalesced push). */
    get boardPushes(): number {
      return boards.pushes;
    },
    close(): void {
      boards.close();
      hostLists.close();
      library.close();
    },
  };
}
