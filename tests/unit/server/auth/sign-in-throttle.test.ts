import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BullpenError } from '../../../../contract';
import { memoryLimiters } from '../../../../server/limits/limiter-factory';
import { SIGN_IN_LIMITS, SignInThrottle, waitAfter } from '../../../../server/auth/sign-in-throttle';
import { createLogger } from '../../../../server/logger';

// rate-limiter-flexible's memory store reads Date.now and expires keys with timers: fake both.
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const throttle = () => new SignInThrottle({ limiters: memoryLimiters, log: createLogger({ level: 'silent' }) });

async function refusal(promise: Promise<unknown>): Promise<BullpenError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BullpenError);
  return error as BullpenError;
}

describe('SignInThrottle', () => {
  it('doubles the wait after each failure past the budget, up to the cap', () => {
    expect([0, 1, 2, 3, 4, 10, 11, 100].map((n) => waitAfter(n))).toEqual([0, 1, 2, 4, 8, 512, 900, 900]);
  });

  it('refuses a throttled attempt before its check runs (no password hash is spent)', async () => {
    const t = throttle();
    const wrong = vi.fn(async () => undefined);
    for (let i = 0; i <= SIGN_IN_LIMITS.pair.free; i++) expect(await t.attempt('a@x.test', '10.0.0.1', wrong)).toBeUndefined();
    expect(wrong).toHaveBeenCalledTimes(SIGN_IN_LIMITS.pair.free + 1);

    const right = vi.fn(async () => 'user');
    const error = await refusal(t.attempt('a@x.test', '10.0.0.1', right));
    expect(error.toAppError()).toMatchObject({ code: 'RATE_LIMITED', retryAfterSec: 1, message: 'Too many failed sign-ins.' });
    expect(right).not.toHaveBeenCalled();
    // Other addresses and other accounts are untouched.
    expect(await t.attempt('a@x.test', '10.0.0.2', right)).toBe('user');
    expect(await t.attempt('b@x.test', '10.0.0.1', right)).toBe('user');
  });

  it('makes each further failure wait twice as long, and a success clears the account and address pair', async () => {
    const t = throttle();
    const wrong = async () => undefined;
    for (let i = 0; i <= SIGN_IN_LIMITS.pair.free; i++) await t.attempt('a@x.test', '10.0.0.1', wrong);
    for (const wait of [1, 2, 4, 8]) {
      expect((await refusal(t.attempt('a@x.test', '10.0.0.1', wrong))).retryAfterSec).toBe(wait);
      await vi.advanceTimersByTimeAsync(wait * 1000);
      expect(await t.attempt('a@x.test', '10.0.0.1', wrong)).toBeUndefined();
    }
    await vi.advanceTimersByTimeAsync(16_000);
    expect(await t.attempt('a@x.test', '10.0.0.1', async () => 'user')).toBe('user');
    // Cleared: the free failures are there again.
    for (let i = 0; i < SIGN_IN_LIMITS.pair.free; i++) expect(await t.attempt('a@x.test', '10.0.0.1', wrong)).toBeUndefined();
  });

  it('forgets failures after the window', async () => {
    const t = throttle();
    const wrong = async () => undefined;
    for (let i = 0; i <= SIGN_IN_LIMITS.pair.free; i++) await t.attempt('a@x.test', '10.0.0.1', wrong);
    await vi.advanceTimersByTimeAsync(SIGN_IN_LIMITS.pair.windowSec * 1000);
    for (let i = 0; i <= SIGN_IN_LIMITS.pair.free; i++) expect(await t.attempt('a@x.test', '10.0.0.1', wrong)).toBeUndefined();
  });
});
