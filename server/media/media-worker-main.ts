/**
 * A media worker process (forked by media-worker.ts when `mediaWorkers` > 1): it holds the
 * SubscriberPeers of the listeners placed on it, one ListenerSet per call, and sends them the
 * host's packets that the server process hands it over the media pipe. Everything else about a
 * call (the host's peer, continuity, recording, who may listen) stays in the server process.
 *
 * It has its own node-datachannel (one thread per process is all node-datachannel 0.33 allows)
 * and its own UDP port. It exits when the server process's IPC channel closes, so it never
 * outlives its parent, whatever way the parent went.
 */
import { Socket } from 'node:net';
import { BullpenError } from '../../contract/result';
import { createLogger } from '../logger';
import { ListenerSet } from './listener-set';
import {
  FRAME_HEADER_SIZE,
  FRAME_MARKER,
  FRAME_REMOVE_LISTENER,
  FrameReader,
  FromWorker,
  MEDIA_PIPE_FD,
  PROBE_REPLY_SIZE,
  removedListenerId,
  ToWorker,
  WORKER_INIT_ENV,
  WorkerInit,
} from './media-worker-protocol';
import { peerTeardown } from './teardown-queue';

if (!process.send) throw new Error('media-worker-main runs only as a forked media worker');
const init = WorkerInit.parse(JSON.parse(process.env[WORKER_INIT_ENV] ?? 'null'));
const log = createLogger({ level: init.logLevel, fields: { mediaWorker: init.index } });
const network = {
  iceServers: init.iceServers,
  ...(init.portRange ? { portRange: init.portRange } : {}),
  ...(init.udpMuxPort ? { udpMuxPort: init.udpMuxPort } : {}),
  ...(init.candidatePolicy ? { candidatePolicy: init.candidatePolicy } : {}),
  ...(init.announcedIp ? { announcedIp: init.announcedIp } : {}),
};

const calls = new Map<number, ListenerSet>();
let framesIn = 0;
let packetsForwarded = 0;
let droppedFromGone = 0;
let closing = false;

function send(msg: FromWorker): void {
  if (process.connected) process.send!(msg);
}

function callSet(callIndex: number, callId: string): ListenerSet {
  let set = calls.get(callIndex);
  if (!set) {
    set = ListenerSet.create({ callId, log: log.child({ callId, component: 'media-worker' }), network });
    set.on('listener-state', (listenerId, state) => send({ type: 'listener-state', callIndex, listenerId, state }));
    calls.set(callIndex, set);
  }
  return set;
}

function replyError(id: number, err: unknown): void {
  const error = err instanceof BullpenError ? err.toAppError() : { code: 'MEDIA_FAILED' as const, message: err instanceof Error ? err.message : String(err) };
  send({ type: 'reply', id, result: { ok: false, error } });
}

async function handle(msg: ToWorker): Promise<void> {
  switch (msg.type) {
    case 'add-listener': {
      const set = callSet(msg.callIndex, msg.callId);
      try {
        const answer = await set.add(msg.listenerId, msg.offerSdp, msg.seed, (candidate) =>
          send({ type: 'candidate', callIndex: msg.callIndex, listenerId: msg.listenerId, candidate }),
        );
        send({ type: 'reply', id: msg.id, result: { ok: true, value: answer } });
      } catch (err) {
        replyError(msg.id, err);
      }
      return;
    }
    case 'add-candidate':
      try {
        const set = calls.get(msg.callIndex);
        if (!set) throw new BullpenError('MEDIA_FAILED', 'That media connection is not set up (yet): send candidates after the answer.');
        set.addCandidate(msg.listenerId, msg.candidate);
        send({ type: 'reply', id: msg.id, result: { ok: true, value: undefined } });
      } catch (err) {
        replyError(msg.id, err);
      }
      return;
    case 'close-call': {
      const set = calls.get(msg.callIndex);
      if (!set) return;
      calls.delete(msg.callIndex);
      droppedFromGone += set.droppedInbound;
      set.close();
      return;
    }
    case 'stats': {
      let listeners = 0;
      let connectedListeners = 0;
      let dropped = droppedFromGone;
      for (const set of calls.values()) {
        listeners += set.size;
        connectedListeners += set.connected;
        dropped += set.droppedInbound;
      }
      const cpu = process.cpuUsage();
      const memory = process.memoryUsage();
      send({
        type: 'stats',
        id: msg.id,
        stats: { listeners, connectedListeners, packetsForwarded, framesIn, droppedFromListeners: dropped, cpuUs: cpu.user + cpu.system, rss: memory.rss, heapUsed: memory.heapUsed },
      });
      return;
    }
  }
}

process.on('message', (raw: unknown) => {
  const parsed = ToWorker.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    log.warn('malformed message from the server process dropped', { path: issue?.path.join('.'), issue: issue?.message });
    return;
  }
  void handle(parsed.data);
});

/** A removal from the media pipe: in order with the packets, so none sent after it reaches the listener. */
function removeFromPipe(callIndex: number, body: Buffer): void {
  const listenerId = removedListenerId(body);
  if (listenerId === null) log.warn('malformed listener removal on the media pipe dropped');
  else calls.get(callIndex)?.remove(listenerId);
}

// The hot path: one frame per host packet of a call with listeners here.
const pipe = new Socket({ fd: MEDIA_PIPE_FD, readable: true, writable: true });
const probeReply = Buffer.alloc(PROBE_REPLY_SIZE);
const reader = new FrameReader((frame) => {
  const flags = frame[14]!;
  if (flags & FRAME_REMOVE_LISTENER) return removeFromPipe(frame.readUInt32BE(4), frame.subarray(FRAME_HEADER_SIZE));
  framesIn++;
  // A frame of a call closed meanwhile has no set: nothing to send (its probe is still answered).
  const set = calls.get(frame.readUInt32BE(4));
  const sent = set ? set.send(frame.subarray(FRAME_HEADER_SIZE), frame.readUInt16BE(8), frame.readUInt32BE(10), flags & FRAME_MARKER) : 0;
  packetsForwarded += sent;
  const probeId = frame.readUInt32BE(15);
  if (probeId !== 0) {
    // Benchmark only: when this frame's last send was done.
    probeReply.writeUInt32BE(probeId, 0);
    probeReply.writeUInt32BE(sent, 4);
    probeReply.writeDoubleBE(Number(process.hrtime.bigint()), 8);
    pipe.write(Buffer.from(probeReply));
  }
});
pipe.on('data', (chunk: Buffer) => reader.push(chunk));
// The server process closing its end (shutdown) resets the pipe; the IPC channel's close says the rest.
pipe.on('error', (err) => log.debug('media pipe closed', { err: err.message }));

function shutdown(why: string): void {
  if (closing) return;
  closing = true;
  log.info('media worker stopping', { why, calls: calls.size });
  for (const set of calls.values()) set.close();
  calls.clear();
  pipe.destroy();
  // Queued peer closes run first: a closed PeerConnection releases its native handles.
  const exitWhenDrained = (): void => void (peerTeardown.size === 0 ? process.exit(0) : setImmediate(exitWhenDrained));
  exitWhenDrained();
}

// The server process is gone or let us go: never outlive it.
process.on('disconnect', () => shutdown('the server process closed the channel'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
log.info('media worker ready', { pid: process.pid, udpPort: init.udpMuxPort ?? 'any free' });
send({ type: 'ready' });
