import { useEffect } from 'react';
import type { PlayedRange } from '../../../contract';
import type { ClipPlayer } from '../media/clip-player';
import { PlayedRangeTracker } from './played-ranges';

/** While playing, the played seconds are reported this often (and at every start and stop). */
const REPORT_EVERY_MS = 5_000;

/**
 * Tracks what `player` really plays and reports it: once when playback starts (the server's
 * pacing clock starts there), every few seconds while it plays, and when it stops or ends.
 * Reports go one after another, in order.
 */
export function usePlaybackReport(player: ClipPlayer | null, report: ((ranges: PlayedRange[]) => Promise<unknown>) | null): void {
  useEffect(() => {
    if (!player || !report) return undefined;
    const tracker = new PlayedRangeTracker();
    let queue: Promise<unknown> = Promise.resolve();
    let wasPlaying = false;
    let lastReport = 0;
    const send = () => {
      const ranges = tracker.ranges();
      lastReport = performance.now();
      queue = queue.then(() => report(ranges)).catch(() => undefined);
    };
    const onChange = () => {
      const s = player.snapshot();
      const now = performance.now();
      tracker.observe(s, now);
      if (s.playing !== wasPlaying) {
        wasPlaying = s.playing;
        send();
      } else if (s.playing && now - lastReport >= REPORT_EVERY_MS) {
        send();
      }
    };
    onChange();
    return player.subscribe(onChange);
  }, [player, report]);
}
