/**
 * The server the benchmark measures, in its own process (forked by bench/run.ts) so that its
 * CPU and memory are not mixed with the benchmark's peers. Answers IPC requests for figures.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { getHeapSpaceStatistics, writeHeapSnapshot } from 'node:v8';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startServer } from '../server/app';
import type { Forwarder } from '../server/media/forwarder';
import type { MediaWorkerPool } from '../server/media/media-worker-pool';
import type { WorkerStats } from '../server/media/media-worker-protocol';
import type { ProbeRequest } from './server-probe';

const dataDir = process.env.BENCH_DATA_DIR;
if (!dataDir || !process.send) throw new Error('Run through bench/run.ts');
const send = (msg: unknown) => process.send!(msg);

const forwarders = new Map<string, Forwarder>();
/**
 * Server-added latency samples in µs: packet handed to JS → sent to the last listener. Allocated
 * once and touched up front, so that taking samples allocates nothing. A plain array grown by
 * push was the soak's RSS growth: refilled from empty in the last 5 minutes it added ~1.4 MiB of
 * large-object heap (V8 committing more heap around it) to a node's 3 MiB; with this array the
 * JS heap after a GC is flat to 0.1 MiB. The samples travel only in the `latency` reply.
 */
const LATENCY_SAMPLES = 200_000;
const latencyUs = new Float64Array(LATENCY_SAMPLES).fill(0);
let latencySamples = 0;
/** Per call: when its last host packet reached the forwarder (ns). */
const lastPacketNs = new Map<string, bigint>();
/** Longest gap between two consecutive host packets of one call since the last stall reset. */
let maxGapNs = 0n;
let gapsOver40ms = 0;
/** In a stall window: every host packet's sequence number and when its last send was done (ms, monotonic clock). */
let forwardedAt: [seq: number, doneMs: number][] | null = null;
/** Event-loop delay (a 1 ms timer's lateness) since the last stall reset. */
const loopDelay = monitorEventLoopDelay({ resolution: 1 });
/** BENCH_PROFILE_STALLS=dir: a CPU profile of each stall window is written there. */
const profileDir = process.env.BENCH_PROFILE_STALLS;
const profiler = profileDir ? new Session() : null;
profiler?.connect();
let profiles = 0;
/**
 * While profiling: when a 1 ms timer ran (µs, the monotonic clock CPU profiles are stamped with),
 * so the longest stall's window can be found in the profile (written beside it as stall-N.window.json).
 */
const ticksUs: number[] = [];
const tickTimer = profiler ? setInterval(() => ticksUs.push(Number(process.hrtime.bigint() / 1000n)), 1) : undefined;
tickTimer?.unref();

/**
 * BENCH_MEDIA_WORKERS=N: the server's mediaWorkers. The worker processes' CPU, memory and sends
 * are asked of them with every reading and added to this process's, so the per-packet and
 * per-listener figures cover every process the listeners' media costs.
 */
const mediaWorkers = Number(process.env.BENCH_MEDIA_WORKERS ?? 1);
let mediaPool: MediaWorkerPool | null = null;
const noWorkers: WorkerStats[] = [];
const workerStats = (): Promise<WorkerStats[]> => mediaPool?.stats() ?? Promise.resolve(noWorkers);
const sum = (stats: WorkerStats[], key: keyof WorkerStats) => stats.reduce((n, s) => n + s[key], 0);

const server = await startServer({
  mediaWorkers,
  onMediaPool: (pool) => (mediaPool = pool),
  port: 0,
  host: '127.0.0.1',
  dataDir,
  logLevel: 'warn',
  // The default: all media on one UDP port (ICE UDP mux). BENCH_UDP_MUX=0 measures the
  // per-connection mode instead (a socket and port per connection).
  ...(process.env.BENCH_UDP_MUX === '0' ? { rtcPortRange: { begin: 42_000, end: 49_999 } } : { rtcUdpPort: Number(process.env.BENCH_UDP_PORT ?? 41_000) }),
  // The soak (bench/soak.ts) runs nodes of a cluster: database, Redis, node id.
  ...(process.env.BENCH_SERVER_OPTIONS ? (JSON.parse(process.env.BENCH_SERVER_OPTIONS) as Record<string, unknown>) : {}),
  onForwarder(callId, forwarder) {
    forwarders.set(callId, forwarder);
    forwarder.setLatencyProbe((entryNs, doneNs, _fanout, hostSeq) => {
      if (latencySamples < LATENCY_SAMPLES) latencyUs[latencySamples++] = Number(doneNs - entryNs) / 1000;
      if (forwardedAt && forwardedAt.length < 100_000) forwardedAt.push([hostSeq, Number(doneNs) / 1e6]);
      const last = lastPacketNs.get(callId);
      if (last !== undefined) {
        const gap = entryNs - last;
        if (gap > maxGapNs) maxGapNs = gap;
        if (gap > 40_000_000n) gapsOver40ms++;
      }
      lastPacketNs.set(callId, entryNs);
    }, 1);
  },
});

/** Packets over every call so far (ended calls' forwarders keep their final counts). */
function packetCounts(): { packetsIn: number; packetsForwarded: number } {
  let packetsIn = 0;
  let packetsForwarded = 0;
  for (const f of forwarders.values()) {
    const s = f.stats();
    packetsIn += s.packetsIn;
    packetsForwarded += s.packetsForwarded;
  }
  return { packetsIn, packetsForwarded };
}

/** Every process's CPU and memory: this one's and the media workers'. */
async function sendFigures(): Promise<void> {
  globalThis.gc?.();
  const workers = await workerStats();
  const { packetsIn, packetsForwarded } = packetCounts();
  const cpu = process.cpuUsage();
  const memory = process.memoryUsage();
  const spaces = getHeapSpaceStatistics();
  send({
    type: 'figures',
    cpuUs: cpu.user + cpu.system + sum(workers, 'cpuUs'),
    rss: memory.rss + sum(workers, 'rss'),
    heapUsed: memory.heapUsed + sum(workers, 'heapUsed'),
    memory,
    workers,
    heapSpaces: Object.fromEntries(spaces.map((s) => [s.space_name, s.space_used_size])),
    heapSpacesCommitted: Object.fromEntries(spaces.map((s) => [s.space_name, s.space_size])),
    packetsIn,
    packetsForwarded: packetsForwarded + sum(workers, 'packetsForwarded'),
    at: performance.now(),
  });
}

async function sendCpu(collectFirst: boolean): Promise<void> {
  if (collectFirst) globalThis.gc?.();
  const workers = await workerStats();
  const cpu = process.cpuUsage();
  send({ type: 'cpu', cpuUs: cpu.user + cpu.system + sum(workers, 'cpuUs'), packetsIn: packetCounts().packetsIn, at: performance.now() });
}

process.on('message', (raw) => {
  const msg = raw as ProbeRequest;
  switch (msg.type) {
    case 'figures':
      void sendFigures();
      break;
    case 'cpu':
      void sendCpu(msg.collectFirst === true);
      break;
    case 'stall-reset':
      maxGapNs = 0n;
      gapsOver40ms = 0;
      forwardedAt = [];
      loopDelay.reset();
      loopDelay.enable();
      ticksUs.length = 0;
      void (async () => {
        if (profiler) {
          await profiler.post('Profiler.enable');
          // 0.1 ms samples: a stall of tens of ms then shows what ran in it, not a few samples.
          await profiler.post('Profiler.setSamplingInterval', { interval: 100 });
          await profiler.post('Profiler.start');
        }
        send({ type: 'stall-reset' });
      })();
      break;
    case 'stall-read':
      loopDelay.disable();
      if (profiler) {
        let longest = { fromUs: 0, toUs: 0 };
        for (let i = 1; i < ticksUs.length; i++) {
          if (ticksUs[i]! - ticksUs[i - 1]! > longest.toUs - longest.fromUs) longest = { fromUs: ticksUs[i - 1]!, toUs: ticksUs[i]! };
        }
        void profiler.post('Profiler.stop').then(({ profile }) => {
          writeFileSync(`${profileDir}/stall-${++profiles}.cpuprofile`, JSON.stringify(profile));
          writeFileSync(`${profileDir}/stall-${profiles}.window.json`, JSON.stringify(longest));
        });
      }
      send({
        type: 'stall-read',
        maxPacketGapMs: Number(maxGapNs) / 1e6,
        gapsOver40ms,
        loopDelayMaxMs: loopDelay.max / 1e6,
        loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
        listeners: [...forwarders.values()].reduce((n, f) => n + f.stats().listeners, 0),
        forwardedAt: forwardedAt ?? [],
      });
      forwardedAt = null;
      break;
    case 'reset-latency':
      latencySamples = 0;
      send({ type: 'reset-latency' });
      break;
    case 'latency':
      send({ type: 'latency', latencyUs: Array.from(latencyUs.subarray(0, latencySamples)) });
      break;
    case 'heap-snapshot':
      // Diagnostic only (bench/soak.ts with SOAK_HEAP_SNAPSHOTS): blocks this process while it writes.
      writeHeapSnapshot(msg.path);
      send({ type: 'heap-snapshot' });
      break;
    case 'stop':
      void server.close().then(() => process.exit(0));
      break;
  }
});

if (mediaWorkers > 1) process.stderr.write(`bench: server with ${mediaWorkers} media processes (worker pids ${(mediaPool as MediaWorkerPool | null)?.pids().join(', ')})\n`);
send({ type: 'ready', url: server.url });
