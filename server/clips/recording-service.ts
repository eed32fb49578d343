import { EventEmitter } from 'node:events';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../logger';
import { cutClip, type CutClipResult } from '../recording/clip-cutter';
import { Recorder } from '../recording/recorder';
import { mediaMsAtWall, readRecordingIndex } from '../recording/recording-index';
import { repairRecording } from '../recording/repair';
import type { RecordingStore } from '../store/recording-store';

/** Subscribes to a call's host packets; returns the unsubscribe function. */
export type PacketSource = (onPacket: (packet: Buffer, arrivalMs: number) => void) => () => void;

interface LiveRecording {
  recorder: Recorder;
  teamId: string;
  unsubscribe: () => void;
  progressTimer: NodeJS.Timeout;
}

interface RecordingServiceEvents {
  /**
   * A call's recorder was closed (the call ended); emitted before a discarded recording's
   * files are deleted, so pending clips can still be cut from it.
   */
  closed: [callId: string];
}

export interface RecordingServiceOptions {
  store: RecordingStore;
  /** Directory of recording files (`<callId>.ogg` + `<callId>.idx`). */
  dir: string;
  log: Logger;
}

/**
 * Recordings of calls: one `Recorder` per recorded live call fed by the call's forwarder,
 * finished (kept or discarded) when the call ends, repaired after a crash, deleted when the
 * team's retention runs out. Files are addressed by call id only.
 */
export class RecordingService {
  readonly #store: RecordingStore;
  readonly #dir: string;
  readonly #log: Logger;
  readonly #live = new Map<string, LiveRecording>();
  /** Cuts under way per call: a recording's files are deleted only once they are done. */
  readonly #cutting = new Map<string, Set<Promise<unknown>>>();
  /** The cut running now (cuts run one after another). */
  #cutQueue: Promise<unknown> = Promise.resolve();
  readonly #events = new EventEmitter<RecordingServiceEvents>();

  constructor(opts: RecordingServiceOptions) {
    this.#store = opts.store;
    this.#dir = opts.dir;
    this.#log = opts.log.child({ component: 'recordings' });
  }

  on<E extends keyof RecordingServiceEvents>(event: E, fn: (...args: RecordingServiceEvents[E]) => void): void {
    this.#events.on(event, fn as never);
  }

  audioPath(callId: string): string {
    return join(this.#dir, `${callId}.ogg`);
  }

  indexPath(callId: string): string {
    return join(this.#dir, `${callId}.idx`);
  }

  /** Starts recording a call whose host confirmed the customer was told. */
  begin(call: { id: string; teamId: string }, consentBy: string, source: PacketSource): void {
    if (this.#live.has(call.id)) return;
    const now = Date.now();
    this.#store.start({ callId: call.id, teamId: call.teamId, consentBy, at: now });
    const recorder = Recorder.create({ dir: this.#dir, id: call.id, log: this.#log.child({ callId: call.id }) });
    const unsubscribe = source((packet, arrivalMs) => recorder.write(packet, arrivalMs));
    // The database learns the duration every few seconds; the recorder writes the file twice a second.
    const progressTimer = setInterval(() => this.#store.progress(call.id, recorder.durationMs, recorder.bytes), 5_000);
    progressTimer.unref();
    this.#live.set(call.id, { recorder, teamId: call.teamId, unsubscribe, progressTimer });
    this.#log.info('recording started', { callId: call.id, consentBy });
  }

  /** The live recorder of a call, if it is being recorded now. */
  live(callId: string): Recorder | undefined {
    return this.#live.get(callId)?.recorder;
  }

  /**
   * Media ms of a call's recording at wall-clock `wallMs`: from the live recorder, or from the
   * index file of a finished one.
   */
  mediaMsAt(callId: string, wallMs: number): number {
    const live = this.#live.get(callId);
    if (live) return live.recorder.mediaMsAt(wallMs);
    return mediaMsAtWall(readRecordingIndex(this.indexPath(callId)), wallMs);
  }

  /**
   * Cuts media [startMs, endMs) of a call's recording into `outPath` (clamped to the recording).
   * A live recording is flushed first, so the newest second is included. The cut runs on
   * asynchronous I/O in bounded steps, so forwarding carries on meanwhile.
   */
  cut(callId: string, startMs: number, endMs: number, outPath: string): Promise<CutClipResult> {
    this.#live.get(callId)?.recorder.flush();
    // One cut at a time: each step of a cut is small, but twenty cuts at once finish twenty
    // reads in the same poll of the event loop and run their steps back to back (measured:
    // the loop's p99 delay went to ~110 ms). In a row, the same cuts take no longer in total.
    const cut = this.#cutQueue.then(() =>
      cutClip({ audioPath: this.audioPath(callId), indexPath: this.indexPath(callId), startMs, endMs, outPath }),
    );
    this.#cutQueue = cut.catch(() => {});
    let cuts = this.#cutting.get(callId);
    if (!cuts) this.#cutting.set(callId, (cuts = new Set()));
    const tracked = cuts;
    tracked.add(cut);
    void cut
      .catch(() => {})
      .finally(() => {
        tracked.delete(cut);
        if (tracked.size === 0 && this.#cutting.get(callId) === tracked) this.#cutting.delete(callId);
      });
    return cut;
  }

  /** The call ended: close its recorder and keep (or discard) the full recording. Idempotent. */
  finish(callId: string, keep: boolean): void {
    const live = this.#live.get(callId);
    if (!live) return;
    this.#live.delete(callId);
    live.unsubscribe();
    clearInterval(live.progressTimer);
    const { durationMs, bytes } = live.recorder.close();
    // A call that never carried audio leaves nothing worth keeping.
    const kept = keep && durationMs > 0;
    this.#store.finish(callId, { durationMs, bytes, endedAt: Date.now(), keep: kept });
    this.#log.info('recording finished', { callId, durationMs, bytes, kept });
    this.#events.emit('closed', callId);
    if (!kept) this.#deleteFiles(callId, keep ? 'no audio was recorded' : 'discarded by the host');
  }

  /** A person discards a kept recording (its clips stay). Returns whether there was one. */
  discard(teamId: string, callId: string): boolean {
    if (!this.#store.discard(teamId, callId, Date.now())) return false;
    this.#deleteFiles(callId, 'discarded');
    return true;
  }

  /**
   * After a crash: recordings still marked `recording` are repaired (torn last page cut off,
   * finalized) and kept. Says what it did in the log.
   */
  repairUnfinished(): number {
    let repaired = 0;
    for (const rec of this.#store.unfinished()) {
      if (this.#live.has(rec.callId)) continue;
      const audioPath = this.audioPath(rec.callId);
      let info = { durationMs: 0, bytes: 0 };
      if (existsSync(audioPath)) {
        try {
          const result = repairRecording({ audioPath, indexPath: this.indexPath(rec.callId) });
          info = { durationMs: result.durationMs, bytes: result.bytes };
          this.#log.warn('repaired a recording left unfinished by a previous run', { callId: rec.callId, ...result });
        } catch (error) {
          this.#log.error('could not repair a recording left unfinished', { callId: rec.callId, error });
        }
      } else {
        this.#log.warn('a recording left unfinished has no audio file', { callId: rec.callId });
      }
      // As in finish(): a recording that never carried audio is not worth keeping.
      const keep = info.durationMs > 0;
      this.#store.finish(rec.callId, { ...info, endedAt: Date.now(), keep });
      if (!keep) this.#deleteFiles(rec.callId, 'no audio was recorded');
      repaired++;
    }
    return repaired;
  }

  /** Deletes the full recordings whose retention ran out by `now`; returns how many. */
  sweep(now = Date.now()): number {
    const expired = this.#store.expiredBy(now);
    for (const callId of expired) {
      this.#store.markExpired(callId, now);
      this.#deleteFiles(callId, 'retention period over');
    }
    return expired.length;
  }

  /** Server shutdown: every live recording is finished and kept. */
  closeAll(): void {
    for (const callId of [...this.#live.keys()]) this.finish(callId, true);
  }

  #deleteFiles(callId: string, why: string): void {
    const remove = () => {
      for (const path of [this.audioPath(callId), this.indexPath(callId)]) rmSync(path, { force: true });
      this.#log.info('recording deleted', { callId, why });
    };
    // Clips being cut from it (those of a discarded call, cut as it closed) finish first.
    const cuts = this.#cutting.get(callId);
    if (cuts) void Promise.allSettled([...cuts]).then(remove);
    else remove();
  }
}
