import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newId } from '../ids';
import type { Logger } from '../logger';
import { cutClip, cutClipFrom, type CutClipResult } from '../recording/clip-cutter';
import { Recorder } from '../recording/recorder';
import type { RecordingObjects } from '../recording/recording-objects';
import { mediaMsAtWall, readRecordingIndex } from '../recording/recording-index';
import { repairRecording } from '../recording/repair';
import { buildOggPage } from '../recording/ogg-pages';
import { SegmentUploader } from '../recording/segment-uploader';
import { recordingSegmentKey } from '../storage/audio-store';
import type { SegmentedRecording } from '../recording/segmented-recording';
import type { RecordingStore } from '../store/recording-store';

/** Subscribes to a call's host packets; returns the unsubscribe function. */
export type PacketSource = (onPacket: (packet: Buffer, arrivalMs: number) => void) => () => void;

interface LiveRecording {
  recorder: Recorder;
  teamId: string;
  unsubscribe: () => void;
  progressTimer: NodeJS.Timeout;
  /** Object storage: this recording's segment uploads. */
  uploader?: SegmentUploader;
}

/** Where a recording's audio is read from: its local file, or its segments in object storage. */
export type RecordingAudio = { path: string } | { segments: SegmentedRecording };

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
  /** Object storage for recordings: live ones are uploaded in segments, finished ones served from it. */
  objects?: RecordingObjects;
  /**
   * Other nodes share the database (cluster mode): a recording left unfinished without a local
   * file is another node's to continue or end, so the startup repair leaves it alone.
   */
  shared?: boolean;
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
  readonly #objects: RecordingObjects | undefined;
  readonly #shared: boolean;
  /** Final uploads still retrying after their recording finished (closed at shutdown). */
  readonly #retrying = new Set<SegmentUploader>();

  constructor(opts: RecordingServiceOptions) {
    this.#store = opts.store;
    this.#dir = opts.dir;
    this.#log = opts.log.child({ component: 'recordings' });
    this.#objects = opts.objects;
    this.#shared = opts.shared ?? false;
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

  /** The local file naming this node's writer token for a recording it uploads. */
  #writerPath(callId: string): string {
    return join(this.#dir, `${callId}.writer`);
  }

  /**
   * Where a recording's audio is: the local file while this node has it (live, or not yet
   * confirmed uploaded), else its segments in object storage; undefined if there is none.
   */
  async audio(callId: string): Promise<RecordingAudio | undefined> {
    if (existsSync(this.audioPath(callId))) return { path: this.audioPath(callId) };
    if (!this.#objects) return undefined;
    const segments = await this.#objects.recording(callId);
    return segments.size > 0 ? { segments } : undefined;
  }
  /** Starts recording a call whose host confirmed the customer was told. */
  async begin(call: { id: string; teamId: string }, consentBy: string, source: PacketSource): Promise<void> {
    if (this.#live.has(call.id)) return;
    const now = Date.now();
    await this.#store.start({ callId: call.id, teamId: call.teamId, consentBy, at: now });
    const writer = this.#objects ? newId() : undefined;
    if (writer) await this.#objects!.segments.takeOver(call.id, null, writer);
    if (this.#live.has(call.id)) return;
    const recorder = Recorder.create({ dir: this.#dir, id: call.id, log: this.#log.child({ callId: call.id }) });
    this.#goLive(call, recorder, source, writer);
    this.#log.info('recording started', { callId: call.id, consentBy });
  }

  /**
   * Object storage: carries on a recording another node was writing (its owner died and the
   * call moved here). Fetches what that node uploaded, fills the gap since its last uploaded
   * packet with silence and continues the same Ogg stream, uploading from the next segment. A
   * call with no recording row yet is begun instead. Throws if another writer took it first.
   */
  async continue(call: { id: string; teamId: string }, consentBy: string, source: PacketSource): Promise<void> {
    const objects = this.#objects;
    if (!objects) throw new Error('continuing a recording on another node needs object storage');
    if (this.#live.has(call.id)) return;
    const previous = await objects.segments.writer(call.id);
    if (previous === undefined) return await this.begin(call, consentBy, source);
    const writer = newId();
    if (!(await objects.segments.takeOver(call.id, previous, writer))) throw new Error(`recording ${call.id} is already being written by another node`);
    mkdirSync(this.#dir, { recursive: true });
    for (const path of [this.audioPath(call.id), this.indexPath(call.id), this.#writerPath(call.id)]) rmSync(path, { force: true });
    const resume = await objects.fetchForResume(call.id, this.audioPath(call.id), this.indexPath(call.id));
    const log = this.#log.child({ callId: call.id });
    const recorder = Recorder.create({ dir: this.#dir, id: call.id, log, resume });
    this.#goLive(call, recorder, source, writer, resume && { nextSeq: resume.nextSeq, uploadedBytes: resume.bytes });
    this.#log.info('recording continued', { callId: call.id, fromBytes: resume?.bytes ?? 0, gapMs: resume ? Date.now() - resume.wallEnd : 0 });
  }

  #goLive(call: { id: string; teamId: string }, recorder: Recorder, source: PacketSource, writer: string | undefined, from?: { nextSeq: number; uploadedBytes: number }): void {
    let uploader: SegmentUploader | undefined;
    if (writer && this.#objects) {
      writeFileSync(this.#writerPath(call.id), writer);
      uploader = new SegmentUploader({
        callId: call.id,
        writer,
        recording: recorder,
        objects: this.#objects.objects,
        segments: this.#objects.segments,
        log: this.#log,
        intervalMs: this.#objects.segmentMs,
        ...from,
      });
    }
    const unsubscribe = source((packet, arrivalMs) => recorder.write(packet, arrivalMs));
    // The database learns the duration every few seconds; the recorder writes the file twice a second.
    const progressTimer = setInterval(() => {
      this.#track(this.#store.progress(call.id, recorder.durationMs, recorder.bytes)).catch((error: unknown) =>
        this.#log.warn('could not save recording progress', { callId: call.id, error }),
      );
    }, 5_000);
    progressTimer.unref();
    this.#live.set(call.id, { recorder, teamId: call.teamId, unsubscribe, progressTimer, uploader });
  }

  /** The live recorder of a call, if it is being recorded now. */
  live(callId: string): Recorder | undefined {
    return this.#live.get(callId)?.recorder;
  }

  /**
   * Media ms of a call's recording at wall-clock `wallMs`: from the live recorder, or from the
   * index file of a finished one.
   */
  async mediaMsAt(callId: string, wallMs: number): Promise<number> {
    const live = this.#live.get(callId);
    if (live) return live.recorder.mediaMsAt(wallMs);
    const audio = await this.audio(callId);
    const index = audio && 'segments' in audio ? audio.segments.index() : readRecordingIndex(this.indexPath(callId));
    return mediaMsAtWall(index, wallMs);
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
    const cut = this.#cutQueue.then(async () => {
      const audio = await this.audio(callId);
      if (!audio) throw new Error('the recording is gone');
      // Object storage: only the pages from the cut's start on are fetched, by range.
      if ('segments' in audio) return await cutClipFrom({ bytes: audio.segments, index: audio.segments.index(), startMs, endMs, outPath });
      return await cutClip({ audioPath: audio.path, indexPath: this.indexPath(callId), startMs, endMs, outPath });
    });
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
    const done = this.#track(this.#finished(callId, { durationMs, bytes, keep }, live.uploader)).finally(() => this.#finishing.delete(callId));
    this.#finishing.set(callId, done);
    return done;
  }

  /** Resolves once a call's recording, if it is being finished, is saved (or deleted). */
  whenFinished(callId: string): Promise<void> {
    return this.#finishing.get(callId) ?? Promise.resolve();
  }

  async #finished(callId: string, info: { durationMs: number; bytes: number; keep: boolean }, uploader?: SegmentUploader): Promise<void> {
    // A call that never carried audio leaves nothing worth keeping.
    const kept = info.keep && info.durationMs > 0;
    // Object storage: the end goes up before the recording is marked kept, so another node
    // serving it right after finds it whole (a failed upload retries below; the file stays).
    const stored = uploader && kept ? await uploader.upload(true) : false;
    try {
      await this.#store.finish(callId, { durationMs: info.durationMs, bytes: info.bytes, endedAt: Date.now(), keep: kept });
      this.#log.info('recording finished', { callId, durationMs: info.durationMs, bytes: info.bytes, kept });
      for (const hook of this.#closedHooks) await hook(callId);
    } catch (error) {
      this.#log.error('could not finish a recording', { callId, error });
    }
    if (!kept) {
      uploader?.close();
      this.#deleteFiles(callId, info.keep ? 'no audio was recorded' : 'discarded by the host');
    } else if (uploader) {
      this.#afterUpload(callId, uploader, stored);
    }
  }

  /** Deletes the local files once the upload is confirmed (retrying the final upload until then). */
  #afterUpload(callId: string, uploader: SegmentUploader, stored: boolean): void {
    if (stored) return this.#deleteLocal(callId);
    this.#retrying.add(uploader);
    void uploader.finish().then((ok) => {
      this.#retrying.delete(uploader);
      // Taken over: another writer ended or continues it, so this file can never go up.
      if (ok || uploader.takenOver) this.#deleteLocal(callId);
    });
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
    if (this.#objects) return await this.#recoverUploads(this.#objects);
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
    // Final uploads still failing stop here; the next start uploads their local files.
    for (const uploader of this.#retrying) uploader.close();
  }

  #deleteFiles(callId: string, why: string): void {
    const objects = this.#objects;
    const remove = () => {
      for (const path of [this.audioPath(callId), this.indexPath(callId), this.#writerPath(callId)]) rmSync(path, { force: true });
      this.#log.info('recording deleted', { callId, why });
      if (objects) {
        this.#track(objects.deleteRecording(callId)).catch((error: unknown) =>
          this.#log.error('could not delete a recording from object storage', { callId, error }),
        );
      }
    };
    // Clips being cut from it (those of a discarded call, cut as it closed) finish first.
    const cuts = this.#cutting.get(callId);
    if (cuts) void Promise.allSettled([...cuts]).then(remove);
    else remove();
  }

  /** Removes a recording's local files (its objects are confirmed stored), after cuts reading them. */
  #deleteLocal(callId: string): void {
    const remove = () => {
      if (this.#live.has(callId)) return;
      for (const path of [this.audioPath(callId), this.indexPath(callId), this.#writerPath(callId)]) rmSync(path, { force: true });
    };
    const cuts = this.#cutting.get(callId);
    if (cuts) void Promise.allSettled([...cuts]).then(remove);
    else remove();
  }

  /**
   * Object storage, at startup: a recording left unfinished whose local file this node wrote
   * (and still writes, by the database) is repaired, its unconfirmed tail uploaded as its final
   * segment, and kept. One another node took over loses only its local leftovers. One with no
   * local file is ended from its uploaded segments, unless nodes share the database (then the
   * node the call moved to continues it).
   */
  async #recoverUploads(objects: RecordingObjects): Promise<number> {
    let recovered = 0;
    for (const rec of await this.#store.unfinished()) {
      if (this.#live.has(rec.callId)) continue;
      const audioPath = this.audioPath(rec.callId);
      const local = existsSync(audioPath);
      const mine = local && existsSync(this.#writerPath(rec.callId)) ? readFileSync(this.#writerPath(rec.callId), 'utf8') : undefined;
      const current = await objects.segments.writer(rec.callId);
      if (local && mine !== undefined && mine !== current) {
        this.#log.warn('another node continued a recording this node was writing; dropping the local leftover', { callId: rec.callId });
        this.#deleteLocal(rec.callId);
        continue;
      }
      if (!local && this.#shared) continue;
      let info = { durationMs: 0, bytes: 0 };
      let uploader: SegmentUploader | undefined;
      let stored = false;
      try {
        const segments = await objects.segments.list(rec.callId);
        const uploadedBytes = segments.reduce((n, s) => n + s.bytes, 0);
        const writer = current ?? newId();
        if (local) {
          const result = repairRecording({ audioPath, indexPath: this.indexPath(rec.callId) });
          this.#log.warn('repaired a recording left unfinished by a previous run', { callId: rec.callId, ...result });
          info = { durationMs: result.durationMs, bytes: result.bytes };
          if (current === null) await objects.segments.takeOver(rec.callId, null, writer);
          const index = readRecordingIndex(this.indexPath(rec.callId));
          uploader = new SegmentUploader({
            callId: rec.callId,
            writer,
            recording: { audioPath, flush: () => undefined, bytes: result.bytes, index },
            objects: objects.objects,
            segments: objects.segments,
            log: this.#log,
            intervalMs: 0,
            nextSeq: segments.length,
            uploadedBytes,
          });
          stored = await uploader.upload(true);
        } else {
          info = await this.#endFromSegments(objects, rec.callId, writer, current);
        }
      } catch (error) {
        this.#log.error('could not recover a recording left unfinished', { callId: rec.callId, error });
      }
      const keep = info.durationMs > 0;
      await this.#store.finish(rec.callId, { ...info, endedAt: Date.now(), keep });
      if (!keep) this.#deleteFiles(rec.callId, 'no audio was recorded');
      else if (uploader) this.#afterUpload(rec.callId, uploader, stored);
      recovered++;
    }
    return recovered;
  }

  /**
   * Object storage, cluster mode: a call whose owner died ends without being continued anywhere.
   * Ends its recording from what was uploaded (an EOS page as its last segment) and keeps it.
   */
  async endFromUploads(callId: string): Promise<void> {
    const objects = this.#objects;
    if (!objects || this.#live.has(callId)) return;
    const current = await objects.segments.writer(callId);
    if (current === undefined) return;
    const info = await this.#endFromSegments(objects, callId, newId(), current);
    const keep = info.durationMs > 0;
    await this.#store.finish(callId, { ...info, endedAt: Date.now(), keep });
    if (!keep) this.#deleteFiles(callId, 'no audio was recorded');
  }

  /** Ends a recording from its uploaded segments alone: an EOS page goes up as its last segment. */
  async #endFromSegments(objects: RecordingObjects, callId: string, writer: string, current: string | null | undefined): Promise<{ durationMs: number; bytes: number }> {
    const segments = await objects.segments.list(callId);
    const last = segments[segments.length - 1];
    if (!last) return { durationMs: 0, bytes: 0 };
    const bytes = last.startOffset + last.bytes;
    const durationMs = Math.max(0, last.granule - 312) / 48;
    if (last.final) return { durationMs, bytes };
    if (current !== writer && !(await objects.segments.takeOver(callId, current ?? null, writer))) throw new Error('another node took the recording over');
    const eos = endOfStreamPage(last.serial, last.lastPageSeq + 1, last.granule);
    const key = recordingSegmentKey(callId, last.seq + 1, writer);
    await objects.objects.put(key, eos);
    await objects.segments.add(
      { ...last, seq: last.seq + 1, key, writer, startOffset: bytes, bytes: eos.length, lastPageSeq: last.lastPageSeq + 1, indexLines: '', final: true },
      Date.now(),
    );
    this.#log.warn('ended a recording from its uploaded segments (its node and local file are gone)', { callId, durationMs });
    return { durationMs, bytes: bytes + eos.length };
  }
}

function endOfStreamPage(serial: number, pageSeq: number, granule: number): Buffer {
  return buildOggPage({ serial, pageSeq, granule: BigInt(granule), packets: [], eos: true });
}
