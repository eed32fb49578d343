import { auditKindLabels, type AuditEvent } from '../../contract';

/**
 * A cell as CSV: always quoted, quotes doubled. A value a spreadsheet would run as a formula
 * (starting with `=`, `+`, `-`, `@`, a tab or a carriage return, OWASP's list) gets a leading
 * apostrophe, so a person named `=HYPERLINK(…)` reads as text in Excel, LibreOffice and Sheets.
 */
export function csvCell(value: string | number | null): string {
  let text = value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

const HEADER = ['time (UTC)', 'event', 'by', 'by id', 'about', 'about id', 'target', 'target id', 'detail'];

/** The log as CSV (RFC 4180, CRLF line ends), one row per event, times as ISO 8601 UTC. */
export function auditCsv(events: readonly AuditEvent[]): string {
  const lines = [HEADER.map(csvCell).join(',')];
  for (const e of events) {
    lines.push(
      [
        new Date(e.at).toISOString(),
        auditKindLabels[e.kind],
        e.actorName,
        e.actorId,
        e.subjectName,
        e.subjectId,
        e.targetLabel,
        e.targetId,
        e.detail,
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return lines.join('\r\n') + '\r\n';
}
