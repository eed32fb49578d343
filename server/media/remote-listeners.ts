/**
 * One call's listeners that live on media worker processes, as the call's Forwarder sees them:
 * which worker holds which listener, and the hot path's part for them: ONE frame per host packet
 * per worker with listeners of the call, however many listeners it holds (the worker rewrites and
 * sends per listener, see listener-set.ts). Signalling goes through the worker's handle
 * (media-worker.ts); what workers report comes back through the pool (`CallLink`).
 */
import { EventEmitter } from 'node:events';
import type { IceCandidate } from '../../contract/media';
import { BullpenError } from '../../contract/result';
import type { Logger } from '../logger';
import type { CandidateSink } from './ice-trickle';
import type { ListenerOutcome, ListenerSeed, ListenerSetEvents } from './listener-set';
import type { MediaWorker } from './media-worker';
import type { CallLink, MediaWorkerPool } from './media-worker-pool';
import { encodeFrame } from './media-worker-protocol';

interface Entry {
  readonly worker: MediaWorker;
  readonly ssrc: number;
  readonly sink: CandidateSink | null;
  /** The worker answered (until then a removal must still reach it after the answer). */
  answered: boolean;
  connected: boolean;
}

/** A benchmark probe over the workers' sends: its latest done time once every worker answered. */
export type RemoteProbeDone = (sent: number, lastDoneNs: number) => void;

export class RemoteListeners implements CallLink {
  readonly callIndex: number;
  readonly #callId: string;
  readonly #pool: MediaWorkerPool;
  readonly #log: Logger;
  readonly #events = new EventEmitter<ListenerSetEvents>();
  readonly #entries = new Map<string, Entry>();
  /** Per worker: this call's listeners there. */
  readonly #perWorker = new Map<MediaWorker, number>();
  /** Workers to send frames to, a plain array for the hot path. */
  #targets: MediaWorker[] = [];
  #connected = 0;
  #closed = false;

  private constructor(pool: MediaWorkerPool, callId: string, log: Logger) {
    this.#pool = pool;
    this.#callId = callId;
    this.#log = log;
    this.callIndex = pool.newCallIndex();
    pool.attach(this.callIndex, this);
  }

  static create(pool: MediaWorkerPool, callId: string, log: Logger): RemoteListeners {
    return new RemoteListeners(pool, callId, log);
  }

  /**
   * Creates a listener's peer on `worker` and resolves with its answer. The worker's typed errors
   * (BAD_REQUEST for an unusable offer) come through as they are; MEDIA_FAILED if it dies meanwhile.
   */
  async add(worker: MediaWorker, listenerId: string, offerSdp: string, seed: ListenerSeed, onCandidate?: CandidateSink): Promise<string> {
    const entry: Entry = { worker, ssrc: seed.ssrc, sink: onCandidate ?? null, answered: false, connected: false };
    this.#entries.set(listenerId, entry);
    this.#count(worker, +1);
    let answer: string;
    try {
      answer = await worker.addListener(this.callIndex, this.#callId, listenerId, offerSdp, seed);
    } catch (err) {
      if (this.#entries.get(listenerId) === entry) this.#drop(listenerId, entry);
      throw err;
    }
    entry.answered = true;
    if (this.#closed || this.#entries.get(listenerId) !== entry) {
      worker.removeListener(this.callIndex, listenerId);
      throw this.#closed ? new BullpenError('CALL_ENDED', 'the call ended while joining') : new BullpenError('NOT_LISTENING', 'left the call while joining');
    }
    this.#log.debug('listener placed on a media worker', { listenerId, mediaWorker: worker.index });
    return answer;
  }

  /** Removes a listener (its worker closes its peer); returns whether it was here. Emits nothing. */
  remove(listenerId: string): boolean {
    const entry = this.#entries.get(listenerId);
    if (!entry) return false;
    this.#drop(listenerId, entry);
    // Still joining: `add` tells the worker once it has answered.
    if (entry.answered) entry.worker.removeListener(this.callIndex, listenerId);
    return true;
  }

  /** A client's trickled candidate, checked by the worker's trickle policy; null if the listener is not here. */
  addCandidate(listenerId: string, candidate: IceCandidate | null): Promise<void> | null {
    const entry = this.#entries.get(listenerId);
    if (!entry) return null;
    if (!entry.answered) return Promise.reject(new BullpenError('MEDIA_FAILED', 'That media connection is not set up (yet): send candidates after the answer.'));
    return entry.worker.addCandidate(this.callIndex, listenerId, candidate);
  }

  has(listenerId: string): boolean {
    return this.#entries.has(listenerId);
  }

  /** The index of the worker holding a listener, or undefined. */
  workerOf(listenerId: string): number | undefined {
    return this.#entries.get(listenerId)?.worker.index;
  }

  hasSsrc(ssrc: number): boolean {
    for (const entry of this.#entries.values()) if (entry.ssrc === ssrc) return true;
    return false;
  }

  get size(): number {
    return this.#entries.size;
  }

  get connected(): number {
    return this.#connected;
  }

  /** Workers this call's packets go to now. */
  get workerCount(): number {
    return this.#targets.length;
  }

  /**
   * The hot path: one frame (call index, the mapped seq/timestamp/marker, the packet) to every
   * worker holding listeners of the call. With `probe`, the workers report when their sends were
   * done, and `probe` is called once with the latest. Returns the frames written.
   */
  forward(packet: Buffer, seq: number, ts: number, marker: number, probe: RemoteProbeDone | null): number {
    const targets = this.#targets;
    if (targets.length === 0) return 0;
    const probeId = probe === null ? 0 : this.#pool.newProbe(targets.length, probe);
    const frame = encodeFrame(this.callIndex, seq, ts, marker, probeId, packet);
    for (let i = 0; i < targets.length; i++) targets[i]!.sendFrame(frame);
    return targets.length;
  }

  on<K extends keyof ListenerSetEvents>(event: K, fn: (...args: ListenerSetEvents[K]) => void): this {
    this.#events.on(event, fn as never);
    return this;
  }

  /** Lets every worker close this call's peers. Idempotent; emits nothing. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#pool.detach(this.callIndex);
    for (const worker of this.#perWorker.keys()) worker.closeCall(this.callIndex);
    for (const [id, entry] of [...this.#entries]) this.#drop(id, entry);
    this.#events.removeAllListeners();
  }

  // CallLink: what the pool routes here from the workers.

  candidate(listenerId: string, candidate: IceCandidate | null): void {
    this.#entries.get(listenerId)?.sink?.(candidate);
  }

  listenerState(listenerId: string, state: ListenerOutcome): void {
    const entry = this.#entries.get(listenerId);
    if (!entry) return;
    if (state === 'connected') {
      if (!entry.connected) this.#connected++;
      entry.connected = true;
    } else {
      this.#drop(listenerId, entry);
    }
    this.#events.emit('listener-state', listenerId, state);
  }

  workerDied(worker: MediaWorker): void {
    const lost = [...this.#entries].filter(([, entry]) => entry.worker === worker);
    if (lost.length === 0) return;
    this.#log.warn('listeners lost with their media worker', { mediaWorker: worker.index, listeners: lost.length });
    for (const [id, entry] of lost) {
      this.#drop(id, entry);
      // One still joining hears it from its `add`, which the dead worker's handle rejects.
      if (entry.answered) this.#events.emit('listener-state', id, 'failed');
    }
  }

  #drop(listenerId: string, entry: Entry): void {
    this.#entries.delete(listenerId);
    if (entry.connected) this.#connected--;
    entry.connected = false;
    this.#count(entry.worker, -1);
  }

  #count(worker: MediaWorker, delta: number): void {
    worker.listeners += delta;
    const n = (this.#perWorker.get(worker) ?? 0) + delta;
    if (n > 0) this.#perWorker.set(worker, n);
    else this.#perWorker.delete(worker);
    this.#targets = [...this.#perWorker.keys()];
  }
}
