import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { restQueries, unwrap } from '../api/queries';
import { queryKeys } from '../api/query-keys';
import { describeError } from '../api/errors';
import { useNotifiedMutation } from '../api/use-notified-mutation';
import { useSession } from '../services/session-context';
import { notify } from '../state/store';

/** Whom the signed-in person follows, and a follow / unfollow action (the list reloads either way). */
export function useFollows() {
  const session = useSession();
  const queries = useQueryClient();
  const follows = useQuery(restQueries.follows(session.rest));
  const toggle = useMutation({
    mutationFn: ({ id, follow }: { id: string; name: string; follow: boolean }) =>
      unwrap(follow ? session.rest.call('follow', { params: { id } }) : session.rest.call('unfollow', { params: { id } })),
    onSuccess: (value, { name, follow }) => {
      queries.setQueryData(queryKeys.follows, value);
      notify(follow ? `You follow ${name}: you’ll hear when they go live.` : `You no longer follow ${name}.`, 'success');
    },
    onError: (error) => notify(describeError(error), 'error'),
    onSettled: () => void queries.invalidateQueries({ queryKey: queryKeys.follows }),
  });
  return { ids: new Set(follows.data?.followingIds ?? []), loaded: follows.isSuccess, toggle };
}

/** Mark one notification (quietly) or all of them read; the centre reloads either way. */
export function useMarkRead() {
  const session = useSession();
  const queries = useQueryClient();
  const one = useMutation({
    mutationFn: (id: string) => unwrap(session.rest.call('markNotificationRead', { params: { id } })),
    onError: (error) => notify(describeError(error), 'error'),
    onSettled: () => void queries.invalidateQueries({ queryKey: queryKeys.notifications }),
  });
  const all = useNotifiedMutation({
    call: () => session.rest.call('markAllNotificationsRead'),
    success: 'All notifications marked read.',
    invalidates: [queryKeys.notifications],
  });
  return { one, all };
}
