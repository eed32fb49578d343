/**
 * Listeners spread over media worker processes (mediaWorkers > 1): real forked workers, real
 * node-datachannel peers on loopback, the real server for the wiring. Waits on events, never on time.
 */
import { execFileSync, fork } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../server/logger';
import { Forwarder, type ForwarderEvents } from '../../server/media/forwarder';
import type { MediaWorker } from '../../server/media/media-worker';
import { MediaWorkerPool } from '../../server/media/media-worker-pool';
import { encodeFrame, FRAME_REMOVE_LISTENER } from '../../server/media/media-worker-protocol';
import { readPayloadType, readSeq, readSsrc, readTimestamp, rtpPayload } from '../../server/media/rtp';
import type { MediaWorkerPoolEvents } from '../../server/media/media-worker-pool';
import { goLive, listen, runCleanups, serverWithTeam, socketFor } from '../helpers/live-call';
import { encodeSineOpus } from '../helpers/opus';
import { createHostPeer, createListenerPeer, streamUntilHeard, withRetry, type HostPeer, type ListenerPeer } from '../helpers/rtc-peers';
import { addMember } from '../helpers/test-server';

const log = createLogger({ level: 'silent' });
const frames = encodeSineOpus({ frames: 100 });

let pool: MediaWorkerPool;
const cleanups: (() => unknown)[] = [];
beforeAll(async () => {
  pool = await MediaWorkerPool.start({ processes: 3, log, init: { logLevel: 'silent', iceServers: [] } });
});
afterAll(() => pool.close());
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
  await runCleanups();
});

function newForwarder(withPool: MediaWorkerPool = pool): Forwarder {
  const forwarder = Forwarder.create({ callId: `call-${Math.random().toString(36).slice(2)}`, log, pool: withPool });
  cleanups.push(() => forwarder.close());
  return forwarder;
}

function once<T extends unknown[]>(subscribe: (fn: (...args: T) => void) => void, predicate: (...args: T) => boolean = () => true): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out waiting for an event')), 15_000);
    subscribe((...args) => {
      if (!predicate(...args)) return;
      clearTimeout(timer);
      resolve(args);
    });
  });
}

const forwarderEvent = <K extends keyof ForwarderEvents>(f: Forwarder, event: K, predicate?: (...args: ForwarderEvents[K]) => boolean) =>
  once<ForwarderEvents[K]>((fn) => f.on(event, fn), predicate);
const poolEvent = <K extends keyof MediaWorkerPoolEvents>(event: K) => once<MediaWorkerPoolEvents[K]>((fn) => pool.on(event, fn));

function publishHost(forwarder: Forwarder): Promise<HostPeer> {
  return withRetry(async () => {
    const host = await createHostPeer();
    cleanups.push(() => host.close());
    const connected = forwarderEvent(forwarder, 'publisher-state', (s) => s === 'connected');
    await host.setAnswer(await forwarder.publish(host.offerSdp));
    await connected;
    return host;
  });
}

function joinListener(forwarder: Forwarder, id: string): Promise<ListenerPeer> {
  return withRetry(
    async () => {
      const listener = await createListenerPeer();
      cleanups.push(() => listener.close());
      const settled = forwarderEvent(forwarder, 'listener-state', (lid) => lid === id);
      listener.setAnswer(await forwarder.addListener(id, listener.offerSdp));
      await listener.waitForOpen();
      const [, state] = await settled;
      if (state !== 'connected') throw new Error(`the listener connection failed (${state})`);
      return listener;
    },
    () => forwarder.removeListener(id),
  );
}

const payloads = (packets: readonly Buffer[]) => packets.map((p) => Buffer.from(rtpPayload(p)).toString('hex'));

/** Every packet one seq and one frame (960 samples) after the last, but across a republish (`gapAt`). */
function expectContinuous(packets: readonly Buffer[], gapAt = -1): void {
  for (let i = 1; i < packets.length; i++) {
    expect((readSeq(packets[i]!) - readSeq(packets[i - 1]!) + 0x1_0000) & 0xffff).toBe(1);
    const step = (readTimestamp(packets[i]!) - readTimestamp(packets[i - 1]!)) >>> 0;
    if (i === gapAt) expect(step).toBeGreaterThanOrEqual(960);
    else expect(step).toBe(960);
  }
}

/** The server process's children now (`ps`), to tell whether workers were forked. */
function childPids(): number[] {
  const out = execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  // Not the `ps` itself.
  return out.split('\n').map((line) => line.trim().split(/\s+/)).filter(([, comm]) => comm && comm !== 'ps').map(([pid]) => Number(pid));
}

describe('media worker processes', () => {
  it('spread listeners over the processes; every one hears the host byte for byte, continuous, on its own SSRC', async () => {
    const forwarder = newForwarder();
    const host = await publishHost(forwarder);
    const ids = ['a', 'b', 'c', 'd'];
    const listeners = [];
    for (const id of ids) listeners.push(await joinListener(forwarder, id));
    // Least-loaded placement: this process, worker 1, worker 2, then this process again.
    expect(ids.map((id) => forwarder.listenerProcess(id))).toEqual([0, 1, 2, 0]);

    const sent = await host.sendOpus(frames.slice(0, 50));
    await Promise.all(listeners.map((l) => l.waitForPackets(50)));
    const ssrcs = new Set<number>();
    for (const l of listeners) {
      expect(payloads(l.packets)).toEqual(payloads(sent));
      expectContinuous(l.packets);
      const ssrc = readSsrc(l.packets[0]!);
      expect(l.packets.every((p) => readSsrc(p) === ssrc && readPayloadType(p) === 111)).toBe(true);
      ssrcs.add(ssrc);
    }
    expect(ssrcs.size).toBe(4);
    // One frame per packet per worker, not one per listener; this process sent its two listeners'.
    expect(forwarder.stats()).toMatchObject({ packetsIn: 50, packetsForwarded: 100, framesToWorkers: 100, listeners: 4, connectedListeners: 4 });
    const workerStats = await pool.stats();
    expect(workerStats.reduce((n, s) => n + s.packetsForwarded, 0)).toBeGreaterThanOrEqual(100);
  });

  it('keeps listeners on workers continuous when the host republishes', async () => {
    const forwarder = newForwarder();
    const first = await publishHost(forwarder);
    const listeners = [await joinListener(forwarder, 'x'), await joinListener(forwarder, 'y'), await joinListener(forwarder, 'z')];
    expect(new Set(['x', 'y', 'z'].map((id) => forwarder.listenerProcess(id))).size).toBe(3);
    const sentA = await first.sendOpus(frames.slice(0, 20));
    await Promise.all(listeners.map((l) => l.waitForPackets(20)));
    const second = await publishHost(forwarder);
    const sentB = await second.sendOpus(frames.slice(20, 40));
    await Promise.all(listeners.map((l) => l.waitForPackets(40)));
    for (const l of listeners) {
      expect(payloads(l.packets)).toEqual([...payloads(sentA), ...payloads(sentB)]);
      expectContinuous(l.packets, 20);
    }
  });

  it('a listener on a worker that leaves hears nothing forwarded after the leave, and its worker lets its peer go', async () => {
    const forwarder = newForwarder();
    const host = await publishHost(forwarder);
    const stay = await joinListener(forwarder, 'stay');
    const leave = await joinListener(forwarder, 'leave');
    expect(forwarder.listenerProcess('leave')).toBeGreaterThan(0);
    await streamUntilHeard(host, leave, frames);
    const before = (await pool.stats()).reduce((n, s) => n + s.listeners, 0);

    forwarder.removeListener('leave');
    forwarder.removeListener('leave');
    expect(forwarder.hasListener('leave')).toBe(false);
    // At once, a tone of its own: the removal travels in the media pipe ahead of these packets, so
    // the worker must act on it before forwarding any of them (packets it sent before the leave,
    // still on their way, carry the old tone and are told apart).
    const afterLeave = encodeSineOpus({ frames: 20, leftHz: 1234, rightHz: 987 });
    const target = stay.packets.length + 20;
    await host.sendOpus(afterLeave);
    await stay.waitForPackets(target);
    const sentAfter = new Set(afterLeave.map((f) => f.toString('hex')));
    expect(stay.packets.some((p) => sentAfter.has(Buffer.from(rtpPayload(p)).toString('hex')))).toBe(true);
    expect(leave.packets.filter((p) => sentAfter.has(Buffer.from(rtpPayload(p)).toString('hex')))).toEqual([]);
    // The worker closed the peer (stats travel on the IPC channel, not in order with the pipe).
    await expect.poll(async () => (await pool.stats()).reduce((n, s) => n + s.listeners, 0)).toBe(before - 1);
  });

  it('a malformed message either way changes nothing', async () => {
    const forwarder = newForwarder();
    const host = await publishHost(forwarder);
    const listeners = [await joinListener(forwarder, 'm1'), await joinListener(forwarder, 'm2'), await joinListener(forwarder, 'm3')];
    const before = await pool.stats();
    for (const worker of pool.workers()) {
      // From the worker, as the server process receives it.
      worker.receiveForTest({ type: 'listener-state', callIndex: 'one', listenerId: 'm2', state: 'failed' });
      worker.receiveForTest({ type: 'reply', id: -1, ok: true });
      worker.receiveForTest('garbage');
      worker.receiveForTest(null);
      // To the worker, through the real channel.
      worker.sendRawForTest({ type: 'close-call', callIndex: 0 });
      worker.sendRawForTest({ type: 'remove-listener', callIndex: 1 });
      worker.sendRawForTest({ type: 'add-listener', id: 1, callIndex: 1, listenerId: 'x', offerSdp: '', seed: { ssrc: 0 } });
      worker.sendRawForTest([1, 2, 3]);
      // Removals on the media pipe naming no valid listener.
      worker.sendFrame(encodeFrame(1, 0, 0, FRAME_REMOVE_LISTENER, 0, Buffer.alloc(0)));
      worker.sendFrame(encodeFrame(1, 0, 0, FRAME_REMOVE_LISTENER, 0, Buffer.alloc(200, 0x61)));
    }
    expect(forwarder.stats()).toMatchObject({ listeners: 3, connectedListeners: 3 });
    const sent = await host.sendOpus(frames.slice(0, 20));
    await Promise.all(listeners.map((l) => l.waitForPackets(20)));
    for (const l of listeners) expect(payloads(l.packets)).toEqual(payloads(sent));
    const after = await pool.stats();
    expect(after.map((s) => s.listeners)).toEqual(before.map((s) => s.listeners));
  });

  it('kill -9 of a worker: its listeners are reported failed, the others keep hearing, a new listener joins on its replacement', async () => {
    const forwarder = newForwarder();
    const host = await publishHost(forwarder);
    const ids = ['k0', 'k1', 'k2'];
    const listeners = new Map<string, ListenerPeer>();
    for (const id of ids) listeners.set(id, await joinListener(forwarder, id));
    const doomedId = ids.find((id) => forwarder.listenerProcess(id) === 1)!;
    const doomed = pool.workers().find((w) => w.index === 1)!;
    const failed = forwarderEvent(forwarder, 'listener-state', (id, state) => id === doomedId && state === 'failed');
    const replaced = once<[MediaWorker]>((fn) => pool.on('worker-started', fn), (w) => w.index === 1);
    const died = poolEvent('worker-died');
    process.kill(doomed.pid!, 'SIGKILL');
    await died;
    await failed;
    expect(forwarder.hasListener(doomedId)).toBe(false);

    const survivors = ids.filter((id) => id !== doomedId).map((id) => listeners.get(id)!);
    const targets = survivors.map((l) => l.packets.length + 20);
    const sent = await host.sendOpus(frames.slice(0, 20));
    await Promise.all(survivors.map((l, i) => l.waitForPackets(targets[i]!)));
    for (const l of survivors) expect(payloads(l.packets.slice(-20))).toEqual(payloads(sent));

    const [fresh] = await replaced;
    expect(fresh.pid).not.toBe(doomed.pid);
    const late = await joinListener(forwarder, 'late');
    expect(forwarder.listenerProcess('late')).toBe(1);
    await streamUntilHeard(host, late, frames);
  });

  it('workers never outlive the server process, even one killed with SIGKILL', async () => {
    const parent = fork('tests/helpers/media-pool-process.ts', [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const [{ pids }] = await once<[{ pids: number[] }]>((fn) => parent.on('message', fn as never));
    expect(pids).toHaveLength(2);
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    expect(pids.every(alive)).toBe(true);
    parent.kill('SIGKILL');
    // Bounded poll: the OS gives no event when an unrelated process exits.
    const deadline = Date.now() + 15_000;
    while (pids.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(pids.filter(alive)).toEqual([]);
  });

  it('the server with --media-workers 3 forks two workers, spreads real listeners, and stops them all; with 1 it forks none', async () => {
    const childrenBefore = childPids();
    let seenPool: MediaWorkerPool | null = null;
    const { server, admin } = await serverWithTeam({ mediaWorkers: 3, onMediaPool: (p) => (seenPool = p) });
    expect(seenPool).not.toBeNull();
    const workerPids = seenPool!.pids();
    expect(workerPids).toHaveLength(2);
    expect(childPids()).toEqual(expect.arrayContaining(workerPids));
    const mentor = await addMember(server.url, admin.token, 'Max Mentor', 'mentor');
    const reps = [await addMember(server.url, admin.token, 'Rae Rep', 'rep'), await addMember(server.url, admin.token, 'Ray Rep', 'rep')];
    const { host, call } = await goLive(await socketFor(server, mentor));
    const peers = [await listen(await socketFor(server, admin), call.id)];
    for (const rep of reps) peers.push(await listen(await socketFor(server, rep), call.id));
    for (const peer of peers) await streamUntilHeard(host, peer, frames);
    // Each worker holds one of the three.
    expect((await seenPool!.stats()).map((s) => s.listeners)).toEqual([1, 1]);
    await server.stop();
    expect(childPids().filter((pid) => workerPids.includes(pid))).toEqual([]);

    let noPool = true;
    const single = await serverWithTeam({ mediaWorkers: 1, onMediaPool: () => (noPool = false) });
    expect(noPool).toBe(true);
    expect(childPids()).toEqual(childrenBefore);
    await single.server.stop();
  });
});

