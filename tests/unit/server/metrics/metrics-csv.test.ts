import { describe, expect, it } from 'vitest';
import type { MetricsReply, MetricsRow } from '../../../../contract';
import { csvCell, csvLines, metricsCsv, metricsCsvFileName } from '../../../../server/metrics/metrics-csv';

function row(over: Partial<MetricsRow>): MetricsRow {
  return {
    userId: 'u1', name: 'Rita Rep', role: 'rep', week: '2026-11-23', listenedMs: 0, hostsShadowed: 0, callsHosted: 0, teachingMs: 0,
    clipsMade: 0, scorecardsGiven: 0, callClipsReviewed: 0, questionsAsked: 0, questionsAnswered: 0,
    medianFirstManagerCommentMs: null, stepsCompleted: null, ...over,
  };
}

describe('CSV cells', () => {
  it('quotes commas, quotes and line breaks (RFC 4180)', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a, b')).toBe('"a, b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(1.5)).toBe('1.5');
  });

  it('defuses text a spreadsheet would run as a formula', () => {
    expect(csvCell('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@cmd')).toBe("'@cmd");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('=HYPERLINK("x"), y')).toBe(`"'=HYPERLINK(""x""), y"`);
    // Numbers are numbers, never prefixed.
    expect(csvCell(0)).toBe('0');
  });

  it('ends every line with CRLF', () => {
    expect(csvLines([['a', 1], ['b', null]])).toBe('a,1\r\nb,\r\n');
  });
});

describe('metrics CSV', () => {
  it('writes the header and one line per person and week, hours with two decimals', () => {
    const reply: MetricsReply = {
      weeks: ['2026-11-16', '2026-11-23'],
      scope: 'team',
      rows: [
        row({ week: '2026-11-23', listenedMs: 50 * 60_000, stepsCompleted: 3, medianFirstManagerCommentMs: 90_000 }),
        row({ userId: 'u2', name: 'Max Mentor', role: 'mentor', week: '2026-11-16', teachingMs: 2.5 * 3_600_000, callsHosted: 2 }),
      ],
      pairs: [],
      pathProgress: true,
      generatedAt: 0,
    };
    expect(metricsCsv(reply).split('\r\n')).toEqual([
      'week_start_utc,iso_week,person,role,hours_shadowed,hosts_shadowed,calls_shared_live,teaching_hours,clips_made,scorecards_given,' +
        'own_call_clips_reviewed,questions_asked,questions_answered,median_minutes_to_first_manager_comment,onboarding_steps_completed',
      '2026-11-16,2026-W47,Max Mentor,mentor,0,0,2,2.5,0,0,0,0,0,,',
      '2026-11-23,2026-W48,Rita Rep,rep,0.83,0,0,0,0,0,0,0,0,1.5,3',
      '',
    ]);
  });

  it('names the file after its weeks', () => {
    expect(metricsCsvFileName('2026-11-16', '2026-11-23')).toBe('bullpen-metrics-2026-11-16-to-2026-11-23.csv');
    expect(metricsCsvFileName('2026-11-23', '2026-11-23')).toBe('bullpen-metrics-2026-11-23.csv');
  });
});
