/**
 * `forwarding_stall_ms_max`: does cutting clips hold up live forwarding? A recorded call with
 * 50 listeners streams for a minute; then 20 clips of 60 s are marked at once (so all 20 are
 * cut at once) and, until every one is ready, the server-under-test records when each host
 * packet was forwarded. The figure is the longest gap between two consecutive forwarded packets
 * beyond the gap the host left between sending them (`forwardingStallMs`): how much the server
 * held up forwarding. The raw gap, which also holds the stand-in host's own lateness, is in the
 * detail, as is the same measurement over a window without cuts.
 */
import type { ChildProcess } from 'node:child_process';
import type { ClipSummary } from '../contract';
import { encodeSineOpus } from '../tests/helpers/opus';
import type { ListenerPeer } from '../tests/helpers/rtc-peers';
import { connectSocket, request, unwrap, type ClientSocket } from '../tests/helpers/test-server';
import { report } from './figures';
import { join } from './recording-figures';
import { ask, forwardingStallMs, type StallSample } from './server-probe';
import { streamingCall } from './streaming-call';

const LISTENERS = 50;
const CLIPS = 20;
const CLIP_SEC = 60;
const BASELINE_MS = 5000;

export interface CutStallOptions {
  url: string;
  server: ChildProcess;
  hostToken: string;
  /** At least 50 listener accounts' tokens. */
  listenerTokens: string[];
}

export async function measureCutStall(opts: CutStallOptions): Promise<void> {
  const sockets: ClientSocket[] = [];
  const peers: ListenerPeer[] = [];
  try {
    const hostSocket = await connectSocket(opts.url, opts.hostToken);
    sockets.push(hostSocket);
    const call = await streamingCall(hostSocket, encodeSineOpus({ frames: 500 }), { title: 'Bench clip cuts', recorded: true });
    const recordingStarted = performance.now();
    for (const token of opts.listenerTokens.slice(0, LISTENERS)) {
      const socket = await connectSocket(opts.url, token);
      sockets.push(socket);
      peers.push(await join(socket, call.callId));
    }
    // A minute of audio in the recording (plus a second for the index to cover it).
    const wait = (CLIP_SEC + 1) * 1000 - (performance.now() - recordingStarted);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    process.stderr.write(`bench: ${LISTENERS} listeners, ${CLIP_SEC} s recorded; cutting ${CLIPS} clips at once\n`);

    const clipper = sockets[1]!;
    const ready = new Map<string, ClipSummary>();
    let allReady: () => void = () => {};
    const done = new Promise<void>((resolve) => (allReady = resolve));
    clipper.on('clip:ready', ({ clip }) => {
      ready.set(clip.id, clip);
      if (ready.size === CLIPS) allReady();
    });
    // The same measurement over a window without cuts: what the machine's own load gives.
    await ask(opts.server, 'stall-reset');
    await new Promise((resolve) => setTimeout(resolve, BASELINE_MS));
    const idle = await ask<StallSample>(opts.server, 'stall-read');

    await ask(opts.server, 'stall-reset');
    const t0 = performance.now();
    const marked = await Promise.all(
      Array.from({ length: CLIPS }, () =>
        request(clipper, 'clip:mark', { callId: call.callId, preRollSec: CLIP_SEC, postRollSec: 0 }).then((r) => unwrap(r).clip),
      ),
    );
    await done;
    const cutMs = performance.now() - t0;
    const stall = await ask<StallSample>(opts.server, 'stall-read');
    const failed = marked.filter((m) => ready.get(m.id)?.status !== 'ready').length;
    if (failed > 0) throw new Error(`${failed} of ${CLIPS} clips were not cut`);
    const seconds = marked.map((m) => ready.get(m.id)!.durationMs / 1000);
    const held = forwardingStallMs(stall.forwardedAt, call.sentAtMs);
    const idleHeld = forwardingStallMs(idle.forwardedAt, call.sentAtMs);
    report(
      'forwarding_stall_ms_max',
      held.stallMs,
      'ms',
      '<= 20',
      `${CLIPS} clips of ${Math.min(...seconds).toFixed(1)}–${Math.max(...seconds).toFixed(1)} s cut at once at ${stall.listeners} listeners, all ready ${cutMs.toFixed(0)} ms after marking; ${held.pairs} consecutive packet pairs; raw longest gap between forwarded packets ${stall.maxPacketGapMs.toFixed(1)} ms (${stall.gapsOver40ms} over 40 ms, host lateness included); event loop delay max ${stall.loopDelayMaxMs.toFixed(1)} ms, p99 ${stall.loopDelayP99Ms.toFixed(1)} ms; host republished ${call.republished}×; baseline without cuts (${BASELINE_MS} ms, same call): held up ${idleHeld.stallMs.toFixed(1)} ms, raw gap ${idle.maxPacketGapMs.toFixed(1)} ms, event loop delay max ${idle.loopDelayMaxMs.toFixed(1)} ms`,
    );
    await call.end();
  } finally {
    for (const peer of peers) peer.close();
    for (const socket of sockets) socket.disconnect();
  }
}
