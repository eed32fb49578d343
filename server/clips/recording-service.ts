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

/**
 * A call's recorder was closed (the call ended). Awaited before a discarded recording's files
 * are deleted, so pending clips can still be cut from it.
 */
type ClosedHook = (callId: string) => Promise<void>;

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
  readonly #closedHooks: ClosedHook[] = [];
  /** Database work started by calls ending or sweeps, awaited by `closeAll()`. */
  readonly #inFlight = new Set<Promise<unknown>>();
  /** Recordings being finished (saved, clips cut, files deleted) by call id. */
  readonly #finishing = new Map<string, Promise<void>>();
  /** Cuts under way per call: a recording's files are deleted only once they are done. */
  readonly #cutting = new Map<string, Set<Promise<unknown>>>();
  /** The cut running now (cuts run one after another). */
  #cutQueue: Promise<unknown> = Promise.resolve();
  /** Cuts asked for and not finished (running or waiting in `#cutQueue`). */
  #queuedCuts = 0;

  constructor(opts: RecordingServiceOptions) {
    this.#store = opts.store;
    this.#dir = opts.dir;
    this.#log = opts.log.child({ component: 'recordings' });
  }

  /** Runs `hook` when a call's recorder closes, before its files may be deleted. */
  onClosed(hook: ClosedHook): void {
    this.#closedHooks.push(hook);
  }

  /** Cuts asked for and not finished yet: callers refuse new work past a bound instead of queueing it. */
  get queuedCuts(): number {
    return this.#queuedCuts;
  }

  audioPath(callId: string): string {
    return join(this.#dir, `${callId}.ogg`);
  }

  indexPath(callId: string): string {
    return join(this.#dir, `${callId}.idx`);
  }

  /** Starts recording a call whose host confirmed the customer was told. */
  async begin(call: { id: string; teamId: string }, consentBy: string, source: PacketSource): Promise<void> {
    if (this.#live.has(call.id)) return;
    const now = Date.now();
    await this.#store.start({ callId: call.id, teamId: call.teamId, consentBy, at: now });
    if (this.#live.has(call.id)) return;
    const recorder = Recorder.create({ dir: this.#dir, id: call.id, log: this.#log.child({ callId: call.id }) });
    const unsubscribe = source((packet, arrivalMs) => recorder.write(packet, arrivalMs));
    // The database learns the duration every few seconds; the recorder writes the file twice a second.
    const progressTimer = setInterval(() => {
      this.#track(this.#store.progress(call.id, recorder.durationMs, recorder.bytes)).catch((error: unknown) =>
        this.#log.warn('could not save recording progress', { callId: call.id, error }),
      );
    }, 5_000);
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
    this.#queuedCuts++;
    let cuts = this.#cutting.get(callId);
    if (!cuts) this.#cutting.set(callId, (cuts = new Set()));
    const tracked = cuts;
    tracked.add(cut);
    void cut
      .catch(() => {})
      .finally(() => {
        this.#queuedCuts--;
        tracked.delete(cut);
        if (tracked.size === 0 && this.#cutting.get(callId) === tracked) this.#cutting.delete(callId);
      });
    return cut;
  }

  /**
   * The call ended: close its recorder and keep (or discard) the full recording. Idempotent.
   * The recorder stops at once; the database and pending clips follow (awaited by `closeAll`).
   */
  finish(callId: string, keep: boolean): Promise<void> {
    const live = this.#live.get(callId);
    if (!live) return Promise.resolve();
    this.#live.delete(callId);
    live.unsubscribe();
    clearInterval(live.progressTimer);
    const { durationMs, bytes } = live.recorder.close();
    const done = this.#track(this.#finished(callId, { durationMs, bytes, keep })).finally(() => this.#finishing.delete(callId));
    this.#finishing.set(callId, done);
    return done;
  }

  /** Resolves once a call's recording, if it is being finished, is saved (or deleted). */
  whenFinished(callId: string): Promise<void> {
    return this.#finishing.get(callId) ?? Promise.resolve();
  }

  async #finished(callId: string, info: { durationMs: number; bytes: number; keep: boolean }): Promise<void> {
    // A call that never carried audio leaves nothing worth keeping.
    const kept = info.keep && info.durationMs > 0;
    try {
      await this.#store.finish(callId, { durationMs: info.durationMs, bytes: info.bytes, endedAt: Date.now(), keep: kept });
      this.#log.info('recording finished', { callId, durationMs: info.durationMs, bytes: info.bytes, kept });
      for (const hook of this.#closedHooks) await hook(callId);
    } catch (error) {
      this.#log.error('could not finish a recording', { callId, error });
    }
    if (!kept) this.#deleteFiles(callId, info.keep ? 'no audio was recorded' : 'discarded by the host');
  }

  #track<T>(work: Promise<T>): Promise<T> {
    this.#inFlight.add(work);
    void work.finally(() => this.#inFlight.delete(work)).catch(() => undefined);
    return work;
  }

  /** A person discards a kept recording (its clips stay). Returns whether there was one. */
  async discard(teamId: string, callId: string): Promise<boolean> {
    if (!(await this.#store.discard(teamId, callId, Date.now()))) return false;
    this.#deleteFiles(callId, 'discarded');
    return true;
  }

  /**
   * After a crash: recordings still marked `recording` are repaired (torn last page cut off,
   * finalized) and kept. Says what it did in the log.
   */
  async repairUnfinished(): Promise<number> {
    let repaired = 0;
    for (const rec of await this.#store.unfinished()) {
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
      await this.#store.finish(rec.callId, { ...info, endedAt: Date.now(), keep });
      if (!keep) this.#deleteFiles(rec.callId, 'no audio was recorded');
      repaired++;
    }
    return repaired;
  }

  /** Deletes the full recordings whose retention ran out by `now`; returns how many. */
  sweep(now = Date.now()): Promise<number> {
    return this.#track(
      (async () => {
        let swept = 0;
        for (const callId of await this.#store.expiredBy(now)) {
          // Two sweeps at once (timer and admin): only the one that marks it deletes.
          if (!(await this.#store.markExpired(callId, now))) continue;
          this.#deleteFiles(callId, 'retention period over');
          swept++;
        }
        return swept;
      })(),
    );
  }

  /** Server shutdown: every live recording is finished and kept; resolves when all is saved. */
  async closeAll(): Promise<void> {
    for (const callId of [...this.#live.keys()]) void this.finish(callId, true);
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
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
