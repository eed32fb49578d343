import { useState } from 'react';
import { ClipVisibility, can, clipDisplayTitle, type AppError, type ClipSummary, type UpdateClipBody } from '../../../contract';
import { DeletePanel } from '../components/confirm-delete';
import { CopyField } from '../components/copy-field';
import { Button, ErrorNote } from '../components/feedback';
import { TextAreaField, TextField } from '../components/field';
import { TagList } from '../components/tag-list';
import { TagPicker } from '../components/tag-picker';
import { useNotifiedAction } from '../components/use-notified-action';
import { VisibilityField } from '../components/visibility-field';
import { formatDateTime, formatDuration } from '../labels';
import { downloadName, visibilityLabels } from '../library-labels';
import { navigate } from '../routing';
import { useSession } from '../services/session-context';
import { notify, useAppStore } from '../state/store';

/** A clip's details and what the viewer may do with it: edit, review, share, download, delete. */
export function ClipDetails({ clip, audioUrl, onChanged }: { clip: ClipSummary; audioUrl: string | null; onChanged(): void }) {
  const session = useSession();
  const role = useAppStore((s) => s.me?.user.role ?? 'rep');
  const serverUrl = useAppStore((s) => s.serverUrl);
  const [editing, setEditing] = useState(false);
  const [reviewing, runReview] = useNotifiedAction();
  const [deleting, runDelete] = useNotifiedAction();
  const title = clipDisplayTitle(clip);

  const toggleReviewed = () =>
    runReview(
      () => session.rest.call('updateClip', { params: { id: clip.id }, body: { reviewed: !clip.reviewed } }),
      ({ clip: updated }) => (updated.reviewed ? 'Marked reviewed.' : 'Marked not reviewed.'),
      onChanged,
    );

  const remove = () =>
    runDelete(
      () => session.rest.call('deleteClip', { params: { id: clip.id } }),
      'Clip deleted.',
      () => navigate({ name: 'library' }),
    );

  return (
    <aside className="clip-side" aria-label="Clip details">
      <div className="panel">
        {editing ? (
          <ClipEditForm clip={clip} onDone={(saved) => {
            setEditing(false);
            if (saved) onChanged();
          }} />
        ) : (
          <>
            {clip.note ? <p className="clip-note">{clip.note}</p> : <p className="muted">No note.</p>}
            <TagList tags={clip.tags} />
            <dl className="clip-facts">
              <dt>Call</dt>
              <dd>
                {clip.callTitle}
                {clip.account ? ` · ${clip.account}` : ''}
              </dd>
              <dt>Host</dt>
              <dd>{clip.hostName}</dd>
              <dt>Clipped by</dt>
              <dd>{clip.clipperName}</dd>
              <dt>Created</dt>
              <dd>{formatDateTime(clip.createdAt)}</dd>
              {clip.status === 'ready' ? (
                <>
                  <dt>Length</dt>
                  <dd>{formatDuration(clip.durationMs)}</dd>
                </>
              ) : null}
              <dt>Who can see it</dt>
              <dd>{visibilityLabels[clip.visibility]}</dd>
              <dt>Review</dt>
              <dd>{clip.reviewed ? <span className="badge badge-reviewed">✓ Reviewed</span> : 'Not reviewed yet'}</dd>
            </dl>
            <div className="actions">
              {clip.canEdit ? (
                <Button variant="secondary" onClick={() => setEditing(true)}>
                  Edit details
                </Button>
              ) : null}
              {can.seeEverything(role) ? (
                <Button variant="secondary" busy={reviewing} onClick={() => void toggleReviewed()}>
                  {clip.reviewed ? 'Mark not reviewed' : 'Mark reviewed'}
                </Button>
              ) : null}
            </div>
          </>
        )}
      </div>

      <div className="panel">
        <h2>Share</h2>
        <CopyField label="Browser link" value={`${serverUrl}/#/clips/${encodeURIComponent(clip.id)}`} testId="clip-browser-link" />
        <CopyField label="Desktop app link" value={`bullpen://clip/${encodeURIComponent(clip.id)}`} testId="clip-desktop-link" />
        <p className="field-hint">Only people who may see this clip can open it.</p>
        {audioUrl ? (
          <a className="btn btn-secondary" href={audioUrl} download={downloadName(title, 'ogg')}>
            Download audio
          </a>
        ) : null}
      </div>

      {clip.canDelete ? (
        <DeletePanel what="clip" busy={deleting} onConfirm={() => void remove()}>
          Delete “{title}” and its comments for everyone? This cannot be undone.
        </DeletePanel>
      ) : null}
    </aside>
  );
}

function ClipEditForm({ clip, onDone }: { clip: ClipSummary; onDone(saved: boolean): void }) {
  const session = useSession();
  const [title, setTitle] = useState(clip.title);
  const [note, setNote] = useState(clip.note);
  const [tags, setTags] = useState(clip.tags);
  const [visibility, setVisibility] = useState<ClipVisibility>(clip.visibility);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    const body: UpdateClipBody = {};
    if (title !== clip.title) body.title = title;
    if (note !== clip.note) body.note = note;
    if (JSON.stringify(tags) !== JSON.stringify(clip.tags)) body.tags = tags;
    if (visibility !== clip.visibility) body.visibility = visibility;
    if (Object.keys(body).length === 0) {
      onDone(false);
      return;
    }
    setBusy(true);
    setError(null);
    const reply = await session.rest.call('updateClip', { params: { id: clip.id }, body });
    setBusy(false);
    if (!reply.ok) {
      setError(reply.error);
      return;
    }
    notify('Clip saved.', 'success');
    onDone(true);
  };

  return (
    <form className="form" onSubmit={(e) => void save(e)} aria-label="Edit clip">
      <TextField label="Title" value={title} maxLength={120} placeholder={clipDisplayTitle({ title: '', callTitle: clip.callTitle })} onChange={(e) => setTitle(e.currentTarget.value)} />
      <TextAreaField label="Note" value={note} maxLength={4000} rows={4} onChange={(e) => setNote(e.currentTarget.value)} />
      <TagPicker value={tags} onChange={setTags} disabled={busy} />
      <VisibilityField value={visibility} onChange={(e) => setVisibility(e.currentTarget.value as ClipVisibility)} />
      <ErrorNote error={error} />
      <div className="actions">
        <Button type="submit" busy={busy} busyLabel="Saving…">
          Save
        </Button>
        <Button variant="ghost" onClick={() => onDone(false)}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
