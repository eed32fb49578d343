import { describe, expect, it } from 'vitest';
import { SequenceCounter } from '../../../bench/sequence-counter';

function rtp(seq: number): Buffer {
  const packet = Buffer.alloc(12);
  packet[0] = 0x80;
  packet.writeUInt16BE(seq & 0xffff, 2);
  return packet;
}

function count(seqs: number[]): SequenceCounter {
  const counter = new SequenceCounter();
  for (const seq of seqs) counter.onRtp(rtp(seq));
  return counter;
}

describe('SequenceCounter', () => {
  it('counts an unbroken stream, across the 16-bit wrap, as whole', () => {
    expect(count([65_533, 65_534, 65_535, 0, 1, 2])).toMatchObject({ received: 6, lost: 0, reordered: 0 });
  });

  it('counts the packets missing from the sequence', () => {
    expect(count([10, 11, 14, 15, 20])).toMatchObject({ received: 5, lost: 6, reordered: 0 });
  });

  it('counts a late packet as reordered, not lost', () => {
    expect(count([10, 12, 11, 13])).toMatchObject({ received: 4, lost: 0, reordered: 1 });
  });

  it('ignores a duplicate', () => {
    expect(count([10, 11, 11, 12])).toMatchObject({ received: 4, lost: 0, reordered: 0 });
  });
});
