import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io as connect, type Socket } from 'socket.io-client';
import {
  clientEvents,
  resultSchema,
  routes,
  type AuthReply,
  type ClientEventName,
  type ClientReply,
  type ClientToServerEvents,
  type Result,
  type Role,
  type ServerEventName,
  type ServerPayload,
  type ServerToClientEvents,
} from '../../contract';
import { TEST_PASSWORD_COST } from './test-password';
import { startServer, type RunningServer, type ServerHooks } from '../../server/app';
import type { ServerConfigInput } from '../../server/config';
import { createTestDatabase } from './test-database';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface TestServer extends RunningServer {
  dataDir: string;
  /** The PostgreSQL database of this server when the suite runs on PostgreSQL. */
  databaseUrl?: string;
  /** Stops the server and removes its data directory (and its PostgreSQL database). */
  stop(): Promise<void>;
}

/**
 * A real server on a random loopback port with a fresh temporary data directory and, on the
 * PostgreSQL run, a fresh database (see test-database.ts).
 */
export async function startTestServer(options: Partial<ServerConfigInput> & ServerHooks = {}): Promise<TestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'bullpen-test-'));
  // A server given a database (a second node, a restart) must not get a copy of its own.
  const database = options.databaseUrl ? { url: options.databaseUrl, drop: () => Promise.resolve() } : await createTestDatabase(undefined, { migrated: true });
  const databaseUrl = database.url;
  let server: RunningServer;
  try {
    server = await startServer({ port: 0, host: '127.0.0.1', dataDir, logLevel: 'silent', databaseUrl, passwordCost: TEST_PASSWORD_COST, ...options });
  } catch (error) {
    await database.drop();
    throw error;
  }
  return {
    ...server,
    dataDir,
    databaseUrl,
    async stop() {
      await server.close();
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Calls one REST route and returns its parsed `Result` envelope plus the HTTP status. */
export async function api<R extends (typeof routes)[keyof typeof routes]>(
  base: string,
  route: R,
  opts: { token?: string; params?: Record<string, string>; body?: unknown; rawBody?: string } = {},
): Promise<{ status: number; result: Result<import('zod').infer<R['reply']>> }> {
  let path: string = route.path;
  for (const [k, v] of Object.entries(opts.params ?? {})) path = path.replace(`:${k}`, encodeURIComponent(v));
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.rawBody !== undefined) body = opts.rawBody;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(base + path, { method: route.method, headers, body });
  const json: unknown = await res.json();
  return { status: res.status, result: resultSchema(route.reply).parse(json) as never };
}

export function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

let counter = 0;

/** Sets up the team (first user = admin) and returns the admin's auth. */
export async function setupTeam(base: string, teamName = 'Acme Sales'): Promise<AuthReply> {
  const { result } = await api(base, routes.setup, {
    body: { teamName, name: 'Alice Admin', email: `alice${++counter}@acme.test`, password: 'correct horse battery' },
  });
  return unwrap(result);
}

/** Invites and signs up a new person with `role`. */
export async function addMember(base: string, adminToken: string, name: string, role: Role): Promise<AuthReply> {
  const invite = unwrap((await api(base, routes.createInvite, { token: adminToken, body: { role } })).result).invite;
  const { result } = await api(base, routes.signup, {
    body: {
      inviteCode: invite.code,
      name,
      email: `${name.toLowerCase().replace(/\W+/g, '.')}${++counter}@acme.test`,
      password: 'correct horse battery',
    },
  });
  return unwrap(result);
}

/** A connected, authenticated socket.io client. */
export async function connectSocket(base: string, token: string): Promise<ClientSocket> {
  const socket: ClientSocket = connect(base, { auth: { token }, transports: ['websocket'], reconnection: false });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => reject(err));
  });
  return socket;
}

/** Emits a contract event and resolves with the server's parsed `Result` ack. */
export async function request<E extends ClientEventName>(
  socket: ClientSocket,
  event: E,
  payload: unknown,
): Promise<Result<ClientReply<E>>> {
  const reply: unknown = await (socket.timeout(15_000) as unknown as {
    emitWithAck(e: string, p: unknown): Promise<unknown>;
  }).emitWithAck(event, payload);
  return resultSchema(clientEvents[event].reply).parse(reply) as Result<ClientReply<E>>;
}

/** Resolves with the next server push of `event` that satisfies `predicate`. */
export function nextEvent<E extends ServerEventName>(
  socket: ClientSocket,
  event: E,
  predicate: (payload: ServerPayload<E>) => boolean = () => true,
): Promise<ServerPayload<E>> {
  return new Promise((resolve) => {
    const handler = (payload: ServerPayload<E>) => {
      if (!predicate(payload)) return;
      (socket.off as (e: string, h: unknown) => void)(event, handler);
      resolve(payload);
    };
    (socket.on as (e: string, h: unknown) => void)(event, handler);
  });
}
