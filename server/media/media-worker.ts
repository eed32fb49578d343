/**
 * The server process's handle on one media worker process (media-worker-main.ts): forks it,
 * relays signalling over its IPC channel (validated both ways, see media-worker-protocol.ts),
 * writes media frames to its pipe, and reports its death once.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { Socket } from 'node:net';
import type { IceCandidate } from '../../contract/media';
import { BullpenError } from '../../contract/result';
import type { Logger } from '../logger';
import type { ListenerOutcome, ListenerSeed } from './listener-set';
import { encodeRemoveFrame, FrameReader, FromWorker, MEDIA_PIPE_FD, PROBE_REPLY_SIZE, WORKER_INIT_ENV, type ToWorker, type WorkerInit, type WorkerStats } from './media-worker-protocol';

export interface MediaWorkerEvents {
  /** The process exited without being asked to (crash, kill -9): its listeners are gone. */
  died: [];
  /** A listener's server candidate (trickle ICE), or null at the end. */
  candidate: [callIndex: number, listenerId: string, candidate: IceCandidate | null];
  'listener-state': [callIndex: number, listenerId: string, state: ListenerOutcome];
  /** Benchmark probe: a frame's last send was done at `doneNs` (process.hrtime), `sent` sends. */
  probe: [probeId: number, sent: number, doneNs: number];
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
}

const WORKER_MODULE = new URL('./media-worker-main' + (import.meta.url.endsWith('.ts') ? '.ts' : '.js'), import.meta.url);
/** How long a worker may take to start before it counts as failed. */
const START_TIMEOUT_MS = 15_000;

export class MediaWorker {
  readonly index: number;
  readonly #child: ChildProcess;
  readonly #pipe: Socket;
  readonly #log: Logger;
  readonly #events = new EventEmitter<MediaWorkerEvents>();
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #closing = false;
  #exited = false;
  /** Listeners placed here (every call), for placement. */
  listeners = 0;

  private constructor(child: ChildProcess, index: number, log: Logger) {
    this.#child = child;
    this.index = index;
    this.#log = log;
    this.#pipe = child.stdio[MEDIA_PIPE_FD] as Socket;
    // A worker being killed mid-write is its death, reported by `exit`; not an exception here.
    this.#pipe.on('error', () => {});
    const probes = new FrameReader((r) => this.#events.emit('probe', r.readUInt32BE(0), r.readUInt32BE(4), r.readDoubleBE(8)), PROBE_REPLY_SIZE);
    this.#pipe.on('data', (chunk: Buffer) => probes.push(chunk));
    child.on('message', (raw) => {
      // Whatever a worker sends, the server process carries on.
      try {
        this.#onMessage(raw);
      } catch (err) {
        this.#log.error('message from a media worker failed', { err: err instanceof Error ? err.message : String(err) });
      }
    });
    child.on('exit', (code, signal) => this.#onExit(code, signal));
  }

  /** Forks a worker and resolves once it is ready; rejects with MEDIA_FAILED if it does not start. */
  static async start(init: WorkerInit, log: Logger): Promise<MediaWorker> {
    const typescript = WORKER_MODULE.pathname.endsWith('.ts');
    const child = fork(fileURLToPath(WORKER_MODULE), [], {
      stdio: ['ignore', 'inherit', 'inherit', 'pipe', 'ipc'],
      execArgv: typescript ? ['--import', 'tsx'] : [],
      env: { ...process.env, [WORKER_INIT_ENV]: JSON.stringify(init) },
      serialization: 'json',
    });
    const worker = new MediaWorker(child, init.index, log.child({ mediaWorker: init.index, pid: child.pid }));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error('it did not start in time')), START_TIMEOUT_MS);
      const fail = (err: Error) => {
        clearTimeout(timer);
        worker.close();
        reject(new BullpenError('MEDIA_FAILED', `media worker ${init.index} could not start: ${err.message}`));
      };
      const exited = (code: number | null, signal: string | null) => fail(new Error(`it exited (${signal ?? code})`));
      child.once('error', fail);
      child.once('exit', exited);
      worker.#readyWaiter = () => {
        clearTimeout(timer);
        child.off('error', fail);
        child.off('exit', exited);
        resolve();
      };
    });
    return worker;
  }

  #readyWaiter: (() => void) | null = null;

  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** Whether it runs and takes work. */
  get alive(): boolean {
    return !this.#exited && !this.#closing;
  }

  /** Creates a listener's peer in the worker; resolves with its answer or rejects with the worker's typed error. */
  addListener(callIndex: number, callId: string, listenerId: string, offerSdp: string, seed: ListenerSeed): Promise<string> {
    return this.#request((id) => ({ type: 'add-listener', id, callIndex, callId, listenerId, offerSdp, seed })) as Promise<string>;
  }

  addCandidate(callIndex: number, listenerId: string, candidate: IceCandidate | null): Promise<void> {
    return this.#request((id) => ({ type: 'add-candidate', id, callIndex, listenerId, candidate })).then(() => undefined);
  }

  /** Removes a listener in order with the media: packets forwarded after this call never reach it. */
  removeListener(callIndex: number, listenerId: string): void {
    this.sendFrame(encodeRemoveFrame(callIndex, listenerId));
  }

  closeCall(callIndex: number): void {
    this.#post({ type: 'close-call', callIndex });
  }

  stats(): Promise<WorkerStats> {
    return this.#request((id) => ({ type: 'stats', id })) as Promise<WorkerStats>;
  }

  /** The hot path: hands one frame to the worker (the kernel buffers it; nothing waits). */
  sendFrame(frame: Buffer): void {
    if (!this.#exited) this.#pipe.write(frame);
  }

  /**
   * For tests: hands `raw` to this handle exactly as a message from the worker process arrives,
   * so a malformed one can be shown to change nothing.
   */
  receiveForTest(raw: unknown): void {
    this.#child.emit('message', raw);
  }

  /** For tests: sends `raw` to the worker as is (bypassing the typed API). */
  sendRawForTest(raw: unknown): void {
    if (this.#child.connected) this.#child.send(raw as object);
  }

  on<K extends keyof MediaWorkerEvents>(event: K, fn: (...args: MediaWorkerEvents[K]) => void): this {
    this.#events.on(event, fn as never);
    return this;
  }

  /** Lets the worker go (it closes its peers and exits); resolves once it has exited. Idempotent. */
  close(): Promise<void> {
    const exited = this.#exited ? Promise.resolve() : new Promise<void>((resolve) => this.#child.once('exit', () => resolve()));
    if (!this.#closing) {
      this.#closing = true;
      this.#rejectPending('the media worker is shutting down');
      this.#pipe.destroy();
      // Disconnecting is the worker's cue to close its peers and exit (media-worker-main.ts).
      if (this.#child.connected) this.#child.disconnect();
      const kill = setTimeout(() => this.#child.kill('SIGKILL'), 5000);
      kill.unref();
      void exited.then(() => clearTimeout(kill));
    }
    return exited;
  }

  #request(make: (id: number) => ToWorker): Promise<unknown> {
    if (!this.alive) return Promise.reject(new BullpenError('MEDIA_FAILED', 'The media worker is gone; join again.'));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#post(make(id));
    });
  }

  #post(msg: ToWorker): void {
    if (this.#child.connected) this.#child.send(msg);
  }

  #onMessage(raw: unknown): void {
    const parsed = FromWorker.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      this.#log.warn('malformed message from a media worker dropped', { path: issue?.path.join('.'), issue: issue?.message });
      return;
    }
    const msg = parsed.data;
    switch (msg.type) {
      case 'ready':
        this.#readyWaiter?.();
        this.#readyWaiter = null;
        return;
      case 'reply':
      case 'stats': {
        const pending = this.#pending.get(msg.id);
        if (!pending) return;
        this.#pending.delete(msg.id);
        if (msg.type === 'stats') pending.resolve(msg.stats);
        else if (msg.result.ok) pending.resolve(msg.result.value);
        else pending.reject(new BullpenError(msg.result.error.code, msg.result.error.message));
        return;
      }
      case 'candidate':
        this.#events.emit('candidate', msg.callIndex, msg.listenerId, msg.candidate);
        return;
      case 'listener-state':
        this.#events.emit('listener-state', msg.callIndex, msg.listenerId, msg.state);
        return;
    }
  }

  #onExit(code: number | null, signal: string | null): void {
    this.#exited = true;
    this.#rejectPending('the media worker exited');
    if (this.#closing) return;
    this.#log.error('media worker died; its listeners are reported failed and a new one is started', { code, signal });
    this.#events.emit('died');
  }

  #rejectPending(why: string): void {
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const p of pending) p.reject(new BullpenError('MEDIA_FAILED', `${why}; join again.`));
  }
}
