/**
 * The IPC protocol between the benchmark (bench/run.ts) and the server it measures
 * (bench/server-under-test.ts, a forked process): requests, replies, and `ask`.
 */
import type { ChildProcess } from 'node:child_process';

export type ProbeRequest =
  | { type: 'figures' }
  | { type: 'cpu'; collectFirst: boolean }
  | { type: 'reset-latency' }
  | { type: 'latency' }
  | { type: 'stall-reset' }
  | { type: 'stall-read' }
  | { type: 'heap-snapshot'; path: string }
  | { type: 'stop' };

/** Reply to `figures`: taken after a forced GC, so heap figures compare. */
export interface Figures {
  cpuUs: number;
  rss: number;
  heapUsed: number;
  /** `process.memoryUsage()` after the forced GC: which part of RSS moved. */
  memory: NodeJS.MemoryUsage;
  /** V8's heap spaces after the forced GC, bytes used per space (old_space, large_object_space…). */
  heapSpaces: Record<string, number>;
  /** V8's heap spaces after the forced GC, bytes committed per space (part of heapTotal). */
  heapSpacesCommitted: Record<string, number>;
  packetsIn: number;
  packetsForwarded: number;
  at: number;
}

/** Reply to `latency`: the server-added latency samples (µs) since the last `reset-latency`. */
export interface LatencySamples {
  latencyUs: number[];
}

/**
 * Reply to `stall-read`: since the last `stall-reset`, the longest gap between two consecutive
 * host packets reaching a call's forwarder (50 pps, so 20 ms when nothing stalls), how many
 * gaps exceeded 40 ms, the event loop's longest and p99 delay (perf_hooks
 * monitorEventLoopDelay, 1 ms resolution), and the listeners now joined over all calls.
 */
export interface StallSample {
  maxPacketGapMs: number;
  gapsOver40ms: number;
  loopDelayMaxMs: number;
  loopDelayP99Ms: number;
  listeners: number;
  /**
   * Every host packet forwarded in the window: its sequence number as the host sent it and when
   * its last send to a listener was done, in ms of the machine's monotonic clock
   * (`process.hrtime`, shared by every process), so it compares with the host's send times.
   */
  forwardedAt: [seq: number, doneMs: number][];
}

/**
 * The longest stretch the server added between two consecutive forwarded packets: for each pair,
 * the gap between their forwarding minus the gap the host itself left between sending them.
 * A stall of the server's event loop shows in full; the stand-in host's own lateness (it shares
 * the machine's two cores with 200 peers) does not, since the server cannot forward a packet
 * before it was sent. Packets whose send time is unknown are skipped.
 */
export function forwardingStallMs(forwardedAt: readonly [number, number][], sentAtMs: (seq: number) => number | undefined): { stallMs: number; pairs: number } {
  let stallMs = 0;
  let pairs = 0;
  for (let i = 1; i < forwardedAt.length; i++) {
    const [seqA, doneA] = forwardedAt[i - 1]!;
    const [seqB, doneB] = forwardedAt[i]!;
    const sentA = sentAtMs(seqA);
    const sentB = sentAtMs(seqB);
    if (sentA === undefined || sentB === undefined) continue;
    pairs++;
    stallMs = Math.max(stallMs, doneB - doneA - (sentB - sentA));
  }
  return { stallMs, pairs };
}

/**
 * Reply to `cpu`: process CPU (user + system, all threads) and host packets received over all
 * calls so far. With `collectFirst` the server forces a GC before sampling: a window that starts
 * so and ends with a plain sample begins with a clean heap, so it holds only the collections its
 * own work caused.
 */
export interface CpuSample {
  cpuUs: number;
  packetsIn: number;
  at: number;
}

/**
 * Sends a request to the server process and resolves with its reply of the same type; rejects if
 * the process is gone (a send to a closed channel would otherwise be an unhandled 'error' event
 * that ends the benchmark before its cleanup runs).
 */
export function ask<T>(child: ChildProcess, request: ProbeRequest['type'] | ProbeRequest): Promise<T> {
  const msg = typeof request === 'string' ? { type: request } : request;
  return new Promise((resolve, reject) => {
    const done = () => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    const onMessage = (reply: { type: string }) => {
      if (reply.type !== msg.type) return;
      done();
      resolve(reply as T);
    };
    const onExit = (code: number | null, signal: string | null) => {
      done();
      reject(new Error(`server process exited (${signal ?? code}) before answering '${msg.type}'`));
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
    child.send(msg, (error) => {
      if (!error) return;
      done();
      reject(error);
    });
  });
}
