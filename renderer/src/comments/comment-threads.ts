import type { ClipComment } from '../../../contract';

/** A top-level comment and its replies (one level deep). */
export interface Thread {
  root: ClipComment;
  replies: ClipComment[];
}

/**
 * Comments grouped into threads: roots by moment (then age), replies by age under their root.
 * A reply whose root is gone still shows, as its own thread.
 */
export function commentThreads(comments: ClipComment[]): Thread[] {
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

