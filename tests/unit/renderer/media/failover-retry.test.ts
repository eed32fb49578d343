import { describe, expect, it } from 'vitest';
import { HOST_RECONNECT_GRACE_MS } from '../../../../contract';
import { rejoinDelayMs, republishDelayMs, UNAVAILABLE_RETRY_MS } from '../../../../renderer/src/media/failover-retry';

describe('retries while a call’s node is gone (cluster failover)', () => {
  it('republishes soon after UNAVAILABLE, however many attempts failed, and backs off otherwise', () => {
    for (const attempt of [1, 2, 5, 10]) expect(republishDelayMs('UNAVAILABLE', attempt)).toBe(UNAVAILABLE_RETRY_MS);
    expect(republishDelayMs('MEDIA_FAILED', 1)).toBe(1_000);
    expect(republishDelayMs('MEDIA_FAILED', 2)).toBe(2_000);
    expect(republishDelayMs('MEDIA_FAILED', 10)).toBe(5_000);
  });

  it('rejoins a listener after UNAVAILABLE within the host grace only; other refusals are shown', () => {
    expect(rejoinDelayMs('UNAVAILABLE', 0)).toBe(UNAVAILABLE_RETRY_MS);
    expect(rejoinDelayMs('UNAVAILABLE', HOST_RECONNECT_GRACE_MS - 1)).toBe(UNAVAILABLE_RETRY_MS);
    expect(rejoinDelayMs('UNAVAILABLE', HOST_RECONNECT_GRACE_MS + 1)).toBeNull();
    for (const code of ['NOT_ALLOWED', 'CALL_ENDED', 'CALL_NOT_FOUND', 'MEDIA_FAILED'] as const) expect(rejoinDelayMs(code, 0)).toBeNull();
  });
});
