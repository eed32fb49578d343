import { appendFileSync, copyFileSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readOggPages } from '../../../../server/recording/ogg-pages';
import { readRecordingIndex } from '../../../../server/recording/recorder';
import { repairRecording } from '../../../../server/recording/repair';
import { decodeStereo, probeDurationSec, toneAt } from '../../../helpers/audio-probe';
import { record, tempDirsPerTest, toneSegments } from './fixtures';

const dir = tempDirsPerTest();

/** Copies a live recording's files as a crash would leave them, then closes the live one. */
function crashCopy(d: string, tearBytes: number) {
  const live = record(d, 'live', toneSegments([{ hz: 440, sec: 2 }, { hz: 880, sec: 1.5 }]), { close: false });
  live.flush();
  const audioPath = join(d, 'crashed.ogg');
  const indexPath = join(d, 'crashed.idx');
  copyFileSync(live.audioPath, audioPath);
  copyFileSync(live.indexPath, indexPath);
  live.close();
  const size = statSync(audioPath).size;
  truncateSync(audioPath, size - tearBytes);
  return { audioPath, indexPath, size };
}

describe('repairRecording', () => {
  it('truncates a torn last page, ends the stream, drops its index line, and is idempotent', async () => {
    const d = dir();
    const { audioPath, indexPath, size } = crashCopy(d, 10);
    const before = readOggPages(readFileSync(audioPath));
    const lastGood = before.pages.at(-1)!;
    expect(lastGood.eos).toBe(false);
    expect(readRecordingIndex(indexPath)).toHaveLength(4); // pages at 0, 1, 2, 3 s; the last is torn

    const result = repairRecording({ audioPath, indexPath });
    expect(result.finalized).toBe(true);
    expect(result.truncatedBytes).toBe(size - 10 - before.validLength);
    expect(result.durationMs).toBe(3000); // the torn page held 3–3.5 s
    expect(result.bytes).toBe(statSync(audioPath).size);

    const after = readOggPages(readFileSync(audioPath));
    expect(after.validLength).toBe(result.bytes);
    expect(after.pages.at(-1)!.eos).toBe(true);
    const offsets = new Set(after.pages.map((p) => p.offset));
    const index = readRecordingIndex(indexPath);
    expect(index).toHaveLength(3);
    expect(index.every((e) => offsets.has(e.o))).toBe(true);
    expect(readFileSync(indexPath, 'utf8').split('\n').filter(Boolean)).toHaveLength(3);

    expect(Math.abs((await probeDurationSec(audioPath)) - 3)).toBeLessThan(0.05);
    const pcm = await decodeStereo(audioPath);
    expect(Math.abs(pcm.left.length / 48_000 - 3)).toBeLessThan(0.05);
    expect(toneAt(pcm.left, 48_000, 0.5, 1.5, [440, 880])).toBe(440);
    expect(toneAt(pcm.left, 48_000, 2.2, 2.9, [440, 880])).toBe(880);

    const snapshot = readFileSync(audioPath);
    const again = repairRecording({ audioPath, indexPath });
    expect(again).toEqual({ durationMs: 3000, bytes: result.bytes, truncatedBytes: 0, finalized: false });
    expect(readFileSync(audioPath).equals(snapshot)).toBe(true);
  });

  it('finalizes a file cut exactly at a page boundary and cleans a torn index line', async () => {
    const d = dir();
    const { audioPath, indexPath } = crashCopy(d, 0);
    appendFileSync(indexPath, '{"w":17000');
    const result = repairRecording({ audioPath, indexPath });
    expect(result).toMatchObject({ truncatedBytes: 0, finalized: true, durationMs: 3500 });
    expect(readRecordingIndex(indexPath)).toHaveLength(4);
    expect(readFileSync(indexPath, 'utf8').endsWith('}\n')).toBe(true);
    expect(Math.abs((await probeDurationSec(audioPath)) - 3.5)).toBeLessThan(0.05);
  });

  it('leaves a properly closed recording untouched', () => {
    const d = dir();
    const rec = record(d, 'good', toneSegments([{ hz: 440, sec: 1 }]));
    const audio = readFileSync(rec.audioPath);
    const index = readFileSync(rec.indexPath);
    expect(repairRecording({ audioPath: rec.audioPath, indexPath: rec.indexPath })).toEqual({
      durationMs: 1000,
      bytes: audio.length,
      truncatedBytes: 0,
      finalized: false,
    });
    expect(readFileSync(rec.audioPath).equals(audio)).toBe(true);
    expect(readFileSync(rec.indexPath).equals(index)).toBe(true);
  });

  it('refuses a file without intact Opus headers', () => {
    const d = dir();
    const audioPath = join(d, 'junk.ogg');
    writeFileSync(audioPath, Buffer.alloc(1000, 7));
    expect(() => repairRecording({ audioPath, indexPath: join(d, 'junk.idx') })).toThrow(/not a readable Ogg Opus/);
  });
});
