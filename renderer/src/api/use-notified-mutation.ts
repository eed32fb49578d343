import { useMutation, useQueryClient, type QueryKey } from '@tanstack/react-query';
import type { Result } from '../../../contract';
import { notify } from '../state/store';
import { describeError } from './errors';
import { unwrap } from './queries';

/** What a one-shot action does and says. */
export interface NotifiedMutation<V, T> {
  /** The REST call (its `Result` is unwrapped: a failure becomes the mutation's error). */
  call(variables: V): Promise<Result<T>>;
  /** The notice after it worked: text, or made from the reply. */
  success: string | ((value: T) => string);
  /**
   * Queries whose data the action changed; refetched after it ran, failed or not (a failure such
   * as NOT_FOUND often means someone else changed them).
   */
  invalidates?: readonly QueryKey[];
  /** Runs after the notice (navigate away, close an editor). */
  then?(value: T, variables: V): void;
}

/**
 * A one-shot REST action (delete, mark reviewed, revoke) as a TanStack mutation: `isPending`
 * while it runs, its outcome as a notice (the error when it fails); the queries it touches are
 * invalidated either way.
 */
export function useNotifiedMutation<V = void, T = unknown>(action: NotifiedMutation<V, T>) {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (variables: V) => unwrap(action.call(variables)),
    onError: (error) => notify(describeError(error), 'error'),
    onSuccess: (value, variables) => {
      notify(typeof action.success === 'string' ? action.success : action.success(value), 'success');
      action.then?.(value, variables);
    },
    onSettled: () => {
      for (const queryKey of action.invalidates ?? []) void queries.invalidateQueries({ queryKey });
    },
  });
}
