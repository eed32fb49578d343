import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readOggPages } from '../../../../server/recording/ogg-pages';
import { RECORDING_PRE_SKIP, readRecordingIndex, Recorder } from '../../../../server/recording/recorder';
import { encodeSineOpus } from '../../../helpers/opus';
import { rtp, silentLog, tempDirsPerTest, TS0 } from './fixtures';

const dir = tempDirsPerTest();

afterEach(() => {
  vi.useRealTimers();
});

describe('Recorder resuming another writer’s recording', () => {
  it('continues the same Ogg stream: page numbers and granules carry on, the outage is silence up to the next packet', () => {
    const a = dir();
    const first = Recorder.create({ dir: a, id: 'r', log: silentLog });
    encodeSineOpus({ frames: 100 }).forEach((p, i) => first.write(rtp(p, i, TS0 + i * 960), 10_000 + i * 20));
    first.flush();
    // What the first writer uploaded: its files as they are (no EOS page: it died).
    const bytes = first.bytes;
    const pages = readOggPages(readFileSync(first.audioPath)).pages;
    const last = pages.at(-1)!;
    expect(last.eos).toBe(false);
    const b = dir();
    copyFileSync(first.audioPath, join(b, 'r.ogg'));
    copyFileSync(first.indexPath, join(b, 'r.idx'));
    const index = readRecordingIndex(join(b, 'r.idx'));

    // Resumed 3 s after the first writer's audio ended (12 s); the host's packets come 1 s later.
    vi.useFakeTimers({ now: 15_000, toFake: ['Date'] });
    const resumed = Recorder.create({
      dir: b,
      id: 'r',
      log: silentLog,
      resume: { serial: last.serial, pageSeq: last.pageSeq + 1, samples: 100 * 960, bytes, index, wallEnd: 12_000 },
    });
    expect(resumed.durationMs).toBe(5_000);
    encodeSineOpus({ frames: 50 }).forEach((p, i) => resumed.write(rtp(p, i, 123_456 + i * 960), 16_000 + i * 20));
    expect(resumed.stats.silenceFramesInserted).toBe(200);
    const closed = resumed.close();
    expect(closed.durationMs).toBe(2_000 + 4_000 + 1_000);

    const all = readFileSync(resumed.audioPath);
    const { pages: whole, validLength } = readOggPages(all);
    expect(validLength).toBe(all.length);
    expect(all.subarray(0, bytes).equals(readFileSync(first.audioPath))).toBe(true);
    expect(new Set(whole.map((p) => p.serial))).toEqual(new Set([last.serial]));
    expect(whole.map((p) => p.pageSeq)).toEqual(whole.map((_, i) => i));
    expect(whole.filter((p) => p.bos)).toHaveLength(1);
    expect(whole.at(-1)!.eos).toBe(true);
    expect(whole.at(-1)!.granule).toBe(BigInt(RECORDING_PRE_SKIP + 7_000 * 48));
    // Wall-clock index: the host's next packet (16 s) is at media 6 s.
    expect(resumed.mediaMsAt(16_000)).toBe(6_000);
    expect(readRecordingIndex(resumed.indexPath).length).toBeGreaterThan(index.length);
    first.close();
  });
});
