/**
 * `npm run bench:soak` (not part of `npm test`): a cluster under a steady load for a long time.
 * Starts a PostgreSQL of its own (scripts/postgres-test-cluster.sh), a redis-server, an
 * S3-compatible store (s3rver, in this process) and two
 * Bullpen nodes (bench/server-under-test.ts, each in its own process so its CPU and memory are
 * its own), then puts SOAK_CALLS calls (default 20) × SOAK_LISTENERS listen-only listeners
 * (default 10) on them for SOAK_MINUTES (default 10). Calls alternate between the nodes; each
 * listener's socket is on the OTHER node (SOAK_CROSS=0: the same node), so every join is routed
 * to the call's owner. Prints one JSON line per figure:
 *
 *   soak_packets_lost                 RTP packets missing in the listeners' sequence numbers over
 *                                     the whole run (no faults are injected: must be 0)
 *   soak_added_latency_ms_p99_<node>  server-added latency (host packet in → sent to its last
 *                                     listener) over the last 5 minutes
 *   soak_rss_growth_pct_<node>        the node's RSS growth over the last 5 minutes (flat: ≤ 1 %)
 *   soak_cpu_us_per_packet_<node>     the node's whole CPU over the last 5 minutes divided by the
 *                                     packets it forwarded (not marginal: includes signalling,
 *                                     heartbeats and receiving the hosts)
 *
 * Every sample is taken right after a forced GC; progress lines and the RSS figure's detail split
 * the node's memory into JS heap (used), external and array buffers, so a growing RSS can be
 * told apart as JS objects or native memory. SOAK_HEAP_SNAPSHOTS=dir (diagnostic; writing one
 * blocks the node for seconds and its own allocations show in RSS): each node writes a heap
 * snapshot there at the start and the end of the tail window, to compare by constructor.
 * Measured so (2 nodes, 10 calls × 10 listeners each): after minute ~3 the JS heap, external
 * memory and native memory (RSS − heapTotal) are flat over 20 minutes; samples wander ±1 MiB
 * (V8 committing and releasing a page of heap). The nodes get the environment every launcher
 * gives a server (server/process-env.ts: MALLOC_ARENA_MAX=2 unless set); without it glibc's
 * per-thread arenas made native memory creep ~0.4 MiB/min per node.
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashPassword } from '../server/auth/password';
import { openStore } from '../server/store/db';
import { serverProcessEnv } from '../server/process-env';
import { SessionStore } from '../server/store/session-store';
import { TeamStore } from '../server/store/team-store';
import { encodeSineOpus } from '../tests/helpers/opus';
import { startTestRedis } from '../tests/helpers/redis-server';
import { startTestS3 } from '../tests/helpers/s3-server';
import { createListenerPeer, withRetry, type ListenerPeer } from '../tests/helpers/rtc-peers';
import { createTestDatabase } from '../tests/helpers/test-database';
import { connectSocket, request, setupTeam, unwrap, type ClientSocket } from '../tests/helpers/test-server';
import { percentile, report, results } from './figures';
import { ask, type Figures, type LatencySamples } from './server-probe';
import { streamingCall, type StreamingCall } from './streaming-call';
import { SequenceCounter } from './sequence-counter';
import { rssTrend } from './rss-trend';

const CALLS = Number(process.env.SOAK_CALLS ?? 20);
const LISTENERS = Number(process.env.SOAK_LISTENERS ?? 10);
const MINUTES = Number(process.env.SOAK_MINUTES ?? 10);
const CROSS = process.env.SOAK_CROSS !== '0';
const SNAPSHOT_DIR = process.env.SOAK_HEAP_SNAPSHOTS;
/** The window the steady-state figures cover: the last 5 minutes (or the last half of a short run). */
const TAIL_MS = Math.min(5 * 60_000, (MINUTES * 60_000) / 2);
const SAMPLE_MS = Math.min(30_000, TAIL_MS / 2);
const here = dirname(fileURLToPath(import.meta.url));

interface Node {
  name: string;
  url: string;
  child: ChildProcess;
}

/** Starts a PostgreSQL cluster of its own; returns its admin URL and how to stop it. */
function startPostgres(): { url: string; stop(): void } {
  const out = execFileSync('bash', [join(here, '../scripts/postgres-test-cluster.sh'), 'start'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const url = /BULLPEN_TEST_DATABASE_URL=(\S+)/.exec(out)?.[1];
  const dir = /BULLPEN_TEST_CLUSTER_DIR=(\S+)/.exec(out)?.[1];
  if (!url || !dir) throw new Error(`could not start PostgreSQL: ${out}`);
  return { url, stop: () => execFileSync('bash', [join(here, '../scripts/postgres-test-cluster.sh'), 'stop', dir], { stdio: 'inherit' }) };
}

async function startNode(name: string, dataDir: string, options: Record<string, unknown>): Promise<Node> {
  const child = fork(join(here, 'server-under-test.ts'), [], {
    execArgv: ['--import', 'tsx', '--expose-gc'],
    env: { ...serverProcessEnv(), BENCH_DATA_DIR: dataDir, BENCH_SERVER_OPTIONS: JSON.stringify(options) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const { url } = await new Promise<{ url: string }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as { url: string }));
    child.once('exit', (code) => reject(new Error(`node ${name} exited (${code})`)));
  });
  // Said at once, with the signal: a node that dies mid-run is otherwise only a closed channel.
  child.once('exit', (code, signal) => process.stderr.write(`soak: node ${name} exited (${signal ?? code})\n`));
  return { name, url, child };
}

const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);

/** One node's memory after a GC, for a progress line. */
function memoryLine(f: Figures): string {
  return `RSS ${mib(f.rss)} MiB (heap ${mib(f.memory.heapUsed)}/${mib(f.memory.heapTotal)}, old ${mib(f.heapSpaces.old_space ?? 0)}, large ${mib(f.heapSpaces.large_object_space ?? 0)}, new ${mib(f.heapSpacesCommitted.new_space ?? 0)} committed, external ${mib(f.memory.external)}, buffers ${mib(f.memory.arrayBuffers)})`;
}

/** What moved between two samples of one node, in MiB: RSS, JS heap used and total, external, array buffers, and the heap spaces (used, committed) that moved by 128 KiB or more. */
function memoryDelta(from: Figures, to: Figures): string {
  const d = (key: keyof NodeJS.MemoryUsage) => `${key} ${(to.memory[key] - from.memory[key]) / 2 ** 20 >= 0 ? '+' : ''}${mib(to.memory[key] - from.memory[key])}`;
  const spaces = Object.keys(to.heapSpaces)
    .map((name) => [name, (to.heapSpaces[name] ?? 0) - (from.heapSpaces[name] ?? 0)] as const)
    .filter(([, delta]) => Math.abs(delta) >= 2 ** 17)
    .map(([name, delta]) => `${name} ${delta >= 0 ? '+' : ''}${mib(delta)}`);
  const committed = Object.keys(to.heapSpacesCommitted)
    .map((name) => [name, (to.heapSpacesCommitted[name] ?? 0) - (from.heapSpacesCommitted[name] ?? 0)] as const)
    .filter(([, delta]) => Math.abs(delta) >= 2 ** 17)
    .map(([name, delta]) => `${name} committed ${delta >= 0 ? '+' : ''}${mib(delta)}`);
  return [d('rss'), d('heapUsed'), d('heapTotal'), d('external'), d('arrayBuffers'), ...spaces, ...committed].join(', ') + ' MiB';
}

async function main(): Promise<void> {
  const postgres = startPostgres();
  process.env.BULLPEN_TEST_DATABASE_URL = postgres.url;
  const database = await createTestDatabase('postgres');
  const redis = await startTestRedis();
  const s3 = await startTestS3();
  const dirs: string[] = [];
  const nodes: Node[] = [];
  const sockets: ClientSocket[] = [];
  const peers: ListenerPeer[] = [];
  const calls: StreamingCall[] = [];
  try {
    // One after the other: the first runs the migrations.
    for (const [i, name] of ['a', 'b'].entries()) {
      const dataDir = await mkdtemp(join(tmpdir(), `bullpen-soak-${name}-`));
      dirs.push(dataDir);
      nodes.push(
        await startNode(name, dataDir, { databaseUrl: database.url, redisUrl: redis.url, ...s3.config(), nodeId: `soak-${name}`, rtcUdpPort: 41_100 + i }),
      );
    }
    process.stderr.write(`soak: nodes at ${nodes.map((n) => n.url).join(', ')}; ${CALLS} calls × ${LISTENERS} listeners for ${MINUTES} min${CROSS ? ', listeners on the other node' : ''}\n`);

    // Accounts seeded straight into the store (a sign-in per person would only measure scrypt).
    const admin = await setupTeam(nodes[0]!.url, 'Soak');
    const store = await openStore({ dataDir: dirs[0]!, databaseUrl: database.url });
    const teams = new TeamStore(store);
    const sessions = new SessionStore(store, { lifetime: { idleMs: 86_400_000, maxMs: 86_400_000 } });
    const passwordHash = await hashPassword('soak password 1');
    const tokens: string[] = [];
    for (let i = 0; i < CALLS * (LISTENERS + 1); i++) {
      const invite = await teams.createInvite(admin.team.id, admin.user.id, 'manager', 1);
      const user = await teams.redeemInvite({ code: invite.code, name: `Person ${i}`, email: `p${i}@soak.test`, passwordHash });
      tokens.push((await sessions.create(user.id, 'soak')).token);
    }
    await store.close();

    const frames = encodeSineOpus({ frames: 500 });
    const counters: SequenceCounter[] = [];
    let joinRetries = 0;
    for (let c = 0; c < CALLS; c++) {
      const owner = nodes[c % 2]!;
      const other = CROSS ? nodes[(c + 1) % 2]! : owner;
      const hostSocket = await connectSocket(owner.url, tokens[c * (LISTENERS + 1)]!);
      sockets.push(hostSocket);
      const call = await streamingCall(hostSocket, frames, { title: `Soak call ${c + 1}`, recorded: false });
      calls.push(call);
      for (let l = 0; l < LISTENERS; l++) {
        const socket = await connectSocket(other.url, tokens[c * (LISTENERS + 1) + 1 + l]!);
        sockets.push(socket);
        const counter = new SequenceCounter();
        const peer = await withRetry(
          async () => {
            const candidate = await createListenerPeer({ keepPackets: false, onRtp: counter.onRtp });
            peers.push(candidate);
            const joined = unwrap(await request(socket, 'listen:join', { callId: call.callId, offer: candidate.offerSdp }));
            candidate.setAnswer(joined.answer);
            await candidate.waitForOpen();
            return candidate;
          },
          async () => {
            joinRetries++;
            await request(socket, 'listen:leave', { callId: call.callId });
          },
        );
        await peer.waitForPackets(1);
        counters.push(counter);
      }
      process.stderr.write(`soak: call ${c + 1}/${CALLS} on node ${owner.name} with ${LISTENERS} listeners\n`);
    }

    // The run: samples every SAMPLE_MS; the tail window starts TAIL_MS before the end.
    const runMs = MINUTES * 60_000;
    const startedAt = performance.now();
    let tail: Figures[] | undefined;
    const samples = new Map<string, Figures[]>(nodes.map((n) => [n.name, []]));
    const snapshot = async (label: string) => {
      if (!SNAPSHOT_DIR) return;
      for (const node of nodes) await ask(node.child, { type: 'heap-snapshot', path: join(SNAPSHOT_DIR, `${node.name}-${label}.heapsnapshot`) });
    };
    while (performance.now() - startedAt < runMs) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(SAMPLE_MS, runMs - (performance.now() - startedAt))));
      const elapsed = performance.now() - startedAt;
      if (!tail && elapsed >= runMs - TAIL_MS - 1) {
        for (const node of nodes) await ask(node.child, 'reset-latency');
        tail = await Promise.all(nodes.map((n) => ask<Figures>(n.child, 'figures')));
        await snapshot('tail-start');
      }
      const figures = await Promise.all(nodes.map((n) => ask<Figures>(n.child, 'figures')));
      figures.forEach((f, i) => samples.get(nodes[i]!.name)!.push(f));
      const lost = counters.reduce((n, c) => n + c.lost, 0);
      process.stderr.write(`soak: ${(elapsed / 60_000).toFixed(1)} min, ${figures.map(memoryLine).join(' / ')}, ${lost} packets lost so far\n`);
    }
    const end = await Promise.all(nodes.map((n) => ask<Figures>(n.child, 'figures')));
    const latency = await Promise.all(nodes.map((n) => ask<LatencySamples>(n.child, 'latency')));
    await snapshot('end');

    const lost = counters.reduce((n, c) => n + c.lost, 0);
    const received = counters.reduce((n, c) => n + c.received, 0);
    report('soak_packets_lost', lost, 'packets', '0', `${received} packets received by ${counters.length} listeners over ${MINUTES} min; ${joinRetries} joins retried (the stand-ins' offer-side race)`);
    nodes.forEach((node, i) => {
      const from = tail![i]!;
      const to = end[i]!;
      const { latencyUs } = latency[i]!;
      const forwarded = to.packetsForwarded - from.packetsForwarded;
      report(`soak_added_latency_ms_p99_${node.name}`, percentile(latencyUs, 99) / 1000, 'ms', '<= 3', `${latencyUs.length} packets sampled on node ${node.name}, p50 ${(percentile(latencyUs, 50) / 1000).toFixed(2)} ms`);
      const trend = rssTrend([from, ...samples.get(node.name)!.filter((s) => s.at > from.at)]);
      const endpoints = ((to.rss - from.rss) / from.rss) * 100;
      report(
        `soak_rss_growth_pct_${node.name}`,
        trend.growthPct,
        '%',
        '<= 1',
        `least-squares trend over ${trend.samples} samples in the last ${Math.round(TAIL_MS / 60_000)} min: ${trend.slopeMiBPerMin >= 0 ? '+' : ''}${trend.slopeMiBPerMin.toFixed(3)} MiB/min, residuals ±${trend.residualMiB.toFixed(2)} MiB; first to last sample ${endpoints.toFixed(2)} %, RSS ${Math.round(from.rss / 2 ** 20)} → ${Math.round(to.rss / 2 ** 20)} MiB (${memoryDelta(from, to)}); samples ${samples.get(node.name)!.map((s) => Math.round(s.rss / 2 ** 20)).join(', ')} MiB`,
      );
      report(`soak_cpu_us_per_packet_${node.name}`, (to.cpuUs - from.cpuUs) / forwarded, 'us', undefined, `${forwarded} packets forwarded by node ${node.name} in the last ${Math.round(TAIL_MS / 60_000)} min (whole process CPU)`);
    });
    // The details (samples, what moved) are for people; stdout stays one JSON line per figure.
    for (const row of results) process.stderr.write(`${row.metric}: ${row.detail}\n`);
  } finally {
    for (const peer of peers) peer.close();
    await Promise.all(calls.map((c) => c.end().catch(() => undefined)));
    for (const socket of sockets) socket.disconnect();
    for (const node of nodes) {
      if (node.child.exitCode !== null || node.child.signalCode !== null) continue;
      const exited = new Promise((resolve) => node.child.once('exit', resolve));
      node.child.send({ type: 'stop' });
      await exited;
    }
    await redis.stop();
    await s3.stop();
    await database.drop().catch(() => undefined);
    postgres.stop();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  }
}

await main();
