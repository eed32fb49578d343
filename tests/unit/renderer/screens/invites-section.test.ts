import { describe, expect, it } from 'vitest';
import type { Invite } from '../../../../contract';
import { inviteStatus } from '../../../../renderer/src/screens/invites-section';

const invite = (patch: Partial<Invite>): Invite => ({
  id: 'i1',
  code: 'ABCD-EFGH',
  role: 'admin',
  createdAt: 0,
  expiresAt: 10_000,
  usedAt: null,
  usedByName: null,
  grants: 'admin',
  ...patch,
});

describe('inviteStatus', () => {
  it('shows an open invite whose creator may still grant its role as open', () => {
    expect(inviteStatus(invite({}), 5_000).tone).toBe('open');
  });
  it('shows an invite whose creator can no longer invite as void, and says why', () => {
    expect(inviteStatus(invite({ grants: null }), 5_000)).toEqual({ label: 'Void · its creator can no longer invite', tone: 'void' });
  });
  it('keeps used and expired invites as they were', () => {
    expect(inviteStatus(invite({ grants: null, usedAt: 1_000, usedByName: 'Sam' }), 5_000).tone).toBe('used');
    expect(inviteStatus(invite({ grants: null }), 20_000).tone).toBe('expired');
  });
});
