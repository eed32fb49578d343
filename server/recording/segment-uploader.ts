/**
 * Uploads a recording to object storage in segments while it is written locally: every
 * `intervalMs` the pages flushed since the last upload become one object, and the recording's
 * end (EOS page included) the final one. Segments are whole Ogg pages of one logical stream:
 * the first carries the headers, later ones only data pages continuing its page sequence and
 * granule position, so the recording is the byte concatenation of its segments and a node that
 * loses its disk loses at most the last interval. A segment is recorded in SQL only once its
 * object is stored; a failed upload is retried at the next tick (or, for the final one, until it
 * succeeds) and the local file is kept until then.
 */
import { open } from 'node:fs/promises';
import type { Logger } from '../logger';
import type { AudioStore } from '../storage/audio-store';
import { recordingSegmentKey } from '../storage/audio-store';
import type { SegmentStore } from '../store/segment-store';
import { readOggPages } from './ogg-pages';
import { indexLine, type IndexEntry } from './recording-index';
import { RECORDING_PRE_SKIP } from './recorder';

/** What the uploader reads of a recording being written (a live Recorder, or a repaired file). */
export interface LocalRecording {
  readonly audioPath: string;
  /** Writes buffered pages to the file (a live recorder), so they can be uploaded. */
  flush(): void;
  /** Bytes in the file. */
  readonly bytes: number;
  readonly index: readonly IndexEntry[];
}

export interface SegmentUploaderOptions {
  callId: string;
  /** This writer's token (recordings.writer). */
  writer: string;
  recording: LocalRecording;
  objects: AudioStore;
  segments: SegmentStore;
  log: Logger;
  /** Upload every this many ms; 0 uploads only when asked (`finish`). */
  intervalMs: number;
  /** Where the uploads so far end (a continued recording starts after another writer's). */
  nextSeq?: number;
  uploadedBytes?: number;
  /** Another writer took the recording over: this one stops. */
  onTakenOver?: () => void;
}

const FINAL_RETRY_MAX_MS = 30_000;

/** One recording's uploads; see the file comment. */
export class SegmentUploader {
  readonly #o: SegmentUploaderOptions;
  #seq: number;
  #uploaded: number;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<boolean> | null = null;
  #failing = false;
  #takenOver = false;
  #closed = false;
  #final = false;

  constructor(opts: SegmentUploaderOptions) {
    this.#o = opts;
    this.#seq = opts.nextSeq ?? 0;
    this.#uploaded = opts.uploadedBytes ?? 0;
    if (opts.intervalMs > 0) {
      this.#timer = setInterval(() => void this.upload(false), opts.intervalMs);
      this.#timer.unref();
    }
  }

  /** Bytes confirmed in object storage. */
  get uploadedBytes(): number {
    return this.#uploaded;
  }

  /** Whether another writer took the recording over. */
  get takenOver(): boolean {
    return this.#takenOver;
  }

  /**
   * Uploads what was written since the last upload as one segment (`final`: the recording is
   * closed and this is its end). Resolves whether everything written is confirmed stored.
   */
  upload(final: boolean): Promise<boolean> {
    if (this.#running) return this.#running.then(() => (final ? this.upload(true) : this.#uploaded >= this.#o.recording.bytes));
    const run = this.#uploadOnce(final).finally(() => {
      this.#running = null;
    });
    this.#running = run;
    return run;
  }

  /**
   * The recording was closed: uploads its end, retrying with growing pauses until it is stored,
   * another writer took over, or `close()` gives up (the local file stays for the next start).
   */
  async finish(): Promise<boolean> {
    this.#stopTimer();
    let pause = 500;
    for (;;) {
      if (await this.upload(true)) return true;
      if (this.#takenOver || this.#closed) return false;
      await new Promise((resolve) => setTimeout(resolve, pause).unref());
      pause = Math.min(FINAL_RETRY_MAX_MS, pause * 2);
    }
  }

  /** Stops uploading (server shutdown or take-over). Idempotent. */
  close(): void {
    this.#closed = true;
    this.#stopTimer();
  }

  #stopTimer(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  async #uploadOnce(final: boolean): Promise<boolean> {
    if (this.#takenOver || this.#final) return this.#final;
    const rec = this.#o.recording;
    try {
      rec.flush();
      const end = rec.bytes;
      const start = this.#uploaded;
      if (end <= start) return true;
      const index = rec.index.filter((e) => e.o >= start && e.o < end);
      // A segment of headers alone (no packet yet) waits for audio, unless it ends the recording.
      if (index.length === 0 && !final && start === 0) return false;
      const body = await readFileRange(rec.audioPath, start, end - start);
      const { pages, validLength } = readOggPages(body);
      const last = pages[pages.length - 1];
      if (!last || validLength !== body.length) throw new Error(`bytes ${start}-${end} of the recording are not whole Ogg pages`);
      const granule = Number(last.granule < 0n ? 0n : last.granule);
      const lastEntry = index[index.length - 1] ?? rec.index.filter((e) => e.o < start).pop();
      const mediaEndMs = Math.max(0, granule - RECORDING_PRE_SKIP) / 48;
      const wallEnd = lastEntry ? Math.round(lastEntry.w + (mediaEndMs - lastEntry.m)) : Date.now();
      const key = recordingSegmentKey(this.#o.callId, this.#seq, this.#o.writer);
      await this.#o.objects.put(key, body);
      const added = await this.#o.segments.add(
        {
          callId: this.#o.callId,
          seq: this.#seq,
          key,
          writer: this.#o.writer,
          startOffset: start,
          bytes: body.length,
          serial: last.serial,
          lastPageSeq: last.pageSeq,
          granule,
          wallEnd,
          indexLines: index.map(indexLine).join(''),
          final: final && last.eos,
        },
        Date.now(),
      );
      if (!added) {
        this.#takenOver = true;
        this.close();
        await this.#o.objects.delete(key).catch(() => undefined);
        this.#o.log.warn('recording taken over by another writer; this one stops uploading', { callId: this.#o.callId });
        this.#o.onTakenOver?.();
        return false;
      }
      this.#seq++;
      this.#uploaded = end;
      if (final && last.eos) this.#final = true;
      if (this.#failing) this.#o.log.info('recording uploads resumed', { callId: this.#o.callId, seq: this.#seq - 1 });
      this.#failing = false;
      return true;
    } catch (error) {
      // The local file keeps the audio; the next tick uploads the larger range.
      if (!this.#failing) this.#o.log.error('recording segment upload failed; retrying', { callId: this.#o.callId, error });
      this.#failing = true;
      return false;
    }
  }
}

async function readFileRange(path: string, offset: number, length: number): Promise<Buffer> {
  const fd = await open(path, 'r');
  try {
    const buf = Buffer.alloc(length);
    let done = 0;
    while (done < length) {
      const { bytesRead } = await fd.read(buf, done, length - done, offset + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return buf.subarray(0, done);
  } finally {
    await fd.close();
  }
}
