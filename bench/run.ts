/**
 * `npm run bench`: starts the real server in its own process, puts one 50 pps Opus host on a
 * call and joins listen-only stand-in listeners (real WebRTC peers over loopback) in stages of
 * 1, 50, 200 and 500 (BENCH_SCALE), each measured once settled (bench/fanout.ts); then 10 calls
 * × 20 listeners (bench/many-calls.ts). It prints one JSON line per figure; all figures are also
 * written to bench/results.json. After that, an unrecorded and a recorded call of their own give
 * the recording figures (bench/recording-figures.ts).
 *
 * The fan-out figures are the median of BENCH_WINDOWS (3) settled windows of BENCH_WINDOW_MS
 * (10 s) at BENCH_LISTENERS (200) listeners, with the min–max in the detail; the other stages
 * are one window each, in `fanout_scaling`'s detail.
 *
 * BENCH_ONLY=cut-stall (with BENCH_LISTENERS=50) measures only forwarding_stall_ms_max, in about
 * two minutes; BENCH_ONLY=fanout only the fan-out figures and the scaling table (BENCH_CHROMIUM=0
 * skips the Chromium joins, BENCH_MANY_CALLS=2x5 shrinks the last row: a quick check); BENCH_ONLY=board-burst only board_burst_stall_ms_max (no Chromium joins);
 * BENCH_PROFILE_STALLS=dir writes a CPU profile of each stall window there.
 * BENCH_SERVER_NODE_ARGS adds Node flags to the measured server (e.g. `--perf-basic-prof`, so
 * `perf record -g -p <pid>` names its JavaScript frames; the pid is in the first progress line).
 *
 *   recording_cpu_us_per_packet extra server CPU per recorded host packet: a recorded call's
 *                               CPU per host packet minus an unrecorded call's (host alone, 50 pps)
 *   clip_ready_ms_p95           20 clips marked by a listener of the recorded call: post-roll end
 *                               → the clip's audio downloads whole (server-side part in the detail)
 *   forward_us_per_packet       server CPU per forwarded packet (marginal over the host alone)
 *   listener_rss_kb             server RSS added per listener from the 50- to the 200-listener
 *                               stage (JS heap part in the detail; against the host-alone start
 *                               it is skewed by the young server's RSS still shrinking)
 *   added_latency_ms_p99        server-added latency at 200 listeners (packet in → last send)
 *   listener_packets_lost       RTP sequence numbers missing at any stand-in listener, over every
 *   listener_packets_reordered  stage; and packets that arrived after a later one
 *   fanout_scaling              the table: each stage's CPU per packet, p99/p50 latency, RSS and
 *                               JS heap per listener (1, 50, 200, 500 listeners; 10 calls × 20)
 *   join_to_first_audio_ms_p95  20 joins of Debian Chromium listeners: signalling start → the
 *                               first RTP packet unmutes the received track (the node-datachannel
 *                               stand-ins' figure is in the row's detail, also without the joins
 *                               whose own DTLS resent its first flight: told by the stand-in's own
 *                               ICE-connected → track-open time exceeding 900 ms)
 *   board_burst_stall_ms_max    the 200 listeners' sockets close at once while the call streams:
 *                               the server's longest event-loop delay until the host's list is empty
 *   forwarding_stall_ms_max     a recorded call at 50 listeners, 20 clips of 60 s cut at once: the
 *                               longest the server held up forwarding, i.e. the longest gap between
 *                               forwarded packets beyond the host's own gap between sending them
 *                               (bench/cut-stall.ts)
 *   comment_write_ms_at_10/_at_400  one comment written to a clip with ~10 and ~400 comments: writes
 *                               stay flat as a thread grows (bench/comment-writes.ts, store only)
 *   metrics_team_12w_ms         one manager's team metrics request over 50 people × 12 weeks of
 *                               activity (bench/metrics-query.ts, store and service only)
 */
import { fork, type ChildProcess } from 'node:child_process';
import { serverProcessEnv } from '../server/process-env';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashPassword } from '../server/auth/password';
import { openStore } from '../server/store/db';
import { SessionStore } from '../server/store/session-store';
import { TeamStore } from '../server/store/team-store';
import { encodeSineOpus } from '../tests/helpers/opus';
import type { ListenerPeer } from '../tests/helpers/rtc-peers';
import { connectSocket, request, setupTeam, type ClientSocket } from '../tests/helpers/test-server';
import { io as connectBare } from 'socket.io-client';
import { chromiumJoins, type ChromiumJoin } from './chromium-joins';
import { DTLS_RETRY_MS, formatSpread, joinStandIn, measureStage, stageLine, type Baseline, type MemoryBase, type StageFigures, type StandInJoin } from './fanout';
import { MANY_CALLS, measureManyCalls } from './many-calls';
import { percentile, report, results } from './figures';
import { measureRecordingFigures } from './recording-figures';
import { measureCommentWrites } from './comment-writes';
import { measureMetricsQuery } from './metrics-query';
import { measureCutStall } from './cut-stall';
import { ask, forwardingStallMs, type Figures, type StallSample } from './server-probe';
import { streamingCall } from './streaming-call';

const LISTENERS = Number(process.env.BENCH_LISTENERS ?? 200);
/** Listener counts measured on the main call, in order (the scaling table); must include LISTENERS. */
const SCALE = (process.env.BENCH_SCALE ?? `1,50,${LISTENERS},500`).split(',').map(Number).filter((n, i, all) => n > 0 && all.indexOf(n) === i).sort((a, b) => a - b);
/** Settled windows the main stage's figures are the median of. */
const WINDOWS = Number(process.env.BENCH_WINDOWS ?? 3);
const JOIN_SAMPLES = 20;
const WINDOW_MS = Number(process.env.BENCH_WINDOW_MS ?? 10_000);
const here = dirname(fileURLToPath(import.meta.url));

/** Waits `ms` of wall time while the call streams: the measurement window itself. */
const measureWindow = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'bullpen-bench-'));
  const child = fork(join(here, 'server-under-test.ts'), [], {
    // BENCH_SERVER_NODE_ARGS, e.g. `--perf-basic-prof` so `perf record -p <pid>` names JS frames.
    execArgv: ['--import', 'tsx', '--expose-gc', ...(process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [])],
    env: { ...serverProcessEnv(), BENCH_DATA_DIR: dataDir },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const { url } = await new Promise<{ url: string }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as { url: string }));
    child.once('exit', (code) => reject(new Error(`server exited (${code})`)));
  });
  process.stderr.write(`bench: server at ${url} (pid ${child.pid}), ${LISTENERS} listeners, ${WINDOW_MS} ms windows\n`);

  const sockets: ClientSocket[] = [];
  const peers: ListenerPeer[] = [];
  try {
    const admin = await setupTeam(url, 'Bench');
    // Listener accounts are seeded straight into the store: a real sign-in per listener would
    // only measure scrypt. One shared hash keeps seeding fast.
    const store = await openStore({ dataDir });
    const teams = new TeamStore(store);
    const sessions = new SessionStore(store, { lifetime: { idleMs: 86_400_000, maxMs: 86_400_000 } });
    const passwordHash = await hashPassword('bench password 1');
    const person = async (i: number) => {
      const invite = await teams.createInvite(admin.team.id, admin.user.id, 'manager', 1);
      const user = await teams.redeemInvite({ code: invite.code, name: `Person ${i}`, email: `p${i}@bench.test`, passwordHash });
      return (await sessions.create(user.id, 'bench')).token;
    };
    const tokens: string[] = [];
    const people = Math.max(...SCALE, LISTENERS, MANY_CALLS.calls * MANY_CALLS.listenersPerCall);
    for (let i = 0; i < people; i++) tokens.push(await person(i));
    const hostTokens: string[] = [];
    for (let i = 0; i < MANY_CALLS.calls; i++) hostTokens.push(await person(people + i));
    await store.close();

    if (process.env.BENCH_ONLY === 'cut-stall') {
      // A quicker run of one figure while working on it (about two minutes).
      await measureCutStall({ url, server: child, hostToken: admin.token, listenerTokens: tokens });
      printDetails();
      return;
    }
    const hostSocket = await connectSocket(url, admin.token);
    sockets.push(hostSocket);
    // The stand-in host retries libdatachannel's offer-side race like the listeners below.
    const hostCall = await streamingCall(hostSocket, encodeSineOpus({ frames: 500 }), { title: 'Bench call', recorded: false });
    const started = { call: { id: hostCall.callId } };

    // Host alone: baseline CPU of receiving 50 pps.
    await measureWindow(1000);
    const base0 = await ask<Figures>(child, 'figures');
    await measureWindow(WINDOW_MS);
    const base1 = await ask<Figures>(child, 'figures');
    const base: Baseline = { cpuUsPerMs: (base1.cpuUs - base0.cpuUs) / (base1.at - base0.at), rss: base1.rss, heapUsed: base1.heapUsed };

    // Browser joins first, at a light load (host streaming, no other listeners).
    const browserSockets = await Promise.all(tokens.slice(0, JOIN_SAMPLES).map((t) => connectSocket(url, t)));
    sockets.push(...browserSockets);
    const only = process.env.BENCH_ONLY;
    const browserJoins = only === 'board-burst' || process.env.BENCH_CHROMIUM === '0' ? [] : await chromiumJoins(browserSockets, started.call.id);
    const browserJoinMs = browserJoins.map((j) => j.ms);

    // Stand-in listeners join in stages (BENCH_SCALE); each stage is measured once settled. The
    // main stage (BENCH_LISTENERS) gives the target figures, over BENCH_WINDOWS windows.
    const joins: StandInJoin[] = [];
    const stages: StageFigures[] = [];
    let memoryBase: MemoryBase = { listeners: 0, rss: base.rss, heapUsed: base.heapUsed };
    let main: StageFigures | undefined;
    /** A stage above the main one that could not be reached (the machine saturated), for the table. */
    let unreached = '';
    for (const size of SCALE) {
      try {
        while (joins.length < size) {
          joins.push(await joinStandIn(url, tokens[joins.length]!, started.call.id));
          if (joins.length % 50 === 0) process.stderr.write(`bench: ${joins.length} listeners receiving\n`);
        }
      } catch (error) {
        // The target figures come from the main stage; a larger one that cannot be joined on this
        // machine ends the table there instead of losing every figure.
        if (size <= LISTENERS) throw error;
        unreached = `; ${size} listeners: not reached, listener ${joins.length + 1} could not join (${error instanceof Error ? error.message : String(error)}): the machine is saturated`;
        process.stderr.write(`bench: stage of ${size} listeners not reached${unreached.slice(unreached.indexOf(':'))}\n`);
        break;
      }
      if (only === 'board-burst' && size < LISTENERS) continue;
      if (only === 'board-burst') break;
      const stage = await measureStage(child, base, memoryBase, { listeners: size, calls: 1 }, size === LISTENERS ? WINDOWS : 1, WINDOW_MS);
      const settled = stage.windows.at(-1)!;
      memoryBase = { listeners: size, rss: settled.rss, heapUsed: settled.heapUsed };
      stages.push(stage);
      if (size === LISTENERS) main = stage;
      process.stderr.write(`bench: ${stageLine(stage)}\n`);
    }
    // Back to the main stage's listeners for the board burst (the rest leave first).
    for (const join of joins.splice(LISTENERS)) {
      await request(join.socket, 'listen:leave', { callId: started.call.id });
      join.peer.close();
      join.socket.disconnect();
    }
    const listenerSockets = joins.map((j) => j.socket);
    sockets.push(...listenerSockets);
    peers.push(...joins.map((j) => j.peer));

    if (only === 'board-burst') {
      await measureBoardBurst(child, hostSocket, listenerSockets, hostCall.sentAtMs);
      printDetails();
      return;
    }
    if (!main) throw new Error(`BENCH_SCALE (${SCALE.join(',')}) must include BENCH_LISTENERS (${LISTENERS})`);

    const lost = joins.reduce((n, j) => n + j.counter.lost, 0);
    const reordered = joins.reduce((n, j) => n + j.counter.reordered, 0);
    const received = joins.reduce((n, j) => n + j.counter.received, 0);
    const windowsNote = `median of ${WINDOWS} settled ${WINDOW_MS} ms windows at ${LISTENERS} listeners`;
    report('forward_us_per_packet', main.forwardUsPerPacket.median, 'us', '<= 10', `${windowsNote}, min–max ${formatSpread(main.forwardUsPerPacket)}; ${main.windows.map((w) => w.forwarded).join('/')} packets forwarded per window`);
    const before = stages[stages.indexOf(main) - 1];
    report('listener_rss_kb', main.listenerRssKb.median, 'KB', '<= 160', `${windowsNote}, min–max ${formatSpread(main.listenerRssKb, 0)}: the RSS added per listener from the ${before?.listeners ?? 0}-listener stage (${Math.round((before?.windows.at(-1)!.rss ?? base.rss) / 2 ** 20)} MiB) to ${LISTENERS} (${Math.round(main.windows.at(-1)!.rss / 2 ** 20)} MiB), of which JS heap ${formatSpread(main.listenerHeapKb, 0)} KB`);
    report('added_latency_ms_p99', main.latencyP99Ms.median, 'ms', '<= 3', `${windowsNote}, min–max ${formatSpread(main.latencyP99Ms, 2)}; p50 ${formatSpread(main.latencyP50Ms, 2)} ms`);
    report('listener_packets_lost', lost, 'packets', '0', `${received} packets received by ${joins.length} stand-in listeners from their first packet to now (every stage); ${reordered} reordered`);
    report('listener_packets_reordered', reordered, 'packets', '0', `${received} packets received by ${joins.length} stand-in listeners`);
    const standIn = joins.slice(0, JOIN_SAMPLES);
    const ownRetry = standIn.filter((j) => j.dtlsRetry);
    const clean = standIn.filter((j) => !j.dtlsRetry).map((j) => j.ms);
    report(
      'join_to_first_audio_ms_p95',
      percentile(browserJoinMs, 95),
      'ms',
      '<= 150',
      `${browserJoinMs.length} Chromium joins, p50 ${percentile(browserJoinMs, 50).toFixed(0)} ms; node-datachannel stand-ins: p50 ${percentile(standIn.map((j) => j.ms), 50).toFixed(0)} ms, p95 ${percentile(standIn.map((j) => j.ms), 95).toFixed(0)} ms over ${standIn.length}; without the ${ownRetry.length} whose own DTLS resent its first flight after its 1 s timer (ICE connected → track open over ${DTLS_RETRY_MS} ms, timed by the stand-in itself): p95 ${percentile(clean, 95).toFixed(0)} ms; ${joins.filter((j) => j.retried).length} of ${joins.length} joins retried (their offer-side race); ${joinSteps(browserJoins)}`,
    );

    if (only !== 'fanout') await measureBoardBurst(child, hostSocket, listenerSockets, hostCall.sentAtMs);

    // The recording figures get calls of their own on the now warm server (a fresh server's
    // first calls cost more CPU per packet, by more than recording adds): end this one first.
    await hostCall.end();
    for (const peer of peers) peer.close();
    // Several calls at once (10 hosts, 20 listeners each), for the scaling table.
    stages.push(await measureManyCalls({ url, server: child, hostTokens, listenerTokens: tokens, windowMs: WINDOW_MS }));
    process.stderr.write(`bench: ${stageLine(stages.at(-1)!)}\n`);
    report('fanout_scaling', stages.length, 'stages', undefined, stages.map(stageLine).join('; ') + unreached);
    if (only === 'fanout') {
      printDetails();
      return;
    }
    await measureRecordingFigures({ url, server: child, hostToken: admin.token, listenerToken: tokens[0]!, windowMs: WINDOW_MS });
    await measureCutStall({ url, server: child, hostToken: admin.token, listenerTokens: tokens });
    await measureCommentWrites();
    await measureMetricsQuery();
    if (hostCall.republished > 0) process.stderr.write(`bench: the stand-in host published again ${hostCall.republished}× (offer-side race)\n`);

    await mkdir(join(here), { recursive: true });
    await writeFile(join(here, 'results.json'), JSON.stringify({ at: new Date().toISOString(), listeners: LISTENERS, results }, null, 2) + '\n');
  } finally {
    for (const peer of peers) peer.close();
    for (const socket of sockets) socket.disconnect();
    child.send({ type: 'stop' });
    await new Promise((resolve) => child.once('exit', resolve));
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** A BENCH_ONLY run writes no results.json: its rows' details go to stderr instead. */
function printDetails(): void {
  for (const row of results) process.stderr.write(`${row.metric}: ${row.detail}\n`);
}

/**
 * `board_burst_stall_ms_max`: every listener socket of the streaming call closes at once; the
 * server ends each listen, tells the host and pushes boards. Measured in the server: its event
 * loop's longest delay from the burst until the host's list is empty, plus half a second.
 */
async function measureBoardBurst(
  server: ChildProcess,
  hostSocket: ClientSocket,
  listenerSockets: ClientSocket[],
  sentAtMs: (seq: number) => number | undefined,
): Promise<void> {
  const emptied = new Promise<void>((resolve) => {
    const onList = (e: { listeners: unknown[] }) => {
      if (e.listeners.length > 0) return;
      hostSocket.off('call:listeners', onList);
      resolve();
    };
    hostSocket.on('call:listeners', onList);
  });
  // The same measurement over a quiet second first: what the machine's own load gives.
  await ask(server, 'stall-reset');
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const idle = await ask<StallSample>(server, 'stall-read');
  await ask(server, 'stall-reset');
  const t0 = performance.now();
  for (const socket of listenerSockets) socket.disconnect();
  await emptied;
  const emptiedMs = performance.now() - t0;
  await new Promise((resolve) => setTimeout(resolve, 500));
  const stall = await ask<StallSample>(server, 'stall-read');
  const floor = await bareSocketIoBurst(listenerSockets.length);
  report(
    'board_burst_stall_ms_max',
    stall.loopDelayMaxMs,
    'ms',
    '<= 50',
    `${listenerSockets.length} listener sockets closed at once while the call streamed; host's list empty after ${emptiedMs.toFixed(0)} ms; event loop delay p99 ${stall.loopDelayP99Ms.toFixed(1)} ms; forwarding held up at most ${forwardingStallMs(stall.forwardedAt, sentAtMs).stallMs.toFixed(1)} ms (raw longest gap between forwarded packets ${stall.maxPacketGapMs.toFixed(1)} ms, host lateness included); baseline (1 s before, same call, no closes): event loop delay max ${idle.loopDelayMaxMs.toFixed(1)} ms, forwarding held up ${forwardingStallMs(idle.forwardedAt, sentAtMs).stallMs.toFixed(1)} ms, raw gap ${idle.maxPacketGapMs.toFixed(1)} ms; floor: a bare socket.io server (bench/bare-socket-io.ts) closing ${listenerSockets.length} sockets at once stalls ${floor.toFixed(1)} ms`,
  );
}

/**
 * The same burst against a bare socket.io server in its own process: `count` sockets connect,
 * then all close at once; its longest event-loop delay until all are gone, plus half a second.
 */
async function bareSocketIoBurst(count: number): Promise<number> {
  const child = fork(join(here, 'bare-socket-io.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const { url } = await new Promise<{ url: string }>((resolve, reject) => {
      child.once('message', (m) => resolve(m as { url: string }));
      child.once('exit', (code) => reject(new Error(`bare socket.io server exited (${code})`)));
    });
    const sockets = await Promise.all(
      Array.from({ length: count }, () => {
        const socket = connectBare(url, { transports: ['websocket'], reconnection: false });
        return new Promise<typeof socket>((resolve, reject) => {
          socket.once('connect', () => resolve(socket));
          socket.once('connect_error', reject);
        });
      }),
    );
    await ask(child, 'stall-reset');
    const burst = new Promise<{ loopDelayMaxMs: number }>((resolve) => {
      const onMessage = (m: { type: string; loopDelayMaxMs: number }) => {
        if (m.type === 'burst') resolve(m);
      };
      child.on('message', onMessage);
    });
    for (const socket of sockets) socket.disconnect();
    return (await burst).loopDelayMaxMs;
  } finally {
    child.send({ type: 'stop' });
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);

/**
 * The Chromium joins split into steps (page clock), p50 / p95 of each step's own duration and the
 * slowest join's, so the tail is put on the step that made it.
 */
function joinSteps(joins: ChromiumJoin[]): string {
  if (joins.length === 0) return 'no Chromium joins';
  const steps: [string, (j: ChromiumJoin) => number][] = [
    ['offer', (j) => j.offerMs],
    ['join round trip + answer applied', (j) => j.answerMs - j.offerMs],
    ['ICE', (j) => j.iceConnectedMs - j.answerMs],
    ['DTLS', (j) => j.connectedMs - j.iceConnectedMs],
    ['first packet', (j) => j.firstAudioMs - j.connectedMs],
  ];
  const slowest = joins.reduce((a, b) => (b.ms > a.ms ? b : a));
  const each = steps.map(([name, of]) => `${name} ${percentile(joins.map(of), 50).toFixed(0)}/${percentile(joins.map(of), 95).toFixed(0)}`);
  return `Chromium steps p50/p95 ms: ${each.join(', ')}; slowest join ${slowest.ms.toFixed(0)} ms = ${steps.map(([name, of]) => `${name} ${of(slowest).toFixed(0)}`).join(' + ')}`;
}
