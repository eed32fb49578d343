import { mergeRanges, type PlayedRange } from '../../../contract';

/** What the tracker needs of a player snapshot. */
export interface PlayheadSample {
  playing: boolean;
  positionMs: number;
  rate: number;
}

/** How far past wall time × rate the playhead may move between samples and still count as played. */
const JITTER_MS = 250;

/**
 * The seconds of a clip actually played, from the player's snapshots: the playhead moving
 * forward while playing, no faster than wall time allows at the chosen speed. A seek (a jump)
 * adds nothing, so opening a clip or dragging to its end never counts as hearing it.
 */
export class PlayedRangeTracker {
  #last: (PlayheadSample & { at: number }) | null = null;
  #ranges: PlayedRange[] = [];

  /** Feeds one snapshot taken at `at` (ms, a monotonic clock). */
  observe(sample: PlayheadSample, at: number): void {
    const last = this.#last;
    if (last?.playing) {
      const advanced = sample.positionMs - last.positionMs;
      const allowed = Math.max(0, at - last.at) * last.rate + JITTER_MS;
      if (advanced > 0 && advanced <= allowed) this.#ranges = mergeRanges([...this.#ranges, [last.positionMs / 1000, sample.positionMs / 1000]]);
    }
    this.#last = { ...sample, at };
  }

  /** The played seconds so far, merged. */
  ranges(): PlayedRange[] {
    return this.#ranges.map(([a, b]): PlayedRange => [a, b]);
  }

  /** The longest stretch played without a gap, in seconds. */
  longestRun(): number {
    return this.#ranges.reduce((max, [a, b]) => Math.max(max, b - a), 0);
  }
}
