import { describe, expect, it } from 'vitest';
import type { MentorPair, MetricsRow } from '../../../../contract';
import {
  defaultRange,
  fileNameFrom,
  formatDuration,
  formatMedian,
  formatSteps,
  metricsCsvPath,
  pairsOfWeek,
  rowsOfWeek,
  shortDate,
  weekChoices,
  weekLabel,
  weeklySeries,
} from '../../../../renderer/src/metrics/metrics-view';

const HOUR = 3_600_000;

function row(over: Partial<MetricsRow>): MetricsRow {
  return {
    userId: 'u1', name: 'Rita', role: 'rep', week: '2026-11-23', listenedMs: 0, hostsShadowed: 0, callsHosted: 0, teachingMs: 0,
    clipsMade: 0, scorecardsGiven: 0, callClipsReviewed: 0, questionsAsked: 0, questionsAnswered: 0,
    medianFirstManagerCommentMs: null, stepsCompleted: null, ...over,
  };
}

describe('week range and choices', () => {
  it('opens on the last eight weeks, ending with the current one', () => {
    expect(defaultRange(Date.parse('2026-11-25T12:00:00Z'))).toEqual({ from: '2026-10-05', to: '2026-11-23' });
    // Sunday night UTC is still the same week; Monday 00:00 UTC starts the next.
    expect(defaultRange(Date.parse('2026-11-29T23:59:00Z'), 1)).toEqual({ from: '2026-11-23', to: '2026-11-23' });
    expect(defaultRange(Date.parse('2026-11-30T00:00:00Z'), 2)).toEqual({ from: '2026-11-23', to: '2026-11-30' });
  });

  it('offers weeks newest first with their ISO week and Monday', () => {
    const choices = weekChoices(Date.parse('2026-11-25T12:00:00Z'), 3);
    expect(choices).toEqual([
      { value: '2026-11-23', label: '2026-W48 · from 23 Nov' },
      { value: '2026-11-16', label: '2026-W47 · from 16 Nov' },
      { value: '2026-11-09', label: '2026-W46 · from 9 Nov' },
    ]);
    expect(weekLabel('2027-01-04')).toBe('2027-W01 · from 4 Jan');
    expect(shortDate('not a week')).toBe('not a week');
  });
});

describe('formatting', () => {
  it('reads durations as minutes under an hour, hours with one decimal above', () => {
    expect(formatDuration(0)).toBe('0 h');
    expect(formatDuration(20_000)).toBe('1 min');
    expect(formatDuration(45 * 60_000)).toBe('45 min');
    expect(formatDuration(1.5 * HOUR)).toBe('1.5 h');
    expect(formatDuration(2 * HOUR)).toBe('2 h');
  });

  it('shows a dash for what is not there', () => {
    expect(formatMedian(null)).toBe('—');
    expect(formatMedian(20 * 60_000)).toBe('20 min');
    expect(formatSteps(null)).toBe('—');
    expect(formatSteps(0)).toBe('0');
  });
});

describe('chart data and tables', () => {
  it('adds the shown rows up per week, in the reply’s week order, weeks without rows as zero', () => {
    const series = weeklySeries({
      weeks: ['2026-11-09', '2026-11-16', '2026-11-23'],
      rows: [
        row({ week: '2026-11-23', listenedMs: HOUR, teachingMs: 0.5 * HOUR, clipsMade: 2 }),
        row({ userId: 'u2', week: '2026-11-23', listenedMs: 0.25 * HOUR, callsHosted: 1, clipsMade: 1 }),
        row({ week: '2026-11-16', listenedMs: 50 * 60_000 }),
      ],
    });
    expect(series).toEqual([
      { week: '2026-11-09', label: '9 Nov', shadowedHours: 0, teachingHours: 0, callsHosted: 0, clipsMade: 0 },
      { week: '2026-11-16', label: '16 Nov', shadowedHours: 0.83, teachingHours: 0, callsHosted: 0, clipsMade: 0 },
      { week: '2026-11-23', label: '23 Nov', shadowedHours: 1.25, teachingHours: 0.5, callsHosted: 1, clipsMade: 3 },
    ]);
  });

  it('picks one week’s rows by name and its pairs busiest first', () => {
    const rows = [row({ name: 'Zoe', userId: 'z' }), row({ name: 'Al', userId: 'a' }), row({ name: 'Bo', week: '2026-11-16' })];
    expect(rowsOfWeek(rows, '2026-11-23').map((r) => r.name)).toEqual(['Al', 'Zoe']);
    const pair = (mentee: string, ms: number, week = '2026-11-23'): MentorPair => ({
      mentorId: 'm', mentorName: 'Max', menteeId: mentee, menteeName: mentee, week, listenedMs: ms,
    });
    expect(pairsOfWeek([pair('a', 10), pair('b', 30), pair('c', 99, '2026-11-16')], '2026-11-23').map((p) => p.menteeId)).toEqual(['b', 'a']);
  });

  it('builds the CSV path from the same filters and reads the download’s file name', () => {
    expect(metricsCsvPath({ from: '2026-11-16', to: '2026-11-23' })).toBe('/api/metrics/csv?from=2026-11-16&to=2026-11-23');
    expect(metricsCsvPath({ from: '2026-11-16', to: '2026-11-23', person: 'u 1' })).toBe('/api/metrics/csv?from=2026-11-16&to=2026-11-23&person=u+1');
    expect(fileNameFrom('attachment; filename="bullpen-metrics-2026-11-23.csv"', 'x.csv')).toBe('bullpen-metrics-2026-11-23.csv');
    expect(fileNameFrom(null, 'x.csv')).toBe('x.csv');
  });
});
