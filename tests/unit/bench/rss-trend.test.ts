import { describe, expect, it } from 'vitest';
import { rssTrend } from '../../../bench/rss-trend';

const MiB = 2 ** 20;
/** A sample every 30 s for 5 minutes, RSS in MiB given by `f(minutes)`. */
const window = (f: (min: number) => number) => Array.from({ length: 11 }, (_, i) => ({ at: i * 30_000, rss: f(i / 2) * MiB }));

describe('rssTrend', () => {
  it('reports a steady climb as its growth over the window', () => {
    const trend = rssTrend(window((min) => 200 + min * 0.8)); // +4 MiB over 5 min on 200 MiB
    expect(trend.growthPct).toBeCloseTo(2, 6);
    expect(trend.slopeMiBPerMin).toBeCloseTo(0.8, 6);
    expect(trend.residualMiB).toBeCloseTo(0, 6);
    expect(trend.samples).toBe(11);
  });

  it('is not moved by one low first sample the way a first-to-last difference is', () => {
    // Flat at 186 MiB, but the first sample caught V8 just after it released 3 MiB of heap.
    const trend = rssTrend(window((min) => (min === 0 ? 183 : 186)));
    const endpoints = ((186 - 183) / 183) * 100;
    expect(endpoints).toBeGreaterThan(1.6);
    expect(trend.growthPct).toBeLessThan(1);
    expect(trend.residualMiB).toBeGreaterThan(2);
  });

  it('reports a fall as negative growth', () => {
    expect(rssTrend(window((min) => 200 - min)).growthPct).toBeCloseTo(-2.5, 6);
  });
});
