/**
 * Host controls that touch media, over real sockets, real WebRTC peers and ffmpeg: pausing
 * sharing (listeners receive nothing, then a continuous stream; the recording holds the paused
 * span as silence) and starting the recording mid-call (clips work from then on).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { audioPaths, openCall, routes, type ClipSummary } from '../../contract';
import type { Forwarder } from '../../server/media/forwarder';
import { readSeq, readSsrc, readTimestamp, rtpPayload } from '../../server/media/rtp';
import { decodeStereo, probeDurationSec, rms, toneAt } from '../helpers/audio-probe';
import { clipNow, goLive, listen, onCleanup, runCleanups, serverWithTeam, socketFor } from '../helpers/live-call';
import { encodeSineOpus } from '../helpers/opus';
import type { HostPeer } from '../helpers/rtc-peers';
import { addMember, api, nextEvent, request, unwrap, type ClientSocket, type TestServer } from '../helpers/test-server';

afterEach(runCleanups);

const RECORD = { enabled: true, customerInformed: true };
const TONES = [440, 660, 880];
const tone = (leftHz: number, frames = 50) => encodeSineOpus({ frames, leftHz, rightHz: 330 });
const payloadHex = (packet: Buffer) => Buffer.from(rtpPayload(packet)).toString('hex');

/** A team server that hands the test each call's forwarder (to wait for packets to be handled). */
async function serverWithForwarders() {
  const forwarders = new Map<string, Forwarder>();
  const { server, admin } = await serverWithTeam({ onForwarder: (callId, f) => forwarders.set(callId, f) });
  return { server, admin, forwarder: (callId: string) => forwarders.get(callId)! };
}

/** Sends frames from the host until `done` resolves. */
async function streamUntil(host: HostPeer, frames: Buffer[], done: Promise<unknown>): Promise<Buffer[]> {
  let finished = false;
  void done.finally(() => (finished = true));
  const sent: Buffer[] = [];
  for (let round = 0; round < 6 && !finished; round++) sent.push(...(await host.sendOpus(frames)));
  await done;
  return sent;
}

/** Resolves once the board shows the call paused (or not). */
async function boardShowsPaused(socket: ClientSocket, callId: string, paused: boolean) {
  const pushed = nextEvent(socket, 'board:update', (b) => b.calls.some((c) => c.id === callId && openCall(c)?.paused === paused));
  const now = unwrap(await request(socket, 'board:get', {})).calls;
  if (!now.some((c) => c.id === callId && openCall(c)?.paused === paused)) await pushed;
}

async function download(server: TestServer, path: string, token: string) {
  const res = await fetch(server.url + path, { headers: { authorization: `Bearer ${token}` } });
  const dir = await mkdtemp(join(tmpdir(), 'bullpen-audio-'));
  onCleanup(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'audio.ogg');
  await writeFile(file, Buffer.from(await res.arrayBuffer()));
  return file;
}

describe('pausing sharing', () => {
  it('withholds the host’s audio from listeners while paused, then resumes with continuous sequence numbers and timestamps', async () => {
    const { server, admin, forwarder } = await serverWithForwarders();
    const mentor = await addMember(server.url, admin.token, 'Max Mentor', 'mentor');
    const rep = await addMember(server.url, admin.token, 'Rita Rep', 'rep');
    const hostSocket = await socketFor(server, mentor);
    const repSocket = await socketFor(server, rep);
    const { host, call } = await goLive(hostSocket);
    const peer = await listen(repSocket, call.id);
    const fwd = forwarder(call.id);

    const before = await streamUntil(host, tone(440, 100), peer.waitForPackets(40));
    // Every packet sent so far was handled (forwarded) before the pause.
    await expect.poll(() => fwd.stats().packetsIn).toBe(before.length);

    const sharing = nextEvent(repSocket, 'call:sharing');
    unwrap(await request(hostSocket, 'call:pause', { callId: call.id }));
    expect(await sharing).toEqual({ callId: call.id, paused: true });
    await boardShowsPaused(repSocket, call.id, true);
    const atPause = peer.packets.length;

    const whilePaused = await host.sendOpus(tone(880));
    await expect.poll(() => fwd.stats().packetsWithheld).toBe(whilePaused.length);
    expect(peer.packets.length).toBe(atPause);

    const resumed = nextEvent(repSocket, 'call:sharing');
    unwrap(await request(hostSocket, 'call:resume', { callId: call.id }));
    expect(await resumed).toEqual({ callId: call.id, paused: false });
    await streamUntil(host, tone(660, 100), peer.waitForPackets(atPause + 40));
    await boardShowsPaused(repSocket, call.id, false);

    // Nothing sent while paused reached the listener.
    const withheld = new Set(whilePaused.map(payloadHex));
    expect(peer.packets.filter((p) => withheld.has(payloadHex(p)))).toEqual([]);
    // One continuous stream: every sequence number follows the previous, one SSRC, and the
    // timestamps jump by (at least) the time paused, about a second of 48 kHz samples.
    const seqs = peer.packets.map(readSeq);
    for (let i = 1; i < seqs.length; i++) expect((seqs[i]! - seqs[i - 1]! + 0x10000) % 0x10000, `packet ${i}`).toBe(1);
    const ts = peer.packets.map(readTimestamp);
    const jump = (ts[atPause]! - ts[atPause - 1]! + 2 ** 32) % 2 ** 32;
    expect(jump).toBeGreaterThanOrEqual(47_000);
    expect(jump).toBeLessThan(48_000 * 30);
    for (let i = atPause + 1; i < ts.length; i++) expect((ts[i]! - ts[i - 1]! + 2 ** 32) % 2 ** 32).toBe(960);
    expect(new Set(peer.packets.map(readSsrc)).size).toBe(1);
  });

  it('records the paused span as silence in the one recording; clips after it match call time', async () => {
    const { server, admin, forwarder } = await serverWithForwarders();
    const mentor = await addMember(server.url, admin.token, 'Max Mentor', 'mentor');
    const hostSocket = await socketFor(server, mentor);
    const { host, call } = await goLive(hostSocket, { recording: RECORD });
    const fwd = forwarder(call.id);

    await host.sendOpus(tone(440));
    await expect.poll(() => fwd.stats().packetsIn).toBe(50);
    unwrap(await request(hostSocket, 'call:pause', { callId: call.id }));
    const pausedAt = Date.now();
    // Sent while paused: never recorded.
    const whilePaused = await host.sendOpus(tone(880));
    await expect.poll(() => fwd.stats().packetsWithheld).toBe(whilePaused.length);
    unwrap(await request(hostSocket, 'call:resume', { callId: call.id }));
    const gapMs = Date.now() - pausedAt;
    // Two seconds of 660 Hz after the pause; a one-second clip is marked 1.5 s into it.
    let marked: Promise<ClipSummary> | undefined;
    await host.sendOpus(tone(660, 100), {
      onSent: (_packet, index) => {
        if (index === 75) marked = clipNow(hostSocket, call.id, { title: 'After the pause' });
      },
    });
    const clip = await marked!;
    unwrap(await request(hostSocket, 'call:end', { callId: call.id }));

    const file = await download(server, audioPaths.recording(call.id), mentor.token);
    const duration = await probeDurationSec(file);
    expect(duration).toBeGreaterThan(1 + gapMs / 1000 + 2 - 0.3);
    expect(duration).toBeLessThan(1 + gapMs / 1000 + 2 + 0.5);
    const pcm = await decodeStereo(file);
    expect(toneAt(pcm.left, 48_000, 0.2, 0.8, TONES)).toBe(440);
    // The paused span is silent on both sides (the 880 Hz sent meanwhile is nowhere).
    expect(rms(pcm.left, 1.2, 1 + gapMs / 1000 - 0.2)).toBeLessThan(0.01);
    expect(rms(pcm.right, 1.2, 1 + gapMs / 1000 - 0.2)).toBeLessThan(0.01);
    expect(toneAt(pcm.left, 48_000, duration - 1.5, duration - 0.2, TONES)).toBe(660);

    const clipFile = await download(server, audioPaths.clip(clip.id), mentor.token);
    const clipPcm = await decodeStereo(clipFile);
    expect(toneAt(clipPcm.left, 48_000, 0.1, 0.8, TONES)).toBe(660);
  });
});

describe('starting the recording mid-call', () => {
  it('needs the consent confirmation, then records from that moment and clips work', async () => {
    const { server, admin } = await serverWithTeam();
    const mentor = await addMember(server.url, admin.token, 'Max Mentor', 'mentor');
    const rep = await addMember(server.url, admin.token, 'Rita Rep', 'rep');
    const hostSocket = await socketFor(server, mentor);
    const repSocket = await socketFor(server, rep);
    const { host, call } = await goLive(hostSocket);
    await listen(repSocket, call.id);
    expect(await request(repSocket, 'clip:mark', { callId: call.id })).toMatchObject({ ok: false, error: { code: 'NOT_RECORDED' } });

    const noConsent = await request(hostSocket, 'call:start-recording', { callId: call.id, recording: { enabled: true, customerInformed: false } });
    expect(noConsent).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringMatching(/customer/) } });
    expect(openCall(unwrap(await request(repSocket, 'board:get', {})).calls[0])!.recording).toBe(false);

    const boardRecording = nextEvent(repSocket, 'board:update', (b) => openCall(b.calls[0])?.recording === true);
    // A double click: one starts the recording, the other is refused.
    const [first, second] = await Promise.all([
      request(hostSocket, 'call:start-recording', { callId: call.id, recording: RECORD }),
      request(hostSocket, 'call:start-recording', { callId: call.id, recording: RECORD }),
    ]);
    const started = unwrap(first);
    expect(started.call.recording).toBe(true);
    expect(second).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    await boardRecording;
    expect(await request(hostSocket, 'call:start-recording', { callId: call.id, recording: RECORD })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });

    let marked: Promise<ClipSummary> | undefined;
    await host.sendOpus(tone(440, 100), {
      onSent: (_packet, index) => {
        if (index === 75) marked = clipNow(repSocket, call.id, { title: 'Mid-call' });
      },
    });
    const clip = await marked!;
    const clipPcm = await decodeStereo(await download(server, audioPaths.clip(clip.id), rep.token));
    expect(toneAt(clipPcm.left, 48_000, 0.1, 0.8, TONES)).toBe(440);
    unwrap(await request(hostSocket, 'call:end', { callId: call.id }));
    const recordings = unwrap((await api(server.url, routes.recordings, { token: mentor.token })).result).recordings;
    expect(recordings.map((r) => [r.callId, r.state, r.consentBy])).toEqual([[call.id, 'kept', 'Max Mentor']]);
  });
});
