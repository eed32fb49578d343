import type { ListenPolicy, User } from '../../contract';


export interface PolicyFacts {
  /** Whether `viewer` is a mentee of the host. */
  isMenteeOfHost: boolean;
}

/**
 * May `viewer` listen to a call hosted by `hostId` under `policy`? Managers and admins may
 * always ride along; nobody listens to their own call. Returns a reason when refused.
 */
export function listenDecision(
  viewer: Pick<User, 'id' | 'role'>,
  hostId: string,
  policy: ListenPolicy,
  facts: PolicyFacts,
): { allowed: true } | { allowed: false; reason: string } {
  if (viewer.id === hostId) return { allowed: false, reason: 'You are hosting this call.' };
  if (viewer.role === 'manager' || viewer.role === 'admin') return { allowed: true };
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
