import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildOggPage } from '../../../../server/recording/ogg-pages';
import {
  OPUS_SILENCE_20MS_STEREO,
  opusHead,
  opusPacketSamples,
  opusTags,
  parseOpusHead,
} from '../../../../server/recording/opus-headers';
import { decodeStereo, probeDurationSec, rms } from '../../../helpers/audio-probe';
import { encodeSineOpus } from '../../../helpers/opus';
import { tempDir } from './fixtures';

describe('opusHead / opusTags', () => {
  it('lays out the identification header (RFC 7845 §5.1) and reads it back', () => {
    const head = opusHead({ channels: 2, preSkip: 312, inputSampleRate: 48_000 });
    expect(head.toString('hex')).toBe('4f707573486561640102380180bb0000000000');
    expect(parseOpusHead(head)).toEqual({ channels: 2, preSkip: 312, inputSampleRate: 48_000 });
    expect(parseOpusHead(Buffer.from('OpusTags'))).toBeNull();
  });

  it('lays out the comment header with the vendor and no comments', () => {
    expect(opusTags('ab').toString('hex')).toBe('4f7075735461677302000000616200000000');
  });
});

describe('opusPacketSamples', () => {
  it('reads frame duration and count from the TOC byte', () => {
    const toc = (config: number, stereo: boolean, code: number) => (config << 3) | (stereo ? 4 : 0) | code;
    expect(opusPacketSamples(Uint8Array.of(toc(31, true, 0)))).toBe(960); // CELT FB 20 ms
    expect(opusPacketSamples(Uint8Array.of(toc(16, false, 0)))).toBe(120); // CELT NB 2.5 ms
    expect(opusPacketSamples(Uint8Array.of(toc(3, false, 0)))).toBe(2880); // SILK NB 60 ms
    expect(opusPacketSamples(Uint8Array.of(toc(2, false, 0)))).toBe(1920); // SILK NB 40 ms
    expect(opusPacketSamples(Uint8Array.of(toc(12, false, 0)))).toBe(480); // Hybrid SWB 10 ms
    expect(opusPacketSamples(Uint8Array.of(toc(1, false, 1)))).toBe(1920); // two 20 ms frames
    expect(opusPacketSamples(Uint8Array.of(toc(1, false, 2), 3))).toBe(1920);
    expect(opusPacketSamples(Uint8Array.of(toc(18, false, 3), 5))).toBe(2400); // five 10 ms frames
    expect(opusPacketSamples(Uint8Array.of(toc(3, false, 3), 3))).toBe(0); // 180 ms: invalid
    expect(opusPacketSamples(Uint8Array.of(toc(18, false, 3)))).toBe(0); // missing count byte
    expect(opusPacketSamples(new Uint8Array(0))).toBe(0);
  });

  it('gives 960 for every packet of the test encoder', () => {
    expect(new Set(encodeSineOpus({ frames: 10 }).map(opusPacketSamples))).toEqual(new Set([960]));
  });
});

describe('OPUS_SILENCE_20MS_STEREO', () => {
  const dirs: (() => void)[] = [];
  afterEach(() => dirs.splice(0).forEach((c) => c()));

  it('decodes with ffmpeg to 20 ms of silence per frame', async () => {
    const { dir, cleanup } = tempDir();
    dirs.push(cleanup);
    expect(opusPacketSamples(OPUS_SILENCE_20MS_STEREO)).toBe(960);
    const frames = Array.from({ length: 50 }, () => OPUS_SILENCE_20MS_STEREO);
    const page = (pageSeq: number, packets: Buffer[], granule: bigint, flags: { bos?: boolean; eos?: boolean } = {}) =>
      buildOggPage({ serial: 7, pageSeq, granule, packets, ...flags });
    const path = join(dir, 'silence.ogg');
    writeFileSync(
      path,
      Buffer.concat([
        page(0, [opusHead({ channels: 2, preSkip: 0, inputSampleRate: 48_000 })], 0n, { bos: true }),
        page(1, [opusTags('test')], 0n),
        page(2, frames, BigInt(50 * 960), { eos: true }),
      ]),
    );
    expect(await probeDurationSec(path)).toBeCloseTo(1.0, 2);
    const pcm = await decodeStereo(path);
    expect(pcm.left.length).toBe(50 * 960);
    expect(rms(pcm.left, 0, 1)).toBeLessThan(1e-4);
    expect(rms(pcm.right, 0, 1)).toBeLessThan(1e-4);
  });
});
