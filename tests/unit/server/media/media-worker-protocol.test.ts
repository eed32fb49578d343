import { describe, expect, it } from 'vitest';
import {
  FRAME_HEADER_SIZE,
  FRAME_REMOVE_LISTENER,
  FrameReader,
  FromWorker,
  PROBE_REPLY_SIZE,
  ToWorker,
  WorkerInit,
  encodeFrame,
  encodeRemoveFrame,
  removedListenerId,
} from '../../../../server/media/media-worker-protocol';

const packet = Buffer.from('80ef1234000003c0cafebabe' + 'ab'.repeat(40), 'hex');

describe('media frames', () => {
  it('carry the call index, mapped seq, timestamp, marker and probe id ahead of the packet', () => {
    const frame = encodeFrame(7, 0xfffe, 0xffff_ff00, 0x80, 42, packet);
    expect(frame.length).toBe(FRAME_HEADER_SIZE + packet.length);
    expect(frame.readUInt32BE(0)).toBe(frame.length - 4);
    expect([frame.readUInt32BE(4), frame.readUInt16BE(8), frame.readUInt32BE(10), frame[14], frame.readUInt32BE(15)]).toEqual([7, 0xfffe, 0xffff_ff00, 0x80, 42]);
    expect(frame.subarray(FRAME_HEADER_SIZE).equals(packet)).toBe(true);
  });

  it('are read back whole however the stream is cut', () => {
    const frames = [1, 2, 3].map((i) => encodeFrame(i, i, i * 960, 0, 0, packet.subarray(0, 20 + i)));
    const stream = Buffer.concat(frames);
    for (const cut of [1, 3, 4, 5, 19, 23, stream.length - 1]) {
      const seen: Buffer[] = [];
      const reader = new FrameReader((frame) => seen.push(Buffer.from(frame)));
      reader.push(stream.subarray(0, cut));
      reader.push(stream.subarray(cut));
      expect(seen).toEqual(frames);
    }
    // One byte at a time.
    const seen: Buffer[] = [];
    const reader = new FrameReader((frame) => seen.push(Buffer.from(frame)));
    for (const byte of stream) reader.push(Buffer.from([byte]));
    expect(seen).toEqual(frames);
  });

  it('a listener removal is a flagged frame in the same stream, its body the listener id', () => {
    const frame = encodeRemoveFrame(9, 'listener-äö');
    expect(frame.readUInt32BE(4)).toBe(9);
    expect(frame[14]! & FRAME_REMOVE_LISTENER).toBe(FRAME_REMOVE_LISTENER);
    expect(removedListenerId(frame.subarray(FRAME_HEADER_SIZE))).toBe('listener-äö');
    // Read back in order with the media frames around it.
    const stream = Buffer.concat([encodeFrame(9, 1, 960, 0, 0, packet), frame, encodeFrame(9, 2, 1920, 0, 0, packet)]);
    const kinds: number[] = [];
    new FrameReader((f) => kinds.push(f[14]!)).push(stream);
    expect(kinds).toEqual([0, FRAME_REMOVE_LISTENER, 0]);
  });

  it('a removal naming no valid listener is refused at either end', () => {
    expect(() => encodeRemoveFrame(1, '')).toThrow();
    expect(() => encodeRemoveFrame(1, 'x'.repeat(129))).toThrow();
    expect(removedListenerId(Buffer.alloc(0))).toBeNull();
    expect(removedListenerId(Buffer.from('x'.repeat(129)))).toBeNull();
  });

  it('probe replies are fixed-size records', () => {
    const seen: number[] = [];
    const reader = new FrameReader((r) => seen.push(r.readUInt32BE(0)), PROBE_REPLY_SIZE);
    const replies = Buffer.alloc(PROBE_REPLY_SIZE * 3);
    for (let i = 0; i < 3; i++) replies.writeUInt32BE(i + 1, i * PROBE_REPLY_SIZE);
    reader.push(replies.subarray(0, 20));
    reader.push(replies.subarray(20));
    expect(seen).toEqual([1, 2, 3]);
  });
});

describe('media worker messages', () => {
  const offerSdp = 'v=0\r\n';
  it('accept what each side sends', () => {
    expect(ToWorker.safeParse({ type: 'add-listener', id: 1, callIndex: 1, callId: 'c', listenerId: 'l', offerSdp, seed: { ssrc: 5, seqOffset: 0, tsOffset: 0 } }).success).toBe(true);
    expect(ToWorker.safeParse({ type: 'add-candidate', id: 2, callIndex: 1, listenerId: 'l', candidate: null }).success).toBe(true);
    expect(ToWorker.safeParse({ type: 'close-call', callIndex: 3 }).success).toBe(true);
    expect(FromWorker.safeParse({ type: 'reply', id: 1, result: { ok: true, value: 'v=0' } }).success).toBe(true);
    expect(FromWorker.safeParse({ type: 'reply', id: 1, result: { ok: false, error: { code: 'BAD_REQUEST', message: 'no' } } }).success).toBe(true);
    expect(FromWorker.safeParse({ type: 'listener-state', callIndex: 1, listenerId: 'l', state: 'failed' }).success).toBe(true);
    expect(WorkerInit.safeParse({ index: 1, logLevel: 'warn', udpMuxPort: 41_001 }).success).toBe(true);
  });

  it('refuse malformed ones', () => {
    const bad: unknown[] = [
      null,
      'add-listener',
      { type: 'add-listener', id: 1, callIndex: 1, callId: 'c', listenerId: 'l', offerSdp, seed: { ssrc: 0, seqOffset: 0, tsOffset: 0 } },
      { type: 'add-listener', id: 1, callIndex: 0, callId: 'c', listenerId: 'l', offerSdp, seed: { ssrc: 5, seqOffset: 0, tsOffset: 0 } },
      { type: 'add-listener', id: 1, callIndex: 1, callId: 'c', listenerId: '', offerSdp, seed: { ssrc: 5, seqOffset: 0x1_0000, tsOffset: 0 } },
      { type: 'add-candidate', id: 2, callIndex: 1, listenerId: 'l', candidate: { candidate: 'a=candidate:1', sdpMid: null } },
      { type: 'remove-listener', callIndex: 'one', listenerId: 'l' },
      { type: 'reboot' },
    ];
    for (const msg of bad) expect(ToWorker.safeParse(msg).success).toBe(false);
    expect(FromWorker.safeParse({ type: 'reply', id: 1, ok: true }).success).toBe(false);
    expect(FromWorker.safeParse({ type: 'reply', id: 1, result: { ok: false, error: { code: 'OOPS', message: '' } } }).success).toBe(false);
    expect(FromWorker.safeParse({ type: 'listener-state', callIndex: 1, listenerId: 'l', state: 'gone' }).success).toBe(false);
    expect(WorkerInit.safeParse({ index: 0, logLevel: 'warn' }).success).toBe(false);
  });
});
