/**
 * The object-storage side of recordings: reading a recording back from its segments, fetching
 * them to continue it on another node, and deleting every object of a recording.
 */
import { writeFile } from 'node:fs/promises';
import type { Logger } from '../logger';
import { recordingPrefix, type AudioStore } from '../storage/audio-store';
import type { SegmentStore } from '../store/segment-store';
import { RECORDING_PRE_SKIP, type ResumePoint } from './recorder';
import { indexLine } from './recording-index';
import { SegmentedRecording } from './segmented-recording';

/** Object storage for recordings, as RecordingService uses it. */
export interface RecordingObjectsOptions {
  objects: AudioStore;
  segments: SegmentStore;
  /** Live recordings are uploaded at least this often (ms). */
  segmentMs: number;
  log: Logger;
}

/** See the file comment. */
export class RecordingObjects {
  readonly objects: AudioStore;
  readonly segments: SegmentStore;
  readonly segmentMs: number;
  readonly #log: Logger;

  constructor(opts: RecordingObjectsOptions) {
    this.objects = opts.objects;
    this.segments = opts.segments;
    this.segmentMs = opts.segmentMs;
    this.#log = opts.log;
  }

  /** The recording as stored (empty when nothing was uploaded). */
  async recording(callId: string): Promise<SegmentedRecording> {
    return new SegmentedRecording(this.objects, await this.segments.list(callId));
  }

  /**
   * Writes the uploaded segments of a recording into local files (audio and index) so a new
   * writer can append to them; returns where they end, or undefined if nothing was uploaded.
   * Throws if the recording already ended (its last segment carries the EOS page).
   */
  async fetchForResume(callId: string, audioPath: string, indexPath: string): Promise<(ResumePoint & { nextSeq: number }) | undefined> {
    const segments = await this.segments.list(callId);
    const last = segments[segments.length - 1];
    if (!last) return undefined;
    if (last.final) throw new Error('the recording already ended');
    const recording = new SegmentedRecording(this.objects, segments);
    const audio = await recording.read(0, recording.size);
    if (audio.length !== recording.size) throw new Error(`recording ${callId}: fetched ${audio.length} of ${recording.size} bytes`);
    const index = recording.index();
    await writeFile(audioPath, audio, { flush: true });
    await writeFile(indexPath, index.map(indexLine).join(''), { flush: true });
    return {
      serial: last.serial,
      pageSeq: last.lastPageSeq + 1,
      samples: Math.max(0, last.granule - RECORDING_PRE_SKIP),
      bytes: recording.size,
      index,
      wallEnd: last.wallEnd,
      nextSeq: last.seq + 1,
    };
  }

  /** Deletes every object of a recording (orphans of a writer that was taken over included) and its segment rows. */
  async deleteRecording(callId: string): Promise<number> {
    const keys = await this.objects.list(recordingPrefix(callId));
    for (const key of keys) await this.objects.delete(key);
    await this.segments.remove(callId);
    this.#log.info('recording objects deleted', { callId, objects: keys.length });
    return keys.length;
  }
}
