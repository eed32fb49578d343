import { describe, expect, it } from 'vitest';
import { waitInWords } from '../../../../contract';
import { retryAt, secondsLeft } from '../../../../renderer/src/forms/retry-wait';

describe('retry wait', () => {
  it('starts a countdown only for RATE_LIMITED errors that name a wait', () => {
    expect(retryAt({ code: 'RATE_LIMITED', message: 'x', retryAfterSec: 8 }, 1_000)).toEqual({ at: 9_000, totalSec: 8 });
    expect(retryAt({ code: 'RATE_LIMITED', message: 'x' }, 1_000)).toBeNull();
    expect(retryAt({ code: 'BAD_CREDENTIALS', message: 'x' }, 1_000)).toBeNull();
    expect(retryAt(null, 1_000)).toBeNull();
  });

  it('counts whole seconds down to 0, never above the wait given', () => {
    const wait = { at: 10_000, totalSec: 8 };
    expect(secondsLeft(wait, 1_000)).toBe(8); // a clock a little behind does not show 9
    expect(secondsLeft(wait, 2_000)).toBe(8);
    expect(secondsLeft(wait, 2_001)).toBe(8);
    expect(secondsLeft(wait, 9_001)).toBe(1);
    expect(secondsLeft(wait, 10_000)).toBe(0);
    expect(secondsLeft(wait, 20_000)).toBe(0);
    expect(secondsLeft(null, 0)).toBe(0);
  });

  it('says the wait in words', () => {
    expect(waitInWords(1)).toBe('1 second');
    expect(waitInWords(45)).toBe('45 seconds');
    expect(waitInWords(89)).toBe('89 seconds');
    expect(waitInWords(90)).toBe('2 minutes');
    expect(waitInWords(900)).toBe('15 minutes');
  });
});
