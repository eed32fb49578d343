/**
 * The fan-out measurements of `npm run bench`: stand-in listeners joined in stages, each stage
 * measured over settled windows, every listener counting lost and reordered packets.
 *
 * A stage's figures are taken after the joins have settled (2 s of nothing but streaming), over
 * `windows` consecutive windows; each figure is the median of its windows, with the min–max.
 */
import type { ChildProcess } from 'node:child_process';
import { createListenerPeer, withRetry, type ListenerPeer } from '../tests/helpers/rtc-peers';
import { connectSocket, request, unwrap, type ClientSocket } from '../tests/helpers/test-server';
import { percentile } from './figures';
import { ask, type Figures, type LatencySamples } from './server-probe';
import { SequenceCounter } from './sequence-counter';

const SETTLE_MS = 2000;

/** One window's figures. */
export interface WindowFigures {
  forwardUsPerPacket: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  forwarded: number;
  rss: number;
  heapUsed: number;
}

/** A figure over several windows: the median, and the spread. */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

export interface StageFigures {
  listeners: number;
  calls: number;
  windows: WindowFigures[];
  forwardUsPerPacket: Spread;
  latencyP50Ms: Spread;
  latencyP99Ms: Spread;
  /**
   * RSS per listener (KB), marginal: above the memory baseline (the previous stage of the same
   * call, or the hosts alone), divided by the listeners added since it.
   */
  listenerRssKb: Spread;
  /** The same for the JS heap (after a forced GC), so native and JS memory can be told apart. */
  listenerHeapKb: Spread;
}

/** The server alone with its host(s): CPU per ms and memory to subtract. */
export interface Baseline {
  cpuUsPerMs: number;
  rss: number;
  heapUsed: number;
}

/**
 * What a stage's memory per listener is counted from: a settled earlier point of the same server
 * and how many listeners it had. A stage's own figures are counted from the stage before it:
 * right after start-up the server's RSS still shrinks for minutes (heap and allocator giving
 * memory back), so against the host-alone point alone small stages even came out negative.
 */
export interface MemoryBase {
  listeners: number;
  rss: number;
  heapUsed: number;
}

export function spread(values: number[]): Spread {
  return { median: percentile(values, 50), min: Math.min(...values), max: Math.max(...values) };
}

export function formatSpread(s: Spread, digits = 1): string {
  return `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The server's figures over `windows` windows of `windowMs`, after the settle time. */
export async function measureStage(
  server: ChildProcess,
  base: Baseline,
  memoryBase: MemoryBase,
  shape: { listeners: number; calls: number },
  windows: number,
  windowMs: number,
): Promise<StageFigures> {
  await wait(SETTLE_MS);
  const rows: WindowFigures[] = [];
  for (let i = 0; i < windows; i++) {
    await ask(server, 'reset-latency');
    const before = await ask<Figures>(server, 'figures');
    await wait(windowMs);
    const after = await ask<Figures>(server, 'figures');
    const { latencyUs } = await ask<LatencySamples>(server, 'latency');
    const forwarded = after.packetsForwarded - before.packetsForwarded;
    const extraCpuUs = after.cpuUs - before.cpuUs - base.cpuUsPerMs * (after.at - before.at);
    rows.push({
      forwardUsPerPacket: forwarded > 0 ? extraCpuUs / forwarded : NaN,
      latencyP50Ms: percentile(latencyUs, 50) / 1000,
      latencyP99Ms: percentile(latencyUs, 99) / 1000,
      forwarded,
      rss: after.rss,
      heapUsed: after.heapUsed,
    });
  }
  const per = (bytes: number) => bytes / 1024 / (shape.listeners - memoryBase.listeners);
  return {
    ...shape,
    windows: rows,
    forwardUsPerPacket: spread(rows.map((r) => r.forwardUsPerPacket)),
    latencyP50Ms: spread(rows.map((r) => r.latencyP50Ms)),
    latencyP99Ms: spread(rows.map((r) => r.latencyP99Ms)),
    listenerRssKb: spread(rows.map((r) => per(r.rss - memoryBase.rss))),
    listenerHeapKb: spread(rows.map((r) => per(r.heapUsed - memoryBase.heapUsed))),
  };
}

/** One table line for a stage. */
export function stageLine(stage: StageFigures): string {
  const shape = stage.calls > 1 ? `${stage.calls} calls × ${stage.listeners / stage.calls}` : `${stage.listeners} listener${stage.listeners === 1 ? '' : 's'}`;
  return `${shape}: ${formatSpread(stage.forwardUsPerPacket)} µs/packet, p99 ${formatSpread(stage.latencyP99Ms, 2)} ms (p50 ${stage.latencyP50Ms.median.toFixed(2)}), ${formatSpread(stage.listenerRssKb, 0)} KB RSS per added listener (JS heap ${stage.listenerHeapKb.median.toFixed(0)})`;
}

/** One stand-in listener's join, as the bench times it. */
export interface StandInJoin {
  peer: ListenerPeer;
  socket: ClientSocket;
  counter: SequenceCounter;
  /** `listen:join` sent → first RTP packet, ms. */
  ms: number;
  /** The join was retried (the stand-in's offer-side race, see withRetry). */
  retried: boolean;
  /**
   * The stand-in's own DTLS lost its first handshake flight and resent it after its 1 s timer:
   * ICE connected → track open took longer than this `dtlsRetryMs` (a handshake on loopback
   * otherwise takes a few ms).
   */
  dtlsRetry: boolean;
}

/** DTLS handshakes slower than this on loopback were a retransmission (libdatachannel's first timer is 1 s). */
export const DTLS_RETRY_MS = 900;

/** Joins one stand-in listener to `callId` over a socket of its own; resolves once audio flows. */
export async function joinStandIn(url: string, token: string, callId: string): Promise<StandInJoin> {
  const socket = await connectSocket(url, token);
  const counter = new SequenceCounter();
  const t0 = performance.now();
  let retried = false;
  const peer = await withRetry(
    async () => {
      const candidate = await createListenerPeer({ keepPackets: false, onRtp: counter.onRtp });
      const joined = unwrap(await request(socket, 'listen:join', { callId, offer: candidate.offerSdp }));
      candidate.setAnswer(joined.answer);
      try {
        await candidate.waitForOpen();
      } catch (error) {
        candidate.close();
        throw error;
      }
      return candidate;
    },
    async () => {
      retried = true;
      await request(socket, 'listen:leave', { callId });
    },
  );
  await peer.waitForPackets(1);
  const ms = performance.now() - t0;
  const { iceConnectedMs, openMs } = peer.timeline();
  const dtlsRetry = iceConnectedMs !== null && openMs !== null && openMs - iceConnectedMs > DTLS_RETRY_MS;
  return { peer, socket, counter, ms, retried, dtlsRetry };
}
