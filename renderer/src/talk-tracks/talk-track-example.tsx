import { useEffect, useRef, useState } from 'react';
import { audioPaths, clipDisplayTitle, type ClipSummary, type TalkTrackExample } from '../../../contract';
import { Button } from '../components/feedback';
import { formatDuration } from '../labels';
import { useClipAudio } from '../player/use-clip-audio';
import { WaveformPlayer } from '../player/waveform-player';
import { routeHref } from '../routing';

/**
 * One example clip of a track: its title, moment and caption, and a player that loads on demand
 * and starts at the linked moment. A clip that was deleted or that the reader may not see shows
 * as "Clip unavailable", in its place.
 */
export function TalkTrackExampleItem({ example }: { example: TalkTrackExample }) {
  const at = formatDuration(example.atMs);
  if (!example.clip) {
    return (
      <li className="track-example is-unavailable" data-testid="track-example" data-available="false">
        <p className="track-example-head">
          <strong>Clip unavailable</strong> <span className="muted">at {at}</span>
        </p>
        {example.caption ? <p className="track-example-caption">{example.caption}</p> : null}
        <p className="muted">This clip was deleted, or you can’t see it.</p>
      </li>
    );
  }
  const clip = example.clip;
  return (
    <li className="track-example" data-testid="track-example" data-available="true" data-clip-id={clip.id}>
      <p className="track-example-head">
        <a href={routeHref({ name: 'clip', id: clip.id })}>{clipDisplayTitle(clip)}</a> <span className="muted">at {at}</span>
      </p>
      {example.caption ? <p className="track-example-caption">{example.caption}</p> : null}
      <p className="muted track-example-meta">
        {clip.hostName}’s call “{clip.callTitle}” · clipped by {clip.clipperName}
      </p>
      <ExamplePlayer clip={clip} atMs={example.atMs} />
    </li>
  );
}

function ExamplePlayer({ clip, atMs }: { clip: ClipSummary; atMs: number }) {
  const [open, setOpen] = useState(false);
  if (clip.status !== 'ready') {
    return <p className="muted">{clip.status === 'pending' ? 'Being cut… playable in a few seconds.' : 'This clip could not be cut.'}</p>;
  }
  if (!open) {
    return (
      <Button variant="secondary" onClick={() => setOpen(true)} aria-label={`Play example “${clipDisplayTitle(clip)}” from ${formatDuration(atMs)}`}>
        ▶ Play from {formatDuration(atMs)}
      </Button>
    );
  }
  return <OpenPlayer clip={clip} atMs={atMs} />;
}

/** The clip's waveform player, started at the linked moment once its audio has loaded. */
function OpenPlayer({ clip, atMs }: { clip: ClipSummary; atMs: number }) {
  const [audio, retry] = useClipAudio(audioPaths.clip(clip.id), clip.durationMs);
  const player = audio.status === 'ready' ? audio.player : null;
  const started = useRef<unknown>(null);
  useEffect(() => {
    if (!player || started.current === player) return;
    started.current = player;
    player.seek(Math.min(atMs, Math.max(0, clip.durationMs - 1)));
    void player.play();
  }, [player, atMs, clip.durationMs]);
  return (
    <div data-testid="track-example-player" data-state={audio.status}>
      <WaveformPlayer
        audio={audio}
        durationMs={clip.durationMs}
        label={`Example: ${clipDisplayTitle(clip)}`}
        onRetry={retry}
        commentShortcut={false}
        markers={[{ id: 'moment', atMs, label: `Linked moment at ${formatDuration(atMs)}` }]}
      />
    </div>
  );
}
