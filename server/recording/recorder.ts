/**
 * Records a live call: the host's Opus packets go, as they arrive and without decoding, into a
 * standard Ogg Opus file (`<id>.ogg`) plus a wall-clock index (`<id>.idx`, see
 * recording-index.ts).
 *
 * Timeline: the first packet's RTP timestamp is media time 0 and the file follows the RTP clock
 * (48 kHz). Late, duplicate and reordered packets are dropped, since Ogg cannot insert into the
 * past; a forward jump in timestamps (loss, or the host away: the forwarder advances timestamps
 * by the time away) is filled with 20 ms silence frames so the file's time stays the call's time.
 *
 * Durability: pages reach the file (page cache) every `flushIntervalMs`, so a killed process
 * loses that much audio plus the timer's lateness and the packets still in flight; a crash
 * leaves a file that repair.ts finalizes.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { randomInt } from 'node:crypto';
import { join } from 'node:path';
import type { Logger } from '../logger';
import { readTimestamp, rtpPayload } from '../media/rtp';
import { buildOggPage, lacingSegments, OGG_MAX_SEGMENTS } from './ogg-pages';
import { OPUS_SILENCE_20MS_STEREO, opusHead, opusPacketSamples, opusTags } from './opus-headers';
import { indexLine, mediaMsAtWall, type IndexEntry } from './recording-index';

export { mediaMsAtWall, readRecordingIndex, type IndexEntry } from './recording-index';

/**
 * Pre-skip written in the OpusHead: libopus's encoder lookahead at 48 kHz. Granule positions are
 * pre-skip + samples written (a stream that starts at granule 312, RFC 7845 §4.5), so a page's
 * granule minus pre-skip is media time and playback time equals media time; the decoder drops the
 * first 6.5 ms of priming, so the file plays media [6.5 ms, durationMs).
 */
export const RECORDING_PRE_SKIP = 312;
/** Vendor string in the OpusTags header. */
export const RECORDING_VENDOR = 'bullpen';

const SAMPLES_PER_MS = 48;
const SILENCE_SAMPLES = 960;
/** A page closes once it holds this much audio, so the index has an entry at least every second. */
const MAX_PAGE_SAMPLES = 48_000;
/**
 * Default flush interval: half of the "a crash loses at most 1 s" promise, leaving the other half
 * for a late timer on a busy event loop and packets in flight at the moment of the kill.
 */
const DEFAULT_FLUSH_INTERVAL_MS = 500;
/** Longest gap filled with silence: 10 minutes. Beyond, the timeline is shifted instead. */
const MAX_FILL_FRAMES = (10 * 60 * 1000) / 20;

export interface RecorderOptions {
  dir: string;
  /** Recording id, server-generated; names the files. */
  id: string;
  log: Logger;
  /** How often buffered pages are written out (default 500 ms). */
  flushIntervalMs?: number;
  /**
   * Continue a recording another writer began (object storage): the files already hold its
   * pages up to here, and this recorder carries on in the same Ogg logical stream.
   */
  resume?: ResumePoint;
}

/** Where a continued recording stands: the end of what the previous writer uploaded. */
export interface ResumePoint {
  serial: number;
  /** Page sequence number of the next page. */
  pageSeq: number;
  /** Samples of audio so far (pre-skip not counted). */
  samples: number;
  /** Bytes of the recording so far (the local files hold exactly these). */
  bytes: number;
  /** The index entries so far. */
  index: IndexEntry[];
  /** Wall-clock ms at which the audio so far ends: silence fills from here to the next packet. */
  wallEnd: number;
}

/** Counters for the call's summary log line and for tests. */
export interface RecorderStats {
  packetsWritten: number;
  /** Packets whose timestamp was not ahead of the previous one (late, duplicate, reordered). */
  packetsDropped: number;
  /** Packets with a malformed RTP header or an empty or unreadable Opus payload. */
  packetsInvalid: number;
  silenceFramesInserted: number;
}

/** One live recording; see the file comment. */
export class Recorder {
  readonly audioPath: string;
  readonly indexPath: string;

  readonly #log: Logger;
  readonly #serial: number;
  #audioFd: number;
  #indexFd: number;
  #timer: NodeJS.Timeout | null;
  #closed: { durationMs: number; bytes: number } | null = null;
  #writeFailed = false;

  #pageSeq = 0;
  /** Bytes on disk. */
  #bytes = 0;
  /** Bytes on disk plus sealed pages not yet written: where the next page will start. */
  #endOffset = 0;
  #sealed: Buffer[] = [];
  #sealedLines = '';

  // The open page.
  #pagePackets: Uint8Array[] = [];
  #pageSegments = 0;
  #pageSamples = 0;

  /** Every page's entry, the open page's included (for mediaMsAt). */
  readonly #index: IndexEntry[] = [];

  #startedAtWall: number | null = null;
  #lastArrivalMs: number | null = null;
  /** The next packet starts a new RTP timeline (the first packet, or the first after a resume). */
  #newTimeline = true;
  /** A resumed recording: wall-clock ms its audio reaches, until the first packet arrives. */
  #resumeWallEnd: number | null = null;
  #lastTs = 0;
  /** RTP timestamp of the last packet, unwrapped, relative to the first packet. */
  #extTs = 0;
  /** Timeline shift after a gap longer than the fill cap. */
  #tsShift = 0;
  /** Samples of audio in the recording (pre-skip not counted). */
  #samples = 0;
  readonly #stats: RecorderStats = { packetsWritten: 0, packetsDropped: 0, packetsInvalid: 0, silenceFramesInserted: 0 };

  private constructor(opts: RecorderOptions) {
    this.#log = opts.log.child({ recordingId: opts.id });
    mkdirSync(opts.dir, { recursive: true });
    this.audioPath = join(opts.dir, `${opts.id}.ogg`);
    this.indexPath = join(opts.dir, `${opts.id}.idx`);
    const resume = opts.resume;
    // 'wx': an existing recording is never overwritten ('a': a resumed one is appended to).
    const mode = resume ? 'a' : 'wx';
    this.#audioFd = openSync(this.audioPath, mode);
    try {
      this.#indexFd = openSync(this.indexPath, mode);
    } catch (err) {
      closeSync(this.#audioFd);
      throw err;
    }
    if (resume) {
      this.#serial = resume.serial;
      this.#pageSeq = resume.pageSeq;
      this.#samples = resume.samples;
      this.#bytes = resume.bytes;
      this.#endOffset = resume.bytes;
      this.#index.push(...resume.index);
      this.#startedAtWall = resume.index[0]?.w ?? resume.wallEnd;
      this.#resumeWallEnd = resume.wallEnd;
      // The gap since the previous writer's last uploaded packet is silence, up to now.
      this.#fillToWall(Date.now());
    } else {
      this.#serial = randomInt(0, 0x1_0000_0000);
      const head = opusHead({ channels: 2, preSkip: RECORDING_PRE_SKIP, inputSampleRate: 48_000 });
      this.#seal(buildOggPage({ serial: this.#serial, pageSeq: this.#pageSeq++, granule: 0n, packets: [head], bos: true }));
      this.#seal(buildOggPage({ serial: this.#serial, pageSeq: this.#pageSeq++, granule: 0n, packets: [opusTags(RECORDING_VENDOR)] }));
    }
    this.flush();
    const interval = opts.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS;
    this.#timer = setInterval(() => this.#timedFlush(), interval);
    this.#timer.unref();
    this.#log.info('recording started', { path: this.audioPath });
  }

  /** Creates both files (and the directory) and writes the Ogg Opus headers. */
  static create(opts: RecorderOptions): Recorder {
    return new Recorder(opts);
  }

  /**
   * One RTP packet of the host's stream (48 kHz clock). Hot path: no logging, no copying (the
   * payload is kept as a view of `rtpPacket`, which the caller no longer touches).
   */
  write(rtpPacket: Buffer, arrivalMs: number): void {
    if (this.#closed) return;
    const payload = rtpPayload(rtpPacket);
    const samples = opusPacketSamples(payload);
    if (samples === 0) {
      this.#stats.packetsInvalid++;
      return;
    }
    const ts = readTimestamp(rtpPacket);
    if (this.#newTimeline) {
      // A new RTP timeline starts at the audio written so far (a resumed recording first fills
      // the silence up to this packet's arrival).
      this.#newTimeline = false;
      this.#startedAtWall ??= arrivalMs;
      if (this.#resumeWallEnd !== null) this.#fillToWall(arrivalMs);
      this.#resumeWallEnd = null;
      this.#extTs = 0;
      this.#tsShift = -this.#samples;
    } else {
      // Signed 32-bit difference: handles wraparound and recognizes late packets.
      const delta = (ts - this.#lastTs) | 0;
      if (delta <= 0) {
        this.#stats.packetsDropped++;
        return;
      }
      this.#extTs += delta;
      const gap = this.#extTs - this.#tsShift - this.#samples;
      if (gap >= SILENCE_SAMPLES) this.#fillSilence(gap, arrivalMs);
    }
    this.#lastTs = ts;
    this.#lastArrivalMs = arrivalMs;
    this.#append(payload, samples, arrivalMs);
    this.#stats.packetsWritten++;
  }

  /** Writes buffered packets out as page(s) now and appends their index lines. */
  flush(): void {
    if (this.#pagePackets.length > 0) this.#sealOpenPage(false);
    if (this.#sealed.length === 0) return;
    const data = this.#sealed.length === 1 ? this.#sealed[0]! : Buffer.concat(this.#sealed);
    writeAll(this.#audioFd, data);
    this.#bytes += data.length;
    this.#sealed = [];
    // The index line goes after its page, so an index entry never points past the audio.
    if (this.#sealedLines) writeAll(this.#indexFd, Buffer.from(this.#sealedLines, 'utf8'));
    this.#sealedLines = '';
  }

  /** Media ms of the recording at wall-clock `wallMs`, clamped to [0, durationMs]. */
  mediaMsAt(wallMs: number): number {
    return Math.min(Math.max(0, mediaMsAtWall(this.#index, wallMs)), this.durationMs);
  }

  /** Audio received so far, buffered packets included. */
  get durationMs(): number {
    return this.#samples / SAMPLES_PER_MS;
  }

  /** Bytes written to the .ogg file so far. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Wall-clock arrival of the newest packet written; null before the first. */
  get lastArrivalMs(): number | null {
    return this.#lastArrivalMs;
  }

  /** The recording's index entries so far (the open page's included). */
  get index(): readonly IndexEntry[] {
    return this.#index;
  }

  /** Wall-clock arrival of the first packet; null before it. */
  get startedAtWall(): number | null {
    return this.#startedAtWall;
  }

  get stats(): Readonly<RecorderStats> {
    return this.#stats;
  }

  /** Flushes, ends the stream with an EOS page, fsyncs and closes the files. Idempotent. */
  close(): { durationMs: number; bytes: number } {
    if (this.#closed) return this.#closed;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    try {
      if (this.#pagePackets.length > 0) {
        this.#sealOpenPage(true);
      } else {
        // Everything is already out: end the stream with an empty page at the final position.
        const granule = BigInt(RECORDING_PRE_SKIP + this.#samples);
        this.#seal(buildOggPage({ serial: this.#serial, pageSeq: this.#pageSeq++, granule, packets: [], eos: true }));
      }
      this.flush();
      fsyncSync(this.#audioFd);
      fsyncSync(this.#indexFd);
    } finally {
      closeSync(this.#audioFd);
      closeSync(this.#indexFd);
      this.#closed = { durationMs: this.durationMs, bytes: this.#bytes };
    }
    this.#log.info('recording closed', { ...this.#closed, ...this.#stats });
    return this.#closed;
  }

  /** Fills `gap` samples with silence frames, dated back from the packet that revealed the gap. */
  #fillSilence(gap: number, arrivalMs: number): void {
    let frames = Math.round(gap / SILENCE_SAMPLES);
    if (frames > MAX_FILL_FRAMES) {
      this.#tsShift += gap - MAX_FILL_FRAMES * SILENCE_SAMPLES;
      frames = MAX_FILL_FRAMES;
    }
    for (let i = 0; i < frames; i++) {
      this.#append(OPUS_SILENCE_20MS_STEREO, SILENCE_SAMPLES, arrivalMs - (frames - i) * 20);
    }
    this.#stats.silenceFramesInserted += frames;
  }

  /** A resumed recording: silence frames from where its audio ends up to wall-clock `wallMs`. */
  #fillToWall(wallMs: number): void {
    if (this.#resumeWallEnd === null) return;
    const frames = Math.min(MAX_FILL_FRAMES, Math.max(0, Math.floor((wallMs - this.#resumeWallEnd) / 20)));
    for (let i = 0; i < frames; i++) this.#append(OPUS_SILENCE_20MS_STEREO, SILENCE_SAMPLES, this.#resumeWallEnd + i * 20);
    this.#resumeWallEnd += frames * 20;
    this.#stats.silenceFramesInserted += frames;
  }

  #append(packet: Uint8Array, samples: number, wallMs: number): void {
    const segments = lacingSegments(packet.length);
    if (this.#pageSegments + segments > OGG_MAX_SEGMENTS) this.#sealOpenPage(false);
    if (this.#pagePackets.length === 0) {
      this.#index.push({ w: wallMs, m: this.#samples / SAMPLES_PER_MS, o: this.#endOffset });
    }
    this.#pagePackets.push(packet);
    this.#pageSegments += segments;
    this.#pageSamples += samples;
    this.#samples += samples;
    if (this.#pageSamples >= MAX_PAGE_SAMPLES) this.#sealOpenPage(false);
  }

  #sealOpenPage(eos: boolean): void {
    const granule = BigInt(RECORDING_PRE_SKIP + this.#samples);
    const page = buildOggPage({ serial: this.#serial, pageSeq: this.#pageSeq++, granule, packets: this.#pagePackets, eos });
    this.#sealedLines += indexLine(this.#index[this.#index.length - 1]!);
    this.#seal(page);
    this.#pagePackets = [];
    this.#pageSegments = 0;
    this.#pageSamples = 0;
  }

  #seal(page: Buffer): void {
    this.#sealed.push(page);
    this.#endOffset += page.length;
  }

  #timedFlush(): void {
    try {
      this.flush();
      this.#writeFailed = false;
    } catch (err) {
      // Pages stay buffered and the next tick retries; log the failure once, not every second.
      if (!this.#writeFailed) this.#log.error('recording write failed', { err });
      this.#writeFailed = true;
    }
  }
}

function writeAll(fd: number, data: Buffer): void {
  let done = 0;
  while (done < data.length) done += writeSync(fd, data, done, data.length - done);
}
