import { REMOVED_BY_HOST_MESSAGE, type ListenPolicy, type User } from '../../contract';

export interface PolicyFacts {
  /** Whether `viewer` is a mentee of the host. */
  isMenteeOfHost: boolean;
  /**
   * Whether managers and admins may join this call: the host's go-live choice, or the team
   * setting "Managers can always join calls" (absent: yes, as for recordings of ended calls).
   */
  managersMayJoin?: boolean;
  /** Whether the host removed `viewer` from this call (who then may not join it again). */
  removedByHost?: boolean;
}

/**
 * May `viewer` listen to a call hosted by `hostId` under `policy`? Managers and admins may ride
 * along unless the host kept them out (and the team does not require their access); nobody
 * listens to their own call, and nobody the host removed from it. Returns a reason when refused.
 */
export function listenDecision(
  viewer: Pick<User, 'id' | 'role'>,
  hostId: string,
  policy: ListenPolicy,
  facts: PolicyFacts,
): { allowed: true } | { allowed: false; reason: string } {
  if (viewer.id === hostId) return { allowed: false, reason: 'You are hosting this call.' };
  if (facts.removedByHost) return { allowed: false, reason: REMOVED_BY_HOST_MESSAGE };
  if (viewer.role === 'manager' || viewer.role === 'admin') {
    return facts.managersMayJoin === false
      ? { allowed: false, reason: 'The host is keeping managers out of this call.' }
      : { allowed: true };
  }
  switch (policy) {
    case 'team':
      return { allowed: true };
    case 'mentees-and-managers':
      return facts.isMenteeOfHost
        ? { allowed: true }
        : { allowed: false, reason: 'Only the host’s mentees and managers can listen to this call.' };
    case 'managers':
      return { allowed: false, reason: 'Only managers can listen to this call.' };
  }
}

/**
 * What `viewer` sees of a live call on the board: `listen` (everything, and may join), `view`
 * (everything, may not join: the host), or `restricted` (only that the host is on a call):
 * whoever the policy keeps out learns nothing about the call itself.
 */
export function boardAccess(
  viewer: Pick<User, 'id' | 'role'>,
  hostId: string,
  policy: ListenPolicy,
  facts: PolicyFacts,
): 'listen' | 'view' | 'restricted' {
  if (viewer.id === hostId) return 'view';
  return listenDecision(viewer, hostId, policy, facts).allowed ? 'listen' : 'restricted';
}
