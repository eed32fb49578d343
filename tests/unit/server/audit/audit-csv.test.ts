import { describe, expect, it } from 'vitest';
import { auditCsv, csvCell } from '../../../../server/audit/audit-csv';

describe('csvCell', () => {
  it('quotes every cell and doubles quotes', () => {
    expect(csvCell('plain')).toBe('"plain"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell(null)).toBe('""');
    expect(csvCell(42)).toBe('"42"');
    expect(csvCell('a,b\nc')).toBe('"a,b\nc"');
  });

  it('defuses what a spreadsheet would run as a formula', () => {
    for (const bad of ['=1+1', '+1', '-2', '@SUM(A1)', '\tx', '\rx']) expect(csvCell(bad)).toBe(`"'${bad}"`);
    expect(csvCell('a=1')).toBe('"a=1"');
  });
});

describe('auditCsv', () => {
  it('writes a header and one CRLF row per event, times in UTC', () => {
    const csv = auditCsv([
      {
        id: 'e1',
        at: Date.UTC(2026, 0, 2, 3, 4, 5),
        kind: 'role-changed',
        actorId: 'u1',
        actorName: 'Ann',
        subjectId: 'u2',
        subjectName: '=cmd',
        targetId: null,
        targetLabel: null,
        detail: 'rep → manager',
      },
    ]);
    expect(csv.split('\r\n')).toEqual([
      '"time (UTC)","event","by","by id","about","about id","target","target id","detail"',
      `"2026-01-02T03:04:05.000Z","Role changed","Ann","u1","'=cmd","u2","","","rep → manager"`,
      '',
    ]);
  });
});
