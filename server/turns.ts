/**
 * Work spread over turns of the event loop, so that a burst of it cannot hold up forwarding
 * (which runs in libuv's poll phase, between macrotasks). Two uses:
 * - `take()`: the server's request work is mostly synchronous SQLite behind promises, so a
 *   handler's queries resolve as microtasks; twenty socket events read from one socket in one go
 *   (or twenty clip timers due in the same millisecond) ran back to back in one macrotask, ~50 ms
 *   with no host packet forwarded. Work that awaits `turns.take()` first starts at most one piece
 *   per turn; work that runs alone pays one `setImmediate` (microseconds).
 * - `enqueue(task)` with a budget: short synchronous tasks (closing media peers, see
 *   media/teardown-queue.ts) run a few milliseconds' worth per turn.
 */
export class TurnQueue {
  readonly #budgetMs: number;
  readonly #tasks: (() => void)[] = [];
  #head = 0;
  #scheduled = false;

  /** `budgetMs`: how long one turn may keep running tasks after the first; 0 runs one per turn. */
  constructor(budgetMs = 0) {
    this.#budgetMs = budgetMs;
  }

  /** Runs `task` on a later turn of the event loop, in order. */
  enqueue(task: () => void): void {
    this.#tasks.push(task);
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#drain);
    }
  }

  /**
   * Resolves on a later turn, one waiter per turn (use with a budget of 0): what the waiter does
   * next, up to its first real I/O, is that turn's work.
   */
  take(): Promise<void> {
    return new Promise((resolve) => this.enqueue(resolve));
  }

  /** Tasks (or waiters) not yet run. */
  get size(): number {
    return this.#tasks.length - this.#head;
  }

  readonly #drain = (): void => {
    const until = performance.now() + this.#budgetMs;
    do {
      const task = this.#tasks[this.#head]!;
      this.#tasks[this.#head++] = noop; // let it be collected
      try {
        task();
      } catch {
        // A task reports its own failures; one failing must not strand the others.
      }
    } while (this.#head < this.#tasks.length && performance.now() < until);
    if (this.#head < this.#tasks.length) {
      // Scheduled from inside the check phase, so it runs on the next turn, after the poll phase.
      setImmediate(this.#drain);
    } else {
      this.#tasks.length = 0;
      this.#head = 0;
      this.#scheduled = false;
    }
  };
}

const noop = (): void => {};

/** The process's queue for request work: socket events and clip cuts take their turns from it. */
export const turns = new TurnQueue();
