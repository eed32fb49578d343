import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { MAX_CLIP_MS, audioPaths, type RecordingSummary, type Result } from '../../../contract';
import { clientError } from '../api/errors';
import { restQueries } from '../api/queries';
import { queryKeys } from '../api/query-keys';
import { useNotifiedMutation } from '../api/use-notified-mutation';
import { ClipFields, useClipForm } from '../clips/clip-form';
import { DeletePanel } from '../components/confirm-delete';
import { Button, ErrorNote } from '../components/feedback';
import { LoadStatePage } from '../components/load-state-page';
import { usePlayerShortcuts } from '../player/use-player-shortcuts';
import { useClipAudio } from '../player/use-clip-audio';
import { useNow } from '../hooks/use-now';
import type { WaveformRange } from '../player/waveform';
import { WaveformPlayer } from '../player/waveform-player';
import { formatDateTime, formatDuration } from '../labels';
import { count, expiresIn, formatMediaTime } from '../library-labels';
import type { ClipPlayer } from '../media/clip-player';
import { navigate, routeHref } from '../routing';
import { useSession } from '../services/session-context';
import { notify } from '../state/store';

/** A kept recording: choose a range on its waveform and save it as a clip. */
export function RecordingScreen({ callId, atMs }: { callId: string; /** Start here (a question's moment). */ atMs?: number }) {
  const session = useSession();
  const recording = useQuery(restQueries.recording(session.rest, callId));

  if (!recording.isSuccess) {
    return (
      <LoadStatePage
        error={recording.error}
        title="Recording"
        titleId="recording-title"
        loadingLabel="Loading the recording…"
        notFound={{
          title: 'This recording was deleted or has expired',
          heading: 'Recording not found',
          text: 'Clips already saved from it are still in the library.',
          testId: 'recording-not-found',
          back: { href: routeHref({ name: 'recordings' }), label: 'Back to recordings' },
        }}
        onRetry={() => void recording.refetch()}
      />
    );
  }
  return <RecordingView recording={recording.data.recording} atMs={atMs} />;
}

function RecordingView({ recording: r, atMs }: { recording: RecordingSummary; atMs?: number }) {
  const [audio, retry] = useClipAudio(audioPaths.recording(r.callId), r.durationMs);
  const player = audio.status === 'ready' ? audio.player : null;
  // Opened at a moment (from a question): the player starts there once the audio is ready.
  useEffect(() => {
    if (player && atMs !== undefined) player.seek(Math.min(atMs, r.durationMs));
  }, [player, atMs, r.durationMs]);
  const [selection, setSelection] = useState<WaveformRange | null>(null);
  const now = useNow();

  usePlayerShortcuts(player);

  return (
    <section className="page clip-page" aria-labelledby="recording-title" data-testid="recording-picker" data-call-id={r.callId}>
      <p className="breadcrumb">
        <a href={routeHref({ name: 'recordings' })}>Recordings</a>
      </p>
      <div className="page-head">
        <div>
          <h1 id="recording-title">{r.callTitle}</h1>
          <p className="muted">
            {r.hostName}’s call{r.account ? ` with ${r.account}` : ''} · {formatDateTime(r.startedAt)} · {formatDuration(r.durationMs)} ·{' '}
            {count(r.clipCount, 'clip')}
            {r.expiresAt ? ` · ${expiresIn(r.expiresAt, now)}` : ''}
          </p>
        </div>
      </div>
      <div className="clip-layout">
        <div className="clip-main">
          <WaveformPlayer
            audio={audio}
            durationMs={r.durationMs}
            label="Recording player"
            onRetry={retry}
            commentShortcut={false}
            intro={<p className="muted">Drag across the waveform to choose a moment (up to 10 minutes); drag the handles to adjust it.</p>}
            selection={selection}
            onSelect={setSelection}
            maxSelectionMs={MAX_CLIP_MS}
          />
          <SelectionPanel recording={r} player={player} selection={selection} />
        </div>
        <aside className="clip-side" aria-label="Recording details">
          <div className="panel">
            <dl className="clip-facts">
              <dt>Host</dt>
              <dd>{r.hostName}</dd>
              <dt>Consent</dt>
              <dd>
                Confirmed by {r.consentBy}, {formatDateTime(r.consentAt)}
              </dd>
              {r.expiresAt ? (
                <>
                  <dt>Kept until</dt>
                  <dd>{formatDateTime(r.expiresAt)}</dd>
                </>
              ) : null}
            </dl>
          </div>
          {r.canDiscard ? <DiscardRecording recording={r} /> : null}
        </aside>
      </div>
    </section>
  );
}

const NEW_CLIP_LABELS = { title: 'Title', note: 'Note' };

function SelectionPanel({ recording, player, selection }: { recording: RecordingSummary; player: ClipPlayer | null; selection: WaveformRange | null }) {
  const session = useSession();
  const queries = useQueryClient();
  const form = useClipForm({ title: '', note: '', tags: [], visibility: 'team' }, NEW_CLIP_LABELS);
  const submit = form.submit(
    (details) =>
      selection
        ? session.rest.call('clipFromRecording', { params: { id: recording.callId }, body: { startMs: selection.startMs, endMs: selection.endMs, ...details } })
        : Promise.resolve<Result<null>>({ ok: false, error: clientError('BAD_REQUEST', 'Drag across the waveform to choose the moment first.') }),
    (reply) => {
      if (!reply) return;
      void queries.invalidateQueries({ queryKey: queryKeys.clips.lists });
      void queries.invalidateQueries({ queryKey: queryKeys.recordings.all });
      notify('Clip saved to the library.', 'success');
      navigate({ name: 'clip', id: reply.clip.id });
    },
  );

  return (
    <section className="panel" aria-labelledby="new-clip-title">
      <h2 id="new-clip-title">New clip</h2>
      {selection ? (
        <div className="selection-summary" data-testid="selection-summary">
          <p>
            <span>
              From <strong>{formatMediaTime(selection.startMs)}</strong>
            </span>{' '}
            <span>
              to <strong>{formatMediaTime(selection.endMs)}</strong>
            </span>{' '}
            <span className="muted">({formatMediaTime(selection.endMs - selection.startMs)} long)</span>
          </p>
          <Button variant="secondary" disabled={!player} onClick={() => void player?.playRange(selection.startMs, selection.endMs)}>
            Play selection
          </Button>
        </div>
      ) : (
        <p className="muted" data-testid="selection-summary">
          No moment chosen yet. Drag across the waveform above.
        </p>
      )}
      <form className="form" onSubmit={(e) => void submit(e)} noValidate aria-label="Save clip">
        <ClipFields
          form={form}
          labels={NEW_CLIP_LABELS}
          titlePlaceholder={`Moment from “${recording.callTitle}”`}
          notePlaceholder="What makes this moment worth hearing?"
        />
        <ErrorNote error={form.error} />
        <div className="actions">
          <Button type="submit" busy={form.busy} busyLabel="Saving…" disabled={!selection}>
            Save clip
          </Button>
        </div>
      </form>
    </section>
  );
}

function DiscardRecording({ recording }: { recording: RecordingSummary }) {
  const session = useSession();
  const discard = useNotifiedMutation({
    call: () => session.rest.call('discardRecording', { params: { id: recording.callId } }),
    success: 'Recording deleted. Its clips are still in the library.',
    invalidates: [queryKeys.recordings.all],
    then: () => navigate({ name: 'recordings' }),
  });

  return (
    <DeletePanel what="recording" busy={discard.isPending} onConfirm={() => discard.mutate()}>
      Delete the full recording of “{recording.callTitle}”? Clips already saved from it stay. This cannot be undone.
    </DeletePanel>
  );
}
