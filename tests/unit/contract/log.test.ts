import { describe, expect, it } from 'vitest';
import { createJsonLogger } from '../../../contract/log';

describe('createJsonLogger', () => {
  it('writes one JSON line per event at or above the level, with child fields and errors spelled out', () => {
    const lines: [string, Record<string, unknown>][] = [];
    const log = createJsonLogger({ level: 'info', write: (level, line) => lines.push([level, JSON.parse(line)]) });
    log.debug('hidden');
    log.child({ callId: 'c1' }).warn('host state', { hostState: 'reconnecting', error: new Error('gone') });
    expect(lines).toHaveLength(1);
    const [level, entry] = lines[0]!;
    expect(level).toBe('warn');
    expect(entry).toMatchObject({ level: 'warn', msg: 'host state', callId: 'c1', hostState: 'reconnecting', error: { name: 'Error', message: 'gone' } });
    expect(typeof entry.t).toBe('string');
  });

  it('writes nothing when silent', () => {
    const lines: string[] = [];
    const log = createJsonLogger({ level: 'silent', write: (_l, line) => lines.push(line) });
    log.error('nope');
    expect(lines).toEqual([]);
  });
});
