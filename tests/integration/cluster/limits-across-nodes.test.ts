/**
 * Cluster mode keeps rate limits and sign-in throttling in Redis: what is spent on one node is
 * spent on every node, and a Redis outage neither lifts the limits nor refuses everything.
 * Runs on the PostgreSQL run of the suite (`npm run test:pg`).
 */
import { Redis } from 'ioredis';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_SOCKETS_PER_USER, type AppError, type AuthReply } from '../../../contract';
import { RedisDownloadWindow } from '../../../server/audit/download-window';
import { SIGN_IN_LIMITS, type SignInLimits } from '../../../server/auth/sign-in-throttle';
import { createLogger } from '../../../server/logger';
import { apiFrom } from '../../helpers/from-address';
import { clusterTests, startTestCluster, type ClusterNode, type TestCluster } from '../../helpers/test-cluster';
import { addMember, connectSocket, request, setupTeam, type ClientSocket } from '../../helpers/test-server';

/** Waits long enough that none runs out between two requests of a test on a busy machine. */
const SIGN_IN: SignInLimits = { ...SIGN_IN_LIMITS, firstWaitSec: 60 };
const CALL_STARTS = 3;
// An offer that cannot be answered: every start fails after its limit is spent ("failed starts count").
const OFFER = 'v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n';

function errorOf(result: { ok: boolean; error?: AppError }): AppError | undefined {
  return result.ok ? undefined : result.error;
}

describe.runIf(clusterTests.enabled)('limits across nodes', () => {
  let cluster: TestCluster;
  let a: ClusterNode;
  let b: ClusterNode;
  let admin: AuthReply;
  const lines: { node: string; line: string }[] = [];
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    cluster = await startTestCluster({ nodes: 0 });
    // Each node logs to the test, so it can wait for a node's Redis connections to come back.
    const node = (name: string) =>
      cluster.addNode({
        signInLimits: SIGN_IN,
        limits: { callStart: { points: CALL_STARTS } },
        log: createLogger({ level: 'info', write: (line) => lines.push({ node: name, line }) }),
      });
    a = await node('a');
    b = await node('b');
    admin = await setupTeam(a.url);
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await cluster?.stop();
  });

  const socketOn = async (node: ClusterNode, token: string) => {
    const socket = await connectSocket(node.url, token);
    sockets.push(socket);
    return socket;
  };
  const start = (socket: ClientSocket) => request(socket, 'call:start', { title: 'Spam', policy: 'team', offer: OFFER });

  it('a sign-in throttle triggered by failures on node A holds on node B', async () => {
    const rep = await addMember(a.url, admin.token, 'Tess Target', 'rep');
    const from = { from: '127.0.0.3' };
    const codes: (string | undefined)[] = [];
    for (let i = 0; i <= SIGN_IN.pair.free; i++) {
      codes.push(errorOf((await apiFrom(a.url, 'login', from, { body: { email: rep.user.email, password: `wrong guess ${i}` } })).result)?.code);
    }
    expect(codes).toEqual(Array(SIGN_IN.pair.free + 1).fill('BAD_CREDENTIALS'));
    // Node B never saw a failure, yet the right password from that address must wait there too.
    const onB = await apiFrom(b.url, 'login', from, { body: { email: rep.user.email, password: 'correct horse battery' } });
    expect(onB.status).toBe(429);
    expect(errorOf(onB.result)).toMatchObject({ code: 'RATE_LIMITED', message: 'Too many failed sign-ins.', retryAfterSec: SIGN_IN.firstWaitSec });
    // The account itself is not locked: from another address it signs in on B.
    const elsewhere = await apiFrom(b.url, 'login', { from: '127.0.0.4' }, { body: { email: rep.user.email, password: 'correct horse battery' } });
    expect(elsewhere.status).toBe(200);
  });

  it('a rate limit spent on node A is spent on node B', async () => {
    const rep = await addMember(a.url, admin.token, 'Sam Spender', 'rep');
    const [onA, onB] = [await socketOn(a, rep.token), await socketOn(b, rep.token)];
    for (let i = 0; i < CALL_STARTS; i++) expect(errorOf(await start(onA))?.code).not.toBe('RATE_LIMITED');
    const refused = errorOf(await start(onB));
    expect(refused).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringMatching(/too many calls/) });
    expect(refused?.retryAfterSec).toBeGreaterThan(500);
    // Someone else on node B is not affected.
    const other = await socketOn(b, (await addMember(a.url, admin.token, 'Olga Other', 'rep')).token);
    expect(errorOf(await start(other))?.code).not.toBe('RATE_LIMITED');
  });

  it(`refuses: one window more than ${MAX_SOCKETS_PER_USER} for one person, however the windows are spread over the nodes`, async () => {
    const rep = await addMember(a.url, admin.token, 'Wendy Windows', 'rep');
    const tryConnect = (node: ClusterNode) => {
      const socket: ClientSocket = connect(node.url, { auth: { token: rep.token }, transports: ['websocket'], reconnection: false });
      sockets.push(socket);
      return new Promise<{ socket?: ClientSocket; node: ClusterNode; error?: Error & { data?: unknown } }>((resolve) => {
        socket.once('connect', () => resolve({ socket, node }));
        socket.once('connect_error', (error: Error & { data?: unknown }) => resolve({ error, node }));
      });
    };
    // Handshakes racing on both nodes at once.
    const open = await Promise.all(Array.from({ length: MAX_SOCKETS_PER_USER + 4 }, (_, i) => tryConnect(i % 2 ? b : a)));
    const connected = open.filter((o) => o.socket);
    expect(connected).toHaveLength(MAX_SOCKETS_PER_USER);
    for (const refused of open.filter((o) => o.error)) {
      expect(refused.error!.data).toEqual({ code: 'RATE_LIMITED' });
      expect(refused.error!.message).toMatch(/open in 10 windows.*Close one/);
    }
    // Closing a window on node A frees a place on node B.
    const leaving = connected.find((o) => o.node === a)!.socket!;
    const serverSide = a.io.of('/').sockets.get(leaving.id!)!;
    const closed = new Promise<void>((resolve) => serverSide.once('disconnect', () => resolve()));
    leaving.disconnect();
    await closed;
    expect((await tryConnect(b)).socket?.connected).toBe(true);
    expect((await tryConnect(a)).error?.data).toEqual({ code: 'RATE_LIMITED' });
  });

  it('a download continued on another node is still one download', async () => {
    const [onA, onB] = [new Redis(cluster.redis.url), new Redis(cluster.redis.url)];
    try {
      await Promise.all([onA, onB].map((r) => new Promise((resolve) => r.once('ready', resolve))));
      const [windowA, windowB] = [new RedisDownloadWindow(onA), new RedisDownloadWindow(onB)];
      const get = (range?: string) => ({ method: 'GET', range });
      expect(await windowA.counts('u1:clip-downloaded:c1', get())).toBe(true);
      // The player's next Range request lands on node B: the same download.
      expect(await windowB.counts('u1:clip-downloaded:c1', get('bytes=65536-'))).toBe(false);
      // From byte 0 it is fetched again; another person or file is another download; HEAD never counts.
      expect(await windowB.counts('u1:clip-downloaded:c1', get('bytes=0-'))).toBe(true);
      expect(await windowA.counts('u2:clip-downloaded:c1', get('bytes=65536-'))).toBe(true);
      expect(await windowA.counts('u1:clip-downloaded:c2', { method: 'HEAD', range: undefined })).toBe(false);
      expect(await windowB.counts('u1:clip-downloaded:c2', get('bytes=10-'))).toBe(true);
    } finally {
      onA.disconnect();
      onB.disconnect();
    }
  });

  it('Redis restarted: limits hold per node meanwhile, and are shared again once it is back', async () => {
    const rep = await addMember(a.url, admin.token, 'Rudy Restart', 'rep');
    const [onA, onB] = [await socketOn(a, rep.token), await socketOn(b, rep.token)];
    await cluster.redis.kill();
    // Meanwhile each node counts in its own memory with the same limits: spent on A, refused on A…
    for (let i = 0; i < CALL_STARTS; i++) expect(errorOf(await start(onA))?.code).not.toBe('RATE_LIMITED');
    expect(errorOf(await start(onA))).toMatchObject({ code: 'RATE_LIMITED' });
    // …while node B's own count for this person is still empty (per node, not refused outright).
    expect(errorOf(await start(onB))?.code).not.toBe('RATE_LIMITED');

    const restoredBefore = lines.filter((l) => l.line.includes('redis connection restored') && l.line.includes('"role":"limits"')).length;
    await cluster.redis.start();
    // Redis emits nothing to a test: wait for each node to log its limits connection back.
    await expect
      .poll(() => new Set(lines.filter((l) => l.line.includes('redis connection restored') && l.line.includes('"role":"limits"')).slice(restoredBefore).map((l) => l.node)).size, {
        timeout: 10_000,
      })
      .toBe(2);
    // Redis came back empty: shared counts start again, and are shared across nodes again.
    const next = await addMember(a.url, admin.token, 'Nina Next', 'rep');
    const [nextA, nextB] = [await socketOn(a, next.token), await socketOn(b, next.token)];
    for (let i = 0; i < CALL_STARTS; i++) expect(errorOf(await start(nextA))?.code).not.toBe('RATE_LIMITED');
    expect(errorOf(await start(nextB))).toMatchObject({ code: 'RATE_LIMITED' });
  });
});

describe.skipIf(clusterTests.enabled)('limits across nodes', () => {
  it.skip(clusterTests.skipReason, () => {});
});
