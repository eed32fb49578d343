/**
 * Finalizes a recording a crash left unfinished: the .ogg may end inside a page and has no EOS
 * page, and the index may hold a torn last line or point at a page that never fully landed.
 * Run at startup for recordings still marked active; running it again changes nothing.
 */
import { closeSync, existsSync, fstatSync, fsyncSync, ftruncateSync, openSync, readFileSync, readSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { buildOggPage, readOggPages, type OggPage } from './ogg-pages';
import { parseOpusHead } from './opus-headers';
import { indexLine, readRecordingIndex } from './recording-index';

const READ_CHUNK = 1024 * 1024;

export interface RepairOptions {
  audioPath: string;
  indexPath: string;
}

export interface RepairResult {
  durationMs: number;
  /** Size of the .ogg after repair. */
  bytes: number;
  /** Bytes cut off the end (a torn or corrupt tail). */
  truncatedBytes: number;
  /** Whether an EOS page had to be appended (false for a recording that was closed properly). */
  finalized: boolean;
}

/**
 * Truncates the .ogg to its last intact page, ends it with an EOS page if it lacks one, and drops
 * index lines that do not point at an intact page. Throws if not even the headers survived.
 */
export function repairRecording(opts: RepairOptions): RepairResult {
  const fd = openSync(opts.audioPath, 'r+');
  try {
    const size = fstatSync(fd).size;
    const { pageOffsets, validLength, head, last, lastGranule } = scan(fd, size);
    const preSkip = head ? parseOpusHead(head.packets[0] ?? new Uint8Array())?.preSkip : undefined;
    if (!last || preSkip === undefined || pageOffsets.size < 2) throw new Error(`${opts.audioPath} is not a readable Ogg Opus recording`);

    if (validLength < size) ftruncateSync(fd, validLength);
    let bytes = validLength;
    const finalized = !last.eos;
    if (finalized) {
      // An empty page carrying the stream's final position: ends the stream without inventing audio.
      const granule = lastGranule < 0n ? BigInt(preSkip) : lastGranule;
      const eos = buildOggPage({ serial: last.serial, pageSeq: last.pageSeq + 1, granule, packets: [], eos: true });
      writeSync(fd, eos, 0, eos.length, validLength);
      bytes += eos.length;
    }
    if (finalized || validLength < size) fsyncSync(fd);

    repairIndex(opts.indexPath, pageOffsets);
    const samples = lastGranule < 0n ? 0 : Math.max(0, Number(lastGranule) - preSkip);
    return { durationMs: samples / 48, bytes, truncatedBytes: size - validLength, finalized };
  } finally {
    closeSync(fd);
  }
}

interface ScanResult {
  /** Offsets of every intact page. */
  pageOffsets: Set<number>;
  validLength: number;
  head: OggPage | undefined;
  last: OggPage | undefined;
  /** Last granule position that marks a packet end (-1n if none). */
  lastGranule: bigint;
}

/** Reads the whole file in chunks, checking every page: a crash only tears the tail, but we verify. */
function scan(fd: number, size: number): ScanResult {
  const result: ScanResult = { pageOffsets: new Set(), validLength: 0, head: undefined, last: undefined, lastGranule: -1n };
  const chunk = Buffer.alloc(READ_CHUNK);
  let at = 0;
  while (at < size) {
    const n = readSync(fd, chunk, 0, Math.min(READ_CHUNK, size - at), at);
    const { pages, validLength } = readOggPages(chunk.subarray(0, n));
    for (const page of pages) {
      result.pageOffsets.add(at + page.offset);
      if (!result.head) result.head = { ...page, packets: page.packets.map((p) => Buffer.from(p)) };
      result.last = page;
      if (page.granule >= 0n) result.lastGranule = page.granule;
    }
    if (validLength === 0) break;
    at += validLength;
  }
  result.validLength = at;
  return result;
}

/** Rewrites the index without entries that miss an intact page; untouched if nothing is dropped. */
function repairIndex(indexPath: string, pageOffsets: Set<number>): void {
  const entries = readRecordingIndex(indexPath);
  const kept = entries.filter((e) => pageOffsets.has(e.o));
  const raw = existsSync(indexPath) ? readFileSync(indexPath, 'utf8') : '';
  const clean = kept.map(indexLine).join('');
  if (raw === clean) return;
  // Replace atomically: a crash during repair must not lose the index.
  const tmp = `${indexPath}.tmp`;
  writeFileSync(tmp, clean, { flush: true });
  renameSync(tmp, indexPath);
}
