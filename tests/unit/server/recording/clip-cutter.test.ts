import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cutClip } from '../../../../server/recording/clip-cutter';
import { readOggPages } from '../../../../server/recording/ogg-pages';
import { parseOpusHead } from '../../../../server/recording/opus-headers';
import { readRecordingIndex, type Recorder } from '../../../../server/recording/recorder';
import { decodeStereo, probeDurationSec, toneAt } from '../../../helpers/audio-probe';
import { record, tempDir, toneSegments } from './fixtures';

const TONES = [440, 880, 660];
let dir: string;
let cleanup: () => void;
let rec: Recorder;

beforeAll(() => {
  ({ dir, cleanup } = tempDir());
  // 0–2 s 440 Hz, 2–4 s 880 Hz, 4–6 s 660 Hz.
  rec = record(dir, 'tones', toneSegments(TONES.map((hz) => ({ hz, sec: 2 }))));
});
afterAll(() => cleanup());

let n = 0;
async function cut(startMs: number, endMs: number, from: Recorder = rec) {
  const outPath = join(dir, `clip-${n++}.ogg`);
  return { outPath, ...(await cutClip({ audioPath: from.audioPath, indexPath: from.indexPath, startMs, endMs, outPath })) };
}

/** Decoded length in seconds and the tone at the clip's first and last 0.3 s. */
async function inspect(path: string) {
  const pcm = await decodeStereo(path);
  const sec = pcm.left.length / 48_000;
  return {
    sec,
    probed: await probeDurationSec(path),
    first: toneAt(pcm.left, 48_000, 0.05, 0.35, TONES),
    last: toneAt(pcm.left, 48_000, sec - 0.35, sec - 0.05, TONES),
  };
}

describe('cutClip', () => {
  it('cuts a range spanning a tone change, with the exact duration and both tones', async () => {
    const clip = await cut(1000, 3000);
    expect(clip).toMatchObject({ startMs: 1000, durationMs: 2000 });
    expect(clip.bytes).toBe(readFileSync(clip.outPath).length);
    expect(existsSync(`${clip.outPath}.tmp`)).toBe(false);
    const got = await inspect(clip.outPath);
    expect(Math.abs(got.sec - 2)).toBeLessThan(0.1);
    expect(got.sec * 48_000).toBe(2000 * 48); // exact to the sample: pre-skip and end trim
    expect(Math.abs(got.probed - 2)).toBeLessThan(0.1);
    expect(got).toMatchObject({ first: 440, last: 880 });
  });

  it('takes 80 ms of pre-roll and discards it with the pre-skip, also off packet boundaries', async () => {
    const clip = await cut(3510, 5230);
    const { pages } = readOggPages(readFileSync(clip.outPath));
    expect(parseOpusHead(pages[0]!.packets[0]!)?.preSkip).toBe(80 * 48 + 10 * 48);
    expect(pages.at(-1)!.eos).toBe(true);
    const got = await inspect(clip.outPath);
    expect(got.sec * 48_000).toBe(1720 * 48);
    expect(got).toMatchObject({ first: 880, last: 660 });
  });

  it('clamps to the start and the end of the recording', async () => {
    const head = await cut(-500, 1500);
    expect(head).toMatchObject({ startMs: 0, durationMs: 1500 });
    const h = await inspect(head.outPath);
    expect(Math.abs(h.sec - 1.5)).toBeLessThan(0.1);
    expect(h).toMatchObject({ first: 440, last: 440 });

    const tail = await cut(5000, 99_000);
    expect(tail).toMatchObject({ startMs: 5000, durationMs: 1000 });
    const t = await inspect(tail.outPath);
    expect(Math.abs(t.sec - 1)).toBeLessThan(0.1);
    expect(t).toMatchObject({ first: 660, last: 660 });

    await expect(cut(7000, 8000)).rejects.toThrow(/outside the recording/);
    await expect(cut(3000, 3000)).rejects.toThrow(Error);
  });

  it('seeks with the index instead of reading from the start', async () => {
    // Corrupt the first audio page of a copy: a cut far from it must not notice.
    const audioPath = join(dir, 'corrupt.ogg');
    const indexPath = join(dir, 'corrupt.idx');
    copyFileSync(rec.audioPath, audioPath);
    copyFileSync(rec.indexPath, indexPath);
    const bytes = readFileSync(audioPath);
    const firstAudio = readRecordingIndex(indexPath)[0]!.o;
    bytes[firstAudio + 100]! ^= 0xff;
    writeFileSync(audioPath, bytes);
    expect(readOggPages(bytes).pages).toHaveLength(2); // a full scan stops at the damage

    const outPath = join(dir, 'from-corrupt.ogg');
    expect(await cutClip({ audioPath, indexPath, startMs: 4200, endMs: 5200, outPath })).toMatchObject({ durationMs: 1000 });
    expect(await inspect(outPath)).toMatchObject({ first: 660, last: 660 });
  });

  it('cuts from a recording still being written', async () => {
    const live = record(dir, 'live', toneSegments([{ hz: 440, sec: 1.5 }, { hz: 880, sec: 1.5 }]), { close: false });
    try {
      live.flush();
      const clip = await cut(1000, 5000, live);
      expect(clip).toMatchObject({ startMs: 1000, durationMs: 2000 });
      const got = await inspect(clip.outPath);
      expect(Math.abs(got.sec - 2)).toBeLessThan(0.1);
      expect(got).toMatchObject({ first: 440, last: 880 });
    } finally {
      live.close();
    }
  });
});
