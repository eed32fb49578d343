import type { AppError } from '../../../contract';
import { useNow } from '../hooks/use-now';

/** When a RATE_LIMITED error received at `receivedAt` lets the person try again, or null. */
export function retryAt(error: AppError | null, receivedAt: number): { at: number; totalSec: number } | null {
  if (error?.code !== 'RATE_LIMITED' || !error.retryAfterSec) return null;
  return { at: receivedAt + error.retryAfterSec * 1000, totalSec: error.retryAfterSec };
}

/** Whole seconds left until `at` (never more than the wait the server gave), 0 once it passed. */
export function secondsLeft(wait: { at: number; totalSec: number } | null, now: number): number {
  if (!wait) return 0;
  return Math.max(0, Math.min(wait.totalSec, Math.ceil((wait.at - now) / 1000)));
}

/** Seconds the person must still wait after a RATE_LIMITED error received at `receivedAt`, counting down to 0. */
export function useRetryWait(error: AppError | null, receivedAt: number): number {
  const now = useNow();
  return secondsLeft(retryAt(error, receivedAt), now);
}
