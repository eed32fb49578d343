import type { Figures } from './server-probe';

/**
 * RSS growth over the tail window as the least-squares line through every sample in it, in % of
 * the line's value at the window's start. Two single samples (first and last) each wander about
 * ±1 MiB (≈ 0.5 % of a node) with V8 committing or releasing heap pages, so their difference says
 * more about where that noise fell than about a trend; the fitted slope uses all of them.
 */
export function rssTrend(window: Pick<Figures, 'at' | 'rss'>[]): { growthPct: number; slopeMiBPerMin: number; residualMiB: number; samples: number } {
  const t0 = window[0]!.at;
  const xs = window.map((s) => (s.at - t0) / 60_000);
  const ys = window.map((s) => s.rss / 2 ** 20);
  const n = window.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  const start = my - slope * mx;
  const span = xs[n - 1]! - xs[0]!;
  const residualMiB = Math.max(...ys.map((y, i) => Math.abs(y - (start + slope * xs[i]!))));
  return { growthPct: ((slope * span) / start) * 100, slopeMiBPerMin: slope, residualMiB, samples: n };
}
