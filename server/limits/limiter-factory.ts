import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { BullpenError } from '../../contract';

/** What a limiter is built from: rate-limiter-flexible's options, without the store. */
export interface LimiterOptions {
  /** Distinguishes the limiter's keys when several share one store. */
  keyPrefix: string;
  /** Points a key may consume per `duration`. */
  points: number;
  /** Seconds a key's count is kept from its first point. */
  duration: number;
}

/**
 * Builds every rate limiter of the server. The embedded default keeps counts in this process
 * (`RateLimiterMemory`); a deployment of several nodes passes a factory over a shared store
 * (e.g. `RateLimiterRedis`) instead, and nothing else changes.
 */
export type LimiterFactory = (options: LimiterOptions) => RateLimiterAbstract;

/** Counts kept in this process's memory: the zero-setup default. */
export const memoryLimiters: LimiterFactory = (options) => new RateLimiterMemory(options);

/** Whole seconds to wait, at least 1, from a rate-limiter-flexible `msBeforeNext`. */
export function secondsFrom(msBeforeNext: number): number {
  return Math.max(1, Math.ceil(msBeforeNext / 1000));
}

/** The RATE_LIMITED refusal of a request, with the wait from rate-limiter-flexible's `msBeforeNext`. */
export function rateLimited(message: string, msBeforeNext: number): BullpenError {
  return new BullpenError('RATE_LIMITED', message, { retryAfterSec: secondsFrom(msBeforeNext) });
}

/**
 * Spends `points` of `key` on `limiter`, or throws RATE_LIMITED saying `message`.
 * rate-limiter-flexible rejects with a `RateLimiterRes` when over the limit; anything else (a
 * store error) is rethrown as is.
 */
export async function consumeOrRefuse(limiter: RateLimiterAbstract, key: string, message: string, points = 1): Promise<void> {
  try {
    await limiter.consume(key, points);
  } catch (error) {
    if (error instanceof RateLimiterRes) throw rateLimited(message, error.msBeforeNext);
    throw error;
  }
}
