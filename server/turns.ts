/**
 * Turns of the event loop, handed out one at a time. The server's request work is mostly
 * synchronous SQLite behind promises: a handler's queries resolve as microtasks, so twenty socket
 * events read from one socket in one go (or twenty clip timers due in the same millisecond) ran
 * back to back in one macrotask, ~50 ms during which no host packet was forwarded (forwarding
 * runs in libuv's poll phase, between macrotasks). Work that awaits `turns.take()` first starts
 * at most one piece per turn, so forwarding gets in between; work that runs alone pays one
 * `setImmediate` (microseconds).
 */
export class TurnQueue {
  readonly #waiting: (() => void)[] = [];
  #head = 0;
  #scheduled = false;

  /** Resolves on a later turn of the event loop: the first waiter on the next turn, and so on. */
  take(): Promise<void> {
    return new Promise((resolve) => {
      this.#waiting.push(resolve);
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(this.#release);
      }
    });
  }

  /** Waiters not yet released. */
  get size(): number {
    return this.#waiting.length - this.#head;
  }

  readonly #release = (): void => {
    const next = this.#waiting[this.#head];
    this.#waiting[this.#head++] = noop; // let it be collected
    next?.();
    if (this.#head < this.#waiting.length) {
      // Scheduled from inside the check phase, so it runs on the next turn, after the poll phase.
      setImmediate(this.#release);
    } else {
      this.#waiting.length = 0;
      this.#head = 0;
      this.#scheduled = false;
    }
  };
}

const noop = (): void => {};

/** The process's queue: socket events and clip cuts take their turns from the same one. */
export const turns = new TurnQueue();
