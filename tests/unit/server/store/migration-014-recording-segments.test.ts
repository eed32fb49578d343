import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../../../server/store/db';
import { migrations } from '../../../../server/store/migrations';
import { SegmentStore } from '../../../../server/store/segment-store';
import { closeStores, engines, exec, freshStore, tables, violates } from './store-engines';

afterEach(closeStores);

const STEP = '014-recording-segments';

describe.each(engines)('migration 014 on %s', (engine) => {
  it('014 adds the recording writer and the segment list, on top of earlier recordings', async () => {
    const index = migrations.findIndex((m) => m.name === STEP);
    expect(index).toBeGreaterThan(0);
    const store = await freshStore(engine, index);
    const run = exec(store.db);
    await run`INSERT INTO teams (id, name, created_at) VALUES ('t1', 'Team', 0)`;
    await run`INSERT INTO users (id, team_id, name, email, password_hash, role, created_at) VALUES ('u1', 't1', 'Ann', 'a@x.test', 'h', 'admin', 0)`;
    await run`INSERT INTO calls (id, team_id, host_id, title, policy, started_at) VALUES ('c1', 't1', 'u1', 'Call', 'team', 0)`;
    await run`INSERT INTO recordings (call_id, team_id, state, started_at) VALUES ('c1', 't1', 'recording', 0)`;
    const before = await tables(store);
    expect(before).not.toContain('recording_segments');

    expect(await migrate(store, index + 1)).toEqual([STEP]);
    expect(await tables(store)).toEqual([...before, 'recording_segments'].sort());
    expect(await run`SELECT writer FROM recordings`).toEqual([{ writer: null }]);

    const segments = new SegmentStore(store);
    // Only the current writer records a segment; a take-over is compare-and-set.
    expect(await segments.takeOver('c1', null, 'w1')).toBe(true);
    expect(await segments.takeOver('c1', null, 'w2')).toBe(false);
    const seg = (seq: number, writer: string, key = `recordings/c1/${seq}-${writer}.ogg`) => ({
      callId: 'c1', seq, key, writer, startOffset: seq * 100, bytes: 100, serial: 0xffff_fff0, lastPageSeq: seq + 2,
      granule: 48_312 * (seq + 1), wallEnd: 1_900_000_000_000 + seq, indexLines: '{"w":1,"m":0,"o":0}\n', final: false,
    });
    expect(await segments.add(seg(0, 'w1'), 1)).toBe(true);
    expect(await segments.add(seg(1, 'w2'), 1)).toBe(false);
    expect(await segments.takeOver('c1', 'w1', 'w2')).toBe(true);
    expect(await segments.add(seg(1, 'w1'), 1)).toBe(false);
    // Two writers can never both record the same segment number.
    await expect(segments.add(seg(0, 'w2', 'other-key'), 1)).rejects.toThrow(violates.unique);
    expect(await segments.add(seg(1, 'w2'), 1)).toBe(true);
    expect(await segments.list('c1')).toEqual([seg(0, 'w1'), seg(1, 'w2')]);

    await expect(run`INSERT INTO recording_segments (call_id, seq, object_key, writer, start_offset, bytes, serial, last_page_seq, granule, wall_end, uploaded_at)
      VALUES ('c1', 2, 'k', 'w', 0, 0, 0, 0, 0, 0, 0)`).rejects.toThrow(violates.check);
    await expect(run`INSERT INTO recording_segments (call_id, seq, object_key, writer, start_offset, bytes, serial, last_page_seq, granule, wall_end, uploaded_at)
      VALUES ('nope', 2, 'k', 'w', 0, 1, 0, 0, 0, 0, 0)`).rejects.toThrow(violates.foreignKey);
    await segments.remove('c1');
    expect(await segments.list('c1')).toEqual([]);
  });
});
