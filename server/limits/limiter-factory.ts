import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
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

/** Where cluster mode keeps limit counts in Redis: `bullpen:limit:<limiter>:<key>`. */
export const REDIS_LIMIT_PREFIX = 'bullpen:limit:';

/**
 * Counts kept in Redis (cluster mode), so a limit spent on one node is spent on every node.
 * Each limiter is one atomic Lua step per request (rate-limiter-flexible's `RateLimiterRedis`).
 *
 * While Redis is unreachable each limiter falls back to an in-memory limiter with the same
 * limits (rate-limiter-flexible's `insuranceLimiter`), and `rejectIfRedisNotReady` sends
 * requests there at once instead of waiting on a dead connection. So during an outage limits
 * still hold, per node (with N nodes a person may get up to N times a limit for that while),
 * and nothing is refused or slowed because Redis is gone; once Redis is back the shared counts
 * apply again (a Redis restarted empty starts them from zero). Failing closed instead would turn
 * a Redis outage into every limited action refused; failing open would lift every limit.
 */
export function redisLimiters(redis: Redis): LimiterFactory {
  return (options) =>
    new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${REDIS_LIMIT_PREFIX}${options.keyPrefix}`,
      points: options.points,
      duration: options.duration,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory(options),
    });
}

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
