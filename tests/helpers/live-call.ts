/**
 * Shared set-up for integration tests of live calls: a real server with a team, sockets, a host
 * going live from a node-datachannel stand-in browser, listeners joining. Everything created is
 * registered for clean-up; call `runCleanups()` in `afterEach`.
 */
import { expect } from 'vitest';
import { routes, type AuthReply, type CallKind, type ClipSummary, type ListenPolicy, type RecordingChoice } from '../../contract';
import { createHostPeer, createListenerPeer, withRetry, type ListenerPeer, type ListenerPeerOptions } from './rtc-peers';
import { api, connectSocket, nextEvent, request, setupTeam, startTestServer, unwrap, type ClientSocket, type TestServer } from './test-server';
import { TEST_PASSWORD_COST } from './test-password';

const cleanups: (() => unknown)[] = [];

/** Registers a clean-up step (run in reverse order by `runCleanups`). */
export function onCleanup(fn: () => unknown): void {
  cleanups.push(fn);
}

export async function runCleanups(): Promise<void> {
  for (const fn of cleanups.splice(0).reverse()) await fn();
}

export async function serverWithTeam(options: Parameters<typeof startTestServer>[0] = {}) {
  const server = await startTestServer(options);
  cleanups.push(() => server.stop());
  const admin = await setupTeam(server.url);
  return { server, admin };
}

export async function socketFor(server: Pick<TestServer, 'url'>, auth: AuthReply): Promise<ClientSocket> {
  const socket = await connectSocket(server.url, auth.token);
  cleanups.push(() => socket.disconnect());
  return socket;
}

export interface GoLiveOptions {
  policy?: ListenPolicy;
  ssrc?: number;
  recording?: RecordingChoice;
  title?: string;
  /** The kind of call (the server's default when absent). */
  kind?: CallKind;
  /** Go-live choices for questions and whispers (server defaults when absent). */
  questions?: 'after-call' | 'live';
  whispers?: boolean;
}

/** The host goes live from a stand-in browser; retries libdatachannel's offer-side race. */
export async function goLive(socket: ClientSocket, opts: GoLiveOptions = {}) {
  const { policy = 'team', ssrc, recording, title = 'Discovery with Initech', kind, questions, whispers } = opts;
  const first = await createHostPeer({ ssrc });
  cleanups.push(() => first.close());
  const started = unwrap(
    await request(socket, 'call:start', {
      title,
      account: 'Initech',
      policy,
      offer: first.offerSdp,
      ...(recording ? { recording } : {}),
      ...(kind ? { kind } : {}),
      ...(questions ? { questions } : {}),
      ...(whispers !== undefined ? { whispers } : {}),
    }),
  );
  let answer = started.answer;
  let candidate = first;
  const host = await withRetry(
    async () => {
      await candidate.setAnswer(answer);
      return candidate;
    },
    async () => {
      // The stand-in browser lost the race (see isTransientMediaFailure): publish again.
      candidate.close();
      candidate = await createHostPeer({ ssrc });
      cleanups.push(() => candidate.close());
      answer = unwrap(await request(socket, 'call:publish', { callId: started.call.id, offer: candidate.offerSdp })).answer;
    },
  );
  return { host, call: started.call };
}

/** A listener joins from a stand-in browser and waits for its track to open. */
export async function listen(socket: ClientSocket, callId: string, opts: ListenerPeerOptions = {}): Promise<ListenerPeer> {
  return withRetry(
    async () => {
      const peer = await createListenerPeer(opts);
      cleanups.push(() => peer.close());
      const joined = unwrap(await request(socket, 'listen:join', { callId, offer: peer.offerSdp }));
      peer.setAnswer(joined.answer);
      await peer.waitForOpen();
      return peer;
    },
    () => request(socket, 'listen:leave', { callId }),
  );
}

/** Creates a second team (with its admin) on the same server and signs its admin in. */
export async function rivalTeam(server: TestServer): Promise<AuthReply> {
  const { hashPassword } = await import('../../server/auth/password');
  const { openTestStore } = await import('./test-database');
  const { TeamStore } = await import('../../server/store/team-store');
  const store = await openTestStore(server);
  const email = `rex${Date.now()}@rival.test`;
  await new TeamStore(store).createTeamWithAdmin(
    { teamName: 'Rival', name: 'Rex Rival', email, passwordHash: await hashPassword('correct horse battery', TEST_PASSWORD_COST) },
    { onlyIfFirst: false },
  );
  await store.close();
  return unwrap((await api(server.url, routes.login, { body: { email, password: 'correct horse battery' } })).result);
}

/** Marks a one-second clip (no post-roll) and resolves once it is playable. */
export async function clipNow(socket: ClientSocket, callId: string, fields: object): Promise<ClipSummary> {
  const ready = new Map<string, ClipSummary>();
  const onReady = ({ clip }: { clip: ClipSummary }) => ready.set(clip.id, clip);
  socket.on('clip:ready', onReady);
  const pending = nextEvent(socket, 'clip:ready');
  const marked = unwrap(await request(socket, 'clip:mark', { callId, preRollSec: 1, postRollSec: 0, ...fields })).clip;
  const clip = ready.get(marked.id) ?? (await pending).clip;
  socket.off('clip:ready', onReady);
  expect(clip).toMatchObject({ id: marked.id, status: 'ready' });
  return clip;
}
