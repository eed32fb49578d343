import { describe, expect, it } from 'vitest';
import { playoutDelayMs, playoutPositionMs, recordingStartMs } from '../../../../renderer/src/questions/moment';
import { formatDuration } from '../../../../renderer/src/labels';

describe('playout position (the moment a question is about)', () => {
  it('is the elapsed time minus the jitter buffer’s delay, never negative', () => {
    expect(playoutPositionMs({ now: 10_000, startedAt: 4_000, delayMs: 0 })).toBe(6_000);
    expect(playoutPositionMs({ now: 10_000, startedAt: 4_000, delayMs: 120.4 })).toBe(5_880);
    // A listener whose clock runs behind the server's, just after the start.
    expect(playoutPositionMs({ now: 3_900, startedAt: 4_000, delayMs: 50 })).toBe(0);
    // A nonsense negative delay is ignored, not added.
    expect(playoutPositionMs({ now: 10_000, startedAt: 4_000, delayMs: -500 })).toBe(6_000);
  });

  it('takes the average jitter-buffer delay from inbound-rtp stats, 0 without data', () => {
    // One second of 48 kHz audio, each sample held 100 ms: 48 000 samples, 4 800 s in total.
    expect(playoutDelayMs({ jitterBufferDelay: 4_800, jitterBufferEmittedCount: 48_000 })).toBeCloseTo(100);
    expect(playoutDelayMs({ jitterBufferDelay: 0, jitterBufferEmittedCount: 0 })).toBe(0);
    expect(playoutDelayMs({})).toBe(0);
    expect(playoutDelayMs(null)).toBe(0);
    // A runaway value is capped rather than moving the moment minutes back.
    expect(playoutDelayMs({ jitterBufferDelay: 1e9, jitterBufferEmittedCount: 1 })).toBe(10_000);
  });
});

describe('recording start for a moment', () => {
  it('shifts by the recording’s offset and starts a little early, never before 0', () => {
    expect(recordingStartMs(60_000, 0)).toBe(55_000);
    expect(recordingStartMs(60_000, 1_000)).toBe(54_000);
    expect(recordingStartMs(60_000, 1_000, 0)).toBe(59_000);
    expect(recordingStartMs(2_000, 500)).toBe(0);
  });
});

describe('formatDuration', () => {
  it('shows m:ss, and h:mm:ss past an hour', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(1_999)).toBe('0:01');
    expect(formatDuration(83_000)).toBe('1:23');
    expect(formatDuration(3_600_000 + 62_000)).toBe('1:01:02');
    expect(formatDuration(-5)).toBe('0:00');
  });
});
