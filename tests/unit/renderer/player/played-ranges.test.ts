import { describe, expect, it } from 'vitest';
import { coveredSeconds, mergeRanges } from '../../../../contract';
import { PlayedRangeTracker } from '../../../../renderer/src/player/played-ranges';

const play = (t: PlayedRangeTracker, fromMs: number, toMs: number, startAt: number, rate = 1, stepMs = 250) => {
  let at = startAt;
  for (let pos = fromMs; pos <= toMs; pos += stepMs * rate, at += stepMs) t.observe({ playing: true, positionMs: pos, rate }, at);
  return at;
};

describe('played ranges', () => {
  it('counts the playhead moving while playing, at the chosen speed', () => {
    const t = new PlayedRangeTracker();
    t.observe({ playing: false, positionMs: 0, rate: 1 }, 0);
    const at = play(t, 0, 4000, 10);
    t.observe({ playing: false, positionMs: 4000, rate: 1 }, at);
    expect(t.ranges()).toEqual([[0, 4]]);
    const fast = new PlayedRangeTracker();
    play(fast, 0, 4000, 0, 2);
    expect(fast.ranges()).toEqual([[0, 4]]);
  });

  it('a seek adds nothing: jumping to the end is not hearing it', () => {
    const t = new PlayedRangeTracker();
    let at = play(t, 0, 1000, 0);
    // Seek to 9 s while playing, then play to 10 s.
    t.observe({ playing: true, positionMs: 9000, rate: 1 }, at + 16);
    at = play(t, 9000, 10_000, at + 32);
    expect(t.ranges()).toEqual([[0, 1], [9, 10]]);
    expect(coveredSeconds(t.ranges())).toBeCloseTo(2);
    expect(t.longestRun()).toBeCloseTo(1);
  });

  it('moving while paused (scrubbing) adds nothing', () => {
    const t = new PlayedRangeTracker();
    t.observe({ playing: false, positionMs: 0, rate: 1 }, 0);
    t.observe({ playing: false, positionMs: 5000, rate: 1 }, 10_000);
    expect(t.ranges()).toEqual([]);
  });

  it('merges overlapping and touching ranges, clipped to the clip', () => {
    expect(mergeRanges([[3, 5], [0, 1], [0.5, 2], [2.01, 2.5], [9, 20]], 10)).toEqual([[0, 2.5], [3, 5], [9, 10]]);
    expect(mergeRanges([[4, 4], [-3, -1]])).toEqual([]);
  });
});

describe('playback pacing', () => {
  it('the server allows for the fastest speed the player offers', async () => {
    const { MAX_PLAYBACK_RATE } = await import('../../../../contract');
    const { PLAYBACK_RATES } = await import('../../../../renderer/src/media/clip-player');
    expect(Math.max(...PLAYBACK_RATES)).toBe(MAX_PLAYBACK_RATE);
  });
});
