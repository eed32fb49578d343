/**
 * What the server process and its media worker processes say to each other.
 *
 * Signalling goes over the IPC channel `child_process.fork` opens, one zod-validated message at a
 * time, in both directions: a worker is a trust boundary of its own kind (another process, which
 * may be out of date, wedged or dying), so a malformed message is logged and dropped on either
 * end, never acted on. Media goes over a dedicated pipe (fd 3 of the worker), as length-prefixed
 * binary frames: no JSON per packet, and the IPC channel stays free for signalling.
 */
import { z } from 'zod';
import { IceCandidate } from '../../contract/media';
import { resultSchema } from '../../contract/result';

/** The fd of the media pipe in the worker (stdio: ignore, inherit, inherit, pipe, ipc). */
export const MEDIA_PIPE_FD = 3;

const CallIndex = z.number().int().min(1).max(0xffff_ffff);
const ListenerId = z.string().min(1).max(128);
const U32 = z.number().int().min(0).max(0xffff_ffff);
const RequestId = z.number().int().min(1);

/** What every worker is started with (in its environment, as JSON). */
export const WorkerInit = z.object({
  index: z.number().int().min(1).max(63),
  logLevel: z.enum(['debug', 'info', 'warn', 'error', 'silent']),
  iceServers: z.array(z.string()).default([]),
  portRange: z.object({ begin: z.number().int(), end: z.number().int() }).optional(),
  udpMuxPort: z.number().int().min(1024).max(65535).optional(),
  candidatePolicy: z.object({ allowLoopback: z.boolean(), allowLinkLocal: z.boolean(), maxCandidates: z.number().int().min(0) }).optional(),
  announcedIp: z.string().optional(),
});
export type WorkerInit = z.infer<typeof WorkerInit>;
/** The environment variable carrying a worker's init. */
export const WORKER_INIT_ENV = 'BULLPEN_MEDIA_WORKER_INIT';

/** Server process → worker. */
export const ToWorker = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('add-listener'),
    id: RequestId,
    callIndex: CallIndex,
    callId: z.string().min(1).max(128),
    listenerId: ListenerId,
    offerSdp: z.string().min(1).max(64 * 1024),
    seed: z.object({ ssrc: U32.min(1), seqOffset: z.number().int().min(0).max(0xffff), tsOffset: U32 }),
  }),
  z.object({ type: z.literal('add-candidate'), id: RequestId, callIndex: CallIndex, listenerId: ListenerId, candidate: IceCandidate.nullable() }),
  z.object({ type: z.literal('close-call'), callIndex: CallIndex }),
  z.object({ type: z.literal('stats'), id: RequestId }),
]);
export type ToWorker = z.infer<typeof ToWorker>;

/** A worker's figures. */
export const WorkerStats = z.object({
  listeners: z.number().int().min(0),
  connectedListeners: z.number().int().min(0),
  packetsForwarded: z.number().int().min(0),
  framesIn: z.number().int().min(0),
  droppedFromListeners: z.number().int().min(0),
  cpuUs: z.number().min(0),
  rss: z.number().min(0),
  heapUsed: z.number().min(0),
});
export type WorkerStats = z.infer<typeof WorkerStats>;

/** Worker → server process. */
export const FromWorker = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  /** A request's outcome: an answer SDP (add-listener), nothing (add-candidate), or a typed error. */
  z.object({ type: z.literal('reply'), id: RequestId, result: resultSchema(z.string().max(64 * 1024).optional()) }),
  z.object({ type: z.literal('stats'), id: RequestId, stats: WorkerStats }),
  z.object({ type: z.literal('candidate'), callIndex: CallIndex, listenerId: ListenerId, candidate: IceCandidate.nullable() }),
  z.object({ type: z.literal('listener-state'), callIndex: CallIndex, listenerId: ListenerId, state: z.enum(['connected', 'failed', 'closed']) }),
]);
export type FromWorker = z.infer<typeof FromWorker>;

/**
 * A media frame: the host's packet as mapped by the call's continuity (seq, timestamp, marker in
 * the header fields below; the packet's own header bytes are rewritten by the worker anyway).
 *
 * | u32 length of the rest | u32 call index | u16 seq | u32 timestamp | u8 flags | u32 probe id | RTP packet |
 *
 * flags: 0x80 marker. probe id: 0, or a benchmark probe the worker answers on the same pipe with
 * | u32 probe id | u32 sent | f64 done ns (process.hrtime, CLOCK_MONOTONIC, shared by processes) |.
 *
 * A listener's removal travels in this stream too, as a frame with the REMOVE flag whose body is
 * the listener id (UTF-8; seq, timestamp and probe id 0). On the IPC channel it could overtake or
 * trail the media: in the pipe the worker acts on it before any packet forwarded after it, so a
 * listener whose rights ended hears nothing sent after that moment.
 */
export const FRAME_HEADER_SIZE = 19;
export const PROBE_REPLY_SIZE = 16;
export const FRAME_MARKER = 0x80;
export const FRAME_REMOVE_LISTENER = 0x01;

/** Builds one frame (one allocation per host packet, shared by every worker it goes to). */
export function encodeFrame(callIndex: number, seq: number, ts: number, marker: number, probeId: number, packet: Uint8Array): Buffer {
  const frame = Buffer.allocUnsafe(FRAME_HEADER_SIZE + packet.length);
  frame.writeUInt32BE(FRAME_HEADER_SIZE - 4 + packet.length, 0);
  frame.writeUInt32BE(callIndex, 4);
  frame.writeUInt16BE(seq, 8);
  frame.writeUInt32BE(ts, 10);
  frame[14] = marker;
  frame.writeUInt32BE(probeId, 15);
  frame.set(packet, FRAME_HEADER_SIZE);
  return frame;
}

/** A removal frame for the media pipe (see FRAME_REMOVE_LISTENER). */
export function encodeRemoveFrame(callIndex: number, listenerId: string): Buffer {
  return encodeFrame(callIndex, 0, 0, FRAME_REMOVE_LISTENER, 0, Buffer.from(ListenerId.parse(listenerId), 'utf8'));
}

/** The listener id of a removal frame's body, or null if it is not a valid one. */
export function removedListenerId(body: Uint8Array): string | null {
  const parsed = ListenerId.safeParse(Buffer.from(body).toString('utf8'));
  return parsed.success ? parsed.data : null;
}

/**
 * Splits a byte stream into length-prefixed records and hands each to `onRecord` (a view into the
 * stream's buffers, valid only during the call). Records split across chunks are joined by one
 * copy; whole records in a chunk are not copied at all.
 */
export class FrameReader {
  readonly #onRecord: (record: Buffer) => void;
  readonly #fixedSize: number;
  #pending: Buffer | null = null;

  /** `fixedSize`: records of that size without a length prefix (the probe replies); 0: length-prefixed. */
  constructor(onRecord: (record: Buffer) => void, fixedSize = 0) {
    this.#onRecord = onRecord;
    this.#fixedSize = fixedSize;
  }

  push(chunk: Buffer): void {
    const buf = this.#pending ? Buffer.concat([this.#pending, chunk]) : chunk;
    this.#pending = null;
    let at = 0;
    for (;;) {
      const prefix = this.#fixedSize > 0 ? 0 : 4;
      if (buf.length - at < prefix + this.#fixedSize) break;
      const size = this.#fixedSize > 0 ? this.#fixedSize : buf.readUInt32BE(at);
      if (buf.length - at < prefix + size) break;
      // Frames from main carry their own header after the length: the reader hands the whole frame.
      this.#onRecord(buf.subarray(at, at + prefix + size));
      at += prefix + size;
    }
    if (at < buf.length) this.#pending = Buffer.from(buf.subarray(at));
  }
}
