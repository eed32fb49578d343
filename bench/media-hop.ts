/**
 * The cost of the hop to a media worker process (server/media/media-worker*.ts), alone: frames of
 * a 100-byte Opus packet sent to one worker that holds no listener of the frames' call, so only
 * the hop is measured: building and writing the frame in the server process, reading and parsing
 * it in the worker, and (every frame is probed) the time from before the write to the worker
 * having handled it. Run: `npx tsx bench/media-hop.ts` (HOP_FPS, HOP_SECONDS).
 */
import { createLogger } from '../server/logger';
import { MediaWorkerPool } from '../server/media/media-worker-pool';
import { encodeFrame } from '../server/media/media-worker-protocol';
import { percentile } from './figures';

const FPS = Number(process.env.HOP_FPS ?? 1000);
const SECONDS = Number(process.env.HOP_SECONDS ?? 10);

const pool = await MediaWorkerPool.start({ processes: 2, log: createLogger({ level: 'warn' }), init: { logLevel: 'warn', iceServers: [] } });
const worker = pool.workers()[0]!;
const packet = Buffer.alloc(112, 0x5a);
packet[0] = 0x80;
packet[1] = 111;
const hopUs: number[] = [];
let sendNs = 0n;
let frames = 0;
const before = await worker.stats();
const cpuBefore = process.cpuUsage();
await new Promise<void>((resolve) => {
  const perTick = Math.max(1, Math.round(FPS / 1000));
  const timer = setInterval(() => {
    for (let i = 0; i < perTick; i++) {
      const start = process.hrtime.bigint();
      const probeId = pool.newProbe(1, (_sent, doneNs) => hopUs.push((doneNs - Number(start)) / 1000));
      worker.sendFrame(encodeFrame(0xffff_fff0, frames & 0xffff, frames * 960, 0, probeId, packet));
      sendNs += process.hrtime.bigint() - start;
      frames++;
    }
    if (frames >= FPS * SECONDS) {
      clearInterval(timer);
      resolve();
    }
  }, 1);
});
while (hopUs.length < frames * 0.99) await new Promise((r) => setTimeout(r, 50));
const cpuMain = process.cpuUsage(cpuBefore);
const after = await worker.stats();
const workerUs = (after.cpuUs - before.cpuUs) / (after.framesIn - before.framesIn);
console.log(
  JSON.stringify({
    frames,
    main_send_us_per_frame: Number(sendNs) / 1000 / frames,
    main_cpu_us_per_frame_incl_timer: (cpuMain.user + cpuMain.system) / frames,
    worker_cpu_us_per_frame_incl_idle: workerUs,
    hop_latency_us_p50: percentile(hopUs, 50),
    hop_latency_us_p99: percentile(hopUs, 99),
  }),
);
await pool.close();
