import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { AddCommentBody } from '../../../contract';
import { unwrap } from '../api/queries';
import { queryKeys } from '../api/query-keys';
import { useSession } from '../services/session-context';

/** After any comment change: the clip's page, and the library's comment counts. */
function useInvalidateClip(clipId: string) {
  const queries = useQueryClient();
  return () => {
    void queries.invalidateQueries({ queryKey: queryKeys.clips.detail(clipId) });
    void queries.invalidateQueries({ queryKey: queryKeys.clips.lists });
  };
}

/** Posts a comment or a reply on `clipId`. */
export function useAddComment(clipId: string) {
  const session = useSession();
  const invalidate = useInvalidateClip(clipId);
  return useMutation({
    mutationFn: (body: AddCommentBody) => unwrap(session.rest.call('addComment', { params: { id: clipId }, body })),
    onSuccess: invalidate,
  });
}

/** Changes the text of one of the person's comments on `clipId`. */
export function useEditComment(clipId: string, commentId: string) {
  const session = useSession();
  const invalidate = useInvalidateClip(clipId);
  return useMutation({
    mutationFn: (body: string) => unwrap(session.rest.call('editComment', { params: { id: commentId }, body: { body } })),
    onSuccess: invalidate,
  });
}
