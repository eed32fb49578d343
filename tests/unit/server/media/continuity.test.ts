import { describe, expect, it } from 'vitest';
import { Continuity } from '../../../../server/media/continuity';

/** Feeds `count` consecutive 20 ms packets of one source; returns the mapped (seq, ts) pairs. */
function feed(c: Continuity, src: { ssrc: number; seq: number; ts: number }, count: number, startMs: number) {
  const out: { seq: number; ts: number; marker: boolean }[] = [];
  for (let i = 0; i < count; i++) {
    c.map(src.ssrc, (src.seq + i) & 0xffff, (src.ts + i * 960) >>> 0, startMs + i * 20);
    out.push({ seq: c.seq, ts: c.timestamp, marker: c.marker });
  }
  return out;
}

const seqDelta = (a: number, b: number) => (b - a + 0x1_0000) & 0xffff;
const tsDelta = (a: number, b: number) => (b - a) >>> 0;

describe('Continuity', () => {
  it('passes the first source through unchanged', () => {
    const c = new Continuity();
    const out = feed(c, { ssrc: 1, seq: 1000, ts: 5000 }, 3, 0);
    expect(out.map((o) => o.seq)).toEqual([1000, 1001, 1002]);
    expect(out.map((o) => o.ts)).toEqual([5000, 5960, 6920]);
    expect(out.every((o) => !o.marker)).toBe(true);
    expect(c.sourceSsrc).toBe(1);
  });

  it('continues at last+1 and advances the timestamp by the wall-clock gap on a new SSRC', () => {
    const c = new Continuity();
    const a = feed(c, { ssrc: 1, seq: 65_530, ts: 0xffff_fc00 }, 10, 1_000); // wraps both
    const lastA = a.at(-1)!;
    // The host is away 2.5 s after its last packet (sent at 1_000 + 9 * 20).
    const b = feed(c, { ssrc: 2, seq: 17, ts: 123_456 }, 5, 1_180 + 2_500);
    expect(seqDelta(lastA.seq, b[0]!.seq)).toBe(1);
    expect(tsDelta(lastA.ts, b[0]!.ts)).toBe(2_500 * 48);
    expect(b[0]!.marker).toBe(true);
    expect(b.slice(1).every((o) => !o.marker)).toBe(true);
    for (let i = 1; i < b.length; i++) {
      expect(seqDelta(b[i - 1]!.seq, b[i]!.seq)).toBe(1);
      expect(tsDelta(b[i - 1]!.ts, b[i]!.ts)).toBe(960);
    }
    expect(c.sourceSsrc).toBe(2);
  });

  it('advances at least one frame when the new source arrives at once', () => {
    const c = new Continuity();
    const a = feed(c, { ssrc: 1, seq: 0, ts: 0 }, 3, 0);
    const b = feed(c, { ssrc: 2, seq: 999, ts: 42 }, 1, 40); // same instant as the last packet
    expect(seqDelta(a.at(-1)!.seq, b[0]!.seq)).toBe(1);
    expect(tsDelta(a.at(-1)!.ts, b[0]!.ts)).toBe(960);
  });

  it('uses the observed frame length as the minimum advance', () => {
    const c = new Continuity();
    // 40 ms frames (1920 samples)
    for (let i = 0; i < 4; i++) c.map(1, i, i * 1920, i * 40);
    const lastTs = c.timestamp;
    c.map(2, 500, 7, 120 + 5);
    expect(tsDelta(lastTs, c.timestamp)).toBe(1920);
  });

  it('starts a new source on request even with the same SSRC', () => {
    const c = new Continuity();
    const a = feed(c, { ssrc: 7, seq: 100, ts: 1000 }, 5, 0);
    c.startNewSource();
    const b = feed(c, { ssrc: 7, seq: 40_000, ts: 3_000_000_000 }, 2, 80 + 1_000);
    expect(seqDelta(a.at(-1)!.seq, b[0]!.seq)).toBe(1);
    expect(tsDelta(a.at(-1)!.ts, b[0]!.ts)).toBe(1_000 * 48);
    expect(b[0]!.marker).toBe(true);
  });

  it('maps reordered packets consistently and switches from the newest one', () => {
    const c = new Continuity();
    c.map(1, 10, 9600, 0);
    c.map(1, 12, 11_520, 40);
    c.map(1, 11, 10_560, 41); // late
    expect(c.seq).toBe(11);
    expect(c.timestamp).toBe(10_560);
    // The switch continues after seq 12 (the newest), not after the late 11.
    c.map(2, 5000, 0, 60);
    expect(c.seq).toBe(13);
    expect(c.timestamp).toBe(11_520 + 960);
  });

  it('survives several publisher changes with monotonic output', () => {
    const c = new Continuity();
    let prev: { seq: number; ts: number } | null = null;
    let now = 0;
    for (let source = 1; source <= 5; source++) {
      const out = feed(c, { ssrc: source * 1000, seq: (source * 7919) & 0xffff, ts: (source * 2_654_435_761) >>> 0 }, 20, now);
      now += 20 * 20 + 300 * source;
      for (const o of out) {
        if (prev) {
          expect(seqDelta(prev.seq, o.seq)).toBe(1);
          const d = tsDelta(prev.ts, o.ts);
          expect(d).toBeGreaterThanOrEqual(960);
          expect(d).toBeLessThan(0x8000_0000);
        }
        prev = o;
      }
    }
  });
});
