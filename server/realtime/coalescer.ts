/**
 * Runs an action per key at most once per interval: the first change after a quiet interval
 * runs on the next macrotask (so every change of the same tick is folded in), later ones are
 * folded into one run at the end of the interval. Used so that a burst of joins and leaves
 * pushes one board per audience instead of one per change.
 */
export class Coalescer<K> {
  readonly #intervalMs: number;
  readonly #run: (key: K) => void;
  readonly #state = new Map<K, { timer: NodeJS.Timeout | undefined; lastRun: number }>();

  constructor(intervalMs: number, run: (key: K) => void) {
    this.#intervalMs = intervalMs;
    this.#run = run;
  }

  /** Asks for a run for `key`; does nothing if one is already scheduled. */
  schedule(key: K): void {
    let state = this.#state.get(key);
    if (!state) {
      state = { timer: undefined, lastRun: -Infinity };
      this.#state.set(key, state);
    }
    if (state.timer) return;
    const wait = Math.max(0, Math.ceil(state.lastRun + this.#intervalMs - performance.now()));
    const entry = state;
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      entry.lastRun = performance.now();
      this.#run(key);
    }, wait);
    entry.timer.unref();
  }

  /** Forgets a key, dropping a scheduled run. */
  cancel(key: K): void {
    const state = this.#state.get(key);
    if (state) clearTimeout(state.timer);
    this.#state.delete(key);
  }

  /** Drops every scheduled run. */
  close(): void {
    for (const state of this.#state.values()) clearTimeout(state.timer);
    this.#state.clear();
  }
}
