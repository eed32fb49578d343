import { describe, expect, it } from 'vitest';
import type { ClipComment } from '../../../../contract';
import { commentThreads } from '../../../../renderer/src/comments/comment-threads';

function comment(id: string, atMs: number, createdAt: number, parentId: string | null = null): ClipComment {
  return { id, clipId: 'k', parentId, atMs, body: id, authorId: 'u', authorName: 'Ann', createdAt, editedAt: null, canEdit: true, canDelete: true };
}

describe('commentThreads', () => {
  it('orders threads by moment then age, and replies by age under their root', () => {
    const list = commentThreads([
      comment('late', 9000, 1),
      comment('r2', 0, 30, 'early'),
      comment('early', 1000, 5),
      comment('r1', 0, 20, 'early'),
      comment('same-moment-newer', 1000, 6),
    ]);
    expect(list.map((t) => t.root.id)).toEqual(['early', 'same-moment-newer', 'late']);
    expect(list[0]!.replies.map((r) => r.id)).toEqual(['r1', 'r2']);
  });

  it('keeps a reply whose root is gone, as its own thread', () => {
    const list = commentThreads([comment('a', 5000, 1), comment('orphan', 2000, 2, 'deleted')]);
    expect(list.map((t) => t.root.id)).toEqual(['orphan', 'a']);
    expect(list[0]!.replies).toEqual([]);
  });

  it('is empty for no comments', () => {
    expect(commentThreads([])).toEqual([]);
  });
});
