/**
 * Where in a call a listener is: the moment a question refers to.
 *
 * The listener's playout position is the call's elapsed time by this machine's clock minus the
 * audio still buffered before it is heard (the receiver's jitter buffer). RTP timestamps were
 * not used: the server rewrites them per listener so the stream stays continuous across a
 * host reconnect, so they carry no fixed relation to the call's start.
 */

/** Inbound-rtp counters (WebRTC stats) that give the jitter buffer's current delay. */
export interface JitterBufferStats {
  /** Seconds, summed over every emitted sample. */
  jitterBufferDelay?: number;
  jitterBufferEmittedCount?: number;
}

/** Average time (ms) a sample waits in the jitter buffer before playout; 0 without data. */
export function playoutDelayMs(stats: JitterBufferStats | null): number {
  if (!stats?.jitterBufferDelay || !stats.jitterBufferEmittedCount) return 0;
  const ms = (stats.jitterBufferDelay / stats.jitterBufferEmittedCount) * 1000;
  return Number.isFinite(ms) && ms > 0 ? Math.min(ms, 10_000) : 0;
}

/** The listener's playout position in ms since the call started (never negative). */
export function playoutPositionMs(at: { now: number; startedAt: number; delayMs: number }): number {
  return Math.max(0, Math.round(at.now - at.startedAt - Math.max(0, at.delayMs)));
}

/**
 * Where to start the call's recording to hear a moment (ms into the recording): the moment
 * shifted by how late the recording began, and a few seconds early so the lead-up is heard too.
 */
export function recordingStartMs(atMs: number, recordingOffsetMs: number, leadInMs = 5_000): number {
  return Math.max(0, Math.round(atMs - recordingOffsetMs - leadInMs));
}
