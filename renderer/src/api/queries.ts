import { QueryClient, queryOptions } from '@tanstack/react-query';
import type { AppError, BoardCall, LibraryQuery, MetricsQuery, Result, ReviewQueueQuery } from '../../../contract';
import { queryKeys } from './query-keys';
import type { RestClient } from './rest-client';

declare module '@tanstack/react-query' {
  interface Register {
    /** Every query and mutation fails with the contract's error, as the clients return it. */
    defaultError: AppError;
  }
}

/**
 * The value of a `Result`, or its error thrown for TanStack Query to hold. The same `AppError`
 * object is thrown, so `describeError` still knows which messages this app wrote itself.
 */
export async function unwrap<T>(result: Promise<Result<T>>): Promise<T> {
  const settled = await result;
  // Thrown as is (not wrapped in an Error): the query cache holds the contract's error as data.
  if (!settled.ok) throw settled.error;
  return settled.value;
}

/** The app's query cache: server data only; pushes keep it fresh, so it goes stale slowly. */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      // A failed load shows its error and a Retry button at once, as before; the REST client
      // already turns timeouts into a clear message.
      queries: { retry: false, staleTime: 30_000 },
      mutations: { retry: false },
    },
  });
}

/** Query options for each REST resource, built on the validating REST client. */
export const restQueries = {
  clips: (rest: RestClient, query: LibraryQuery) =>
    queryOptions({ queryKey: queryKeys.clips.list(query), queryFn: () => unwrap(rest.call('clips', { query })) }),
  clip: (rest: RestClient, id: string) =>
    queryOptions({ queryKey: queryKeys.clips.detail(id), queryFn: () => unwrap(rest.call('clip', { params: { id } })) }),
  recordings: (rest: RestClient) =>
    queryOptions({ queryKey: queryKeys.recordings.list, queryFn: () => unwrap(rest.call('recordings')) }),
  recording: (rest: RestClient, callId: string) =>
    queryOptions({ queryKey: queryKeys.recordings.detail(callId), queryFn: () => unwrap(rest.call('recording', { params: { id: callId } })) }),
  questionQueue: (rest: RestClient) => queryOptions({ queryKey: queryKeys.questions.queue, queryFn: () => unwrap(rest.call('questionQueue')) }),
  myQuestions: (rest: RestClient) => queryOptions({ queryKey: queryKeys.questions.mine, queryFn: () => unwrap(rest.call('myQuestions')) }),
  debrief: (rest: RestClient, callId: string) =>
    queryOptions({ queryKey: queryKeys.questions.debrief(callId), queryFn: () => unwrap(rest.call('debrief', { params: { id: callId } })) }),
  members: (rest: RestClient) => queryOptions({ queryKey: queryKeys.members, queryFn: () => unwrap(rest.call('members')) }),
  invites: (rest: RestClient) => queryOptions({ queryKey: queryKeys.invites, queryFn: () => unwrap(rest.call('invites')) }),
  invitePreview: (rest: RestClient, code: string) =>
    queryOptions({ queryKey: queryKeys.invitePreview(code), queryFn: () => unwrap(rest.call('invitePreview', { params: { code } })) }),
  sessions: (rest: RestClient) => queryOptions({ queryKey: queryKeys.sessions, queryFn: () => unwrap(rest.call('sessions')) }),
  teamSettings: (rest: RestClient) => queryOptions({ queryKey: queryKeys.teamSettings, queryFn: () => unwrap(rest.call('teamSettings')) }),
  teamUsage: (rest: RestClient) => queryOptions({ queryKey: queryKeys.teamUsage, queryFn: () => unwrap(rest.call('teamUsage')) }),
  reviewQueue: (rest: RestClient, query: ReviewQueueQuery) =>
    queryOptions({ queryKey: queryKeys.reviews.queue(query), queryFn: () => unwrap(rest.call('reviewQueue', { query })) }),
  scorecards: (rest: RestClient, rep: string | null) =>
    queryOptions({ queryKey: queryKeys.reviews.scorecards(rep), queryFn: () => unwrap(rest.call('scorecards', { query: rep ? { rep } : {} })) }),
  clipScorecard: (rest: RestClient, clipId: string) =>
    queryOptions({ queryKey: queryKeys.reviews.clipScorecard(clipId), queryFn: () => unwrap(rest.call('clipScorecard', { params: { id: clipId } })) }),
  rubric: (rest: RestClient) => queryOptions({ queryKey: queryKeys.reviews.rubric, queryFn: () => unwrap(rest.call('rubric')) }),
  metrics: (rest: RestClient, query: MetricsQuery) =>
    queryOptions({ queryKey: queryKeys.metrics(query), queryFn: () => unwrap(rest.call('metrics', { query })) }),
  notifications: (rest: RestClient) =>
    queryOptions({ queryKey: queryKeys.notifications, queryFn: () => unwrap(rest.call('notifications')) }),
  notificationSettings: (rest: RestClient) =>
    queryOptions({ queryKey: queryKeys.notificationSettings, queryFn: () => unwrap(rest.call('notificationSettings')) }),
  follows: (rest: RestClient) => queryOptions({ queryKey: queryKeys.follows, queryFn: () => unwrap(rest.call('follows')) }),
};

/** The board's calls as cached (empty until the first `board:get` answers). */
export function boardCalls(queries: QueryClient): BoardCall[] {
  return queries.getQueryData<BoardCall[]>(queryKeys.board) ?? [];
}
