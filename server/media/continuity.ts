/**
 * Keeps one call's forwarded audio continuous across publisher changes.
 *
 * When the host reconnects it comes back on a new PeerConnection with a new SSRC and new random
 * sequence number and timestamp bases. Listeners must not see that: their sequence numbers go on
 * at last+1 (no loss, no jump back) and their timestamps advance by the wall-clock time the host
 * was away, so a jitter buffer sees a pause of the right length rather than a jump back in time.
 *
 * Pure: no I/O, no clock of its own (the caller passes arrival times), no allocation per packet.
 * Results of {@link Continuity.map} are left in public fields to keep the hot path allocation-free.
 */

const SEQ_MOD = 0x1_0000;
const HALF_SEQ = 0x8000;

export interface ContinuityOptions {
  /** RTP clock rate of the stream; Opus always uses 48 kHz. */
  clockRate?: number;
  /**
   * Smallest timestamp advance across a source change, in ms of media, used until a packet
   * interval has been observed. 20 ms is the usual Opus frame.
   */
  minAdvanceMs?: number;
}

export class Continuity {
  /** Output sequence number of the last mapped packet. */
  seq = 0;
  /** Output timestamp of the last mapped packet. */
  timestamp = 0;
  /** True when the last mapped packet was the first of a new source (set the RTP marker bit). */
  marker = false;

  readonly #samplesPerMs: number;
  #started = false;
  #newSourcePending = false;
  #ssrc = 0;
  #seqOffset = 0;
  #tsOffset = 0;
  /** Highest output sequence number so far (serial-number order), its timestamp and arrival time. */
  #maxSeq = 0;
  #maxTs = 0;
  #maxArrivalMs = 0;
  /** Timestamp step between the last two consecutive packets: the frame length. */
  #step: number;

  constructor(opts: ContinuityOptions = {}) {
    this.#samplesPerMs = (opts.clockRate ?? 48_000) / 1000;
    this.#step = Math.round((opts.minAdvanceMs ?? 20) * this.#samplesPerMs);
  }

  /** SSRC of the source currently being mapped (0 before the first packet). */
  get sourceSsrc(): number {
    return this.#ssrc;
  }

  /**
   * Declares that the next packet starts a new source even if its SSRC happens to equal the old
   * one (a new publisher PeerConnection always starts a new RTP session).
   */
  startNewSource(): void {
    this.#newSourcePending = true;
  }

  /**
   * Maps one incoming packet's (ssrc, seq, timestamp) into the call's output space; the result is
   * in {@link seq}, {@link timestamp} and {@link marker}. A change of SSRC starts a new source.
   */
  map(ssrc: number, seq: number, ts: number, arrivalMs: number): void {
    this.marker = false;
    if (!this.#started) {
      this.#started = true;
      this.#newSourcePending = false;
      this.#ssrc = ssrc;
      this.#seqOffset = 0;
      this.#tsOffset = 0;
    } else if (this.#newSourcePending || ssrc !== this.#ssrc) {
      this.#newSourcePending = false;
      this.#ssrc = ssrc;
      const gapMs = Math.max(0, arrivalMs - this.#maxArrivalMs);
      const advance = Math.max(Math.round(gapMs * this.#samplesPerMs), this.#step);
      this.#seqOffset = (this.#maxSeq + 1 - seq + SEQ_MOD) & 0xffff;
      this.#tsOffset = (this.#maxTs + advance - ts) >>> 0;
      this.marker = true;
    } else {
      this.#observe(seq, ts, arrivalMs, false);
      return;
    }
    this.#observe(seq, ts, arrivalMs, true);
  }

  /** Writes the output fields and tracks the newest packet; `first` marks a source's first packet. */
  #observe(seq: number, ts: number, arrivalMs: number, first: boolean): void {
    const outSeq = (seq + this.#seqOffset) & 0xffff;
    const outTs = (ts + this.#tsOffset) >>> 0;
    this.seq = outSeq;
    this.timestamp = outTs;
    const ahead = (outSeq - this.#maxSeq + SEQ_MOD) & 0xffff;
    if (first || (ahead > 0 && ahead < HALF_SEQ)) {
      if (!first && ahead === 1) {
        const step = (outTs - this.#maxTs) >>> 0;
        // Only plausible frame lengths (up to 120 ms, Opus' longest) update the step.
        if (step > 0 && step <= 120 * this.#samplesPerMs) this.#step = step;
      }
      this.#maxSeq = outSeq;
      this.#maxTs = outTs;
      this.#maxArrivalMs = arrivalMs;
    }
  }
}
