/**
 * The media worker processes of a server started with `mediaWorkers` N > 1: N−1 forked workers
 * that, together with the server process itself, hold the calls' listeners. Forwarders ask it
 * where a joining listener goes (the least-loaded process, the server process included) and
 * receive what the workers report about their listeners.
 *
 * A worker that dies is replaced (same index, same UDP port); the Forwarders learn of the death
 * through `worker-died` and report its listeners failed, so their clients rejoin.
 */
import { EventEmitter } from 'node:events';
import type { IceCandidate } from '../../contract/media';
import type { Logger } from '../logger';
import type { ListenerOutcome } from './listener-set';
import { MediaWorker } from './media-worker';
import type { WorkerInit, WorkerStats } from './media-worker-protocol';

export interface MediaWorkerPoolOptions {
  /** Processes in all, the server process included (so N−1 workers). */
  processes: number;
  log: Logger;
  /** What every worker is started with, but its index and UDP port. */
  init: Omit<WorkerInit, 'index' | 'udpMuxPort'>;
  /** With a fixed UDP port P (server process), worker i uses P+i. */
  udpMuxPort?: number;
}

export interface MediaWorkerPoolEvents {
  /** A worker exited unasked; every listener it held is gone. */
  'worker-died': [worker: MediaWorker];
  /** A worker (a first one or a replacement) is ready and takes listeners. */
  'worker-started': [worker: MediaWorker];
}

/** What a call's forwarder hears from the pool about its listeners on workers. */
export interface CallLink {
  candidate(listenerId: string, candidate: IceCandidate | null): void;
  listenerState(listenerId: string, state: ListenerOutcome): void;
  workerDied(worker: MediaWorker): void;
}

export class MediaWorkerPool {
  readonly #log: Logger;
  readonly #opts: MediaWorkerPoolOptions;
  readonly #workers: (MediaWorker | null)[];
  readonly #events = new EventEmitter<MediaWorkerPoolEvents>();
  /** Probe id → the workers' answers so far for that frame (benchmark only). */
  readonly #probes = new Map<number, { waiting: number; sent: number; lastNs: number; done: (sent: number, lastDoneNs: number) => void }>();
  readonly #links = new Map<number, CallLink>();
  #nextCallIndex = 1;
  #nextProbeId = 1;
  #closed = false;
  /** Listeners in the server process itself (every call), for placement. */
  localListeners = 0;

  private constructor(opts: MediaWorkerPoolOptions) {
    this.#opts = opts;
    this.#log = opts.log.child({ component: 'media-workers' });
    this.#workers = Array.from({ length: opts.processes - 1 }, () => null);
  }

  /** Starts the workers; resolves once every one is ready. */
  static async start(opts: MediaWorkerPoolOptions): Promise<MediaWorkerPool> {
    const pool = new MediaWorkerPool(opts);
    try {
      await Promise.all(pool.#workers.map((_, i) => pool.#startWorker(i + 1)));
    } catch (err) {
      await pool.close();
      throw err;
    }
    pool.#log.info('media workers started', { workers: pool.#workers.length, pids: pool.pids() });
    return pool;
  }

  /** A number for a new call, the same in every worker (frames carry it instead of the call id). */
  newCallIndex(): number {
    return this.#nextCallIndex++;
  }

  /** Where a joining listener goes: the least-loaded running worker, or null for the server process. */
  place(): MediaWorker | null {
    let best: MediaWorker | null = null;
    let load = this.localListeners;
    for (const worker of this.#workers) {
      if (worker?.alive && worker.listeners < load) {
        best = worker;
        load = worker.listeners;
      }
    }
    return best;
  }

  /** The running workers. */
  workers(): MediaWorker[] {
    return this.#workers.filter((w): w is MediaWorker => w !== null && w.alive);
  }

  /** Process ids of the running workers (the benchmark reads their CPU and memory). */
  pids(): number[] {
    return this.workers().flatMap((w) => (w.pid === undefined ? [] : [w.pid]));
  }

  /** Every running worker's figures. */
  stats(): Promise<WorkerStats[]> {
    return Promise.all(this.workers().map((w) => w.stats()));
  }

  /**
   * Benchmark: an id for a frame sent to `workers` workers; `done` is called once all of them
   * reported their sends, with the sum and the latest done time (process.hrtime ns).
   */
  newProbe(workers: number, done: (sent: number, lastDoneNs: number) => void): number {
    if (this.#nextProbeId > 0xffff_ffff) this.#nextProbeId = 1;
    const id = this.#nextProbeId++;
    this.#probes.set(id, { waiting: workers, sent: 0, lastNs: 0, done });
    return id;
  }

  /** Routes what workers report about a call's listeners to `link` until `detach`. */
  attach(callIndex: number, link: CallLink): void {
    this.#links.set(callIndex, link);
  }

  detach(callIndex: number): void {
    this.#links.delete(callIndex);
  }

  on<K extends keyof MediaWorkerPoolEvents>(event: K, fn: (...args: MediaWorkerPoolEvents[K]) => void): this {
    this.#events.on(event, fn as never);
    return this;
  }

  off<K extends keyof MediaWorkerPoolEvents>(event: K, fn: (...args: MediaWorkerPoolEvents[K]) => void): this {
    this.#events.off(event, fn as never);
    return this;
  }

  /** Lets every worker go and waits for them to exit. Idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
    const running = this.#workers.filter((w): w is MediaWorker => w !== null);
    this.#workers.fill(null);
    this.#probes.clear();
    await Promise.all(running.map((w) => w.close()));
  }

  async #startWorker(index: number): Promise<void> {
    const { udpMuxPort } = this.#opts;
    const worker = await MediaWorker.start({ ...this.#opts.init, index, ...(udpMuxPort ? { udpMuxPort: udpMuxPort + index } : {}) }, this.#opts.log);
    if (this.#closed) {
      await worker.close();
      return;
    }
    worker.on('probe', (id, sent, doneNs) => {
      const probe = this.#probes.get(id);
      if (!probe) return;
      probe.sent += sent;
      if (doneNs > probe.lastNs) probe.lastNs = doneNs;
      if (--probe.waiting > 0) return;
      this.#probes.delete(id);
      probe.done(probe.sent, probe.lastNs);
    });
    worker.on('candidate', (callIndex, listenerId, candidate) => this.#links.get(callIndex)?.candidate(listenerId, candidate));
    worker.on('listener-state', (callIndex, listenerId, state) => this.#links.get(callIndex)?.listenerState(listenerId, state));
    worker.on('died', () => this.#onDied(worker));
    this.#workers[index - 1] = worker;
    this.#events.emit('worker-started', worker);
  }

  #onDied(worker: MediaWorker): void {
    if (this.#workers[worker.index - 1] !== worker) return;
    this.#workers[worker.index - 1] = null;
    // Every call with listeners there reports them failed (a listener's connection failing).
    for (const link of [...this.#links.values()]) link.workerDied(worker);
    this.#events.emit('worker-died', worker);
    if (this.#closed) return;
    this.#startWorker(worker.index).then(
      () => this.#log.info('media worker replaced', { index: worker.index, pid: this.#workers[worker.index - 1]?.pid }),
      (err: unknown) => this.#log.error('media worker could not be replaced; its share stays with the others', { index: worker.index, err: String(err) }),
    );
  }
}
