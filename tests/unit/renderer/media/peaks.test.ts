import { describe, expect, it } from 'vitest';
import { bucketPeaks, decodeRate, peakBetween } from '../../../../renderer/src/media/peaks';

describe('bucketPeaks', () => {
  it('keeps the loudest |sample| of each equal slice', () => {
    const samples = new Float32Array([0.1, -0.5, 0.2, 0.3, -0.05, 0, 0.9, -0.95]);
    expect([...bucketPeaks(samples, 4)]).toEqual([0.5, 0.30000001192092896, 0.05000000074505806, 0.949999988079071]);
  });

  it('caps at 1 and never makes more buckets than samples', () => {
    const out = bucketPeaks(new Float32Array([2, -3]), 10);
    expect(out.length).toBe(2);
    expect([...out]).toEqual([1, 1]);
  });

  it('covers every sample when the slices do not divide evenly', () => {
    const samples = new Float32Array(10);
    samples[9] = 0.8;
    const out = bucketPeaks(samples, 3);
    expect(out.length).toBe(3);
    expect(out[2]).toBeCloseTo(0.8);
    expect(out[0]).toBe(0);
  });

  it('gives one silent bucket for no samples', () => {
    expect([...bucketPeaks(new Float32Array(0), 100)]).toEqual([0]);
  });
});

describe('peakBetween', () => {
  const peaks = new Float32Array([0.1, 0.4, 0.2, 0.9]);

  it('folds the buckets between two fractions of the file into their max', () => {
    expect(peakBetween(peaks, 0, 0.5)).toBeCloseTo(0.4);
    expect(peakBetween(peaks, 0.5, 1)).toBeCloseTo(0.9);
    expect(peakBetween(peaks, 0, 1)).toBeCloseTo(0.9);
  });

  it('reads at least one bucket for a slice narrower than a bucket, and 0 past the end', () => {
    expect(peakBetween(peaks, 0.26, 0.27)).toBeCloseTo(0.4);
    expect(peakBetween(peaks, 1, 1.2)).toBe(0);
    expect(peakBetween(peaks, 0.9, 1.5)).toBeCloseTo(0.9);
  });
});

describe('decodeRate', () => {
  it('decodes short audio at 16 kHz and long audio lower, never below 3 kHz', () => {
    expect(decodeRate(30_000)).toBe(16_000);
    expect(decodeRate(3600_000)).toBe(5555);
    expect(decodeRate(24 * 3600_000)).toBe(3000);
    expect(decodeRate(0)).toBe(16_000);
  });
});
