/**
 * The Forwarder with real node-datachannel peers on loopback: a host peer that offers and sends
 * like Chrome, listener peers that answer like browsers. Waits on events and conditions, never
 * on time.
 */
import dgram from 'node:dgram';
import nodeDataChannel from 'node-datachannel';
import { afterEach, describe, expect, it } from 'vitest';
import { BullpenError, type ErrorCode } from '../../contract/result';
import { createLogger } from '../../server/logger';
import { Forwarder, type ForwarderEvents, type ForwarderOptions } from '../../server/media/forwarder';
import { readPayloadType, readSeq, readSsrc, readTimestamp, rtpPayload } from '../../server/media/rtp';
import { encodeSineOpus } from '../helpers/opus';
import {
  createHostPeer,
  createListenerPeer,
  type HostPeer,
  type HostPeerOptions,
  type ListenerPeer,
  type ListenerPeerOptions,
  withRetry,
} from '../helpers/rtc-peers';

const log = createLogger({ level: 'silent' });
const frames = encodeSineOpus({ frames: 60 });

let cleanups: (() => void)[] = [];
afterEach(() => {
  const fns = cleanups.reverse();
  cleanups = [];
  const errors: unknown[] = [];
  for (const fn of fns) {
    try {
      fn();
    } catch (err) {
      errors.push(err);
    }
  }
  if (errors.length > 0) throw errors[0];
});

/**
 * Per-connection media mode (each peer binds its own UDP port) for the tests that prove a peer is
 * closed by its port coming free; the default mode shares one port between all of them.
 */
const PER_CONNECTION = { portRange: { begin: 20_000, end: 59_999 } };

function newForwarder(network: Pick<ForwarderOptions, 'portRange'> = {}): Forwarder {
  const forwarder = Forwarder.create({ callId: 'call-1', log, ...network });
  cleanups.push(() => forwarder.close());
  return forwarder;
}

/** Resolves with the arguments of the first `event` matching `predicate`. */
function nextEvent<K extends keyof ForwarderEvents>(
  forwarder: Forwarder,
  event: K,
  predicate: (...args: ForwarderEvents[K]) => boolean = () => true,
  timeoutMs = 10_000,
): Promise<ForwarderEvents[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      forwarder.off(event, handler);
      reject(new Error(`timed out waiting for ${event}`));
    }, timeoutMs);
    const handler = (...args: ForwarderEvents[K]): void => {
      if (!predicate(...args)) return;
      clearTimeout(timer);
      forwarder.off(event, handler);
      resolve(args);
    };
    forwarder.on(event, handler);
  });
}

/** The server-side UDP port of a peer: the port in the m= line of the SDP the server made. */
function serverPort(sdp: string): number {
  const m = /^m=audio (\d+) /m.exec(sdp);
  if (!m) throw new Error('no m=audio line');
  return Number(m[1]);
}

/** Whether a UDP port is free, i.e. the peer that held it has really been closed. */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', () => {
      socket.close();
      resolve(false);
    });
    socket.bind({ port, address: '0.0.0.0', exclusive: true }, () => {
      socket.close();
      resolve(true);
    });
  });
}

/** Bounded poll: the OS gives no event when another socket releases a port. */
async function waitForPortsFreed(ports: number[]): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (const port of ports) {
    while (!(await portIsFree(port))) {
      if (Date.now() > deadline) throw new Error(`port ${port} is still bound`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

/**
 * libdatachannel discards RTP arriving on a send-only track natively, before JavaScript sees it,
 * and only reports it through its log counter ("media packets sent in invalid directions", the
 * same counter for both directions). Resolves once it has reported at least `n` such packets.
 */
function nativeDirectionDrops(n: number, timeoutMs = 10_000): { done: Promise<number>; stop: () => void } {
  let count = 0;
  let settle: (v: number) => void = () => {};
  let fail: (e: Error) => void = () => {};
  const done = new Promise<number>((resolve, reject) => {
    settle = resolve;
    fail = reject;
  });
  const timer = setTimeout(() => fail(new Error(`libdatachannel reported ${count} direction drops, not ${n}`)), timeoutMs);
  nodeDataChannel.initLogger('Warning', (_level, message) => {
    const m = /invalid directions: (\d+)/.exec(message);
    if (!m) return;
    count += Number(m[1]);
    if (count >= n) {
      clearTimeout(timer);
      settle(count);
    }
  });
  return {
    done,
    stop: () => {
      clearTimeout(timer);
      nodeDataChannel.initLogger('Fatal', () => {});
    },
  };
}

/** Publishes a new host peer into the forwarder and waits until the server side is connected. */
function publishHost(forwarder: Forwarder, opts?: HostPeerOptions): Promise<HostPeer> {
  return withRetry(async () => {
    const host = await createHostPeer(opts);
    cleanups.push(() => host.close());
    const connected = nextEvent(forwarder, 'publisher-state', (s) => s === 'connected');
    try {
      await host.setAnswer(await forwarder.publish(host.offerSdp));
    } catch (err) {
      connected.catch(() => {});
      throw err;
    }
    await connected;
    return host;
  });
}

/** Joins a listener and waits until the server forwards to it. */
function joinListener(forwarder: Forwarder, id: string, opts?: ListenerPeerOptions): Promise<ListenerPeer> {
  return withRetry(
    async () => {
      const listener = await createListenerPeer(opts);
      cleanups.push(() => listener.close());
      const settled = nextEvent(forwarder, 'listener-state', (lid) => lid === id);
      try {
        listener.setAnswer(await forwarder.addListener(id, listener.offerSdp));
        await listener.waitForOpen();
      } catch (err) {
        settled.catch(() => {});
        throw err;
      }
      const [, state] = await settled;
      if (state !== 'connected') throw new Error(`the listener connection failed (${state})`);
      return listener;
    },
    () => forwarder.removeListener(id),
  );
}

async function expectCode(promise: Promise<unknown> | (() => unknown), code: ErrorCode): Promise<void> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (err) {
    expect(err).toBeInstanceOf(BullpenError);
    expect((err as BullpenError).code).toBe(code);
    return;
  }
  throw new Error(`expected ${code}`);
}

const payloads = (packets: readonly Buffer[]) => packets.map((p) => Buffer.from(rtpPayload(p)).toString('hex'));
const seqStep = (a: Buffer, b: Buffer) => (readSeq(b) - readSeq(a) + 0x1_0000) & 0xffff;
const tsStep = (a: Buffer, b: Buffer) => (readTimestamp(b) - readTimestamp(a)) >>> 0;

describe('Forwarder', () => {
  it('forwards the host’s Opus packets byte for byte to every listener, each on its own SSRC', async () => {
    const forwarder = newForwarder();
    const host = await publishHost(forwarder);
    const listeners = [
      await joinListener(forwarder, 'l1'),
      await joinListener(forwarder, 'l2'),
      await joinListener(forwarder, 'l3'),
    ];
    const recorded: Buffer[] = [];
    forwarder.on('rtp', (packet) => recorded.push(packet));
    const fiftyRecorded = nextEvent(forwarder, 'rtp', () => recorded.length >= 50);
    const probes: { startNs: bigint; endNs: bigint; fanout: number }[] = [];
    forwarder.setLatencyProbe((startNs, endNs, fanout) => probes.push({ startNs, endNs, fanout }), 10);

    const sent = await host.sendOpus(frames.slice(0, 50));
    await Promise.all(listeners.map((l) => l.waitForPackets(50)));

    const ssrcs = new Set<number>();
    for (const l of listeners) {
      expect(payloads(l.packets)).toEqual(payloads(sent));
      const ssrc = readSsrc(l.packets[0]!);
      expect(l.packets.every((p) => readSsrc(p) === ssrc && readPayloadType(p) === 111)).toBe(true);
      expect(ssrc).not.toBe(host.ssrc);
      ssrcs.add(ssrc);
      for (let i = 1; i < l.packets.length; i++) {
        expect(seqStep(l.packets[i - 1]!, l.packets[i]!)).toBe(1);
        expect(tsStep(l.packets[i - 1]!, l.packets[i]!)).toBe(960);
      }
    }
    expect(ssrcs.size).toBe(3);

    // The recorder's view: the host's own packets, untouched.
    await fiftyRecorded;
    expect(payloads(recorded)).toEqual(payloads(sent));
    expect(recorded.every((p) => readSsrc(p) === host.ssrc)).toBe(true);

    expect(forwarder.stats()).toMatchObject({
      packetsIn: 50,
      packetsForwarded: 150,
      droppedFromListeners: 0,
      listeners: 3,
      connectedListeners: 3,
    });
    // The host hears nothing back but RTCP.
    expect(host.rtpIn).toHaveLength(0);
    // 1 in 10 packets was timed, each sent to the 3 listeners.
    expect(probes).toHaveLength(5);
    expect(probes.every((p) => p.fanout === 3 && p.endNs > p.startNs)).toBe(true);
  });

  it('answers the host with stereo Opus only', async () => {
    const forwarder = newForwarder();
    const host = await createHostPeer();
    cleanups.push(() => host.close());
    expect(host.offerSdp).not.toContain('stereo=1');
    const answer = await forwarder.publish(host.offerSdp);
    expect(answer).toMatch(/^m=audio \d+ UDP\/TLS\/RTP\/SAVPF 111\r?$/m);
    expect(answer).toContain('a=fmtp:111 minptime=10;useinbandfec=1;stereo=1;sprop-stereo=1');
    expect(answer).toMatch(/^a=recvonly\r?$/m);
  });

  it('drops everything a listener sends: it reaches no one', async () => {
    const forwarder = newForwarder();
    const host = await publishHost(forwarder);
    const quiet = [await joinListener(forwarder, 'quiet-1'), await joinListener(forwarder, 'quiet-2')];
    // A misbehaving client: its offer says recvonly (a sendrecv one is refused) but its track
    // can send and has an SSRC (the renderer sends nothing at all). It sends anyway.
    const talker = await joinListener(forwarder, 'talker', { talk: true });
    expect(talker.offerSdp).toMatch(/^a=recvonly\r?$/m);
    expect(talker.answerSdp).toMatch(/^a=sendonly\r?$/m);

    const drops = nativeDirectionDrops(20);
    cleanups.push(drops.stop);
    const voice = Buffer.from('deadbeefdeadbeef', 'hex');
    for (let i = 0; i < 20; i++) {
      const packet = Buffer.alloc(12 + voice.length);
      packet[0] = 0x80;
      packet[1] = 111;
      packet.writeUInt16BE(i, 2); // distinct: SRTP replay protection drops repeats
      packet.writeUInt32BE(i * 960, 4);
      packet.writeUInt32BE(talker.ssrc!, 8);
      voice.copy(packet, 12);
      talker.sendRtp(packet);
    }
    // They reached the server and were discarded there (natively, or by the forwarder if they
    // ever got through to JavaScript).
    const nativeDropped = await drops.done;
    expect(nativeDropped + forwarder.stats().droppedFromListeners).toBeGreaterThanOrEqual(20);

    // Forwarding goes on, and nobody ever hears the talker: not the others, not the host.
    const sent = await host.sendOpus(frames.slice(0, 25));
    await Promise.all([...quiet, talker].map((l) => l.waitForPackets(25)));
    for (const l of [...quiet, talker]) expect(payloads(l.packets)).toEqual(payloads(sent));
    expect(host.rtpIn).toHaveLength(0);
    expect(forwarder.stats().packetsIn).toBe(25);
  });

  it('keeps every listener continuous when the host reconnects with a new SSRC and bases', async () => {
    const forwarder = newForwarder();
    const first = await publishHost(forwarder);
    const listeners = [await joinListener(forwarder, 'a'), await joinListener(forwarder, 'b'), await joinListener(forwarder, 'c')];
    let lastSentA = 0;
    const sentA = await first.sendOpus(frames.slice(0, 30), { onSent: () => (lastSentA = Date.now()) });
    await Promise.all(listeners.map((l) => l.waitForPackets(30)));

    // The host comes back on a new PeerConnection: new SSRC, new random seq/timestamp bases.
    const second = await publishHost(forwarder);
    expect(second.ssrc).not.toBe(first.ssrc);
    let firstSentB = 0;
    const sentB = await second.sendOpus(frames.slice(30, 60), {
      onSent: (_p, i) => {
        if (i === 0) firstSentB = Date.now();
      },
    });
    await Promise.all(listeners.map((l) => l.waitForPackets(60)));
    // Across the switch the timestamp advances by the time the host was away (at least a frame).
    const awayMs = Math.max(20, firstSentB - lastSentA);

    for (const l of listeners) {
      expect(payloads(l.packets)).toEqual([...payloads(sentA), ...payloads(sentB)]);
      const ssrc = readSsrc(l.packets[0]!);
      expect(l.packets.every((p) => readSsrc(p) === ssrc)).toBe(true);
      for (let i = 1; i < l.packets.length; i++) {
        expect(seqStep(l.packets[i - 1]!, l.packets[i]!)).toBe(1);
        const step = tsStep(l.packets[i - 1]!, l.packets[i]!);
        if (i === 30) {
          expect(step).toBeGreaterThanOrEqual(960);
          // Arrival times differ from send times by a few ms of transport and scheduling.
          expect(Math.abs(step / 48 - awayMs)).toBeLessThan(100);
        } else {
          expect(step).toBe(960);
        }
      }
    }
    expect(forwarder.stats().packetsIn).toBe(60);
  });

  it('stops delivering to a removed listener and lets the id join again', async () => {
    const forwarder = newForwarder(PER_CONNECTION);
    const host = await publishHost(forwarder);
    const stay = await joinListener(forwarder, 'stay');
    const leave = await joinListener(forwarder, 'leave');
    const leavePort = serverPort(leave.answerSdp!);
    await host.sendOpus(frames.slice(0, 10));
    await Promise.all([stay.waitForPackets(10), leave.waitForPackets(10)]);

    forwarder.removeListener('leave');
    forwarder.removeListener('leave');
    expect(forwarder.hasListener('leave')).toBe(false);
    expect(forwarder.stats()).toMatchObject({ listeners: 1, connectedListeners: 1 });
    await host.sendOpus(frames.slice(10, 30));
    await stay.waitForPackets(30);
    expect(leave.packets).toHaveLength(10);
    // Its server-side peer is really closed: the UDP port it held is free again.
    await waitForPortsFreed([leavePort]);

    const again = await joinListener(forwarder, 'leave');
    await host.sendOpus(frames.slice(30, 35));
    await again.waitForPackets(5);
    expect(forwarder.hasListener('leave')).toBe(true);
  });

  it('shares one UDP port between the host and every listener by default (ICE UDP mux)', async () => {
    const forwarder = newForwarder();
    const host = await publishHost(forwarder);
    const listeners = [await joinListener(forwarder, 'a'), await joinListener(forwarder, 'b')];
    const ports = new Set([serverPort(host.answerSdp!), ...listeners.map((l) => serverPort(l.answerSdp!))]);
    expect(ports.size).toBe(1);
    await host.sendOpus(frames.slice(0, 5));
    await Promise.all(listeners.map((l) => l.waitForPackets(5)));
  });

  it('refuses duplicate joins and bad SDP with typed errors', async () => {
    const forwarder = newForwarder();
    const listener = await createListenerPeer();
    cleanups.push(() => listener.close());
    await forwarder.addListener('dup', listener.offerSdp);
    await expectCode(forwarder.addListener('dup', listener.offerSdp), 'ALREADY_JOINED');
    await expectCode(forwarder.addListener('sender', listener.offerSdp.replace('recvonly', 'sendonly')), 'BAD_REQUEST');
    expect(forwarder.hasListener('sender')).toBe(false);
    await expectCode(forwarder.publish('v=0\r\ns=-\r\n'), 'BAD_REQUEST');

    const host = await createHostPeer();
    cleanups.push(() => host.close());
    await expectCode(forwarder.publish(host.offerSdp.replace('a=sendonly', 'a=recvonly')), 'BAD_REQUEST');
  });

  it('lets the latest of two concurrent publishes win', async () => {
    const forwarder = newForwarder();
    const [a, b] = [await createHostPeer(), await createHostPeer()];
    cleanups.push(() => a.close(), () => b.close());
    const [first, second] = await Promise.allSettled([forwarder.publish(a.offerSdp), forwarder.publish(b.offerSdp)]);
    expect(first.status).toBe('rejected');
    expect(((first as PromiseRejectedResult).reason as BullpenError).code).toBe('CONFLICT');
    expect(second.status).toBe('fulfilled');
  });

  it('closes every peer, idempotently, and refuses work afterwards', async () => {
    const forwarder = newForwarder(PER_CONNECTION);
    const host = await publishHost(forwarder);
    const listeners = [await joinListener(forwarder, 'x'), await joinListener(forwarder, 'y')];
    const silent = await createListenerPeer();
    cleanups.push(() => silent.close());
    const pending = await forwarder.addListener('never-connected', silent.offerSdp);
    const ports = [serverPort(host.answerSdp!), ...listeners.map((l) => serverPort(l.answerSdp!)), serverPort(pending)];
    for (const port of ports) expect(await portIsFree(port)).toBe(false);

    forwarder.close();
    forwarder.close();
    expect(forwarder.hasListener('x')).toBe(false);
    expect(forwarder.stats()).toMatchObject({ listeners: 0, connectedListeners: 0 });
    // Every server-side peer is closed: the UDP ports they held are free again.
    await waitForPortsFreed(ports);
    await expectCode(forwarder.publish(host.offerSdp), 'CALL_ENDED');
    await expectCode(forwarder.addListener('z', silent.offerSdp), 'CALL_ENDED');
    expect(() => forwarder.removeListener('x')).not.toThrow();
  });
});
