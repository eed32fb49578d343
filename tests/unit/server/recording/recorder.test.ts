import { appendFileSync, readFileSync, statSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readOggPages } from '../../../../server/recording/ogg-pages';
import { mediaMsAtWall, readRecordingIndex, Recorder } from '../../../../server/recording/recorder';
import { decodeStereo, probeDurationSec, rms, toneAt } from '../../../helpers/audio-probe';
import { encodeSineOpus } from '../../../helpers/opus';
import { record, rtp, silentLog, tempDirsPerTest, toneSegments, TS0 } from './fixtures';

const dir = tempDirsPerTest();

afterEach(() => {
  vi.useRealTimers();
});

describe('Recorder', () => {
  it('writes a playable Ogg Opus file of N × 20 ms with an index line per audio page', async () => {
    const d = dir();
    const packets = encodeSineOpus({ frames: 150 });
    const rec = Recorder.create({ dir: d, id: 'rec1', log: silentLog });
    packets.forEach((p, i) => rec.write(rtp(p, i, TS0 + i * 960), 1_000 + i * 20));
    expect(rec.durationMs).toBe(3000);
    const result = rec.close();
    expect(result).toEqual({ durationMs: 3000, bytes: statSync(rec.audioPath).size });
    expect(rec.close()).toBe(result); // idempotent
    expect(rec.startedAtWall).toBe(1_000);

    expect(await probeDurationSec(rec.audioPath)).toBeCloseTo(3.0, 1);
    expect(Math.abs((await probeDurationSec(rec.audioPath)) - 3.0)).toBeLessThan(0.05);
    const pcm = await decodeStereo(rec.audioPath);
    // Granules run from the pre-skip (media time = playback time); the decoder drops the first
    // 312 samples as encoder priming, so the file plays from 6.5 ms to 3 s.
    expect(pcm.left.length).toBe(150 * 960 - 312);
    expect(toneAt(pcm.left, 48_000, 1, 2, [440, 660])).toBe(440);
    expect(toneAt(pcm.right, 48_000, 1, 2, [440, 660])).toBe(660);

    const { pages, validLength } = readOggPages(readFileSync(rec.audioPath));
    expect(validLength).toBe(result.bytes);
    const audio = pages.slice(2);
    expect(pages[0]!.bos).toBe(true);
    expect(audio.at(-1)!.eos).toBe(true);
    expect(audio.every((p) => p.packets.length <= 50)).toBe(true);
    expect(audio.at(-1)!.granule).toBe(BigInt(312 + 150 * 960));
    const withPackets = audio.filter((p) => p.packets.length > 0);
    const index = readRecordingIndex(rec.indexPath);
    expect(index.map((e) => e.o)).toEqual(withPackets.map((p) => p.offset));
    expect(index.map((e) => e.m)).toEqual([0, 1000, 2000]);
    expect(index.map((e) => e.w)).toEqual([1_000, 2_000, 3_000]);
  });

  it('fills a 2 s timestamp gap with silence, keeping the tone before and after', async () => {
    const d = dir();
    const payloads = toneSegments([
      { hz: 440, sec: 2 },
      { hz: 880, sec: 2 },
    ]);
    const rec = record(d, 'gap', payloads, { gapAfter: { index: 99, ms: 2000 } });
    expect(rec.stats.silenceFramesInserted).toBe(100);
    expect(rec.durationMs).toBe(6000);
    expect(Math.abs((await probeDurationSec(rec.audioPath)) - 6.0)).toBeLessThan(0.05);
    const pcm = await decodeStereo(rec.audioPath);
    expect(toneAt(pcm.left, 48_000, 0.5, 1.9, [440, 880])).toBe(440);
    expect(rms(pcm.left, 0.5, 1.9)).toBeGreaterThan(0.1);
    expect(rms(pcm.left, 2.1, 3.9)).toBeLessThan(1e-3);
    expect(rms(pcm.right, 2.1, 3.9)).toBeLessThan(1e-3);
    expect(toneAt(pcm.left, 48_000, 4.2, 5.8, [440, 880])).toBe(880);
    expect(rms(pcm.left, 4.2, 5.8)).toBeGreaterThan(0.1);

    // The wall clock advanced with the gap, so wall and media time stay in step.
    for (const ms of [0, 1000, 3000, 4500, 5980]) expect(Math.abs(rec.mediaMsAt(1_000_000 + ms) - ms)).toBeLessThanOrEqual(20);
    expect(rec.mediaMsAt(0)).toBe(0);
    expect(rec.mediaMsAt(9_000_000)).toBe(6000);
  });

  it('drops duplicate, late and reordered packets and counts them', () => {
    const d = dir();
    const p = encodeSineOpus({ frames: 8 });
    const rec = Recorder.create({ dir: d, id: 'dups', log: silentLog });
    const order = [0, 1, 2, 1, 3, 2, 4, 6, 5, 7];
    order.forEach((i, n) => rec.write(rtp(p[i]!, i, TS0 + i * 960), 1_000 + n * 20));
    rec.write(Buffer.from([0x80, 111, 0]), 1_300); // too short for an RTP header
    rec.write(rtp(new Uint8Array(0), 99, TS0 + 99 * 960), 1_320); // no Opus payload
    expect(rec.stats).toEqual({ packetsWritten: 7, packetsDropped: 3, packetsInvalid: 2, silenceFramesInserted: 1 });
    // 5 arrived after 6, so its slot was filled with silence: the timeline still ends at 7.
    expect(rec.close().durationMs).toBe(8 * 20);
  });

  it('caps a gap fill at 10 minutes and keeps following the timeline after it', async () => {
    const d = dir();
    const p = encodeSineOpus({ frames: 4 });
    const rec = Recorder.create({ dir: d, id: 'cap', log: silentLog });
    rec.write(rtp(p[0]!, 0, TS0), 0);
    rec.write(rtp(p[1]!, 1, TS0 + 960 + 20 * 60 * 48_000), 20 * 60_000); // 20 minutes away
    rec.write(rtp(p[2]!, 2, TS0 + 2 * 960 + 20 * 60 * 48_000), 20 * 60_000 + 20);
    rec.write(rtp(p[3]!, 3, TS0 + 4 * 960 + 20 * 60 * 48_000), 20 * 60_000 + 60); // one lost packet
    expect(rec.stats.silenceFramesInserted).toBe(30_000 + 1);
    expect(rec.close().durationMs).toBe(10 * 60_000 + 5 * 20);
    expect(Math.abs((await probeDurationSec(rec.audioPath)) - 600.1)).toBeLessThan(0.05);
  });

  it('gets buffered pages to disk on its timer without a close', () => {
    const d = dir();
    // The flush timer is driven by hand: the test owns the clock, nothing waits on wall time.
    vi.useFakeTimers();
    const rec = Recorder.create({ dir: d, id: 'timer', log: silentLog, flushIntervalMs: 50 });
    const headerBytes = rec.bytes;
    expect(statSync(rec.audioPath).size).toBe(headerBytes);
    encodeSineOpus({ frames: 10 }).forEach((p, i) => rec.write(rtp(p, i, TS0 + i * 960), i * 20));
    vi.advanceTimersByTime(49);
    expect(statSync(rec.audioPath).size).toBe(headerBytes);
    vi.advanceTimersByTime(1);
    vi.useRealTimers();
    expect(rec.bytes).toBeGreaterThan(headerBytes);
    expect(statSync(rec.audioPath).size).toBe(rec.bytes);
    const { pages } = readOggPages(readFileSync(rec.audioPath));
    expect(pages.slice(2).flatMap((pg) => pg.packets)).toHaveLength(10);
    expect(readRecordingIndex(rec.indexPath)).toEqual([{ w: 0, m: 0, o: headerBytes }]);
    rec.close();
    rec.write(rtp(Buffer.from([0xfc, 0xff, 0xfe]), 50, TS0 + 50 * 960), 5000); // ignored once closed
    expect(rec.durationMs).toBe(200);
  });

  it('never overwrites an existing recording', () => {
    const d = dir();
    Recorder.create({ dir: d, id: 'same', log: silentLog }).close();
    expect(() => Recorder.create({ dir: d, id: 'same', log: silentLog })).toThrow(/EEXIST/);
  });
});

describe('recording index', () => {
  it('skips a torn last line', () => {
    const d = dir();
    const rec = record(d, 'idx', encodeSineOpus({ frames: 100 }));
    const before = readRecordingIndex(rec.indexPath);
    expect(before).toHaveLength(2);
    appendFileSync(rec.indexPath, '{"w":123,"m":');
    expect(readRecordingIndex(rec.indexPath)).toEqual(before);
    expect(readRecordingIndex(`${rec.indexPath}.missing`)).toEqual([]);
  });

  it('interpolates media time between entries', () => {
    const index = [
      { w: 1000, m: 0, o: 100 },
      { w: 2000, m: 1000, o: 200 },
      { w: 5000, m: 2000, o: 300 }, // a slow stretch: 3 s of wall clock for 1 s of media
    ];
    expect(mediaMsAtWall([], 5)).toBe(0);
    expect(mediaMsAtWall(index, 0)).toBe(0);
    expect(mediaMsAtWall(index, 1500)).toBe(500);
    expect(mediaMsAtWall(index, 2000)).toBe(1000);
    expect(mediaMsAtWall(index, 3500)).toBe(1500);
    expect(mediaMsAtWall(index, 6000)).toBe(3000);
  });
});
