import { useImperativeHandle, useRef, useState, type Ref } from 'react';
import { MAX_COMMENT_CHARS } from '../../../contract';
import { Button, ErrorNote } from '../components/feedback';
import { formatDuration } from '../labels';
import type { ClipPlayer } from '../media/clip-player';
import { usePlayerSnapshot } from '../player/use-clip-audio';
import { useAddComment } from './use-comment-mutations';

/** Lets the page start a comment at a moment (the M shortcut). */
export interface ComposerHandle {
  startAt(atMs: number): void;
}

/** The new-comment box: the comment is anchored at the moment the person started writing. */
export function CommentComposer({ clipId, player, handle }: { clipId: string; player: ClipPlayer | null; handle?: Ref<ComposerHandle> | undefined }) {
  const snapshot = usePlayerSnapshot(player);
  const box = useRef<HTMLTextAreaElement>(null);
  const [body, setBody] = useState('');
  const [pinnedMs, setPinnedMs] = useState<number | null>(null);
  const post = useAddComment(clipId);
  const atMs = Math.round(pinnedMs ?? snapshot.positionMs);

  useImperativeHandle(handle, () => ({
    startAt(ms: number) {
      setPinnedMs(ms);
      box.current?.focus();
    },
  }));

  const submit = async (e: { preventDefault(): void }) => {
    e.preventDefault();
    if (post.isPending || body.trim() === '') return;
    try {
      await post.mutateAsync({ atMs, body, parentId: null });
    } catch {
      return; // shown from `post.error`
    }
    setBody('');
    setPinnedMs(null);
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
        maxLength={MAX_COMMENT_CHARS}
        value={body}
        placeholder={`Comment at ${formatDuration(atMs)}…`}
        onFocus={() => {
          // The comment belongs to the moment the person started writing it.
          if (body === '' && pinnedMs === null) setPinnedMs(player?.snapshot().positionMs ?? 0);
        }}
        onChange={(e) => {
          setBody(e.currentTarget.value);
          post.reset();
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
        <Button type="submit" busy={post.isPending} busyLabel="Posting…" disabled={body.trim() === ''} data-testid="comment-submit">
          Comment at {formatDuration(atMs)}
        </Button>
      </div>
      <ErrorNote error={post.error} />
    </form>
  );
}

