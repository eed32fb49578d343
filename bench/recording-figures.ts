/**
 * Figures of recorded calls, measured on calls of their own (run.ts runs this phase after the
 * 200-listener call has ended, on a warm server):
 *
 *   recording_cpu_us_per_packet  extra server CPU per recorded host packet: the Recorder's CPU
 *                                per packet on a real file (10 min of packets, flushed as the
 *                                server does); the detail adds the noisy whole-process difference
 *                                of a recorded and an unrecorded call
 *   clip_ready_ms_p95            20 clips (2 s pre-roll, 1 s post-roll) marked by a listener of
 *                                the recorded call: post-roll end → `GET /api/clips/<id>/audio`
 *                                returns the whole Ogg file
 */
import type { ChildProcess } from 'node:child_process';
import { audioPaths, type ClipSummary } from '../contract';
import { readOggPages } from '../server/recording/ogg-pages';
import { encodeSineOpus } from '../tests/helpers/opus';
import { createListenerPeer, withRetry, type ListenerPeer } from '../tests/helpers/rtc-peers';
import { connectSocket, request, unwrap, type ClientSocket } from '../tests/helpers/test-server';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { createLogger } from '../server/logger';
import { buildRtpPacket } from '../server/media/rtp';
import { Recorder } from '../server/recording/recorder';
import { percentile, report } from './figures';
import { ask, type CpuSample } from './server-probe';
import { streamingCall } from './streaming-call';

const PRE_ROLL_SEC = 2;
const POST_ROLL_SEC = 1;
/**
 * When each clip is marked, in ms from the start of the clipping phase: one every 0.9 s, and
 * every fifth 0.2 s after the one before. Every 3 s range overlaps its neighbours' and four
 * pairs of cuts run back to back.
 */
const MARK_AT_MS = Array.from({ length: 20 }, (_, i) => i * 900 - (i % 5 === 4 ? 700 : 0));
/** Streaming before a CPU window starts, so JIT warm-up and call set-up stay out of it. */
const WARM_UP_MS = 3000;
/** A clip that is not playable this long after its push fails the benchmark. */
const FETCH_DEADLINE_MS = 10_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface RecordingFiguresOptions {
  url: string;
  /** The forked server process (bench/server-under-test.ts). */
  server: ChildProcess;
  /** Session of the host, who goes live twice (one call at a time). */
  hostToken: string;
  /** Session of the listener who marks the clips (someone allowed to listen to a team call). */
  listenerToken: string;
  windowMs: number;
}

/** Measures and reports `recording_cpu_us_per_packet` and `clip_ready_ms_p95`. */
export async function measureRecordingFigures(opts: RecordingFiguresOptions): Promise<void> {
  const hostSocket = await connectSocket(opts.url, opts.hostToken);
  const listenerSocket = await connectSocket(opts.url, opts.listenerToken);
  const frames = encodeSineOpus({ frames: 500 });
  try {
    const plainCall = await streamingCall(hostSocket, frames, { title: 'Bench unrecorded call', recorded: false });
    let plain: CpuWindow;
    try {
      plain = await cpuWindow(opts.server, opts.windowMs);
    } finally {
      await plainCall.end();
    }

    const recordedCall = await streamingCall(hostSocket, frames, { title: 'Bench recorded call', recorded: true });
    try {
      const recorded = await cpuWindow(opts.server, opts.windowMs);
      const extra = recorded.cpuUs / recorded.packets - plain.cpuUs / plain.packets;
      const perPacket = (w: CpuWindow) => `${(w.cpuUs / w.packets).toFixed(1)} µs (${w.packets} packets in ${Math.round(w.ms)} ms)`;
      const isolated = recorderCpuPerPacket(frames);
      report(
        'recording_cpu_us_per_packet',
        isolated.usPerPacket,
        'us',
        undefined,
        `the server's Recorder alone (the code the forwarder's rtp event runs per packet): ${isolated.packets} real Opus RTP packets written with a flush every 25 packets (the 500 ms timer) to a real file, CPU ${isolated.cpuUs} µs; ` +
          `whole server process for comparison (noisy: the difference of two ~530 µs figures, each window after a forced GC), recorded call ${perPacket(recorded)} − unrecorded call ${perPacket(plain)} = ${extra.toFixed(1)} µs`,
      );

      const listener = await join(listenerSocket, recordedCall.callId);
      try {
        const timings = await markClips(opts.url, opts.listenerToken, listenerSocket, recordedCall.callId);
        reportClipReadiness(timings);
      } finally {
        listener.close();
      }
    } finally {
      await recordedCall.end();
    }
  } finally {
    hostSocket.disconnect();
    listenerSocket.disconnect();
  }
}

/**
 * CPU the Recorder spends per packet, measured in this process on a real file: 10 minutes of
 * 20 ms packets (the frames repeated with running sequence numbers and timestamps), flushed as
 * the server's timer would.
 */
function recorderCpuPerPacket(frames: readonly Buffer[]): { usPerPacket: number; packets: number; cpuUs: number } {
  const dir = mkdtempSync(joinPath(tmpdir(), 'bullpen-bench-rec-'));
  const packets = 30_000;
  const rtp = Array.from({ length: packets }, (_, i) =>
    buildRtpPacket({ payloadType: 111, seq: i & 0xffff, timestamp: (i * 960) >>> 0, ssrc: 0x1234, marker: i === 0 }, frames[i % frames.length]!),
  );
  const recorder = Recorder.create({ dir, id: 'bench', log: createLogger({ level: 'silent' }), flushIntervalMs: 3_600_000 });
  try {
    const start = process.cpuUsage();
    for (let i = 0; i < packets; i++) {
      recorder.write(rtp[i]!, 1_000_000 + i * 20);
      if (i % 25 === 24) recorder.flush();
    }
    recorder.flush();
    const used = process.cpuUsage(start);
    const cpuUs = used.user + used.system;
    return { usPerPacket: cpuUs / packets, packets, cpuUs };
  } finally {
    recorder.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

interface CpuWindow {
  cpuUs: number;
  packets: number;
  ms: number;
}

/** Server CPU and host packets received over one window, after a warm-up. */
async function cpuWindow(server: ChildProcess, windowMs: number): Promise<CpuWindow> {
  await sleep(WARM_UP_MS);
  const start = await ask<CpuSample>(server, { type: 'cpu', collectFirst: true });
  await sleep(windowMs);
  const end = await ask<CpuSample>(server, { type: 'cpu', collectFirst: false });
  const packets = end.packetsIn - start.packetsIn;
  if (packets === 0) throw new Error('no host packets reached the server during the CPU window');
  return { cpuUs: end.cpuUs - start.cpuUs, packets, ms: end.at - start.at };
}

export async function join(socket: ClientSocket, callId: string): Promise<ListenerPeer> {
  const peers: ListenerPeer[] = [];
  try {
    const peer = await withRetry(
      async () => {
        const candidate = await createListenerPeer();
        peers.push(candidate);
        const joined = unwrap(await request(socket, 'listen:join', { callId, offer: candidate.offerSdp }));
        candidate.setAnswer(joined.answer);
        await candidate.waitForOpen();
        return candidate;
      },
      () => request(socket, 'listen:leave', { callId }),
    );
    await peer.waitForPackets(1);
    for (const other of peers) if (other !== peer) other.close();
    return peer;
  } catch (error) {
    for (const p of peers) p.close();
    throw error;
  }
}

interface ClipTiming {
  /** clip:ready's `readyAt` − the post-roll's end (both server clock). */
  serverMs: number;
  /** First GET that returns the whole Ogg file − the post-roll's end. */
  playableMs: number;
  /** GETs before that one (not 200, or not a whole file). */
  retries: number;
}

/** Marks the clips on schedule; for each, waits for its push and downloads it. */
async function markClips(url: string, token: string, socket: ClientSocket, callId: string): Promise<ClipTiming[]> {
  const pushes = readyPushes(socket);
  const t0 = performance.now();
  return Promise.all(
    MARK_AT_MS.map(async (atMs) => {
      await sleep(t0 + atMs - performance.now());
      const marked = unwrap(await request(socket, 'clip:mark', { callId, preRollSec: PRE_ROLL_SEC, postRollSec: POST_ROLL_SEC })).clip;
      // The mark's readyAt is the end of its post-roll (server clock; the server runs on this machine).
      const postRollEnd = marked.readyAt;
      const ready = await pushes(marked.id);
      if (ready.status !== 'ready') throw new Error(`clip ${marked.id} was not cut: ${ready.status}`);
      const { at, retries } = await downloadWholeClip(url, token, marked.id);
      return { serverMs: ready.readyAt - postRollEnd, playableMs: at - postRollEnd, retries };
    }),
  );
}

/**
 * Collects the socket's `clip:ready` pushes from now on; the returned function resolves with a
 * clip's push, also if it came before it was asked for.
 */
function readyPushes(socket: ClientSocket): (clipId: string) => Promise<ClipSummary> {
  const seen = new Map<string, ClipSummary>();
  const waiting = new Map<string, (clip: ClipSummary) => void>();
  socket.on('clip:ready', ({ clip }) => {
    const resolve = waiting.get(clip.id);
    if (resolve) resolve(clip);
    else seen.set(clip.id, clip);
  });
  return (clipId) => {
    const clip = seen.get(clipId);
    return clip ? Promise.resolve(clip) : new Promise((resolve) => waiting.set(clipId, resolve));
  };
}

/** GETs a clip's audio until it is a whole Ogg file; returns when (wall clock) and the retries. */
async function downloadWholeClip(url: string, token: string, clipId: string): Promise<{ at: number; retries: number }> {
  const deadline = Date.now() + FETCH_DEADLINE_MS;
  for (let retries = 0; ; retries++) {
    const res = await fetch(url + audioPaths.clip(clipId), { headers: { authorization: `Bearer ${token}` } });
    const body = Buffer.from(await res.arrayBuffer());
    if (res.status === 200 && isWholeOgg(body)) return { at: Date.now(), retries };
    if (Date.now() > deadline) throw new Error(`clip ${clipId}: GET answered ${res.status} with ${body.length} bytes that are not a whole Ogg file`);
    await sleep(10);
  }
}

/** Every byte is a checksummed page, from a beginning-of-stream page to an end-of-stream page. */
function isWholeOgg(body: Buffer): boolean {
  const { pages, validLength } = readOggPages(body);
  return pages.length >= 3 && validLength === body.length && pages[0]!.bos && pages[pages.length - 1]!.eos;
}

function reportClipReadiness(timings: ClipTiming[]): void {
  const summary = (values: number[]) =>
    `p50 ${percentile(values, 50).toFixed(0)} ms, p95 ${percentile(values, 95).toFixed(0)} ms, max ${Math.max(...values).toFixed(0)} ms`;
  const playable = timings.map((t) => t.playableMs);
  const server = timings.map((t) => t.serverMs);
  const retries = timings.reduce((sum, t) => sum + t.retries, 0);
  report(
    'clip_ready_ms_p95',
    percentile(playable, 95),
    'ms',
    '<= 500',
    `${timings.length} clips (${PRE_ROLL_SEC} s pre-roll, ${POST_ROLL_SEC} s post-roll) marked by a listener 0.2–0.9 s apart during a recorded 50 pps call, ranges overlapping; post-roll end → clip:ready push → GET of the clip's audio returns 200 with the whole Ogg file: ${summary(playable)}, ${retries} GETs retried; of which server-side (clip:ready readyAt − post-roll end): ${summary(server)}`,
  );
}
