/**
 * Closing a peer is native work (libdatachannel tears down its DTLS and ICE transports), cheap
 * one at a time but not when hundreds of listeners leave at once: libuv runs every socket close
 * of one poll in a row, and closing each listener's peer there stalled forwarding for well over
 * 100 ms. Peers leave the forwarding hot path at once; their closing is queued here and done a
 * few milliseconds' worth per event-loop turn.
 */
export class TeardownQueue {
  readonly #budgetMs: number;
  readonly #tasks: (() => void)[] = [];
  #head = 0;
  #scheduled = false;

  constructor(budgetMs = 4) {
    this.#budgetMs = budgetMs;
  }

  /** Runs `task` soon, on a later turn of the event loop. */
  enqueue(task: () => void): void {
    this.#tasks.push(task);
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#drain);
    }
  }

  /** Tasks waiting. */
  get size(): number {
    return this.#tasks.length - this.#head;
  }

  readonly #drain = (): void => {
    const until = performance.now() + this.#budgetMs;
    while (this.#head < this.#tasks.length && performance.now() < until) {
      const task = this.#tasks[this.#head]!;
      this.#tasks[this.#head++] = noop; // let it be collected
      try {
        task();
      } catch {
        // A task reports its own failures; one failing must not strand the others.
      }
    }
    if (this.#head < this.#tasks.length) {
      setImmediate(this.#drain);
    } else {
      this.#tasks.length = 0;
      this.#head = 0;
      this.#scheduled = false;
    }
  };
}

const noop = (): void => {};

/** The process's queue for closing media peers (one budget for every call). */
export const peerTeardown = new TeardownQueue();
