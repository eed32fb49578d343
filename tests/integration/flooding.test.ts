import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { io as connect } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { routes, type Result } from '../../contract';
import { MAX_SOCKETS_PER_USER } from '../../server/limits/limit-policy';
import { createLogger } from '../../server/logger';
import { goLive, listen, onCleanup, runCleanups, serverWithTeam, socketFor } from '../helpers/live-call';
import { encodeSineOpus } from '../helpers/opus';
import { addMember, api, request, unwrap, type ClientSocket, type TestServer } from '../helpers/test-server';

afterEach(runCleanups);

const RECORD = { enabled: true, customerInformed: true };

/** Bytes and files in a server's clips directory. */
async function clipFiles(server: TestServer) {
  const dir = join(server.dataDir, 'clips');
  const names = (await readdir(dir)).filter((n) => n.endsWith('.ogg'));
  let bytes = 0;
  for (const name of names) bytes += (await stat(join(dir, name))).size;
  return { files: names.length, bytes };
}

/** A mentor live on a recorded call with a listening rep, and a manager watching the library. */
async function recordedCallWithListener(options: Parameters<typeof serverWithTeam>[0] = {}) {
  const { server, admin } = await serverWithTeam(options);
  const mentor = await addMember(server.url, admin.token, 'Max Mentor', 'mentor');
  const rep = await addMember(server.url, admin.token, 'Rita Rep', 'rep');
  const manager = await addMember(server.url, admin.token, 'Mia Manager', 'manager');
  const hostSocket = await socketFor(server, mentor);
  const repSocket = await socketFor(server, rep);
  const managerSocket = await socketFor(server, manager);
  const { host, call } = await goLive(hostSocket, { recording: RECORD });
  await listen(repSocket, call.id);
  // Two seconds of audio in the recording before anyone clips.
  await host.sendOpus(encodeSineOpus({ frames: 100 }));
  return { server, admin, mentor, rep, manager, hostSocket, repSocket, managerSocket, host, call };
}

/** Emits `count` events at once without waiting between them; resolves with every ack. */
function burst(socket: ClientSocket, count: number, event: string, payload: unknown): Promise<Result<unknown>[]> {
  const emitter = socket.timeout(30_000) as unknown as { emitWithAck(e: string, p: unknown): Promise<Result<unknown>> };
  return Promise.all(Array.from({ length: count }, () => emitter.emitWithAck(event, payload)));
}

describe('flooding: rate limits, quotas and socket caps', () => {
  it('attack: one rep marking 1,000 clips as fast as possible is refused with RATE_LIMITED, disk and pushes stay bounded', async () => {
    const { server, manager, repSocket, managerSocket, host, call } = await recordedCallWithListener();
    // The host keeps talking through the flood, so every accepted clip has audio to be cut from.
    const streaming = host.sendOpus(encodeSineOpus({ frames: 300 }));
    const pushes: (string[] | null)[] = [];
    managerSocket.on('library:changed', ({ clipIds }) => pushes.push(clipIds));
    const ready = new Map<string, string>();
    repSocket.on('clip:ready', ({ clip }) => ready.set(clip.id, clip.status));

    const flood = burst(repSocket, 1000, 'clip:mark', { callId: call.id, preRollSec: 1, postRollSec: 0 });
    // A teammate's own request is answered during the flood (the bound is generous on purpose:
    // it only has to tell "answers" from the 5.6 s stall the attack caused).
    const meStarted = performance.now();
    const me = await api(server.url, routes.me, { token: manager.token });
    const meMs = performance.now() - meStarted;
    expect(me.status).toBe(200);
    expect(meMs).toBeLessThan(5000);

    const replies = await flood;
    const accepted = replies.filter((r) => r.ok);
    const refused = replies.filter((r): r is Extract<Result<unknown>, { ok: false }> => !r.ok);
    expect(accepted.length).toBeGreaterThan(0);
    expect(accepted.length).toBeLessThanOrEqual(20);
    expect(refused.length).toBeGreaterThanOrEqual(980);
    for (const r of refused) {
      expect(r.error.code).toBe('RATE_LIMITED');
      expect(r.error.retryAfterSec).toBeGreaterThanOrEqual(1);
    }
    // Both layers answered: the per-user event budget and the clip-mark limit behind it.
    expect(refused.some((r) => /marking clips/.test(r.error.message))).toBe(true);
    expect(refused.some((r) => /Too many requests/.test(r.error.message))).toBe(true);

    // Every accepted clip is cut, and nothing else was written.
    const acceptedIds = accepted.map((r) => (r as { value: { clip: { id: string } } }).value.clip.id);
    await new Promise<void>((resolve) => {
      const check = () => acceptedIds.every((id) => ready.has(id)) && resolve();
      repSocket.on('clip:ready', check);
      check();
    });
    await streaming;
    expect(acceptedIds.map((id) => ready.get(id))).toEqual(acceptedIds.map(() => 'ready'));
    const disk = await clipFiles(server);
    expect(disk.files).toBe(accepted.length);
    // One second of Opus is a few KB: twenty clips stay far below a megabyte (the attack wrote 124 MB).
    expect(disk.bytes).toBeLessThan(20 * 64 * 1024);
    // The teammate got a bounded number of library pushes: at most one per mark and one per cut.
    const lastPushed = pushes.flatMap((ids) => ids ?? []);
    expect(pushes.length).toBeLessThanOrEqual(2 * accepted.length);
    expect(new Set(lastPushed).size).toBeLessThanOrEqual(accepted.length);
    const library = unwrap((await api(server.url, routes.clips, { token: manager.token })).result).clips;
    expect(library).toHaveLength(accepted.length);
  });

  it('attack: a team past its daily clip budget gets RATE_LIMITED with the wait, and short clips still fit', async () => {
    // One minute a day: a 45 s clip fits, a second one does not, a 10 s one still does.
    const { repSocket, call } = await recordedCallWithListener({ teamClipMinutesPerDay: 1 });
    unwrap(await request(repSocket, 'clip:mark', { callId: call.id, preRollSec: 45, postRollSec: 0 }));
    const over = await request(repSocket, 'clip:mark', { callId: call.id, preRollSec: 45, postRollSec: 0 });
    expect(over).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED', message: expect.stringMatching(/1 minutes of clips for today/) } });
    expect(!over.ok && over.error.retryAfterSec).toBeGreaterThan(86_000);
    unwrap(await request(repSocket, 'clip:mark', { callId: call.id, preRollSec: 10, postRollSec: 0 }));
  });

  it('attack: clips from a kept recording past 10 a minute are refused with 429 and Retry-After', async () => {
    const { server, rep, hostSocket, call } = await recordedCallWithListener();
    unwrap(await request(hostSocket, 'call:end', { callId: call.id }));
    const ask = () =>
      api(server.url, routes.clipFromRecording, { token: rep.token, params: { id: call.id }, body: { startMs: 0, endMs: 500 } });
    for (let i = 0; i < 10; i++) expect((await ask()).status).toBe(200);
    const res = await fetch(`${server.url}/api/recordings/${call.id}/clips`, {
      method: 'POST',
      headers: { authorization: `Bearer ${rep.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ startMs: 0, endMs: 500 }),
    });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await res.json()).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED', message: expect.stringMatching(/saving clips/) } });
    expect((await clipFiles(server)).files).toBe(10);
  });

  it('attack: call starts past 10 in 10 minutes are refused before any media work', async () => {
    const { server, admin } = await serverWithTeam();
    const rep = await addMember(server.url, admin.token, 'Rita Rep', 'rep');
    const socket = await socketFor(server, rep);
    // Offers that cannot be answered: each start fails, and each one counts.
    const offer = 'v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n';
    const start = () => request(socket, 'call:start', { title: 'Spam', policy: 'team', offer });
    for (let i = 0; i < 10; i++) expect((await start()).ok).toBe(false);
    for (const r of [await start(), await start()]) {
      expect(r).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED', message: expect.stringMatching(/10 in 10 minutes/) } });
      expect(!r.ok && r.error.retryAfterSec).toBeGreaterThan(500);
    }
    // Someone else starts calls as usual.
    const mentorSocket = await socketFor(server, await addMember(server.url, admin.token, 'Max Mentor', 'mentor'));
    const { call } = await goLive(mentorSocket);
    expect(call.title).toBe('Discovery with Initech');
  });

  it('attack: a burst of socket events from one person is refused past 50 a second, across all their windows', async () => {
    const { server, admin } = await serverWithTeam();
    const rep = await addMember(server.url, admin.token, 'Rita Rep', 'rep');
    const [a, b] = [await socketFor(server, rep), await socketFor(server, rep)];
    const replies = [...(await burst(a, 100, 'board:get', {})), ...(await burst(b, 100, 'board:get', {}))];
    const refused = replies.filter((r) => !r.ok);
    expect(replies.filter((r) => r.ok).length).toBeLessThanOrEqual(100);
    expect(refused.length).toBeGreaterThanOrEqual(100);
    for (const r of refused) expect(r).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED', retryAfterSec: 1 } });
    // A teammate is not slowed by it.
    const adminSocket = await socketFor(server, admin);
    expect((await request(adminSocket, 'board:get', {})).ok).toBe(true);
    // Unknown events with an ack get a clear refusal instead of silence.
    expect(await burst(adminSocket, 1, 'admin:drop-tables', {})).toEqual([
      { ok: false, error: { code: 'BAD_REQUEST', message: 'Invalid request: unknown event' } },
    ]);
  });

  it(`attack: the ${MAX_SOCKETS_PER_USER + 1}th socket of one person is refused with a clear error; closing one frees a place`, async () => {
    const { server, admin } = await serverWithTeam();
    const rep = await addMember(server.url, admin.token, 'Rita Rep', 'rep');
    const open = await Promise.all(Array.from({ length: MAX_SOCKETS_PER_USER + 5 }, () => tryConnect(server.url, rep.token)));
    const connected = open.filter((o) => o.socket);
    const refusals = open.filter((o) => o.error);
    // Handshakes racing each other do not slip past the cap together.
    expect(connected).toHaveLength(MAX_SOCKETS_PER_USER);
    for (const r of refusals) {
      expect(r.error!.data).toEqual({ code: 'RATE_LIMITED' });
      expect(r.error!.message).toMatch(/open in 10 windows.*Close one/);
    }
    // Someone else still connects.
    await socketFor(server, admin);
    // Closing a window frees its place once the server has seen it go (both ends share the id).
    const leaving = connected[0]!.socket!;
    const serverSide = server.io.of('/').sockets.get(leaving.id!)!;
    const closed = new Promise<void>((resolve) => serverSide.once('disconnect', () => resolve()));
    leaving.disconnect();
    await closed;
    const again = await tryConnect(server.url, rep.token);
    expect(again.socket?.connected).toBe(true);
  });

  it('attack: thousands of events without an ack are dropped with one log line per socket, and the socket keeps working', async () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'warn', write: (line) => lines.push(line) });
    const { server, admin } = await serverWithTeam({ log });
    const socket = await socketFor(server, admin);
    for (let i = 0; i < 2000; i++) (socket.emit as (e: string, p: unknown) => void)('board:get', {});
    // Events are handled in order: once this is answered, the 2,000 before it were seen.
    expect((await request(socket, 'board:get', {})).ok).toBe(true);
    const dropped = lines.filter((l) => l.includes('without an ack'));
    expect(dropped).toHaveLength(1);
    expect(JSON.parse(dropped[0]!)).toMatchObject({ level: 'warn', event: 'board:get', userId: admin.user.id });
    expect(lines.length).toBeLessThan(5);
  });
});

/** Opens a socket for a token; resolves with it or with its connect error. */
function tryConnect(url: string, token: string) {
  const socket = connect(url, { auth: { token }, transports: ['websocket'], reconnection: false });
  onCleanup(() => socket.disconnect());
  return new Promise<{ socket?: ClientSocket; error?: Error & { data?: unknown } }>((resolve) => {
    socket.once('connect', () => resolve({ socket: socket as ClientSocket }));
    socket.once('connect_error', (error: Error & { data?: unknown }) => resolve({ error }));
  });
}
