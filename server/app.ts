import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { AuthService } from './auth/auth-service';
import type { SignInLimits } from './auth/sign-in-throttle';
import type { CallMedia } from './calls/call';
import { CallRegistry } from './calls/call-registry';
import { ServerConfig, type ServerConfigInput } from './config';
import { registerApiRoutes } from './http/api-routes';
import { ContractRoutes } from './http/contract-routes';
import { createHttpServer, SECURITY_HEADERS } from './http/http-server';
import { memoryLimiters, redisLimiters } from './limits/limiter-factory';
import { RateLimits, type RateLimitsOptions } from './limits/rate-limits';
import { createLogger, type Logger } from './logger';
import { Forwarder } from './media/forwarder';
import { MediaWorkerPool } from './media/media-worker-pool';
import { candidatePolicyFor } from './media/ice-candidates';
import { RelayIngress } from './media/relay-ingress';
import { iceServersFor } from './media/turn-credentials';
import { createSocketServer, type BullpenIo } from './realtime/socket-server';
import { ClipService } from './clips/clip-service';
import { DiskUsageService } from './clips/disk-usage';
import { RecordingService } from './clips/recording-service';
import { registerClipRoutes } from './http/clip-routes';
import { registerTalkTrackRoutes } from './http/talk-track-routes';
import { registerQuestionRoutes } from './http/question-routes';
import { QuestionService, type AnsweredEvent } from './questions/question-service';
import { QuestionStore } from './store/question-store';
import { registerReviewRoutes } from './http/review-routes';
import { ReviewService, type ReviewedEvent } from './reviews/review-service';
import { ReviewStore } from './store/review-store';
import { registerNotificationRoutes } from './http/notification-routes';
import { registerMetricsRoutes } from './http/metrics-routes';
import { MetricsService, type StepsCompletedBetween } from './metrics/metrics-service';
import { MetricsStore } from './store/metrics-store';
import { registerOnboardingRoutes } from './http/onboarding-routes';
import { OnboardingService } from './onboarding/onboarding-service';
import { OnboardingStore } from './store/onboarding-store';
import { NotificationService } from './notifications/notification-service';
import { FollowStore } from './store/follow-store';
import { NotificationStore } from './store/notification-store';
import { CallStore } from './store/call-store';
import { HostControls } from './calls/host-controls';
import { HostControlsStore } from './store/host-controls-store';
import { ClipStore } from './store/clip-store';
import { RecordingStore } from './store/recording-store';
import { openStore } from './store/db';
import { SessionStore } from './store/session-store';
import { TalkTrackStore } from './store/talk-track-store';
import { TalkTrackService } from './talk-tracks/talk-track-service';
import { TeamStore } from './store/team-store';
import { UsageStore } from './store/usage-store';
import { AuditLog } from './audit/audit-log';
import { RedisDownloadWindow } from './audit/download-window';
import { AuditStore } from './store/audit-store';
import { PeopleStore } from './store/people-store';
import { PeopleService } from './people/people-service';
import { registerPeopleRoutes } from './http/people-routes';
import { registerAuditRoutes } from './http/audit-routes';
import { redisSocketAdapter } from './cluster/socket-adapter';
import { ClusterNodes } from './cluster/cluster-nodes';
import { BoardExchange } from './cluster/board-exchange';
import { openRedis } from './cluster/redis';
import { RedisSocketCount } from './realtime/shared-socket-count';
import { RecordingObjects } from './recording/recording-objects';
import { S3AudioStore } from './storage/s3-audio-store';
import { SegmentStore } from './store/segment-store';
import { CallRouter } from './cluster/call-router';
import { CallFailover } from './cluster/call-failover';
import { CallActions } from './calls/call-actions';

/** The desktop app's renderer origin (see electron/main/app-protocol.ts). */
export const DESKTOP_ORIGIN = 'bullpen-app://app';

export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:4280`. */
  url: string;
  /** This node's name (`--node-id`, or a random one): calls it owns are stored with it. */
  nodeId: string;
  /** Cluster mode only: the cluster's live nodes and which node owns which call. */
  cluster?: ClusterNodes;
  port: number;
  io: BullpenIo;
  registry: CallRegistry;
  /**
   * Notifications: `notify(teamId, recipientId, { kind, payload }, actorId)` for services outside
   * this module (questions answered, clips reviewed).
   */
  notifications: NotificationService;
  /**
   * Onboarding paths. For the metrics service: `stepsCompletedBetween(teamId, fromMs, toMs)` and
   * `progressOf(teamId)` (see OnboardingService).
   */
  onboarding: OnboardingService;
  /** The team audit log: `record(teamId, event)` is the only way rows are written; `idle()` waits for writes. */
  audit: AuditLog;
  /** Housekeeping the server runs on its own schedule, callable directly (tests, admin tools). */
  maintenance: {
    /** Deletes full recordings whose retention ran out by `now`; returns how many. */
    sweepRecordings(now?: number): Promise<number>;
    /** Deletes audit rows past each team's audit retention at `now`; returns how many. */
    pruneAudit(now?: number): Promise<number>;
  };
  /** Ends every call, closes sockets, the HTTP listener and the database. Idempotent. */
  close(): Promise<void>;
}

/** Starts a Bullpen server: REST API, socket.io signalling, media forwarding, built renderer. */
export interface ServerHooks {
  log?: Logger;
  /** Observability hook: called with each call's forwarder (used by the benchmark's probes). */
  onForwarder?: (callId: string, forwarder: Forwarder) => void;
  /** Observability hook: called with the media worker pool when `mediaWorkers` > 1 (benchmark, tests). */
  onMediaPool?: (pool: MediaWorkerPool) => void;
  /** The clock sessions expire by (tests move it instead of waiting days). */
  now?: () => number;
  /** Sign-in limits other than the defaults (tests lengthen the waits so none runs out mid-test). */
  signInLimits?: SignInLimits;
  /** Changes rate limits from limit-policy.ts (tests, benchmarks). */
  limits?: RateLimitsOptions['overrides'];
  /** Called after a question's answer is stored (the notifier's hook; tests observe it). */
  onQuestionAnswered?: (event: AnsweredEvent) => void;
  /** Called after a clip's scorecard is stored (the coordinator wires the notifier here). */
  onReviewed?: (e: ReviewedEvent) => void;
  /**
   * Onboarding steps completed per person in a time range, for the metrics' path progress; by
   * default the onboarding paths' own count (tests give exact numbers here).
   */
  stepsCompletedBetween?: StepsCompletedBetween;
  /**
   * scrypt cost (N) of new password hashes; default 2^15. Tests lower it so hashing does not
   * dominate their time; no setting or flag reaches it.
   */
  passwordCost?: number;
}

const DAY_MS = 86_400_000;

export async function startServer(input: ServerConfigInput & ServerHooks = {}): Promise<RunningServer> {
  const config = ServerConfig.parse(input);
  const nodeId = config.nodeId ?? `node-${randomBytes(4).toString('hex')}`;
  const log = input.log ?? createLogger({ level: config.logLevel, fields: config.redisUrl ? { node: nodeId } : undefined });
  const store = await openStore({
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    onConnectionError: (error) => log.warn('database connection lost; the pool opens a new one when needed', { error: error.message }),
    onAvailability: (down, error) =>
      down
        ? log.error('database unreachable; requests fail with 503 UNAVAILABLE until it is back', { error: error?.message })
        : log.info('database reachable again'),
    onMigrated: (names) => {
      if (names.length > 0) log.info('database migrated', { steps: names.length, last: names.at(-1) });
    },
  });
  const teams = new TeamStore(store);
  const sessions = new SessionStore(store, {
    lifetime: { idleMs: config.sessionIdleDays * DAY_MS, maxMs: config.sessionMaxDays * DAY_MS },
    now: input.now,
  });
  const callStore = new CallStore(store);
  // Every rate limit's counts: in this process by default; in Redis in cluster mode, so a limit
  // spent on one node is spent on all (limiter-factory.ts says what happens while Redis is down).
  const limitsRedis = config.redisUrl ? openRedis(config.redisUrl, log, 'limits') : undefined;
  const limiters = limitsRedis ? redisLimiters(limitsRedis) : memoryLimiters;
  const audit = new AuditLog({ store: new AuditStore(store), log, now: input.now, downloads: limitsRedis ? new RedisDownloadWindow(limitsRedis) : undefined });
  const person = (u: { id: string; name: string }) => ({ id: u.id, name: u.name });
  const auth = new AuthService({
    teams,
    sessions,
    log,
    limiters,
    signInLimits: input.signInLimits,
    passwordCost: input.passwordCost,
    audit: {
      signedIn: (user, client) => void audit.record(user.teamId, { kind: 'sign-in', actor: person(user), detail: `from ${client.address}` }),
      signInFailed: (user, client, why) =>
        void audit.record(user.teamId, {
          kind: 'sign-in-failed',
          subject: person(user),
          detail: `${why === 'deactivated' ? 'account deactivated' : 'wrong password'}, from ${client.address}`,
        }),
      signedUp: (user, inviteId, client) =>
        void audit.record(user.teamId, { kind: 'invite-used', actor: person(user), target: { id: inviteId, label: null }, detail: `as ${user.role}, from ${client.address}` }),
    },
  });
  const recordingStore = new RecordingStore(store);
  const clipStore = new ClipStore(store);
  // Object storage for audio when a bucket is given; local files in the data dir otherwise.
  const objects = config.s3Bucket
    ? new S3AudioStore({
        bucket: config.s3Bucket,
        region: config.s3Region,
        endpoint: config.s3Endpoint,
        accessKeyId: config.s3AccessKeyId,
        secretAccessKey: config.s3SecretAccessKey,
        forcePathStyle: config.s3ForcePathStyle,
        prefix: config.s3Prefix,
      })
    : undefined;
  const recordings = new RecordingService({
    store: recordingStore,
    dir: join(config.dataDir, 'recordings'),
    log,
    objects: objects && new RecordingObjects({ objects, segments: new SegmentStore(store), segmentMs: config.s3SegmentSec * 1000, log }),
    shared: Boolean(config.redisUrl),
  });
  if (objects) log.info('audio kept in object storage', { location: objects.location, segmentSec: config.s3SegmentSec });
  const limits = new RateLimits({ teamClipMinutesPerDay: config.teamClipMinutesPerDay, limiters, overrides: input.limits });
  const clips = new ClipService({ clips: clipStore, recordings, dir: join(config.dataDir, 'clips'), log, limits, objects });
  // After a crash: finalize recordings left open, then cut clips whose post-roll had ended.
  await recordings.repairUnfinished();
  // Clients' ICE candidates toward loopback/link-local only when the server itself listens there.
  const candidatePolicy = candidatePolicyFor(config.host);
  // TURN-over-TCP clients' checks need repairing before libjuice sees them (relay-ingress.ts).
  const relayIngress = config.turnUrls.length > 0 ? await RelayIngress.open({ port: config.turnIngressPort, log }) : undefined;
  // mediaWorkers > 1: forked processes share listeners' media with this one (media-worker-pool.ts).
  // With TURN the relay ingress lives here, and its listeners with it: no workers are started.
  const mediaPool =
    config.mediaWorkers > 1 && !relayIngress
      ? await MediaWorkerPool.start({
          processes: config.mediaWorkers,
          log,
          init: {
            logLevel: config.logLevel,
            iceServers: config.iceServers,
            ...(config.rtcPortRange ? { portRange: config.rtcPortRange } : {}),
            candidatePolicy,
            ...(config.announcedIp ? { announcedIp: config.announcedIp } : {}),
          },
          ...(config.rtcUdpPort ? { udpMuxPort: config.rtcUdpPort } : {}),
        })
      : undefined;
  if (mediaPool) input.onMediaPool?.(mediaPool);
  if (config.mediaWorkers > 1 && relayIngress) log.warn('media workers not started: with TURN URLs set, listeners stay in the server process (the TURN-over-TCP door is here)', { mediaWorkers: config.mediaWorkers });
  const hostControlsStore = new HostControlsStore(store);
  // Cluster mode: socket.io's rooms span every node through Redis; nodes beat and claim calls there.
  const cluster = config.redisUrl ? await ClusterNodes.start({ redisUrl: config.redisUrl, nodeId, log }) : undefined;
  const registry = new CallRegistry({
    owners: cluster,
    recordings,
    managersAlwaysJoin: (teamId) => hostControlsStore.managersAlwaysJoin(teamId),
    teams,
    calls: callStore,
    log,
    graceMs: config.hostGraceMs,
    createMedia: (callId): CallMedia => {
      const forwarder = Forwarder.create({
        callId,
        log: log.child({ callId }),
        iceServers: config.iceServers,
        portRange: config.rtcPortRange,
        udpMuxPort: config.rtcUdpPort,
        candidatePolicy,
        announcedIp: config.announcedIp,
        relayIngress,
        pool: mediaPool,
      });
      input.onForwarder?.(callId, forwarder);
      return {
        publish: (offer, onCandidate) => forwarder.publish(offer, onCandidate),
        addListener: (id, offer, onCandidate) => forwarder.addListener(id, offer, onCandidate),
        addCandidate: (id, candidate) => forwarder.addCandidate(id, candidate),
        removeListener: (id) => forwarder.removeListener(id),
        onPublisherState: (cb) => forwarder.on('publisher-state', cb),
        onListenerGone: (cb) => forwarder.on('listener-state', (id, state) => state !== 'connected' && cb(id, state)),
        onPacket: (cb) => {
          forwarder.on('rtp', cb);
          return () => forwarder.off('rtp', cb);
        },
        setPaused: (paused) => forwarder.setPaused(paused),
        close: () => forwarder.close(),
      };
    },
  });

  // Notifications first: the services below tell it what happened. Its pushes go through the
  // socket server, created further down (they are only sent once the server runs).
  const notifications = new NotificationService({
    notifications: new NotificationStore(store),
    follows: new FollowStore(store),
    teams,
    clipById: (teamId, clipId) => clipStore.byId(teamId, clipId),
    visibleClip: (caller, clipId) => clips.visibleClip(caller, clipId),
    // On any node: a host is quiet wherever their call lives.
    isHosting: (userId) => registry.hostedBy(userId) !== undefined || (boardExchange?.hostsElsewhere(userId) ?? false),
    push: (userId, notification) => sockets.toUser(userId, 'notification:new', { notification }),
    changed: (userId) => sockets.toUser(userId, 'notifications:changed', {}),
    limits,
    log,
  });
  const notifyFailed = (what: string) => (error: unknown) => log.error('notification failed', { what, error });
  registry.on('call-started', (call) => {
    notifications.callStarted(call).catch(notifyFailed('call-live'));
  });
  clips.on('comment-added', (teamId, clip, comment) => {
    notifications.commentAdded(teamId, clip, comment).catch(notifyFailed('clip-commented'));
  });
  const notifyQuestionAnswered = (e: AnsweredEvent) => {
    input.onQuestionAnswered?.(e);
    notifications
      .notify(e.teamId, e.askerId, { kind: 'question-answered', payload: { questionId: e.questionId, callId: e.callId } }, e.hostId)
      .catch(notifyFailed('question-answered'));
  };
  // A scorecard rates the call's rep; the clip's maker (often a listener) hears it was reviewed too.
  const notifyReviewed = (e: ReviewedEvent) => {
    input.onReviewed?.(e);
    notifications
      .notifyMany(e.teamId, [e.repId, e.clipperId], { kind: 'clip-reviewed', payload: { clipId: e.clipId } }, e.reviewerId)
      .catch(notifyFailed('clip-reviewed'));
  };
  const questions = new QuestionService({
    questions: new QuestionStore(store),
    liveCall: (caller, callId) => registry.liveCall(caller, callId),
    clipsOfCall: (caller, callId) => clips.forCall(caller, callId),
    limits,
    log,
    onAnswered: notifyQuestionAnswered,
  });
  // Who listened to which call, for the audit log.
  const listenRow = (kind: 'listen-started' | 'listen-stopped') => (call: { teamId: string; id: string; title: string; hostId: string; hostName: string }, listener: { userId: string; name: string }) =>
    void audit.record(call.teamId, {
      kind,
      actor: { id: listener.userId, name: listener.name },
      subject: { id: call.hostId, name: call.hostName },
      target: { id: call.id, label: call.title },
    });
  registry.on('listen-started', listenRow('listen-started'));
  registry.on('listen-ended', listenRow('listen-stopped'));
  // The host's queue gains the call's questions once its end is written.
  registry.on('call-ended', (call) => {
    void callStore.idle().then(() => questions.callEnded(call.hostId));
  });

  const allowedOrigins = [DESKTOP_ORIGIN, ...config.allowedOrigins];
  const app = await createHttpServer({ config, log, allowedOrigins });
  await registry.closeOrphans();
  await clips.resumePending();
  await recordings.sweep();
  await audit.start();
  const sweepTimer = setInterval(() => {
    recordings.sweep().catch((error: unknown) => log.error('recording sweep failed', { error }));
  }, 60 * 60_000);
  sweepTimer.unref();
  // Socket.io shares Fastify's HTTP server: it answers /socket.io/ and hands every other request on.
  const hostControls = new HostControls({
    registry,
    calls: callStore,
    settings: hostControlsStore,
    recordings,
    log,
    // Cluster mode: this node's calls follow the team setting at once, the other nodes' through the fan-out.
    managersAlwaysJoinChanged: (teamId, on) => sockets.managersAlwaysJoinChanged(teamId, on),
  });
  const callActions = new CallActions({ registry, hostControls, clips, questions });
  // Cluster mode: call actions run on the node that owns the call, routed over Redis.
  const callRouter = config.redisUrl
    ? await CallRouter.start({ redisUrl: config.redisUrl, cluster: cluster!, registry, actions: callActions, auth, calls: callStore, log })
    : undefined;
  const socketAdapter = config.redisUrl ? redisSocketAdapter(config.redisUrl, log) : undefined;
  // Cluster mode: boards show every node's calls (this node's own announced to the others).
  const boardExchange =
    cluster && config.redisUrl
      ? await BoardExchange.start({ nodeId, redisUrl: config.redisUrl, registry, cluster, log, graceMs: config.hostGraceMs })
      : undefined;
  const socketCount = limitsRedis ? new RedisSocketCount(limitsRedis, nodeId, log) : undefined;
  const sockets = createSocketServer(app.server, {
    auth,
    teams,
    registry,
    actions: callRouter ?? callActions,
    presence: callRouter,
    clips,
    questions,
    limits,
    log,
    allowedOrigins,
    adapter: socketAdapter?.adapter,
    board: boardExchange,
    // TURN credentials are signed per request, so each is fresh for a whole turnTtlSec.
    iceServersFor: (userId) =>
      iceServersFor({ urls: config.turnUrls, secret: config.turnSecret, ttlSec: config.turnTtlSec }, userId, (input.now ?? Date.now)()),
    socketCount,
  });
  // Cluster mode: calls whose node died are announced to their people here, adopted or ended.
  const failover =
    cluster && callRouter
      ? new CallFailover({
          cluster,
          router: callRouter,
          calls: callStore,
          log,
          graceMs: config.hostGraceMs,
          mediaLost: (callId, hostId) => sockets.callMediaLost(callId, hostId),
          ended: (callId, hostId, reason) => {
            sockets.callEndedElsewhere(callId, reason);
            questions.callEnded(hostId);
            // Nobody took the call over: its recording ends with what the dead node uploaded.
            recordings.endFromUploads(callId).catch((error: unknown) => log.error('could not end a lost call’s recording', { callId, error }));
          },
        })
      : undefined;
  sockets.io.engine.on('headers', (headers: Record<string, string>) => Object.assign(headers, SECURITY_HEADERS));
  const router = new ContractRoutes(app, auth);
  registerApiRoutes(router, {
    auth,
    teams,
    sessions,
    onSessionRevoked: (id) => sockets.sessionRevoked(id),
    onTeamChanged: (teamId) => sockets.teamChanged(teamId),
    audit,
  });
  const diskUsage = new DiskUsageService(new UsageStore(store), limits);
  const talkTrackStore = new TalkTrackStore(store);
  const talkTracks = new TalkTrackService({
    store: talkTrackStore,
    clips,
    log,
    onChanged: ({ teamId, trackId }) => sockets.talkTracksChanged(teamId, trackId),
  });
  registerClipRoutes(router, { clips, clipStore, recordings, recordingStore, teams, diskUsage, talkTracks, audit, hostControls });
  const people = new PeopleService({
    teams,
    people: new PeopleStore(store, teams, input.now),
    clips,
    audit,
    log,
    signedOut: (userId, reason, message) => sockets.userSignedOut(userId, reason, message),
    teamChanged: (teamId) => sockets.teamChanged(teamId),
    teamRenamed: (team) => sockets.teamRenamed(team),
    passwordCost: input.passwordCost,
  });
  registerPeopleRoutes(router, people);
  registerAuditRoutes(router, audit);
  registerTalkTrackRoutes(router, talkTracks);
  registerQuestionRoutes(router, questions);
  const reviews = new ReviewService({ reviews: new ReviewStore(store), clips, clipStore, teams, log, onReviewed: notifyReviewed });
  registerReviewRoutes(router, reviews);
  registerNotificationRoutes(router, notifications);
  const onboarding = new OnboardingService({
    store: new OnboardingStore(store),
    clipById: (teamId, clipId) => clipStore.byId(teamId, clipId),
    trackTitle: async (teamId, trackId) => (await talkTrackStore.byId(teamId, trackId))?.title,
    userById: (userId) => teams.userById(userId),
    notifications,
    limits,
    log,
    now: input.now,
    // The assignee and the team's managers refetch (the push names ids only).
    onChanged: ({ teamId, userId, assignmentId, pathId }) => {
      void teams
        .members(teamId)
        .then((members) => {
          const to = new Set([userId, ...members.filter((m) => m.role === 'manager' || m.role === 'admin').map((m) => m.id)]);
          for (const id of to) sockets.toUser(id, 'onboarding:changed', { assignmentId, pathId });
        })
        .catch((error: unknown) => log.warn('onboarding push failed', { error }));
    },
  });
  registerOnboardingRoutes(router, onboarding);
  const metrics = new MetricsService({
    store: new MetricsStore(store),
    teams,
    now: input.now,
    stepsCompletedBetween: input.stepsCompletedBetween ?? ((teamId, fromMs, toMs) => onboarding.stepsCompletedBetween(teamId, fromMs, toMs)),
  });
  registerMetricsRoutes(router, metrics);
  router.finish();

  await app.listen({ port: config.port, host: config.host });
  const { port } = app.server.address() as AddressInfo;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `http://${shownHost}:${port}`;
  log.info('server listening', { url, dataDir: config.dataDir, database: store.engine, ...(config.redisUrl ? { cluster: 'redis', nodeId } : {}) });

  let closing: Promise<void> | undefined;
  return {
    url,
    nodeId,
    cluster,
    port,
    io: sockets.io,
    registry,
    notifications,
    onboarding,
    audit,
    maintenance: { sweepRecordings: (now) => recordings.sweep(now), pruneAudit: (now) => audit.prune(now) },
    close() {
      closing ??= (async () => {
        clearInterval(sweepTimer);
        registry.closeAll();
        relayIngress?.close();
        await mediaPool?.close();
        // Ending calls queues history writes, recording finishes and last cuts: let them land.
        await recordings.closeAll();
        await clips.close();
        await callStore.idle();
        await audit.close();
        sockets.close();
        // Socket.io first: its upgraded connections would hold the HTTP server open. Its close
        // also closes the shared server; Fastify then finishes its own shutdown.
        await new Promise<void>((resolve) => sockets.io.close(() => resolve()));
        socketAdapter?.close();
        failover?.close();
        await callRouter?.close();
        await boardExchange?.close();
        await socketCount?.close();
        limitsRedis?.disconnect();
        await cluster?.close();
        await app.close();
        await store.close();
        objects?.close();
        log.info('server stopped');
      })();
      return closing;
    },
  };
}
