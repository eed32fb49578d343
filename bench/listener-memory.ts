/**
 * `npm run bench:listener-memory` (not part of `npm test`): where a listener's server memory goes,
 * stage by stage, with the media stack alone (no socket.io, no call registry).
 *
 * This process plays the listeners (node-datachannel stand-ins, tests/helpers/rtc-peers.ts); a
 * forked child plays the server: one SubscriberPeer per listener on one UDP mux port, exactly as
 * the Forwarder makes them, and sends each a 50 pps Opus-sized RTP stream. After a forced GC the
 * child's memory is read at each stage, and the difference per listener is printed:
 *
 *   answered   PeerConnection, send-only track, SR reporter, ICE agent (libjuice, in the mux)
 *              and the answer: what a listener costs before any packet of it arrives
 *   connected  ICE checks done, DTLS handshake (OpenSSL SSL object and its buffers), SRTP
 *              contexts (libsrtp): the listener's track is open
 *   streaming  after LISTENER_MEMORY_STREAM_MS (10 s) of audio to every listener: send-side
 *              buffers, RTCP (receiver reports in, sender reports out)
 *
 * Measured (200 listeners, MALLOC_ARENA_MAX=2): answered +117 KB (JS heap +5.5), connected +50 KB,
 * streaming +2 KB: 169 KB, 97 % of it native. Of the answered stage, 68,248 bytes are libjuice's
 * ICE agent alone (`sizeof(juice_agent_t)` in libjuice 1.7.2, calloc'd so every page is touched:
 * fixed arrays for 30 local and 30 remote candidates of 480 B each and 92 STUN entries of 368 B),
 * which only a rebuilt libjuice with smaller limits would shrink; the connected stage is OpenSSL's
 * DTLS state and buffers and libsrtp's contexts.
 *
 * Each as RSS and JS heap (used, after GC) per listener, so native and JavaScript memory can be
 * told apart. LISTENER_MEMORY_N listeners (default 200). The server child gets the environment
 * every launcher gives a server (server/process-env.ts); run with MALLOC_ARENA_MAX=8 (glibc's
 * default on 2 cores is 16) to see what the arenas cost.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createLogger } from '../server/logger';
import { buildRtpPacket } from '../server/media/rtp';
import { SubscriberPeer } from '../server/media/subscriber-peer';
import { serverProcessEnv } from '../server/process-env';
import { createListenerPeer, type ListenerPeer } from '../tests/helpers/rtc-peers';
import { freeUdpPort } from '../tests/helpers/free-port';
import { report } from './figures';

const N = Number(process.env.LISTENER_MEMORY_N ?? 200);
const STREAM_MS = Number(process.env.LISTENER_MEMORY_STREAM_MS ?? 10_000);

type ToServer = { type: 'offers'; offers: string[] } | { type: 'measure' } | { type: 'stream'; ms: number } | { type: 'stop' };
type FromServer = { type: 'answers'; answers: string[] } | { type: 'memory'; rss: number; heapUsed: number } | { type: 'streamed' } | { type: 'ready' };

/** The child: the server's end of every listener. */
async function serverSide(): Promise<void> {
  const send = (msg: FromServer) => process.send!(msg);
  const log = createLogger({ level: 'error' });
  const udpMuxPort = await freeUdpPort();
  const peers: SubscriberPeer[] = [];
  const packet = buildRtpPacket({ payloadType: 111, seq: 0, timestamp: 0, ssrc: 1 }, Buffer.alloc(120, 7));
  process.on('message', async (msg: ToServer) => {
    switch (msg.type) {
      case 'offers': {
        const answers: string[] = [];
        for (const offerSdp of msg.offers) {
          const peer = await SubscriberPeer.create({ offerSdp, log, udpMuxPort, candidatePolicy: { allowLoopback: true, allowLinkLocal: false, maxCandidates: 16 } });
          peers.push(peer);
          answers.push(peer.answerSdp);
        }
        send({ type: 'answers', answers });
        break;
      }
      case 'measure':
        globalThis.gc!();
        send({ type: 'memory', rss: process.memoryUsage.rss(), heapUsed: process.memoryUsage().heapUsed });
        break;
      case 'stream': {
        // The forwarder's hot path without a host: one buffer, rewritten and sent to everyone.
        let seq = 0;
        const timer = setInterval(() => {
          seq = (seq + 1) & 0xffff;
          packet.writeUInt16BE(seq, 2);
          packet.writeUInt32BE((seq * 960) >>> 0, 4);
          for (const peer of peers) {
            packet.writeUInt32BE(peer.ssrc, 8);
            peer.send(packet);
          }
        }, 20);
        setTimeout(() => {
          clearInterval(timer);
          send({ type: 'streamed' });
        }, msg.ms);
        break;
      }
      case 'stop':
        for (const peer of peers) peer.close();
        process.exit(0);
    }
  });
  send({ type: 'ready' });
}

async function main(): Promise<void> {
  const child = fork(fileURLToPath(import.meta.url), [], {
    execArgv: ['--import', 'tsx', '--expose-gc'],
    env: { ...serverProcessEnv(), LISTENER_MEMORY_ROLE: 'server' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = <T extends FromServer['type']>(type: T) =>
    new Promise<Extract<FromServer, { type: T }>>((resolve, reject) => {
      const onMessage = (msg: FromServer) => {
        if (msg.type !== type) return;
        child.off('message', onMessage);
        resolve(msg as Extract<FromServer, { type: T }>);
      };
      child.on('message', onMessage);
      child.once('exit', (code) => reject(new Error(`the server side exited (${code})`)));
    });
  const ask = <T extends FromServer['type']>(msg: ToServer, reply: T) => {
    const answer = next(reply);
    child.send(msg);
    return answer;
  };
  const peers: ListenerPeer[] = [];
  try {
    await next('ready');
    const empty = await ask({ type: 'measure' }, 'memory');
    for (let i = 0; i < N; i++) peers.push(await createListenerPeer({ keepPackets: false }));
    const { answers } = await ask({ type: 'offers', offers: peers.map((p) => p.offerSdp) }, 'answers');
    const answered = await ask({ type: 'measure' }, 'memory');
    peers.forEach((peer, i) => peer.setAnswer(answers[i]!));
    await Promise.all(peers.map((peer) => peer.waitForOpen()));
    const connected = await ask({ type: 'measure' }, 'memory');
    const streamed = ask({ type: 'stream', ms: STREAM_MS }, 'streamed');
    await Promise.all(peers.map((peer) => peer.waitForPackets(1)));
    await streamed;
    const streaming = await ask({ type: 'measure' }, 'memory');

    const kb = (from: { rss: number; heapUsed: number }, to: { rss: number; heapUsed: number }) => ({
      rss: (to.rss - from.rss) / N / 1024,
      heap: (to.heapUsed - from.heapUsed) / N / 1024,
    });
    const stages = [
      ['answered', kb(empty, answered)],
      ['connected', kb(answered, connected)],
      ['streaming', kb(connected, streaming)],
    ] as const;
    const total = kb(empty, streaming);
    const detail = stages.map(([name, d]) => `${name} +${d.rss.toFixed(0)} KB RSS (JS heap +${d.heap.toFixed(1)})`).join(', ');
    report('listener_media_rss_kb', total.rss, 'KB', undefined, `${N} listeners, media stack only, MALLOC_ARENA_MAX=${serverProcessEnv().MALLOC_ARENA_MAX}: ${detail}; JS heap ${total.heap.toFixed(1)} KB of it`);
    for (const [name, d] of stages) report(`listener_media_rss_kb_${name}`, d.rss, 'KB', undefined, `JS heap ${d.heap.toFixed(1)} KB`);
    process.stderr.write(`listener memory: ${detail}\n`);
  } finally {
    for (const peer of peers) peer.close();
    child.send({ type: 'stop' });
  }
}

if (process.env.LISTENER_MEMORY_ROLE === 'server') await serverSide();
else await main();
