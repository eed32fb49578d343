import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import type { AppError } from '../../../contract';
import { ClipPlayer, type PlayerSnapshot } from '../media/clip-player';
import { decodePeaks, type Peaks } from '../media/peaks';
import { useSession } from '../services/session-context';

export type ClipAudio =
  | { status: 'downloading'; loaded: number; total: number | null }
  | { status: 'decoding' }
  | { status: 'error'; error: AppError }
  /** `peaks` is null when the browser could play the file but not decode it for drawing. */
  | { status: 'ready'; player: ClipPlayer; peaks: Peaks | null };

/**
 * Downloads an audio file (`audioPaths.*`) with the session's token, decodes its waveform and
 * sets up a {@link ClipPlayer}. `path` null waits (e.g. while a clip is still being cut).
 * The player is closed on unmount or when the path changes.
 */
export function useClipAudio(path: string | null, durationHintMs: number): [ClipAudio, () => void] {
  const session = useSession();
  const [attempt, setAttempt] = useState(0);
  const key = `${path ?? ''}#${attempt}`;
  // Each (path, attempt) has its own state; a new key starts out downloading.
  const [loaded, setLoaded] = useState<{ key: string; value: ClipAudio } | null>(null);

  useEffect(() => {
    if (!path) return undefined;
    const abort = new AbortController();
    let player: ClipPlayer | null = null;
    const setState = (value: ClipAudio) => setLoaded({ key, value });
    void (async () => {
      let lastReport = 0;
      const reply = await session.rest.fetchAudio(path, {
        signal: abort.signal,
        onProgress: (loaded, total) => {
          // A progress bar needs a few updates a second, not one per network chunk.
          const now = performance.now();
          if (now - lastReport < 100 && loaded !== total) return;
          lastReport = now;
          if (!abort.signal.aborted) setState({ status: 'downloading', loaded, total });
        },
      });
      if (abort.signal.aborted) return;
      if (!reply.ok) {
        setState({ status: 'error', error: reply.error });
        return;
      }
      setState({ status: 'decoding' });
      const peaks = await decodePeaks(reply.value, durationHintMs).catch(() => null);
      if (abort.signal.aborted) return;
      player = new ClipPlayer(reply.value, peaks?.durationMs || durationHintMs);
      setState({ status: 'ready', player, peaks });
    })();
    return () => {
      abort.abort();
      player?.close();
    };
    // The hint only sizes the decode; a changed hint for the same file is no reason to refetch.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [path, key, session]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return [loaded && loaded.key === key ? loaded.value : { status: 'downloading', loaded: 0, total: null }, retry];
}

const idle: PlayerSnapshot = { playing: false, positionMs: 0, durationMs: 0, rate: 1, stereo: true, balance: 0, stopAtMs: null };
const noop = () => () => undefined;

/** The player's current state (re-renders on every playhead frame while playing). */
export function usePlayerSnapshot(player: ClipPlayer | null): PlayerSnapshot {
  return useSyncExternalStore(player ? player.subscribe : noop, player ? player.snapshot : () => idle);
}
