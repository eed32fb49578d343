import { isoWeekLabel, type MetricsReply, type MetricsRow } from '../../contract';

/**
 * The CSV export of a metrics reply: one line per person and week, numbers a spreadsheet reads
 * as numbers (hours with two decimals), every cell safe to open (RFC 4180 quoting, and text that
 * a spreadsheet would run as a formula is prefixed with a quote).
 */

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

/** Characters that make a spreadsheet treat a cell as a formula (OWASP's CSV injection list). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV cell: formula-looking text gets a leading `'`; quotes, commas and line breaks are quoted. */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Lines joined with CRLF, as RFC 4180 writes them. */
export function csvLines(rows: (string | number | null)[][]): string {
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

export const METRICS_CSV_HEADER = [
  'week_start_utc',
  'iso_week',
  'person',
  'role',
  'hours_shadowed',
  'hosts_shadowed',
  'calls_shared_live',
  'teaching_hours',
  'clips_made',
  'scorecards_given',
  'own_call_clips_reviewed',
  'questions_asked',
  'questions_answered',
  'median_minutes_to_first_manager_comment',
  'onboarding_steps_completed',
] as const;

const hours = (ms: number) => Number((ms / HOUR_MS).toFixed(2));

function csvRow(row: MetricsRow): (string | number | null)[] {
  return [
    row.week,
    isoWeekLabel(row.week),
    row.name,
    row.role,
    hours(row.listenedMs),
    row.hostsShadowed,
    row.callsHosted,
    hours(row.teachingMs),
    row.clipsMade,
    row.scorecardsGiven,
    row.callClipsReviewed,
    row.questionsAsked,
    row.questionsAnswered,
    row.medianFirstManagerCommentMs === null ? null : Number((row.medianFirstManagerCommentMs / MINUTE_MS).toFixed(1)),
    row.stepsCompleted,
  ];
}

/** The whole export: the header, then the rows by week, then by name. */
export function metricsCsv(reply: MetricsReply): string {
  const rows = [...reply.rows].sort((a, b) => a.week.localeCompare(b.week) || a.name.localeCompare(b.name) || a.userId.localeCompare(b.userId));
  return csvLines([[...METRICS_CSV_HEADER], ...rows.map(csvRow)]);
}

/** The download's file name (ASCII only: it goes into Content-Disposition as is). */
export function metricsCsvFileName(from: string, to: string): string {
  return from === to ? `bullpen-metrics-${from}.csv` : `bullpen-metrics-${from}-to-${to}.csv`;
}
