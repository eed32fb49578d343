import { describe, expect, it } from 'vitest';
import type { ListenPolicy, Role } from '../../../../contract';
import { listenDecision } from '../../../../server/calls/policy';

const viewer = (role: Role) => ({ id: 'viewer', role });

describe('listenDecision', () => {
  const table: [ListenPolicy, Role, boolean, boolean][] = [
    ['team', 'rep', false, true],
    ['team', 'mentor', false, true],
    ['mentees-and-managers', 'rep', false, false],
    ['mentees-and-managers', 'rep', true, true],
    ['mentees-and-managers', 'mentor', false, false],
    ['mentees-and-managers', 'manager', false, true],
    ['managers', 'rep', true, false],
    ['managers', 'mentor', false, false],
    ['managers', 'manager', false, true],
    ['managers', 'admin', false, true],
  ];
  it.each(table)('%s policy, %s viewer (mentee of host: %s) → allowed %s', (policy, role, isMentee, allowed) => {
    const decision = listenDecision(viewer(role), 'host', policy, { isMenteeOfHost: isMentee });
    expect(decision.allowed).toBe(allowed);
    if (!decision.allowed) expect(decision.reason).toMatch(/can listen/);
  });

  it('never lets the host listen to their own call', () => {
    expect(listenDecision({ id: 'host', role: 'admin' }, 'host', 'team', { isMenteeOfHost: false })).toEqual({
      allowed: false,
      reason: 'You are hosting this call.',
    });
  });

  it('keeps managers and admins out when the call does, and never admits someone the host removed', () => {
    const facts = { isMenteeOfHost: false, managersMayJoin: false };
    for (const role of ['manager', 'admin'] as const) {
      expect(listenDecision(viewer(role), 'host', 'team', facts)).toEqual({ allowed: false, reason: 'The host is keeping managers out of this call.' });
      expect(listenDecision(viewer(role), 'host', 'managers', { ...facts, managersMayJoin: true }).allowed).toBe(true);
    }
    // Keeping managers out changes nothing for reps.
    expect(listenDecision(viewer('rep'), 'host', 'team', facts).allowed).toBe(true);
    for (const role of ['rep', 'manager', 'admin'] as const) {
      expect(listenDecision(viewer(role), 'host', 'team', { isMenteeOfHost: true, removedByHost: true })).toEqual({
        allowed: false,
        reason: 'The host removed you from this call.',
      });
    }
  });
});
