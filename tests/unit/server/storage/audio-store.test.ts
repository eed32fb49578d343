import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SegmentedRecording } from '../../../../server/recording/segmented-recording';
import { assertKey, clipKey, LocalAudioStore, recordingSegmentKey } from '../../../../server/storage/audio-store';
import type { SegmentRecord } from '../../../../server/store/segment-store';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function store(): Promise<LocalAudioStore> {
  const d = await mkdtemp(join(tmpdir(), 'bullpen-objects-'));
  dirs.push(d);
  return new LocalAudioStore(d);
}

async function text(stream: NodeJS.ReadableStream | undefined): Promise<string> {
  let out = '';
  for await (const chunk of stream!) out += String(chunk);
  return out;
}

describe('audio object keys', () => {
  it('are built from ids and refuse anything a client path could smuggle in', () => {
    expect(recordingSegmentKey('call1', 7, 'w1')).toBe('recordings/call1/000007-w1.ogg');
    expect(clipKey('clip1')).toBe('clips/clip1.ogg');
    for (const bad of ['../etc/passwd', 'clips/../../x', '/abs', 'clips//x', 'clips/a b.ogg', '']) expect(() => assertKey(bad)).toThrow();
  });
});

describe('LocalAudioStore', () => {
  it('puts, reads by inclusive range, lists by prefix and deletes', async () => {
    const objects = await store();
    await objects.put('recordings/c1/000000-w.ogg', Buffer.from('0123456789'));
    await objects.put('clips/k.ogg', Buffer.from('clip'));
    expect(await text(await objects.get('recordings/c1/000000-w.ogg', { start: 2, end: 4 }))).toBe('234');
    expect(await objects.head('clips/k.ogg')).toEqual({ size: 4 });
    expect(await objects.list('recordings/')).toEqual(['recordings/c1/000000-w.ogg']);
    await objects.delete('clips/k.ogg');
    await objects.delete('clips/k.ogg');
    expect(await objects.get('clips/k.ogg')).toBeUndefined();
    expect(await objects.head('clips/k.ogg')).toBeUndefined();
  });
});

describe('SegmentedRecording', () => {
  it('reads and streams byte ranges across segment boundaries as one file', async () => {
    const objects = await store();
    const parts = ['abcd', 'efghij', 'k', 'lmnop'];
    const segments: SegmentRecord[] = [];
    let offset = 0;
    for (const [seq, part] of parts.entries()) {
      const key = recordingSegmentKey('c1', seq, 'w');
      await objects.put(key, Buffer.from(part));
      segments.push({ callId: 'c1', seq, key, writer: 'w', startOffset: offset, bytes: part.length, serial: 1, lastPageSeq: seq, granule: 0, wallEnd: 0, indexLines: `{"w":${seq},"m":${seq},"o":${offset}}\n`, final: false });
      offset += part.length;
    }
    const whole = parts.join('');
    const rec = new SegmentedRecording(objects, segments);
    expect(rec.size).toBe(whole.length);
    expect((await rec.read(0, 1000)).toString()).toBe(whole);
    for (const [start, end] of [[0, 0], [3, 4], [2, 11], [10, 10], [9, 15]] as const) {
      expect(await text(rec.stream({ start, end }))).toBe(whole.slice(start, end + 1));
    }
    expect(rec.index().map((e) => e.o)).toEqual([0, 4, 10, 11]);
  });
});
