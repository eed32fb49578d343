/**
 * `npm run bench`: starts the real server in its own process, puts one 50 pps Opus host and
 * 200 listen-only listeners (real WebRTC peers over loopback) on one call, and prints one JSON
 * line per figure; all figures are also written to bench/results.json. After that call ends, an
 * unrecorded and a recorded call of their own give the recording figures
 * (bench/recording-figures.ts).
 *
 *   recording_cpu_us_per_packet extra server CPU per recorded host packet: a recorded call's
 *                               CPU per host packet minus an unrecorded call's (host alone, 50 pps)
 *   clip_ready_ms_p95           20 clips marked by a listener of the recorded call: post-roll end
 *                               → the clip's audio downloads whole (server-side part in the detail)
 *   forward_us_per_packet       server CPU per forwarded packet (marginal over the host alone)
 *   listener_rss_kb             server RSS growth per listener at 200 listeners
 *   added_latency_ms_p99        server-added latency at 200 listeners (packet in → last send)
 *   join_to_first_audio_ms_p95  20 joins of Debian Chromium listeners: signalling start → the
 *                               first RTP packet unmutes the received track (the node-datachannel
 *                               stand-ins' figure is in the row's detail)
 */
import { fork } from 'node:child_process';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashPassword } from '../server/auth/password';
import { openStore } from '../server/store/db';
import { SessionStore } from '../server/store/session-store';
import { TeamStore } from '../server/store/team-store';
import { encodeSineOpus } from '../tests/helpers/opus';
import { createHostPeer, createListenerPeer, withRetry, type ListenerPeer } from '../tests/helpers/rtc-peers';
import { connectSocket, request, setupTeam, unwrap, type ClientSocket } from '../tests/helpers/test-server';
import { chromiumJoinTimes } from './chromium-joins';
import { percentile, report, results } from './figures';
import { measureRecordingFigures } from './recording-figures';
import { ask, type Figures } from './server-probe';

const LISTENERS = Number(process.env.BENCH_LISTENERS ?? 200);
const JOIN_SAMPLES = 20;
const WINDOW_MS = Number(process.env.BENCH_WINDOW_MS ?? 10_000);
const here = dirname(fileURLToPath(import.meta.url));

/** Waits `ms` of wall time while the call streams: the measurement window itself. */
const measureWindow = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'bullpen-bench-'));
  const child = fork(join(here, 'server-under-test.ts'), [], {
    execArgv: ['--import', 'tsx', '--expose-gc'],
    env: { ...process.env, BENCH_DATA_DIR: dataDir },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const { url } = await new Promise<{ url: string }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as { url: string }));
    child.once('exit', (code) => reject(new Error(`server exited (${code})`)));
  });
  process.stderr.write(`bench: server at ${url}, ${LISTENERS} listeners, ${WINDOW_MS} ms windows\n`);

  const sockets: ClientSocket[] = [];
  const peers: ListenerPeer[] = [];
  let streaming = true;
  try {
    const admin = await setupTeam(url, 'Bench');
    // Listener accounts are seeded straight into the store: a real sign-in per listener would
    // only measure scrypt. One shared hash keeps seeding fast.
    const store = await openStore({ dataDir });
    const teams = new TeamStore(store);
    const sessions = new SessionStore(store);
    const passwordHash = await hashPassword('bench password 1');
    const tokens: string[] = [];
    for (let i = 0; i < LISTENERS; i++) {
      const invite = await teams.createInvite(admin.team.id, admin.user.id, 'manager', 1);
      const user = await teams.redeemInvite({ code: invite.code, name: `Listener ${i}`, email: `l${i}@bench.test`, passwordHash });
      tokens.push((await sessions.create(user.id, 'bench')).token);
    }
    await store.close();

    const hostSocket = await connectSocket(url, admin.token);
    sockets.push(hostSocket);
    const host = await createHostPeer();
    const started = unwrap(await request(hostSocket, 'call:start', { title: 'Bench call', policy: 'team', offer: host.offerSdp }));
    await host.setAnswer(started.answer);
    const frames = encodeSineOpus({ frames: 500 });
    const streamLoop = (async () => {
      while (streaming) await host.sendOpus(frames);
    })();

    // Host alone: baseline CPU of receiving 50 pps.
    await measureWindow(1000);
    const base0 = await ask<Figures>(child, 'figures');
    await measureWindow(WINDOW_MS);
    const base1 = await ask<Figures>(child, 'figures');
    const baseCpuPerMs = (base1.cpuUs - base0.cpuUs) / (base1.at - base0.at);

    // Browser joins first, at a light load (host streaming, no other listeners).
    const browserSockets = await Promise.all(tokens.slice(0, JOIN_SAMPLES).map((t) => connectSocket(url, t)));
    sockets.push(...browserSockets);
    const browserJoinMs = await chromiumJoinTimes(browserSockets, started.call.id);

    const joinMs: number[] = [];
    let joinRetries = 0;
    for (let i = 0; i < LISTENERS; i++) {
      const socket = await connectSocket(url, tokens[i]!);
      sockets.push(socket);
      const t0 = performance.now();
      let retried = false;
      const peer = await withRetry(
        async () => {
          const candidate = await createListenerPeer();
          peers.push(candidate);
          const joined = unwrap(await request(socket, 'listen:join', { callId: started.call.id, offer: candidate.offerSdp }));
          candidate.setAnswer(joined.answer);
          await candidate.waitForOpen();
          return candidate;
        },
        async () => {
          retried = true;
          await request(socket, 'listen:leave', { callId: started.call.id });
        },
      );
      await peer.waitForPackets(1);
      // Joins that hit the stand-in peer's offer-side race (see withRetry) count with their retry.
      if (retried) joinRetries++;
      if (i < JOIN_SAMPLES) joinMs.push(performance.now() - t0);
      if ((i + 1) % 50 === 0) process.stderr.write(`bench: ${i + 1} listeners receiving\n`);
    }

    await measureWindow(2000);
    await ask(child, 'reset-latency');
    const full0 = await ask<Figures>(child, 'figures');
    await measureWindow(WINDOW_MS);
    const full1 = await ask<Figures>(child, 'figures');

    const forwarded = full1.packetsForwarded - full0.packetsForwarded;
    const extraCpuUs = full1.cpuUs - full0.cpuUs - baseCpuPerMs * (full1.at - full0.at);
    report('forward_us_per_packet', extraCpuUs / forwarded, 'us', '<= 10', `${forwarded} packets forwarded in ${Math.round(full1.at - full0.at)} ms`);
    report('listener_rss_kb', (full1.rss - base1.rss) / 1024 / LISTENERS, 'KB', '<= 160', `RSS ${Math.round(base1.rss / 2 ** 20)} → ${Math.round(full1.rss / 2 ** 20)} MiB, of which JS heap ${Math.round((full1.heapUsed - base1.heapUsed) / 1024 / LISTENERS)} KB per listener`);
    report('added_latency_ms_p99', percentile(full1.latencyUs, 99) / 1000, 'ms', '<= 3', `${full1.latencyUs.length} sampled packets; p50 ${(percentile(full1.latencyUs, 50) / 1000).toFixed(2)} ms`);
    report(
      'join_to_first_audio_ms_p95',
      percentile(browserJoinMs, 95),
      'ms',
      '<= 250',
      `${browserJoinMs.length} Chromium joins, p50 ${percentile(browserJoinMs, 50).toFixed(0)} ms; node-datachannel stand-ins: p50 ${percentile(joinMs, 50).toFixed(0)} ms, p95 ${percentile(joinMs, 95).toFixed(0)} ms (their DTLS drops an early ClientHello and resends it after 1 s), ${joinRetries} of ${LISTENERS} joins retried (their offer-side race)`,
    );

    // The recording figures get calls of their own on the now warm server (a fresh server's
    // first calls cost more CPU per packet, by more than recording adds): end this one first.
    streaming = false;
    host.close();
    await streamLoop;
    unwrap(await request(hostSocket, 'call:end', { callId: started.call.id }));
    for (const peer of peers) peer.close();
    await measureRecordingFigures({ url, server: child, hostToken: admin.token, listenerToken: tokens[0]!, windowMs: WINDOW_MS });

    await mkdir(join(here), { recursive: true });
    await writeFile(join(here, 'results.json'), JSON.stringify({ at: new Date().toISOString(), listeners: LISTENERS, results }, null, 2) + '\n');
  } finally {
    streaming = false;
    for (const peer of peers) peer.close();
    for (const socket of sockets) socket.disconnect();
    child.send({ type: 'stop' });
    await new Promise((resolve) => child.once('exit', resolve));
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
