import { HOST_RECONNECT_GRACE_MS, type ErrorCode } from '../../../contract';

/**
 * Cluster mode: while the node carrying a call is gone, the server answers UNAVAILABLE until
 * another node adopts the call (seconds: the host's app publishes again on its own). Hosts and
 * listeners try again this soon then, instead of backing off, so the audio gap stays short.
 */
export const UNAVAILABLE_RETRY_MS = 500;

/** How long the host's publisher waits before its next republish after a failure with `code`. */
export function republishDelayMs(code: ErrorCode, attempt: number): number {
  return code === 'UNAVAILABLE' ? UNAVAILABLE_RETRY_MS : Math.min(500 * 2 ** attempt, 5_000);
}

/**
 * When a listener whose join failed with `code` tries again on its own (ms), or null when it
 * should show the error: only UNAVAILABLE (the call's node is gone, adoption pending) is retried,
 * and only within the host's reconnect grace since the listen was lost (`awayMs`).
 */
export function rejoinDelayMs(code: ErrorCode, awayMs: number): number | null {
  if (code !== 'UNAVAILABLE' || awayMs > HOST_RECONNECT_GRACE_MS) return null;
  return UNAVAILABLE_RETRY_MS;
}
