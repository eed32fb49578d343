import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildOggPage, lacingSegments, oggCrc32, readOggPages } from '../../../../server/recording/ogg-pages';
import { opusHead, opusTags } from '../../../../server/recording/opus-headers';
import { encodeSineOpus } from '../../../helpers/opus';
import { probeDurationSec } from '../../../helpers/audio-probe';
import { tempDir } from './fixtures';

const page = (pageSeq: number, packets: Buffer[], extra: { bos?: boolean; eos?: boolean; granule?: bigint } = {}) =>
  buildOggPage({ serial: 0xdead_beef, pageSeq, granule: extra.granule ?? 0n, packets, bos: extra.bos, eos: extra.eos });

describe('oggCrc32', () => {
  it('is the non-reflected CRC-32 with init 0 and no final xor', () => {
    // CRC-32/CKSUM ("123456789" → 0x765e7680) is the same CRC with a final xor of 0xffffffff.
    expect(oggCrc32(Buffer.from('123456789'))).toBe((0x765e_7680 ^ 0xffff_ffff) >>> 0);
    expect(oggCrc32(new Uint8Array(0))).toBe(0);
  });
});

describe('lacingSegments', () => {
  it('needs one value per 255 bytes plus a terminating one', () => {
    expect([0, 1, 254, 255, 256, 509, 510].map(lacingSegments)).toEqual([1, 1, 1, 2, 2, 2, 3]);
  });
});

describe('buildOggPage / readOggPages', () => {
  const dirs: (() => void)[] = [];
  afterEach(() => dirs.splice(0).forEach((c) => c()));

  it('round-trips pages with packets of every lacing shape', () => {
    const packets = [0, 1, 254, 255, 256, 510, 1000].map((n) => Buffer.alloc(n, n & 0xff));
    const buf = Buffer.concat([page(0, [Buffer.from('head')], { bos: true }), page(1, packets, { granule: 12345n, eos: true })]);
    const { pages, validLength } = readOggPages(buf);
    expect(validLength).toBe(buf.length);
    expect(pages).toHaveLength(2);
    expect(pages[0]).toMatchObject({ offset: 0, bos: true, eos: false, pageSeq: 0, serial: 0xdead_beef, granule: 0n });
    expect(pages[1]).toMatchObject({ offset: pages[0]!.length, bos: false, eos: true, pageSeq: 1, granule: 12345n });
    expect(pages[1]!.packets.map((p) => p.length)).toEqual([0, 1, 254, 255, 256, 510, 1000]);
    expect(pages[1]!.packets[5]!.equals(packets[5]!)).toBe(true);
  });

  it('refuses more than 255 lacing segments', () => {
    expect(() => page(0, [Buffer.alloc(255 * 255)])).toThrow(/lacing/);
  });

  it('stops at a flipped CRC byte and at a truncated page, keeping the valid prefix', () => {
    const a = page(0, [Buffer.from('one')], { bos: true });
    const b = page(1, [Buffer.from('two')]);
    const c = page(2, [Buffer.from('three')], { eos: true });
    const good = Buffer.concat([a, b, c]);

    const flipped = Buffer.from(good);
    flipped[a.length + 22]! ^= 0x01; // a CRC byte of page b
    expect(readOggPages(flipped)).toMatchObject({ validLength: a.length });
    expect(readOggPages(flipped).pages).toHaveLength(1);

    const flippedData = Buffer.from(good);
    flippedData[a.length + b.length - 1]! ^= 0x80; // a data byte of page b
    expect(readOggPages(flippedData).validLength).toBe(a.length);

    const torn = good.subarray(0, good.length - 2);
    expect(readOggPages(torn).validLength).toBe(a.length + b.length);
    expect(readOggPages(good, a.length).pages.map((p) => p.pageSeq)).toEqual([1, 2]);
  });

  it('produces a file ffprobe reads as Ogg Opus with the granule duration', async () => {
    const { dir, cleanup } = tempDir();
    dirs.push(cleanup);
    const packets = encodeSineOpus({ frames: 50 });
    const file = Buffer.concat([
      page(0, [opusHead({ channels: 2, preSkip: 312, inputSampleRate: 48_000 })], { bos: true }),
      page(1, [opusTags('test')]),
      page(2, packets.slice(0, 25), { granule: BigInt(312 + 25 * 960) }),
      page(3, packets.slice(25), { granule: BigInt(312 + 50 * 960), eos: true }),
    ]);
    const path = join(dir, 'hand.ogg');
    writeFileSync(path, file);
    expect(await probeDurationSec(path)).toBeCloseTo(1.0, 2);
  });
});
