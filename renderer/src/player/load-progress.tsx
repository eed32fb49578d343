import { Spinner } from '../components/feedback';
import type { ClipAudio } from './use-clip-audio';

/** Download and decode progress of the audio. */
export function LoadProgress({ audio }: { audio: ClipAudio }) {
  if (audio.status === 'decoding') {
    return (
      <span className="load-progress" role="status">
        <Spinner /> Drawing the waveform…
      </span>
    );
  }
  if (audio.status !== 'downloading') return null;
  const pct = audio.total ? Math.round((audio.loaded / audio.total) * 100) : null;
  return (
    <span className="load-progress" role="status">
      {pct === null ? <Spinner /> : <progress max={100} value={pct} aria-label="Loading audio" />}
      <span>Loading audio{pct === null ? '…' : ` ${pct}%`}</span>
    </span>
  );
}
