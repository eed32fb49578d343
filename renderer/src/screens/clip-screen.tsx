import { useEffect, useRef } from 'react';
import { audioPaths, clipDisplayTitle, type ClipComment, type ClipSummary } from '../../../contract';
import { Button, EmptyState, ErrorNote, InfoNote, LoadingBlock, Spinner } from '../components/feedback';
import { PlayerControls, ShortcutHelp, playerKeyHandler } from '../components/player-controls';
import { useClipAudio, usePlayerSnapshot, type ClipAudio } from '../components/use-clip-audio';
import { useLoad } from '../components/use-load';
import { useServerEvent } from '../components/use-server-event';
import { Waveform } from '../components/waveform';
import { LoadProgress } from '../components/load-progress';
import { formatDuration } from '../labels';
import type { ClipPlayer } from '../media/clip-player';
import { routeHref } from '../routing';
import { useSession } from '../services/session-context';
import { ClipComments, type ComposerHandle } from './clip-comments';
import { ClipDetails } from './clip-details';

/** One clip: waveform player with comment markers, comments, details and actions. */
export function ClipScreen({ clipId }: { clipId: string }) {
  const session = useSession();
  const [detail, reload] = useLoad(`clip:${clipId}`, () => session.rest.call('clip', { params: { id: clipId } }));
  useServerEvent('library:changed', ({ clipId: changed }) => {
    if (changed === null || changed === clipId) reload();
  }, reload);
  useServerEvent('clip:ready', ({ clip }) => {
    if (clip.id === clipId) reload();
  });

  // A pending clip becomes playable once its post-roll has passed: look again then, in case
  // the push was missed.
  const pendingUntil = detail.status === 'ok' && detail.value.clip.status === 'pending' ? detail.value.clip.readyAt : null;
  useEffect(() => {
    if (pendingUntil === null) return undefined;
    const timer = setTimeout(reload, Math.max(2000, pendingUntil - Date.now() + 1500));
    return () => clearTimeout(timer);
  }, [pendingUntil, reload]);

  if (detail.status === 'loading') {
    return (
      <section className="page" aria-label="Clip">
        <LoadingBlock label="Loading the clip…" />
      </section>
    );
  }
  if (detail.status === 'error') {
    const gone = detail.error.code === 'NOT_FOUND';
    return (
      <section className="page" aria-labelledby="clip-title">
        {gone ? (
          <EmptyState title="This clip was deleted or you can’t see it" testId="clip-not-found">
            <h1 id="clip-title" className="sr-only">
              Clip not found
            </h1>
            <p>It may have been deleted, or its owner limited who can see it.</p>
            <a className="btn btn-secondary" href={routeHref({ name: 'library' })}>
              Back to the library
            </a>
          </EmptyState>
        ) : (
          <>
            <h1 id="clip-title">Clip</h1>
            <ErrorNote error={detail.error}>
              <Button variant="secondary" onClick={reload}>
                Try again
              </Button>
            </ErrorNote>
          </>
        )}
      </section>
    );
  }
  return <ClipView clip={detail.value.clip} comments={detail.value.comments} onChanged={reload} />;
}

function ClipView({ clip, comments, onChanged }: { clip: ClipSummary; comments: ClipComment[]; onChanged(): void }) {
  const [audio, retry] = useClipAudio(clip.status === 'ready' ? audioPaths.clip(clip.id) : null, clip.durationMs);
  const player = audio.status === 'ready' ? audio.player : null;
  const composer = useRef<ComposerHandle>(null);

  useEffect(() => {
    const onKey = playerKeyHandler(player, () => composer.current?.startAt(player?.snapshot().positionMs ?? 0));
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [player]);

  const title = clipDisplayTitle(clip);
  return (
    <section className="page clip-page" aria-labelledby="clip-title" data-testid="clip-player" data-clip-id={clip.id} data-status={clip.status}>
      <p className="breadcrumb">
        <a href={routeHref({ name: 'library' })}>Library</a>
      </p>
      <div className="page-head">
        <div>
          <h1 id="clip-title">{title}</h1>
          <p className="muted">
            {clip.hostName}’s call “{clip.callTitle}”{clip.account ? ` with ${clip.account}` : ''} · clipped by {clip.clipperName}
          </p>
        </div>
      </div>
      <div className="clip-layout">
        <div className="clip-main">
          {clip.status === 'pending' ? (
            <div className="panel clip-pending" data-testid="clip-pending">
              <InfoNote>
                <p>
                  <Spinner /> Being cut… ready in a few seconds.
                </p>
              </InfoNote>
            </div>
          ) : clip.status === 'failed' ? (
            <div className="panel">
              <ErrorNote error="This clip could not be cut: the recording had no audio for that moment." />
            </div>
          ) : (
            <PlayerPanel audio={audio} player={player} comments={comments} durationMs={clip.durationMs} onRetry={retry} />
          )}
          <ClipComments clipId={clip.id} comments={comments} player={player} composerRef={composer} onChanged={onChanged} />
        </div>
        <ClipDetails clip={clip} audioUrl={player?.url ?? null} onChanged={onChanged} />
      </div>
    </section>
  );
}

function PlayerPanel({
  audio,
  player,
  comments,
  durationMs,
  onRetry,
}: {
  audio: ClipAudio;
  player: ClipPlayer | null;
  comments: ClipComment[];
  durationMs: number;
  onRetry(): void;
}) {
  const snapshot = usePlayerSnapshot(player);
  const duration = player ? snapshot.durationMs : durationMs;
  const markers = comments
    .filter((c) => c.parentId === null)
    .map((c) => ({ id: c.id, atMs: c.atMs, label: `Comment by ${c.authorName} at ${formatDuration(c.atMs)}: ${c.body.slice(0, 80)}` }));

  if (audio.status === 'error') {
    return (
      <div className="panel">
        <ErrorNote error={audio.error}>
          <Button variant="secondary" onClick={onRetry}>
            Try again
          </Button>
        </ErrorNote>
      </div>
    );
  }
  return (
    <div className="panel player" aria-label="Player" role="region">
      <Waveform
        peaks={audio.status === 'ready' ? audio.peaks : null}
        durationMs={duration}
        positionMs={snapshot.positionMs}
        onSeek={(ms) => player?.seek(ms)}
        label="Playback position"
        markers={markers}
        overlay={audio.status === 'ready' ? (audio.peaks ? null : <span className="muted">Waveform unavailable; playback works.</span>) : <LoadProgress audio={audio} />}
      />
      <PlayerControls player={player} snapshot={{ ...snapshot, durationMs: duration }} />
      <ShortcutHelp />
    </div>
  );
}
