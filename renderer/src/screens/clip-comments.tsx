import { useImperativeHandle, useRef, useState, type Ref } from 'react';
import type { AppError, ClipComment } from '../../../contract';
import { Avatar } from '../components/avatar';
import { ConfirmDelete } from '../components/confirm-delete';
import { Button, ErrorNote } from '../components/feedback';
import { usePlayerSnapshot } from '../components/use-clip-audio';
import { useNotifiedAction } from '../components/use-notified-action';
import { formatAgo, formatDateTime, formatDuration } from '../labels';
import type { ClipPlayer } from '../media/clip-player';
import { useSession } from '../services/session-context';

/** Lets the page start a comment at a moment (the M shortcut). */
export interface ComposerHandle {
  startAt(atMs: number): void;
}

interface Thread {
  root: ClipComment;
  replies: ClipComment[];
}

function threads(comments: ClipComment[]): Thread[] {
  const byId = new Map<string, Thread>();
  const roots = comments.filter((c) => c.parentId === null).sort((a, b) => a.atMs - b.atMs || a.createdAt - b.createdAt);
  for (const root of roots) byId.set(root.id, { root, replies: [] });
  for (const reply of comments.filter((c) => c.parentId !== null).sort((a, b) => a.createdAt - b.createdAt)) {
    const thread = byId.get(reply.parentId ?? '');
    // A reply whose root is gone still shows, as its own thread.
    if (thread) thread.replies.push(reply);
    else byId.set(reply.id, { root: reply, replies: [] });
  }
  return [...byId.values()].sort((a, b) => a.root.atMs - b.root.atMs || a.root.createdAt - b.root.createdAt);
}

/** Timestamped comments on a clip, threaded one level, with a composer at the playhead. */
export function ClipComments({
  clipId,
  comments,
  player,
  composerRef,
  onChanged,
}: {
  clipId: string;
  comments: ClipComment[];
  player: ClipPlayer | null;
  composerRef?: Ref<ComposerHandle>;
  onChanged(): void;
}) {
  const list = threads(comments);
  const seek = (ms: number) => {
    player?.seek(ms);
  };
  return (
    <section className="panel comments" aria-labelledby="comments-title">
      <h2 id="comments-title">Comments {comments.length > 0 ? <span className="muted">({comments.length})</span> : null}</h2>
      <Composer clipId={clipId} player={player} handle={composerRef} onPosted={onChanged} />
      {list.length === 0 ? (
        <p className="muted comments-empty">No comments yet. Pause at a moment worth discussing and comment on it; everyone who can see the clip can reply.</p>
      ) : (
        <ol className="comment-threads" aria-label="Comments">
          {list.map((thread) => (
            <li key={thread.root.id} className="comment-thread">
              <CommentItem comment={thread.root} clipId={clipId} onSeek={seek} onChanged={onChanged} canReply />
              {thread.replies.length > 0 ? (
                <ol className="comment-replies" aria-label={`Replies to ${thread.root.authorName}`}>
                  {thread.replies.map((reply) => (
                    <li key={reply.id}>
                      <CommentItem comment={reply} clipId={clipId} onSeek={seek} onChanged={onChanged} />
                    </li>
                  ))}
                </ol>
              ) : null}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function Composer({ clipId, player, handle, onPosted }: { clipId: string; player: ClipPlayer | null; handle?: Ref<ComposerHandle> | undefined; onPosted(): void }) {
  const session = useSession();
  const snapshot = usePlayerSnapshot(player);
  const box = useRef<HTMLTextAreaElement>(null);
  const [body, setBody] = useState('');
  const [pinnedMs, setPinnedMs] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const atMs = Math.round(pinnedMs ?? snapshot.positionMs);

  useImperativeHandle(handle, () => ({
    startAt(ms: number) {
      setPinnedMs(ms);
      box.current?.focus();
    },
  }));

  const submit = async (e: { preventDefault(): void }) => {
    e.preventDefault();
    if (busy || body.trim() === '') return;
    setBusy(true);
    setError(null);
    const reply = await session.rest.call('addComment', { params: { id: clipId }, body: { atMs, body, parentId: null } });
    setBusy(false);
    if (!reply.ok) {
      setError(reply.error);
      return;
    }
    setBody('');
    setPinnedMs(null);
    onPosted();
  };

  return (
    <form className="comment-composer" onSubmit={(e) => void submit(e)} aria-label="Add a comment">
      <label className="sr-only" htmlFor={`composer-${clipId}`}>
        New comment
      </label>
      <textarea
        id={`composer-${clipId}`}
        ref={box}
        data-testid="comment-input"
        rows={2}
        maxLength={4000}
        value={body}
        placeholder={`Comment at ${formatDuration(atMs)}…`}
        onFocus={() => {
          // The comment belongs to the moment the person started writing it.
          if (body === '' && pinnedMs === null) setPinnedMs(player?.snapshot().positionMs ?? 0);
        }}
        onChange={(e) => {
          setBody(e.currentTarget.value);
          setError(null);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void submit(e);
          if (e.key === 'Escape' && body === '') {
            setPinnedMs(null);
            e.currentTarget.blur();
          }
        }}
      />
      <div className="composer-actions">
        {pinnedMs !== null ? (
          <button type="button" className="link-button" onClick={() => setPinnedMs(player?.snapshot().positionMs ?? 0)}>
            Use current time
          </button>
        ) : null}
        <Button type="submit" busy={busy} busyLabel="Posting…" disabled={body.trim() === ''} data-testid="comment-submit">
          Comment at {formatDuration(atMs)}
        </Button>
      </div>
      <ErrorNote error={error} />
    </form>
  );
}

function CommentItem({
  comment,
  clipId,
  onSeek,
  onChanged,
  canReply,
}: {
  comment: ClipComment;
  clipId: string;
  onSeek(ms: number): void;
  onChanged(): void;
  canReply?: boolean;
}) {
  const session = useSession();
  const [mode, setMode] = useState<'view' | 'edit' | 'reply' | 'confirm-delete'>('view');
  const [draft, setDraft] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [deleting, runDelete] = useNotifiedAction();
  const time = formatDuration(comment.atMs);

  const run = async (action: () => Promise<{ ok: boolean; error?: AppError }>, done: () => void) => {
    setBusy(true);
    setError(null);
    const reply = await action();
    setBusy(false);
    if (!reply.ok) {
      if (reply.error) setError(reply.error);
      return;
    }
    done();
    onChanged();
  };

  const save = () =>
    run(
      () => session.rest.call('editComment', { params: { id: comment.id }, body: { body: draft } }),
      () => setMode('view'),
    );
  const sendReply = () =>
    run(
      () => session.rest.call('addComment', { params: { id: clipId }, body: { atMs: comment.atMs, body: draft, parentId: comment.id } }),
      () => {
        setDraft('');
        setMode('view');
      },
    );
  const remove = () => runDelete(() => session.rest.call('deleteComment', { params: { id: comment.id } }), 'Comment deleted.', onChanged);

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
            onSubmit={() => void save()}
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
            onSubmit={() => void sendReply()}
            onCancel={() => setMode('view')}
          />
        ) : null}
        {mode === 'confirm-delete' ? (
          <ConfirmDelete what="comment" busy={deleting} onConfirm={() => void remove()} onCancel={() => setMode('view')}>
            Delete this comment? This cannot be undone.
          </ConfirmDelete>
        ) : null}
        {mode === 'view' ? (
          <div className="comment-actions">
            {canReply ? (
              <button
                type="button"
                className="link-button"
                onClick={() => {
                  setDraft('');
                  setMode('reply');
                }}
              >
                Reply
              </button>
            ) : null}
            {comment.canEdit ? (
              <button
                type="button"
                className="link-button"
                onClick={() => {
                  setDraft(comment.body);
                  setMode('edit');
                }}
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
        maxLength={4000}
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
