import { useState } from 'react';
import { MAX_COMMENT_CHARS, type ClipComment } from '../../../contract';
import { queryKeys } from '../api/query-keys';
import { useNotifiedMutation } from '../api/use-notified-mutation';
import { Avatar } from '../components/avatar';
import { ConfirmDelete } from '../components/confirm-delete';
import { Button, ErrorNote } from '../components/feedback';
import { formatAgo, formatDateTime, formatDuration } from '../labels';
import { useSession } from '../services/session-context';
import { useAddComment, useEditComment } from './use-comment-mutations';

/** One comment with its moment, author, and Reply / Edit / Delete. */
export function CommentItem({
  comment,
  clipId,
  onSeek,
  canReply,
}: {
  comment: ClipComment;
  clipId: string;
  onSeek(ms: number): void;
  canReply?: boolean;
}) {
  const session = useSession();
  const [mode, setMode] = useState<'view' | 'edit' | 'reply' | 'confirm-delete'>('view');
  const [draft, setDraft] = useState('');
  const edit = useEditComment(clipId, comment.id);
  const reply = useAddComment(clipId);
  const remove = useNotifiedMutation({
    call: () => session.rest.call('deleteComment', { params: { id: comment.id } }),
    success: 'Comment deleted.',
    invalidates: [queryKeys.clips.detail(clipId), queryKeys.clips.lists],
  });
  const busy = edit.isPending || reply.isPending;
  const error = edit.error ?? reply.error;
  const time = formatDuration(comment.atMs);
  const open = (next: 'edit' | 'reply', text: string) => {
    edit.reset();
    reply.reset();
    setDraft(text);
    setMode(next);
  };

  const save = () => edit.mutate(draft, { onSuccess: () => setMode('view') });
  const sendReply = () =>
    reply.mutate(
      { atMs: comment.atMs, body: draft, parentId: comment.id },
      {
        onSuccess: () => {
          setDraft('');
          setMode('view');
        },
      },
    );

  return (
    <article className="comment" data-testid="comment" data-comment-id={comment.id} aria-label={`Comment by ${comment.authorName} at ${time}`}>
      <Avatar name={comment.authorName} size="sm" />
      <div className="comment-content">
        <p className="comment-head">
          <button type="button" className="comment-time" aria-label={`Play from ${time}`} onClick={() => onSeek(comment.atMs)}>
            {time}
          </button>
          <strong className="comment-author">{comment.authorName}</strong>
          <time className="muted" dateTime={new Date(comment.createdAt).toISOString()} title={formatDateTime(comment.createdAt)}>
            {formatAgo(comment.createdAt)}
          </time>
          {comment.editedAt ? (
            <span className="muted comment-edited" title={`Edited ${formatDateTime(comment.editedAt)}`}>
              (edited)
            </span>
          ) : null}
        </p>
        {mode === 'edit' ? (
          <InlineEditor
            label="Edit comment"
            value={draft}
            onChange={setDraft}
            busy={busy}
            submitLabel="Save"
            onSubmit={save}
            onCancel={() => setMode('view')}
          />
        ) : (
          <p className="comment-body">{comment.body}</p>
        )}
        {mode === 'reply' ? (
          <InlineEditor
            label={`Reply to ${comment.authorName}`}
            value={draft}
            onChange={setDraft}
            busy={busy}
            submitLabel="Reply"
            onSubmit={sendReply}
            onCancel={() => setMode('view')}
          />
        ) : null}
        {mode === 'confirm-delete' ? (
          <ConfirmDelete what="comment" busy={remove.isPending} onConfirm={() => remove.mutate()} onCancel={() => setMode('view')}>
            Delete this comment? This cannot be undone.
          </ConfirmDelete>
        ) : null}
        {mode === 'view' ? (
          <div className="comment-actions">
            {canReply ? (
              <button
                type="button"
                className="link-button"
                onClick={() => open('reply', '')}
              >
                Reply
              </button>
            ) : null}
            {comment.canEdit ? (
              <button
                type="button"
                className="link-button"
                onClick={() => open('edit', comment.body)}
              >
                Edit
              </button>
            ) : null}
            {comment.canDelete ? (
              <button type="button" className="link-button link-danger" onClick={() => setMode('confirm-delete')}>
                Delete
              </button>
            ) : null}
          </div>
        ) : null}
        <ErrorNote error={error} />
      </div>
    </article>
  );
}

function InlineEditor({
  label,
  value,
  onChange,
  busy,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  label: string;
  value: string;
  onChange(value: string): void;
  busy: boolean;
  submitLabel: string;
  onSubmit(): void;
  onCancel(): void;
}) {
  return (
    <form
      className="inline-editor"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      <textarea
        aria-label={label}
        rows={2}
        maxLength={MAX_COMMENT_CHARS}
        value={value}
        autoFocus
        onChange={(e) => onChange(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') onCancel();
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) onSubmit();
        }}
      />
      <div className="actions">
        <Button type="submit" busy={busy} disabled={value.trim() === ''}>
          {submitLabel}
        </Button>
        <Button variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
