/**
 * Cuts a time range out of a recording into a standalone Ogg Opus file, copying the Opus packets
 * as they are. Opus needs some audio before the cut to converge, so up to 80 ms of packets before
 * the start go in as pre-roll and the new OpusHead's pre-skip tells the decoder to discard
 * exactly the samples before the start (RFC 7845 §4.2); the last page's granule position trims
 * the samples after the end (§4.5).
 *
 * Times are media times as the recorder writes them: a packet's media time is its page's granule
 * minus the recording's pre-skip, less the packets after it on the page.
 *
 * Reads go through the index: only the pages from the one at/before the start are read, in
 * ranges, so cutting a minute out of a three-hour recording reads about a minute of it.
 *
 * Everything is asynchronous and in bounded steps (a 256 KB read, then parsing it; the write
 * and fsync on libuv's pool): cuts run in the process that forwards live audio, and twenty
 * clips cut at once must not hold up its packets (the benchmark's `forwarding_stall_ms_max`).
 * Chosen over a worker thread because the server runs from TypeScript through tsx, which a
 * worker would need as its own loader; a worker was not measured.
 */
import { randomInt } from 'node:crypto';
import { open, rename } from 'node:fs/promises';
import { buildOggPage, lacingSegments, OGG_MAX_PAGE_SIZE, OGG_MAX_SEGMENTS, readOggPages, type OggPage } from './ogg-pages';
import { opusHead, opusPacketSamples, opusTags, parseOpusHead, type OpusHeadFields } from './opus-headers';
import { readRecordingIndexAsync, type IndexEntry } from './recording-index';

/**
 * The bytes of a recording, read in ranges: a local file, or the segments of a recording in
 * object storage (segmented-recording.ts) read by ranged requests.
 */
export interface RecordingBytes {
  readonly size: number;
  /** `length` bytes from `offset` (fewer only at the end). */
  read(offset: number, length: number): Promise<Buffer>;
}

const SAMPLES_PER_MS = 48;
/** Decoder pre-roll before the start: 80 ms, at most 4 packets. */
const PRE_ROLL_SAMPLES = 80 * SAMPLES_PER_MS;
const PRE_ROLL_PACKETS = 4;
const PAGE_SAMPLES = 48_000;
const READ_CHUNK = 256 * 1024;

export interface CutClipOptions {
  audioPath: string;
  indexPath: string;
  startMs: number;
  endMs: number;
  /** Where the clip goes; written to `outPath + '.tmp'` first, then renamed. */
  outPath: string;
}

export interface CutClipResult {
  /** Start actually used (clamped to the recording). */
  startMs: number;
  durationMs: number;
  bytes: number;
}

interface TimedPacket {
  data: Buffer;
  /** Start of the packet in recording samples (pre-skip excluded). */
  start: number;
  samples: number;
}

/**
 * Copies media [startMs, endMs) of a recording, clamped to what it holds, into a new Ogg Opus
 * file. Works on a finished recording and on one being written (flush the recorder first).
 * Throws if the clamped range is empty or the recording is unreadable.
 */
export async function cutClip(opts: CutClipOptions): Promise<CutClipResult> {
  const fd = await open(opts.audioPath, 'r');
  try {
    const size = (await fd.stat()).size;
    const bytes: RecordingBytes = { size, read: (offset, length) => readFileRange(fd, offset, length) };
    return await cutClipFrom({ ...opts, bytes, index: await readRecordingIndexAsync(opts.indexPath) });
  } finally {
    await fd.close();
  }
}

/** As {@link cutClip}, from a recording's bytes and index however they are stored. */
export async function cutClipFrom(opts: Omit<CutClipOptions, 'audioPath' | 'indexPath'> & { bytes: RecordingBytes; index: readonly IndexEntry[] }): Promise<CutClipResult> {
  const fd = opts.bytes;
  const size = fd.size;
  const { head, audioOffset } = await readHeaders(fd, size);
  const index = opts.index.filter((e) => e.o >= audioOffset && e.o < size);

  const totalSamples = await recordingSamples(fd, size, head, index, audioOffset);
  const start = Math.max(0, Math.round(opts.startMs * SAMPLES_PER_MS));
  const end = Math.min(totalSamples, Math.round(opts.endMs * SAMPLES_PER_MS));
  if (end <= start) throw new Error(`clip [${opts.startMs}, ${opts.endMs}) ms is outside the recording (${totalSamples / SAMPLES_PER_MS} ms)`);

  const from = seekOffset(index, (start - PRE_ROLL_SAMPLES) / SAMPLES_PER_MS, audioOffset);
  const packets = await collectPackets(fd, size, from, head.preSkip, start, end);
  if (packets.length === 0) throw new Error('no audio packets in the clip range');

  // Pre-roll: the packet holding `start` plus up to 4 whole packets (80 ms) before it.
  const containing = packets.findIndex((p) => p.start + p.samples > start);
  if (containing < 0) throw new Error('no audio packets in the clip range');
  let first = containing;
  while (
    first > 0 &&
    containing - first < PRE_ROLL_PACKETS &&
    packets[containing]!.start - packets[first - 1]!.start <= PRE_ROLL_SAMPLES
  ) {
    first--;
  }
  const kept = packets.slice(first);
  const origin = kept[0]!.start;
  const preSkip = start - origin;
  const bytes = await writeClip(opts.outPath, head, preSkip, kept, end - origin);
  return { startMs: start / SAMPLES_PER_MS, durationMs: (end - start) / SAMPLES_PER_MS, bytes };
}

type FileHandle = Awaited<ReturnType<typeof open>>;

async function readRange(source: RecordingBytes, offset: number, length: number): Promise<Buffer> {
  return await source.read(offset, length);
}

async function readFileRange(fd: FileHandle, offset: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await fd.read(buf, done, length - done, offset + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done === length ? buf : buf.subarray(0, done);
}

/** The OpusHead fields and where the first audio page starts (after OpusHead and OpusTags). */
async function readHeaders(fd: RecordingBytes, size: number): Promise<{ head: OpusHeadFields; audioOffset: number }> {
  const { pages } = readOggPages(await readRange(fd, 0, Math.min(size, 2 * OGG_MAX_PAGE_SIZE)));
  const head = pages[0]?.packets[0] && parseOpusHead(pages[0].packets[0]);
  if (!head || !pages[1]) throw new Error('not an Ogg Opus recording');
  return { head, audioOffset: pages[1].offset + pages[1].length };
}

/** Samples in the recording: the granule of its last intact page, found from the last index entry. */
async function recordingSamples(fd: RecordingBytes, size: number, head: OpusHeadFields, index: IndexEntry[], audioOffset: number): Promise<number> {
  // The index may lag the audio by a page or so; if its last entry is unusable, scan from the top.
  let granule = index.length > 0 ? await scanLastGranule(fd, size, index[index.length - 1]!.o) : -1n;
  if (granule < 0n) granule = await scanLastGranule(fd, size, audioOffset);
  return granule < 0n ? 0 : Math.max(0, Number(granule) - head.preSkip);
}

async function scanLastGranule(fd: RecordingBytes, size: number, from: number): Promise<bigint> {
  let granule = -1n;
  await forEachPage(fd, size, from, (page) => {
    if (page.granule >= 0n) granule = page.granule;
    return true;
  });
  return granule;
}

/** Offset of the last indexed page starting at or before media `ms` (the first audio page if none). */
function seekOffset(index: IndexEntry[], ms: number, audioOffset: number): number {
  let offset = audioOffset;
  for (const e of index) {
    if (e.m > ms) break;
    offset = e.o;
  }
  return offset;
}

/** Calls `visit` for each intact page from `from` until it returns false or the pages end. */
async function forEachPage(fd: RecordingBytes, size: number, from: number, visit: (page: OggPage) => boolean): Promise<void> {
  let at = from;
  while (at < size) {
    const buf = await readRange(fd, at, Math.min(READ_CHUNK, size - at));
    const { pages, validLength } = readOggPages(buf);
    for (const page of pages) if (!visit(page)) return;
    // No whole page in a chunk larger than any page: the rest is torn or corrupt.
    if (validLength === 0) return;
    at += validLength;
  }
}

/** Packets from `from` up to the one that reaches `end`, each with its start in recording samples. */
async function collectPackets(fd: RecordingBytes, size: number, from: number, preSkip: number, start: number, end: number): Promise<TimedPacket[]> {
  const out: TimedPacket[] = [];
  await forEachPage(fd, size, from, (page) => {
    if (page.granule < 0n || page.packets.length === 0) return true;
    const lengths = page.packets.map((p) => opusPacketSamples(p));
    // The granule marks the end of the page's last packet: walk back to where the page starts.
    let t = Number(page.granule) - preSkip - lengths.reduce((a, b) => a + b, 0);
    page.packets.forEach((p, i) => {
      const samples = lengths[i]!;
      // Keep enough before the start for the pre-roll (plus one maximal 120 ms packet of slack).
      // Each chunk is a buffer of its own, so packets are kept as views into it, not copied:
      // a copy per packet is thousands of small allocations per clip, and their collection
      // (on the thread that forwards audio) was the largest stall of twenty cuts at once.
      if (t + samples > start - PRE_ROLL_SAMPLES - 5760 && t < end) out.push({ data: p, start: t, samples });
      t += samples;
    });
    return t < end;
  });
  return out;
}

/**
 * Writes the clip to a temporary file, fsyncs, renames; returns its size. Each page is written
 * as soon as it is built, so the work between two awaits stays one page (about a second of audio).
 */
async function writeClip(outPath: string, head: OpusHeadFields, preSkip: number, packets: TimedPacket[], endGranule: number): Promise<number> {
  const serial = randomInt(0, 0x1_0000_0000);
  let pageSeq = 0;
  const tmp = `${outPath}.tmp`;
  const fd = await open(tmp, 'w');
  let bytes = 0;
  const write = async (page: Buffer): Promise<void> => {
    let done = 0;
    while (done < page.length) done += (await fd.write(page, done, page.length - done, bytes + done)).bytesWritten;
    bytes += page.length;
  };
  try {
    await write(buildOggPage({ serial, pageSeq: pageSeq++, granule: 0n, packets: [opusHead({ ...head, preSkip })], bos: true }));
    await write(buildOggPage({ serial, pageSeq: pageSeq++, granule: 0n, packets: [opusTags('bullpen')] }));
    const origin = packets[0]!.start;
    let page: Buffer[] = [];
    let segments = 0;
    let pageSamples = 0;
    for (let i = 0; i < packets.length; i++) {
      const p = packets[i]!;
      const last = i === packets.length - 1;
      page.push(p.data);
      segments += lacingSegments(p.data.length);
      pageSamples += p.samples;
      const nextSegments = last ? 0 : lacingSegments(packets[i + 1]!.data.length);
      if (last || pageSamples >= PAGE_SAMPLES || segments + nextSegments > OGG_MAX_SEGMENTS) {
        // The last page's granule ends at the clip's end, trimming the tail of its last packet.
        const granule = BigInt(last ? endGranule : p.start + p.samples - origin);
        await write(buildOggPage({ serial, pageSeq: pageSeq++, granule, packets: page, eos: last }));
        page = [];
        segments = 0;
        pageSamples = 0;
      }
    }
    await fd.sync();
  } finally {
    await fd.close();
  }
  await rename(tmp, outPath);
  return bytes;
}
