/**
 * Fixed-window attempt counter per key (e.g. sign-in attempts per email and per address).
 * In memory: a multi-process deployment limits per process, which still bounds guessing.
 */
export class RateLimiter {
  readonly #max: number;
  readonly #windowMs: number;
  readonly #hits = new Map<string, { count: number; resetAt: number }>();

  constructor(max: number, windowMs: number) {
    this.#max = max;
    this.#windowMs = windowMs;
  }

  /** Records an attempt; returns false when the key is over its limit. */
  take(key: string, now = Date.now()): boolean {
    if (this.#hits.size > 10_000) this.#prune(now);
    const entry = this.#hits.get(key);
    if (!entry || entry.resetAt <= now) {
      this.#hits.set(key, { count: 1, resetAt: now + this.#windowMs });
      return true;
    }
    entry.count++;
    return entry.count <= this.#max;
  }

  #prune(now: number): void {
    for (const [key, entry] of this.#hits) if (entry.resetAt <= now) this.#hits.delete(key);
  }
}
