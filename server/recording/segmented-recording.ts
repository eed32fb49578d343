/**
 * A recording kept in object storage as segments whose byte concatenation is the whole Ogg file
 * (see segment-uploader.ts): read by byte range across segment boundaries, for cutting clips
 * and for serving the recording through the node with HTTP Range.
 */
import { Readable } from 'node:stream';
import type { AudioStore, ByteRange } from '../storage/audio-store';
import type { SegmentRecord } from '../store/segment-store';
import type { RecordingBytes } from './clip-cutter';
import { readRecordingIndexLines, type IndexEntry } from './recording-index';

/** The bytes of a segmented recording; see the file comment. */
export class SegmentedRecording implements RecordingBytes {
  readonly size: number;
  readonly #objects: AudioStore;
  readonly #segments: readonly SegmentRecord[];

  constructor(objects: AudioStore, segments: readonly SegmentRecord[]) {
    this.#objects = objects;
    this.#segments = segments;
    const last = segments[segments.length - 1];
    this.size = last ? last.startOffset + last.bytes : 0;
  }

  /** The recording index: every segment's index lines in order. */
  index(): IndexEntry[] {
    return readRecordingIndexLines(this.#segments.map((s) => s.indexLines).join(''));
  }

  async read(offset: number, length: number): Promise<Buffer> {
    const end = Math.min(this.size, offset + length) - 1;
    if (end < offset) return Buffer.alloc(0);
    const chunks: Buffer[] = [];
    for await (const chunk of this.stream({ start: offset, end })) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  /** The bytes of `range` (inclusive, within the size), fetched segment by segment as read. */
  stream(range: ByteRange): Readable {
    const objects = this.#objects;
    const parts = this.#segments
      .filter((s) => s.startOffset <= range.end && s.startOffset + s.bytes > range.start)
      .map((s) => ({
        key: s.key,
        start: Math.max(0, range.start - s.startOffset),
        end: Math.min(s.bytes - 1, range.end - s.startOffset),
      }));
    async function* chunks(): AsyncGenerator<Buffer> {
      for (const part of parts) {
        const body = await objects.get(part.key, { start: part.start, end: part.end });
        if (!body) throw new Error(`recording segment ${part.key} is missing from object storage`);
        for await (const chunk of body) yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
      }
    }
    return Readable.from(chunks(), { objectMode: false });
  }
}
