import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Coalescer } from '../../../../server/realtime/coalescer';

describe('Coalescer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('folds a burst into one run now and one at the end of the interval, per key', () => {
    const runs: string[] = [];
    const c = new Coalescer<string>(100, (key) => runs.push(`${key}@${performance.now()}`));
    const t0 = performance.now();
    for (let i = 0; i < 500; i++) c.schedule('team-a');
    c.schedule('team-b');
    expect(runs).toEqual([]);
    vi.advanceTimersByTime(0);
    expect(runs).toEqual([`team-a@${t0}`, `team-b@${t0}`]);

    // 300 more changes within the interval: exactly one more run, at its end.
    for (let i = 0; i < 300; i++) {
      vi.advanceTimersByTime(0.2);
      c.schedule('team-a');
    }
    vi.advanceTimersByTime(200);
    expect(runs.filter((r) => r.startsWith('team-a'))).toHaveLength(2);
    expect(Number(runs.at(-1)!.split('@')[1]) - t0).toBeGreaterThanOrEqual(100);

    // After a quiet interval a change runs at once again.
    vi.advanceTimersByTime(1000);
    c.schedule('team-a');
    vi.advanceTimersByTime(0);
    expect(runs.filter((r) => r.startsWith('team-a'))).toHaveLength(3);
  });

  it('drops scheduled runs on cancel and close', () => {
    const runs: string[] = [];
    const c = new Coalescer<string>(100, (key) => runs.push(key));
    c.schedule('a');
    c.schedule('b');
    c.cancel('a');
    c.close();
    vi.advanceTimersByTime(1000);
    expect(runs).toEqual([]);
  });
});
