import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { audioPaths, openCall, routes, type AuthReply, type ClipSummary } from '../../contract';
import { decodeStereo, probeDurationSec, rms, toneAt } from '../helpers/audio-probe';
import { goLive, listen, onCleanup, rivalTeam, runCleanups, serverWithTeam, socketFor } from '../helpers/live-call';
import { encodeSineOpus } from '../helpers/opus';
import { addMember, api, nextEvent, request, unwrap, type ClientSocket, type TestServer } from '../helpers/test-server';

afterEach(runCleanups);

const RECORD = { enabled: true, customerInformed: true };
const TONES = [440, 660, 880];
const CUSTOMER_HZ = 330;

/** Two seconds of each tone on the rep's side (left), a steady tone on the customer's (right). */
function toneSegments(hzs: number[], framesEach = 100): Buffer[] {
  return hzs.flatMap((leftHz) => encodeSineOpus({ frames: framesEach, leftHz, rightHz: CUSTOMER_HZ }));
}

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'bullpen-audio-'));
  onCleanup(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Downloads an audio route to a file; returns the file and the HTTP response. */
async function download(server: TestServer, path: string, token: string, headers: Record<string, string> = {}) {
  const res = await fetch(server.url + path, { headers: { authorization: `Bearer ${token}`, ...headers } });
  const body = Buffer.from(await res.arrayBuffer());
  const file = join(await tempDir(), 'audio.ogg');
  await writeFile(file, body);
  return { res, body, file };
}

/**
 * Collects every `clip:ready` push a socket gets from now on (a clip with no post-roll can be
 * ready before its mark's reply is read); `ready(id)` resolves with the clip's push.
 */
function collectReady(socket: ClientSocket) {
  const seen = new Map<string, ClipSummary>();
  socket.on('clip:ready', ({ clip }) => seen.set(clip.id, clip));
  return {
    ready(clipId: string): Promise<ClipSummary> {
      const now = seen.get(clipId);
      return now ? Promise.resolve(now) : nextEvent(socket, 'clip:ready', (e) => e.clip.id === clipId).then((e) => e.clip);
    },
  };
}

async function mark(socket: ClientSocket, callId: string, preRollSec: number, postRollSec: number, extra: object = {}) {
  return unwrap(await request(socket, 'clip:mark', { callId, preRollSec, postRollSec, ...extra })).clip;
}

async function recordedCall(server: TestServer, admin: AuthReply) {
  const mentor = await addMember(server.url, admin.token, 'Max Mentor', 'mentor');
  const rep = await addMember(server.url, admin.token, 'Rita Rep', 'rep');
  const hostSocket = await socketFor(server, mentor);
  const repSocket = await socketFor(server, rep);
  const { host, call } = await goLive(hostSocket, { recording: RECORD });
  return { mentor, rep, hostSocket, repSocket, host, call };
}

describe('recording and clips over real sockets, WebRTC and ffmpeg', () => {
  it('records with consent and cuts clips at known moments that decode to the right audio', async () => {
    const { server, admin } = await serverWithTeam();
    const { mentor, rep, hostSocket, repSocket, host, call } = await recordedCall(server, admin);
    expect(call.recording).toBe(true);
    await listen(repSocket, call.id);
    const readyOn = new Map([repSocket, hostSocket].map((socket) => [socket, collectReady(socket)]));

    // 440 Hz for 0–2 s, 880 Hz for 2–4 s, 660 Hz for 4–6 s (media time = packet index × 20 ms).
    const frames = toneSegments([440, 880, 660]);
    const marks: Promise<ClipSummary>[] = [];
    const at = (index: number, socket: ClientSocket, pre: number, post: number) => ({ index, socket, pre, post });
    const plan = [
      at(25, repSocket, 30, 0), // clamped at the start: [0, 0.5 s]
      at(150, repSocket, 2, 1), // [1 s, 4 s]: 440 then 880
      at(250, hostSocket, 1, 0), // [4 s, 5 s]: 660, marked by the host
      at(290, repSocket, 1, 10), // post-roll past the end of the call: clamped to [4.8 s, 6 s]
    ];
    await host.sendOpus(frames, {
      onSent: (_packet, index) => {
        for (const p of plan) if (p.index === index) marks.push(mark(p.socket, call.id, p.pre, p.post, { note: `mark ${index}` }));
      },
    });
    const marked = await Promise.all(marks);
    expect(marked.map((c) => c.status)).toEqual(['pending', 'pending', 'pending', 'pending']);
    const socketOf = (i: number) => plan[i]!.socket;
    const ready = marked.map((c, i) => readyOn.get(socketOf(i))!.ready(c.id));
    // The first three post-rolls have ended: each is playable within a second of its end.
    const early = await Promise.all(ready.slice(0, 3));
    for (const [i, clip] of early.entries()) {
      expect(clip.status).toBe('ready');
      expect(clip.readyAt - marked[i]!.readyAt).toBeLessThan(1000);
    }
    // Ending the call cuts the clip still waiting for its post-roll, clamped to the end.
    unwrap(await request(hostSocket, 'call:end', { callId: call.id }));
    const last = await ready[3]!;
    expect(last.status).toBe('ready');

    const expectations: { duration: number; tones: [number, number, number][] }[] = [
      { duration: 0.5, tones: [[0.05, 0.45, 440]] },
      { duration: 3.0, tones: [[0.1, 0.8, 440], [1.3, 2.9, 880]] },
      { duration: 1.0, tones: [[0.1, 0.9, 660]] },
      { duration: 1.2, tones: [[0.1, 1.1, 660]] },
    ];
    for (const [i, clip] of marked.entries()) {
      const { res, file } = await download(server, audioPaths.clip(clip.id), rep.token);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('audio/ogg');
      const want = expectations[i]!;
      expect(Math.abs((await probeDurationSec(file)) - want.duration), `clip ${i} duration`).toBeLessThanOrEqual(0.1);
      const pcm = await decodeStereo(file);
      expect(Math.abs(pcm.left.length / 48_000 - want.duration), `clip ${i} decoded length`).toBeLessThanOrEqual(0.1);
      for (const [from, to, hz] of want.tones) expect(toneAt(pcm.left, 48_000, from, to, TONES), `clip ${i} at ${from}s`).toBe(hz);
      // Stereo survives: the customer's side carries its own tone.
      expect(toneAt(pcm.right, 48_000, 0, want.duration, [CUSTOMER_HZ, ...TONES])).toBe(CUSTOMER_HZ);
    }

    // The kept recording plays the whole call, stores who confirmed consent, and serves ranges.
    const recordings = unwrap((await api(server.url, routes.recordings, { token: rep.token })).result).recordings;
    expect(recordings).toEqual([expect.objectContaining({ callId: call.id, consentBy: 'Max Mentor', state: 'kept', clipCount: 4 })]);
    expect(recordings[0]!.consentAt).toBeGreaterThanOrEqual(call.startedAt);
    expect(recordings[0]!.expiresAt! - recordings[0]!.endedAt!).toBe(30 * 86_400_000);
    const full = await download(server, audioPaths.recording(call.id), mentor.token);
    expect(Math.abs((await probeDurationSec(full.file)) - 6)).toBeLessThanOrEqual(0.1);
    const partial = await download(server, audioPaths.recording(call.id), mentor.token, { range: 'bytes=0-99' });
    expect(partial.res.status).toBe(206);
    expect(partial.res.headers.get('content-range')).toBe(`bytes 0-99/${full.body.length}`);
    expect(partial.body.equals(full.body.subarray(0, 100))).toBe(true);
    const beyond = await download(server, audioPaths.recording(call.id), mentor.token, { range: `bytes=${full.body.length + 10}-` });
    expect(beyond.res.status).toBe(416);

    // A clip saved from the ended call's recording by range.
    const fromRange = unwrap(
      (
        await api(server.url, routes.clipFromRecording, {
          token: rep.token,
          params: { id: call.id },
          body: { startMs: 2500, endMs: 3500, title: 'The pricing pivot', tags: ['pricing'] },
        })
      ).result,
    ).clip;
    expect(fromRange).toMatchObject({ status: 'ready', title: 'The pricing pivot', tags: ['pricing'] });
    const cut = await download(server, audioPaths.clip(fromRange.id), rep.token);
    expect(Math.abs((await probeDurationSec(cut.file)) - 1)).toBeLessThanOrEqual(0.1);
    expect(toneAt((await decodeStereo(cut.file)).left, 48_000, 0.1, 0.9, TONES)).toBe(880);
    const outside = await api(server.url, routes.clipFromRecording, {
      token: rep.token,
      params: { id: call.id },
      body: { startMs: 60_000, endMs: 61_000 },
    });
    expect(outside.result).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const backwards = await api(server.url, routes.clipFromRecording, { token: rep.token, params: { id: call.id }, body: { startMs: 3000, endMs: 1000 } });
    expect(backwards.status).toBe(400);
  });

  it('records a host reconnect as a gap of silence in one recording', async () => {
    const { server, admin } = await serverWithTeam();
    const { mentor, hostSocket, host, call } = await recordedCall(server, admin);
    await host.sendOpus(encodeSineOpus({ frames: 50, leftHz: 440, rightHz: CUSTOMER_HZ }));
    host.close();
    const awayFrom = Date.now();
    const { createHostPeer, withRetry } = await import('../helpers/rtc-peers');
    const again = await withRetry(async () => {
      const peer = await createHostPeer();
      onCleanup(() => peer.close());
      const { answer } = unwrap(await request(hostSocket, 'call:publish', { callId: call.id, offer: peer.offerSdp }));
      await peer.setAnswer(answer);
      return peer;
    });
    // The scenario: the host is away for (at least) a second before its audio resumes. This
    // timer is the length of the outage being simulated, not a wait for the server.
    const rest = 1000 - (Date.now() - awayFrom);
    if (rest > 0) await new Promise((resolve) => setTimeout(resolve, rest));
    const gapMs = Date.now() - awayFrom;
    await again.sendOpus(encodeSineOpus({ frames: 50, leftHz: 880, rightHz: CUSTOMER_HZ }));
    unwrap(await request(hostSocket, 'call:end', { callId: call.id }));

    const { file } = await download(server, audioPaths.recording(call.id), mentor.token);
    const duration = await probeDurationSec(file);
    expect(duration).toBeGreaterThan(2 + gapMs / 1000 - 0.3);
    const pcm = await decodeStereo(file);
    expect(toneAt(pcm.left, 48_000, 0.2, 0.8, TONES)).toBe(440);
    expect(rms(pcm.left, 1.2, 1.8)).toBeLessThan(0.01);
    expect(toneAt(pcm.left, 48_000, duration - 0.8, duration - 0.2, TONES)).toBe(880);
  });

  it('refuses to record without consent and to clip unrecorded calls or calls one is not in', async () => {
    const { server, admin } = await serverWithTeam();
    const mentor = await addMember(server.url, admin.token, 'Max Mentor', 'mentor');
    const rep = await addMember(server.url, admin.token, 'Rita Rep', 'rep');
    const hostSocket = await socketFor(server, mentor);
    const repSocket = await socketFor(server, rep);
    const { host } = await goLive(hostSocket);
    const noConsent = await request(repSocket, 'call:start', {
      title: 'Demo',
      policy: 'team',
      offer: host.offerSdp,
      recording: { enabled: true, customerInformed: false },
    });
    expect(noConsent).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringMatching(/customer/) } });
    expect(unwrap(await request(repSocket, 'board:get', {})).calls).toHaveLength(1);

    const board = openCall(unwrap(await request(repSocket, 'board:get', {})).calls[0])!;
    expect(board.recording).toBe(false);
    await listen(repSocket, board.id);
    expect(await request(repSocket, 'clip:mark', { callId: board.id })).toMatchObject({ ok: false, error: { code: 'NOT_RECORDED' } });
    expect(await request(hostSocket, 'clip:mark', { callId: board.id, preRollSec: 500 })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });

    const adminSocket = await socketFor(server, admin);
    const recorded = await goLive(adminSocket, { recording: RECORD, title: 'Renewal' });
    expect(await request(repSocket, 'clip:mark', { callId: recorded.call.id })).toMatchObject({ ok: false, error: { code: 'NOT_LISTENING' } });
    const rex = await rivalTeam(server);
    const rexSocket = await socketFor(server, rex);
    expect(await request(rexSocket, 'clip:mark', { callId: recorded.call.id })).toMatchObject({ ok: false, error: { code: 'CALL_NOT_FOUND' } });
    expect(unwrap((await api(server.url, routes.clips, { token: admin.token })).result).clips).toEqual([]);
  });
});
