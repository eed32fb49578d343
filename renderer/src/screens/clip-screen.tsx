import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef } from 'react';
import { audioPaths, clipDisplayTitle, type ClipComment, type ClipSummary } from '../../../contract';
import { ErrorNote, InfoNote, Spinner } from '../components/feedback';
import { LoadStatePage } from '../components/load-state-page';
import { usePlayerShortcuts } from '../player/use-player-shortcuts';
import { useClipAudio } from '../player/use-clip-audio';
import type { WaveformMarker } from '../player/waveform';
import { WaveformPlayer } from '../player/waveform-player';
import { restQueries } from '../api/queries';
import { queryKeys } from '../api/query-keys';
import { formatDuration } from '../labels';
import { routeHref } from '../routing';
import { useSession } from '../services/session-context';
import { ClipScorecardPanel } from '../reviews/clip-scorecard-panel';
import { ClipComments, type ComposerHandle } from './clip-comments';
import { ClipDetails } from './clip-details';
import { ClipTalkTracks } from '../talk-tracks/clip-talk-tracks';
import { SendClipButton } from '../notifications/send-clip-panel';

/** One clip: waveform player with comment markers, comments, details and actions. */
export function ClipScreen({ clipId, commentId }: { clipId: string; commentId?: string }) {
  const session = useSession();
  const queries = useQueryClient();
  // Pushes (`library:changed`, `clip:ready`) refresh this query through the session.
  const detail = useQuery(restQueries.clip(session.rest, clipId));
  const reload = useCallback(() => void queries.invalidateQueries({ queryKey: queryKeys.clips.detail(clipId) }), [queries, clipId]);

  // A pending clip becomes playable once its post-roll has passed: look again then, in case
  // the push was missed.
  const pendingUntil = detail.data?.clip.status === 'pending' ? detail.data.clip.readyAt : null;
  useEffect(() => {
    if (pendingUntil === null) return undefined;
    const timer = setTimeout(reload, Math.max(2000, pendingUntil - Date.now() + 1500));
    return () => clearTimeout(timer);
  }, [pendingUntil, reload]);

  if (!detail.isSuccess) {
    return (
      <LoadStatePage
        error={detail.error}
        title="Clip"
        titleId="clip-title"
        loadingLabel="Loading the clip…"
        notFound={{
          title: 'This clip was deleted or you can’t see it',
          heading: 'Clip not found',
          text: 'It may have been deleted, or its owner limited who can see it.',
          testId: 'clip-not-found',
          back: { href: routeHref({ name: 'library' }), label: 'Back to the library' },
        }}
        onRetry={() => void detail.refetch()}
      />
    );
  }
  return <ClipView clip={detail.data.clip} comments={detail.data.comments} onChanged={reload} commentId={commentId} />;
}

function ClipView({ clip, comments, onChanged, commentId }: { clip: ClipSummary; comments: ClipComment[]; onChanged(): void; commentId?: string }) {
  const [audio, retry] = useClipAudio(clip.status === 'ready' ? audioPaths.clip(clip.id) : null, clip.durationMs);
  const player = audio.status === 'ready' ? audio.player : null;
  const composer = useRef<ComposerHandle>(null);

  usePlayerShortcuts(player, () => composer.current?.startAt(player?.snapshot().positionMs ?? 0));
  useCommentTarget(commentId, comments);

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
        <SendClipButton clip={clip} />
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
            <WaveformPlayer audio={audio} durationMs={clip.durationMs} label="Player" onRetry={retry} commentShortcut markers={commentMarkers(comments)} />
          )}
          <ClipScorecardPanel clip={clip} />
          <ClipComments clipId={clip.id} comments={comments} player={player} composerRef={composer} />
        </div>
        <div className="clip-side-stack">
          <ClipDetails clip={clip} audioUrl={player?.url ?? null} onChanged={onChanged} />
          <ClipTalkTracks clip={clip} player={player} />
        </div>
      </div>
    </section>
  );
}

/**
 * Opened at a comment (`#/clips/<id>/comments/<commentId>`, from a notification): scrolls it into
 * view and outlines it once the comments are shown.
 */
function useCommentTarget(commentId: string | undefined, comments: ClipComment[]) {
  const present = commentId !== undefined && comments.some((c) => c.id === commentId);
  useEffect(() => {
    if (!present) return undefined;
    const element = document.querySelector<HTMLElement>(`[data-comment-id="${CSS.escape(commentId)}"]`);
    if (!element) return undefined;
    element.classList.add('comment-target');
    element.scrollIntoView({ block: 'center' });
    return () => element.classList.remove('comment-target');
  }, [present, commentId]);
}

/** Each top-level comment as a marker on the waveform. */
function commentMarkers(comments: ClipComment[]): WaveformMarker[] {
  return comments
    .filter((c) => c.parentId === null)
    .map((c) => ({ id: c.id, atMs: c.atMs, label: `Comment by ${c.authorName} at ${formatDuration(c.atMs)}: ${c.body.slice(0, 80)}` }));
}
