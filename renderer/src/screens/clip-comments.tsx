import type { Ref } from 'react';
import type { ClipComment } from '../../../contract';
import { CommentComposer, type ComposerHandle } from '../comments/comment-composer';
import { CommentItem } from '../comments/comment-item';
import { commentThreads } from '../comments/comment-threads';
import type { ClipPlayer } from '../media/clip-player';

export type { ComposerHandle };

/** Timestamped comments on a clip, threaded one level, with a composer at the playhead. */
export function ClipComments({
  clipId,
  comments,
  player,
  composerRef,
}: {
  clipId: string;
  comments: ClipComment[];
  player: ClipPlayer | null;
  composerRef?: Ref<ComposerHandle>;
}) {
  const list = commentThreads(comments);
  const seek = (ms: number) => {
    player?.seek(ms);
  };
  return (
    <section className="panel comments" aria-labelledby="comments-title">
      <h2 id="comments-title">Comments {comments.length > 0 ? <span className="muted">({comments.length})</span> : null}</h2>
      <CommentComposer clipId={clipId} player={player} handle={composerRef} />
      {list.length === 0 ? (
        <p className="muted comments-empty">No comments yet. Pause at a moment worth discussing and comment on it; everyone who can see the clip can reply.</p>
      ) : (
        <ol className="comment-threads" aria-label="Comments">
          {list.map((thread) => (
            <li key={thread.root.id} className="comment-thread">
              <CommentItem comment={thread.root} clipId={clipId} onSeek={seek} canReply />
              {thread.replies.length > 0 ? (
                <ol className="comment-replies" aria-label={`Replies to ${thread.root.authorName}`}>
                  {thread.replies.map((reply) => (
                    <li key={reply.id}>
                      <CommentItem comment={reply} clipId={clipId} onSeek={seek} />
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

