import { queryOptions } from '@tanstack/react-query';
import { unwrap } from '../api/queries';
import { queryKeys } from '../api/query-keys';
import type { RestClient } from '../api/rest-client';

/** Query options for onboarding (`onboarding:changed` pushes invalidate them all). */
export const onboardingQueries = {
  mine: (rest: RestClient) => queryOptions({ queryKey: queryKeys.onboarding.mine, queryFn: () => unwrap(rest.call('myOnboarding')) }),
  paths: (rest: RestClient) => queryOptions({ queryKey: queryKeys.onboarding.paths, queryFn: () => unwrap(rest.call('paths')) }),
  path: (rest: RestClient, id: string) =>
    queryOptions({ queryKey: queryKeys.onboarding.path(id), queryFn: () => unwrap(rest.call('path', { params: { id } })) }),
};
