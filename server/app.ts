import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { AuthService } from './auth/auth-service';
import type { CallMedia } from './calls/call';
import { CallRegistry } from './calls/call-registry';
import { ServerConfig, type ServerConfigInput } from './config';
import { registerApiRoutes } from './http/api-routes';
import { Router, sendJson } from './http/router';
import { createStaticHandler } from './http/static-files';
import { createLogger, type Logger } from './logger';
import { Forwarder } from './media/forwarder';
import { createSocketServer, type BullpenIo } from './realtime/socket-server';
import { ClipService } from './clips/clip-service';
import { RecordingService } from './clips/recording-service';
import { registerClipRoutes } from './http/clip-routes';
import { CallStore } from './store/call-store';
import { ClipStore } from './store/clip-store';
import { RecordingStore } from './store/recording-store';
import { openDatabase } from './store/db';
import { SessionStore } from './store/session-store';
import { TeamStore } from './store/team-store';

/** The desktop app's renderer origin (see electron/main/app-protocol.ts). */
export const DESKTOP_ORIGIN = 'bullpen-app://app';

export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:4280`. */
  url: string;
  port: number;
  io: BullpenIo;
  registry: CallRegistry;
  /** Housekeeping the server runs on its own schedule, callable directly (tests, admin tools). */
  maintenance: {
    /** Deletes full recordings whose retention ran out by `now`; returns how many. */
    sweepRecordings(now?: number): number;
  };
  /** Ends every call, closes sockets, the HTTP listener and the database. Idempotent. */
  close(): Promise<void>;
}

/** Starts a Bullpen server: REST API, socket.io signalling, media forwarding, built renderer. */
export interface ServerHooks {
  log?: Logger;
  /** Observability hook: called with each call's forwarder (used by the benchmark's probes). */
  onForwarder?: (callId: string, forwarder: Forwarder) => void;
}

export async function startServer(input: ServerConfigInput & ServerHooks = {}): Promise<RunningServer> {
  const config = ServerConfig.parse(input);
  const log = input.log ?? createLogger({ level: config.logLevel });
  const db = openDatabase(config.dataDir);
  const teams = new TeamStore(db);
  const sessions = new SessionStore(db);
  const auth = new AuthService(teams, sessions);
  const recordingStore = new RecordingStore(db);
  const clipStore = new ClipStore(db);
  const recordings = new RecordingService({ store: recordingStore, dir: join(config.dataDir, 'recordings'), log });
  const clips = new ClipService({ clips: clipStore, recordings, dir: join(config.dataDir, 'clips'), log });
  // After a crash: finalize recordings left open, then cut clips whose post-roll had ended.
  recordings.repairUnfinished();
  const registry = new CallRegistry({
    recordings,
    teams,
    calls: new CallStore(db),
    log,
    graceMs: config.hostGraceMs,
    createMedia: (callId): CallMedia => {
      const forwarder = Forwarder.create({
        callId,
        log: log.child({ callId }),
        iceServers: config.iceServers,
        portRange: config.rtcPortRange,
        udpMuxPort: config.rtcUdpPort,
      });
      input.onForwarder?.(callId, forwarder);
      return {
        publish: (offer) => forwarder.publish(offer),
        addListener: (id, offer) => forwarder.addListener(id, offer),
        removeListener: (id) => forwarder.removeListener(id),
        onPublisherState: (cb) => forwarder.on('publisher-state', cb),
        onListenerGone: (cb) => forwarder.on('listener-state', (id, state) => state !== 'connected' && cb(id, state)),
        onPacket: (cb) => {
          forwarder.on('rtp', cb);
          return () => forwarder.off('rtp', cb);
        },
        close: () => forwarder.close(),
      };
    },
  });

  const allowedOrigins = [DESKTOP_ORIGIN, ...config.allowedOrigins];
  const router = new Router(auth, log);
  const serveStatic = createStaticHandler(config.rendererDir);
  const http = createServer((req, res) => void onRequest(req, res));
  clips.resumePending();
  recordings.sweep();
  const sweepTimer = setInterval(() => recordings.sweep(), 60 * 60_000);
  sweepTimer.unref();
  const sockets = createSocketServer(http, { auth, teams, registry, clips, log, allowedOrigins });
  registerApiRoutes(router, {
    auth,
    teams,
    sessions,
    onSessionRevoked: (id) => sockets.sessionRevoked(id),
    onTeamChanged: (teamId) => sockets.teamChanged(teamId),
  });
  registerClipRoutes(router, { clips, clipStore, recordings, recordingStore, teams });

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const origin = req.headers.origin;
    if (origin && allowedOrigins.includes(origin)) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('vary', 'origin');
      if (req.method === 'OPTIONS') {
        res.writeHead(204, {
          'access-control-allow-methods': 'GET, POST, PATCH, PUT, DELETE',
          'access-control-allow-headers': 'authorization, content-type',
          'access-control-max-age': '600',
        });
        res.end();
        return;
      }
    }
    let pathname: string;
    let search: string;
    try {
      ({ pathname, search } = new URL(req.url ?? '/', 'http://localhost'));
    } catch {
      sendJson(res, 400, { ok: false, error: { code: 'BAD_REQUEST', message: 'Bad URL' } });
      return;
    }
    try {
      if (await router.handle(req, res, pathname, search)) return;
      await serveStatic(req, res, pathname);
    } catch (error) {
      log.error('request failed', { path: pathname, error });
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: { code: 'INTERNAL', message: 'Server error' } });
      else res.destroy();
    }
  }

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.port, config.host, () => resolve());
  });
  const { port } = http.address() as AddressInfo;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `http://${shownHost}:${port}`;
  log.info('server listening', { url, dataDir: config.dataDir });

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    io: sockets.io,
    registry,
    maintenance: { sweepRecordings: (now) => recordings.sweep(now) },
    close() {
      closing ??= (async () => {
        clearInterval(sweepTimer);
        registry.closeAll();
        recordings.closeAll();
        clips.close();
        sockets.close();
        await new Promise<void>((resolve) => sockets.io.close(() => resolve()));
        http.closeAllConnections();
        await new Promise<void>((resolve) => http.close(() => resolve()));
        db.close();
        log.info('server stopped');
      })();
      return closing;
    },
  };
}
