import { useState } from 'react';
import { ClipVisibility, MAX_CLIP_MS, audioPaths, type AppError, type RecordingSummary } from '../../../contract';
import { DeletePanel } from '../components/confirm-delete';
import { Button, ErrorNote } from '../components/feedback';
import { TextAreaField, TextField } from '../components/field';
import { LoadStatePage } from '../components/load-state-page';
import { usePlayerShortcuts } from '../components/player-controls';
import { TagPicker } from '../components/tag-picker';
import { useClipAudio } from '../components/use-clip-audio';
import { useLoad } from '../components/use-load';
import { useNotifiedAction } from '../components/use-notified-action';
import { useNow } from '../components/use-now';
import { VisibilityField } from '../components/visibility-field';
import type { WaveformRange } from '../components/waveform';
import { WaveformPlayer } from '../components/waveform-player';
import { formatDateTime, formatDuration } from '../labels';
import { count, expiresIn, formatMediaTime } from '../library-labels';
import type { ClipPlayer } from '../media/clip-player';
import { navigate, routeHref } from '../routing';
import { useSession } from '../services/session-context';
import { notify } from '../state/store';

/** A kept recording: choose a range on its waveform and save it as a clip. */
export function RecordingScreen({ callId }: { callId: string }) {
  const session = useSession();
  const [recording, reload] = useLoad(`recording:${callId}`, () => session.rest.call('recording', { params: { id: callId } }));

  if (recording.status !== 'ok') {
    return (
      <LoadStatePage
        state={recording}
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
        onRetry={reload}
      />
    );
  }
  return <RecordingView recording={recording.value.recording} />;
}

function RecordingView({ recording: r }: { recording: RecordingSummary }) {
  const [audio, retry] = useClipAudio(audioPaths.recording(r.callId), r.durationMs);
  const player = audio.status === 'ready' ? audio.player : null;
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

function SelectionPanel({ recording, player, selection }: { recording: RecordingSummary; player: ClipPlayer | null; selection: WaveformRange | null }) {
  const session = useSession();
  const [title, setTitle] = useState('');
  const [note, setNote] = useState('');
  const [tags, setTags] = useState<string[]>([]);
  const [visibility, setVisibility] = useState<ClipVisibility>('team');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!selection) return;
    setBusy(true);
    setError(null);
    const reply = await session.rest.call('clipFromRecording', {
      params: { id: recording.callId },
      body: { startMs: selection.startMs, endMs: selection.endMs, title, note, tags, visibility },
    });
    setBusy(false);
    if (!reply.ok) {
      setError(reply.error);
      return;
    }
    notify('Clip saved to the library.', 'success');
    navigate({ name: 'clip', id: reply.value.clip.id });
  };

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
      <form className="form" onSubmit={(e) => void save(e)} aria-label="Save clip">
        <TextField label="Title" value={title} maxLength={120} placeholder={`Moment from “${recording.callTitle}”`} onChange={(e) => setTitle(e.currentTarget.value)} />
        <TextAreaField label="Note" value={note} maxLength={4000} rows={3} placeholder="What makes this moment worth hearing?" onChange={(e) => setNote(e.currentTarget.value)} />
        <TagPicker value={tags} onChange={setTags} disabled={busy} />
        <VisibilityField value={visibility} onChange={(e) => setVisibility(e.currentTarget.value as ClipVisibility)} />
        <ErrorNote error={error} />
        <div className="actions">
          <Button type="submit" busy={busy} busyLabel="Saving…" disabled={!selection}>
            Save clip
          </Button>
        </div>
      </form>
    </section>
  );
}

function DiscardRecording({ recording }: { recording: RecordingSummary }) {
  const session = useSession();
  const [busy, run] = useNotifiedAction();

  const discard = () =>
    run(
      () => session.rest.call('discardRecording', { params: { id: recording.callId } }),
      'Recording deleted. Its clips are still in the library.',
      () => navigate({ name: 'recordings' }),
    );

  return (
    <DeletePanel what="recording" busy={busy} onConfirm={() => void discard()}>
      Delete the full recording of “{recording.callTitle}”? Clips already saved from it stay. This cannot be undone.
    </DeletePanel>
  );
}
