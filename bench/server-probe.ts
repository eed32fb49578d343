/**
 * The IPC protocol between the benchmark (bench/run.ts) and the server it measures
 * (bench/server-under-test.ts, a forked process): requests, replies, and `ask`.
 */
import type { ChildProcess } from 'node:child_process';

export type ProbeRequest =
  | { type: 'figures' }
  | { type: 'cpu'; collectFirst: boolean }
  | { type: 'reset-latency' }
  | { type: 'stall-reset' }
  | { type: 'stall-read' }
  | { type: 'stop' };

/** Reply to `figures`: taken after a forced GC, so heap figures compare. */
export interface Figures {
  cpuUs: number;
  rss: number;
  heapUsed: number;
  packetsIn: number;
  packetsForwarded: number;
  latencyUs: number[];
  at: number;
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

/** Sends a request to the server process and resolves with its reply of the same type. */
export function ask<T>(child: ChildProcess, request: ProbeRequest['type'] | ProbeRequest): Promise<T> {
  const msg = typeof request === 'string' ? { type: request } : request;
  return new Promise((resolve) => {
    const onMessage = (reply: { type: string }) => {
      if (reply.type !== msg.type) return;
      child.off('message', onMessage);
      resolve(reply as T);
    };
    child.on('message', onMessage);
    child.send(msg);
  });
}
