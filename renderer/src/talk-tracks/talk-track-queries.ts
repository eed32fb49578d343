import { queryOptions, useQuery } from '@tanstack/react-query';
import { mayWriteTalkTracks, type TalkTracksQuery } from '../../../contract';
import { restQueries, unwrap } from '../api/queries';
import { queryKeys } from '../api/query-keys';
import type { RestClient } from '../api/rest-client';
import { useSession } from '../services/session-context';
import { useAppStore } from '../state/store';

/** Query options for the talk track resources (`talk-tracks:changed` pushes invalidate them all). */
export const talkTrackQueries = {
  list: (rest: RestClient, query: TalkTracksQuery) =>
    queryOptions({ queryKey: queryKeys.talkTracks.list(query), queryFn: () => unwrap(rest.call('talkTracks', { query })) }),
  detail: (rest: RestClient, id: string) =>
    queryOptions({ queryKey: queryKeys.talkTracks.detail(id), queryFn: () => unwrap(rest.call('talkTrack', { params: { id } })) }),
  versions: (rest: RestClient, id: string) =>
    queryOptions({ queryKey: queryKeys.talkTracks.versions(id), queryFn: () => unwrap(rest.call('talkTrackVersions', { params: { id } })) }),
  version: (rest: RestClient, id: string, version: number) =>
    queryOptions({
      queryKey: queryKeys.talkTracks.version(id, version),
      queryFn: () => unwrap(rest.call('talkTrackVersion', { params: { id, version: String(version) } })),
      // A saved version never changes.
      staleTime: Infinity,
    }),
  citing: (rest: RestClient, clipId: string) =>
    queryOptions({ queryKey: queryKeys.talkTracks.citing(clipId), queryFn: () => unwrap(rest.call('clipTalkTracks', { params: { id: clipId } })) }),
};

/** Whether the signed-in person may write talk tracks (a UI hint; the server decides). */
export function useMayWriteTalkTracks(): boolean {
  const session = useSession();
  const role = useAppStore((s) => s.me?.user.role ?? 'rep');
  const settings = useQuery({ ...restQueries.teamSettings(session.rest), enabled: role === 'rep' });
  return mayWriteTalkTracks(role, settings.data?.settings.repsWriteTalkTracks ?? false);
}
