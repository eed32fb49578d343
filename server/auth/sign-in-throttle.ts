import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { BullpenError } from '../../contract';
import type { Logger } from '../logger';
import { secondsFrom, type LimiterFactory } from '../limits/limiter-factory';

/** How failures of one kind turn into waits. */
export interface FailureBudget {
  /** Failures allowed before any wait. */
  free: number;
  /** Seconds failures are remembered, from the first one. */
  windowSec: number;
}

/**
 * Sign-in limits. Only failures count. Past a budget, each further failure makes the next
 * attempt wait, twice as long each time (1 s, 2 s, 4 s … capped): guessing slows to a crawl
 * while a person who mistyped a few times is never locked out.
 *
 * - `pair`: one account from one address. An attacker elsewhere never touches the owner's pair;
 *   the owner's correct sign-in clears it.
 * - `address`: every account from one address, so one address cannot spread guesses over many
 *   accounts. A success does not clear it: signing in to one's own account between guesses
 *   must not buy more guesses against others.
 */
export const SIGN_IN_LIMITS: SignInLimits = {
  pair: { free: 5, windowSec: 60 * 60 },
  address: { free: 20, windowSec: 60 * 60 },
  firstWaitSec: 1,
  maxWaitSec: 15 * 60,
};

export interface SignInLimits {
  pair: FailureBudget;
  address: FailureBudget;
  /** The wait after the first failure past a budget; each further failure doubles it. */
  firstWaitSec: number;
  maxWaitSec: number;
}

/** The wait after `excess` failures past the budget: 1 s, 2 s, 4 s … up to the cap. */
export function waitAfter(excess: number, limits: Pick<SignInLimits, 'firstWaitSec' | 'maxWaitSec'> = SIGN_IN_LIMITS): number {
  if (excess <= 0) return 0;
  return Math.min(limits.maxWaitSec, limits.firstWaitSec * 2 ** Math.min(excess - 1, 30));
}

/** A failure counter and the wait it imposes, for one kind of key. */
class FailureCounter {
  readonly #failures: RateLimiterAbstract;
  readonly #waits: RateLimiterAbstract;
  readonly #budget: FailureBudget;
  readonly #limits: SignInLimits;

  constructor(kind: 'pair' | 'address', limits: SignInLimits, limiters: LimiterFactory) {
    const budget = limits[kind];
    this.#budget = budget;
    this.#limits = limits;
    this.#failures = limiters({ keyPrefix: `sign-in-failures-${kind}`, points: budget.free, duration: budget.windowSec });
    // A wait is a blocked key (block() sets it past its one point for the wait's length);
    // every refusal during the wait adds a point, so the first refusal can be told apart.
    this.#waits = limiters({ keyPrefix: `sign-in-wait-${kind}`, points: 1, duration: 1 });
  }

  /** Milliseconds this key must still wait, and whether it was refused before in this wait. */
  async waiting(key: string): Promise<{ ms: number; refusedBefore: boolean } | null> {
    const wait = await this.#waits.get(key);
    if (!wait || wait.consumedPoints <= 1 || wait.msBeforeNext <= 0) return null;
    const refusal = await this.#waits.penalty(key);
    return { ms: wait.msBeforeNext, refusedBefore: refusal.consumedPoints > 3 };
  }

  /** Counts a failure; returns the count in this window and the wait it starts (seconds). */
  async failed(key: string): Promise<{ failures: number; waitSec: number }> {
    const { consumedPoints } = await this.#failures.penalty(key);
    const waitSec = waitAfter(consumedPoints - this.#budget.free, this.#limits);
    if (waitSec > 0) await this.#waits.block(key, waitSec);
    return { failures: consumedPoints, waitSec };
  }

  /** Undoes a failure counted ahead of a check that then succeeded. */
  async undo(key: string, waitSec: number): Promise<void> {
    await this.#failures.reward(key);
    if (waitSec > 0) await this.#waits.delete(key);
  }

  async clear(key: string): Promise<void> {
    await Promise.all([this.#failures.delete(key), this.#waits.delete(key)]);
  }
}

/**
 * Throttles sign-in per (account, address) and per address, never per account alone: failing
 * against someone's account from elsewhere cannot keep its owner out. Failed and throttled
 * attempts are logged (email and address, never the password) so an admin can see an attack.
 */
export class SignInThrottle {
  readonly #pair: FailureCounter;
  readonly #address: FailureCounter;
  readonly #log: Logger;

  constructor(opts: { limiters: LimiterFactory; log: Logger; limits?: SignInLimits }) {
    const limits = opts.limits ?? SIGN_IN_LIMITS;
    this.#pair = new FailureCounter('pair', limits, opts.limiters);
    this.#address = new FailureCounter('address', limits, opts.limiters);
    this.#log = opts.log;
  }

  /**
   * Runs one attempt: refuses it with RATE_LIMITED (before `check` spends a password hash)
   * while the pair or the address must wait, else runs `check` and records the outcome.
   * Resolves with what `check` found (the signed-in person), or undefined when it failed.
   */
  async attempt<T>(email: string, address: string, check: () => Promise<T | undefined>): Promise<T | undefined> {
    const pairKey = `${address} ${email}`;
    const [pairWait, addressWait] = await Promise.all([this.#pair.waiting(pairKey), this.#address.waiting(address)]);
    const wait = Math.max(pairWait?.ms ?? 0, addressWait?.ms ?? 0);
    if (wait > 0) {
      const retryAfterSec = secondsFrom(wait);
      // One line per wait, not per refused attempt: a script hammering away cannot flood the log.
      if (pairWait?.refusedBefore === false || addressWait?.refusedBefore === false) {
        this.#log.warn('sign-in throttled', { email, address, retryAfterSec, by: pairWait ? 'account-and-address' : 'address' });
      }
      throw new BullpenError('RATE_LIMITED', 'Too many failed sign-ins.', {
        retryAfterSec,
      });
    }
    // Counted before the check, so attempts sent all at once cannot all slip past the budget
    // while their hashes run; a success takes its count back.
    const [pair, fromAddress] = await Promise.all([this.#pair.failed(pairKey), this.#address.failed(address)]);
    const found = await check();
    if (found !== undefined) {
      await Promise.all([this.#pair.clear(pairKey), this.#address.undo(address, fromAddress.waitSec)]);
      return found;
    }
    this.#log.warn('sign-in failed', {
      email,
      address,
      failuresForAccountFromAddress: pair.failures,
      failuresFromAddress: fromAddress.failures,
      ...(Math.max(pair.waitSec, fromAddress.waitSec) > 0 ? { nextAttemptWaitSec: Math.max(pair.waitSec, fromAddress.waitSec) } : {}),
    });
    return undefined;
  }
}
