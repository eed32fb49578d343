/**
 * The scaling table's last row: several calls at once on one server (10 hosts at 50 pps, 20
 * stand-in listeners each), measured like a stage of the main call (bench/fanout.ts) over the
 * hosts-alone baseline.
 */
import type { ChildProcess } from 'node:child_process';
import { encodeSineOpus } from '../tests/helpers/opus';
import { connectSocket, type ClientSocket } from '../tests/helpers/test-server';
import { joinStandIn, measureStage, type StageFigures, type StandInJoin } from './fanout';
import { ask, type Figures } from './server-probe';
import { streamingCall, type StreamingCall } from './streaming-call';

/** BENCH_MANY_CALLS=CALLSxLISTENERS changes it (e.g. `2x5` for a quick run). */
const [calls = 10, listenersPerCall = 20] = (process.env.BENCH_MANY_CALLS ?? '10x20').split('x').map(Number);
export const MANY_CALLS = { calls, listenersPerCall };

export async function measureManyCalls(opts: {
  url: string;
  server: ChildProcess;
  /** One host per call. */
  hostTokens: string[];
  /** At least calls × listenersPerCall people. */
  listenerTokens: string[];
  windowMs: number;
}): Promise<StageFigures> {
  const { calls: count, listenersPerCall } = MANY_CALLS;
  const frames = encodeSineOpus({ frames: 500 });
  const hostSockets: ClientSocket[] = [];
  const calls: StreamingCall[] = [];
  const joins: StandInJoin[] = [];
  try {
    for (let c = 0; c < count; c++) {
      const socket = await connectSocket(opts.url, opts.hostTokens[c]!);
      hostSockets.push(socket);
      calls.push(await streamingCall(socket, frames, { title: `Scaling call ${c + 1}`, recorded: false }));
    }
    // The hosts alone: the baseline the listeners' cost is measured over.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const base0 = await ask<Figures>(opts.server, 'figures');
    await new Promise((resolve) => setTimeout(resolve, opts.windowMs));
    const base1 = await ask<Figures>(opts.server, 'figures');
    const base = { cpuUsPerMs: (base1.cpuUs - base0.cpuUs) / (base1.at - base0.at), rss: base1.rss, heapUsed: base1.heapUsed };
    for (let c = 0; c < count; c++) {
      for (let l = 0; l < listenersPerCall; l++) {
        joins.push(await joinStandIn(opts.url, opts.listenerTokens[c * listenersPerCall + l]!, calls[c]!.callId));
      }
    }
    return await measureStage(opts.server, base, { listeners: 0, rss: base.rss, heapUsed: base.heapUsed }, { listeners: count * listenersPerCall, calls: count }, 1, opts.windowMs);
  } finally {
    for (const join of joins) {
      join.peer.close();
      join.socket.disconnect();
    }
    for (const call of calls) await call.end();
    for (const socket of hostSockets) socket.disconnect();
  }
}
