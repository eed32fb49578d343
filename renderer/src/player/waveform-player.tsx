import type { ReactNode } from 'react';
import { RetryNote } from '../components/feedback';
import { LoadProgress } from './load-progress';
import { PlayerControls, ShortcutHelp } from './player-controls';
import { usePlayerSnapshot, type ClipAudio } from './use-clip-audio';
import { Waveform, type WaveformMarker, type WaveformRange } from './waveform';

/**
 * The player panel of a clip or recording: its waveform (with load progress over it), the
 * controls and the shortcut help; the error and a retry when the audio could not be loaded.
 */
export function WaveformPlayer({
  audio,
  durationMs,
  label,
  onRetry,
  commentShortcut,
  intro,
  markers,
  selection,
  onSelect,
  maxSelectionMs,
}: {
  audio: ClipAudio;
  /** The length to show until the audio is decoded. */
  durationMs: number;
  /** Accessible name of the panel. */
  label: string;
  onRetry(): void;
  /** Whether M (comment here) is among the shortcuts. */
  commentShortcut: boolean;
  /** Shown above the waveform. */
  intro?: ReactNode;
  markers?: WaveformMarker[];
  selection?: WaveformRange | null;
  onSelect?(range: WaveformRange): void;
  maxSelectionMs?: number;
}) {
  const player = audio.status === 'ready' ? audio.player : null;
  const snapshot = usePlayerSnapshot(player);
  const duration = player ? snapshot.durationMs : durationMs;

  if (audio.status === 'error') {
    return (
      <div className="panel">
        <RetryNote error={audio.error} onRetry={onRetry} />
      </div>
    );
  }
  return (
    <div className="panel player" role="region" aria-label={label}>
      {intro}
      <Waveform
        peaks={audio.status === 'ready' ? audio.peaks : null}
        durationMs={duration}
        positionMs={snapshot.positionMs}
        onSeek={(ms) => player?.seek(ms)}
        label="Playback position"
        markers={markers}
        selection={selection}
        onSelect={onSelect}
        maxSelectionMs={maxSelectionMs}
        overlay={audio.status === 'ready' ? (audio.peaks ? null : <span className="muted">Waveform unavailable; playback works.</span>) : <LoadProgress audio={audio} />}
      />
      <PlayerControls player={player} snapshot={{ ...snapshot, durationMs: duration }} />
      <ShortcutHelp comment={commentShortcut} />
    </div>
  );
}
