import { describe, expect, it } from 'vitest';
import { addWeeks, isoWeekLabel, MetricsQuery, parse, weekKey, weekStartMs, weekStartOf, weeksBetween } from '../../../contract';

const at = (iso: string) => Date.parse(iso);

describe('ISO weeks (Monday 00:00 UTC)', () => {
  it('finds the Monday of any moment, including the week’s first and last millisecond', () => {
    expect(weekKey(at('2026-11-25T12:00:00Z'))).toBe('2026-11-23');
    expect(weekKey(at('2026-11-23T00:00:00Z'))).toBe('2026-11-23');
    expect(weekKey(at('2026-11-22T23:59:59.999Z'))).toBe('2026-11-16');
    expect(weekKey(at('2026-11-29T23:59:59.999Z'))).toBe('2026-11-23');
    // Before the epoch too (the modulo stays positive).
    expect(weekKey(at('1969-12-31T00:00:00Z'))).toBe('1969-12-29');
    expect(weekStartOf(at('2026-11-25T12:00:00Z'))).toBe(at('2026-11-23T00:00:00Z'));
  });

  it('accepts only real Mondays as week names', () => {
    expect(weekStartMs('2026-11-23')).toBe(at('2026-11-23T00:00:00Z'));
    expect(weekStartMs('2026-11-24')).toBeUndefined();
    expect(weekStartMs('2026-02-30')).toBeUndefined();
    expect(weekStartMs('2026-11-23T00:00:00Z')).toBeUndefined();
    expect(weekStartMs('')).toBeUndefined();
  });

  it('steps and lists weeks across month and year ends', () => {
    expect(addWeeks('2026-12-28', 1)).toBe('2027-01-04');
    expect(addWeeks('2027-01-04', -2)).toBe('2026-12-21');
    expect(weeksBetween('2026-12-21', '2027-01-04')).toEqual(['2026-12-21', '2026-12-28', '2027-01-04']);
    expect(weeksBetween('2027-01-04', '2026-12-21')).toEqual([]);
    expect(() => addWeeks('2026-12-29', 1)).toThrow(RangeError);
  });

  it('labels weeks by ISO week number, the Thursday’s year deciding', () => {
    expect(isoWeekLabel('2026-11-23')).toBe('2026-W48');
    expect(isoWeekLabel('2025-12-29')).toBe('2026-W01');
    expect(isoWeekLabel('2026-12-28')).toBe('2026-W53');
    expect(isoWeekLabel('2027-01-04')).toBe('2027-W01');
  });
});

describe('MetricsQuery', () => {
  it('takes a range of Mondays and an optional person', () => {
    expect(parse(MetricsQuery, { from: '2026-11-16', to: '2026-11-23', person: 'u_1' })).toEqual({
      ok: true,
      value: { from: '2026-11-16', to: '2026-11-23', person: 'u_1' },
    });
    expect(parse(MetricsQuery, { from: '2026-11-23', to: '2026-11-23' }).ok).toBe(true);
  });

  it('refuses non-Mondays, backwards ranges, more than 53 weeks and bad ids', () => {
    for (const bad of [
      { from: '2026-11-17', to: '2026-11-23' },
      { from: '2026-11-23', to: '2026-11-16' },
      { from: '2025-11-17', to: '2026-11-23' },
      { from: '2026-11-16', to: '2026-11-23', person: 'x y' },
      { to: '2026-11-23' },
    ]) {
      expect(parse(MetricsQuery, bad).ok, JSON.stringify(bad)).toBe(false);
    }
    // 53 weeks is the most.
    expect(parse(MetricsQuery, { from: addWeeks('2026-11-23', -52), to: '2026-11-23' }).ok).toBe(true);
  });
});
