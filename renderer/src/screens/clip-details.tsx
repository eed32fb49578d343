import { useState } from 'react';
import { can, clipDisplayTitle, type ClipSummary, type Result, type UpdateClipBody } from '../../../contract';
import { queryKeys } from '../api/query-keys';
import { useNotifiedMutation } from '../api/use-notified-mutation';
import { ClipFields, clipFormValues, useClipForm } from '../clips/clip-form';
import { DeletePanel } from '../components/confirm-delete';
import { CopyField } from '../components/copy-field';
import { Button, ErrorNote } from '../components/feedback';
import { TagList } from '../components/tag-list';
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
  const review = useNotifiedMutation({
    call: (reviewed: boolean) => session.rest.call('updateClip', { params: { id: clip.id }, body: { reviewed } }),
    success: ({ clip: updated }) => (updated.reviewed ? 'Marked reviewed.' : 'Marked not reviewed.'),
    invalidates: [queryKeys.clips.detail(clip.id), queryKeys.clips.lists],
  });
  const remove = useNotifiedMutation({
    call: () => session.rest.call('deleteClip', { params: { id: clip.id } }),
    success: 'Clip deleted.',
    invalidates: [queryKeys.clips.lists],
    then: () => navigate({ name: 'library' }),
  });
  const title = clipDisplayTitle(clip);

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
                <Button variant="secondary" busy={review.isPending} onClick={() => review.mutate(!clip.reviewed)}>
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
        <DeletePanel what="clip" busy={remove.isPending} onConfirm={() => remove.mutate()}>
          Delete “{title}” and its comments for everyone? This cannot be undone.
        </DeletePanel>
      ) : null}
    </aside>
  );
}

const EDIT_LABELS = { title: 'Title', note: 'Note' };

/** Edits a clip's details; only the fields that changed are sent. */
function ClipEditForm({ clip, onDone }: { clip: ClipSummary; onDone(saved: boolean): void }) {
  const session = useSession();
  const form = useClipForm(clipFormValues(clip), EDIT_LABELS);
  const { dirtyFields } = form.form.formState;

  const save = form.submit(
    async (values): Promise<Result<boolean>> => {
      const body: UpdateClipBody = {};
      if (dirtyFields.title) body.title = values.title;
      if (dirtyFields.note) body.note = values.note;
      if (dirtyFields.tags) body.tags = values.tags;
      if (dirtyFields.visibility) body.visibility = values.visibility;
      if (Object.keys(body).length === 0) return { ok: true, value: false };
      const reply = await session.rest.call('updateClip', { params: { id: clip.id }, body });
      return reply.ok ? { ok: true, value: true } : reply;
    },
    (changed) => {
      if (changed) notify('Clip saved.', 'success');
      onDone(changed);
    },
  );

  return (
    <form className="form" onSubmit={(e) => void save(e)} noValidate aria-label="Edit clip">
      <ClipFields form={form} labels={EDIT_LABELS} noteRows={4} titlePlaceholder={clipDisplayTitle({ title: '', callTitle: clip.callTitle })} />
      <ErrorNote error={form.error} />
      <div className="actions">
        <Button type="submit" busy={form.busy} busyLabel="Saving…">
          Save
        </Button>
        <Button variant="ghost" onClick={() => onDone(false)}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
