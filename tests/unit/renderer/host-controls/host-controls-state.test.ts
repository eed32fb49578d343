import { describe, expect, it } from 'vitest';
import type { BoardCall, CallSummary } from '../../../../contract';
import {
  boardEntryOf,
  listenStatusText,
  managersSwitch,
  policyChangeMessage,
  withControlledFields,
} from '../../../../renderer/src/host-controls/host-controls-state';

const call: CallSummary = {
  id: 'c1',
  hostId: 'max',
  hostName: 'Max Mentor',
  title: 'Discovery',
  account: null,
  policy: 'team',
  startedAt: 0,
  hostState: 'live',
  listeners: [{ userId: 'rita', name: 'Rita Rep', joinedAt: 1 }],
  recording: false,
  paused: false,
  managersMayJoin: true,
  managersAlwaysJoin: true,
  canListen: false,
};
const person = (userId: string, name: string) => ({ userId, name, joinedAt: 0 });

describe('withControlledFields', () => {
  it('takes only what the host controls own from a fresher copy, and keeps the rest', () => {
    const fresh = { ...call, hostState: 'reconnecting' as const, listeners: [], policy: 'managers' as const, paused: true };
    const next = withControlledFields(call, fresh);
    expect(next).toEqual({ ...call, policy: 'managers', paused: true });
    expect(next.hostState).toBe('live');
    expect(next.listeners).toBe(call.listeners);
  });

  it('returns the same object when nothing it owns changed (no re-render)', () => {
    const elsewhere: CallSummary = { ...call, title: 'Other', hostState: 'reconnecting' };
    expect(withControlledFields(call, elsewhere)).toBe(call);
    expect(withControlledFields(call, {})).toBe(call);
    expect(withControlledFields(call, { paused: undefined })).toBe(call);
  });
});

describe('boardEntryOf', () => {
  it('finds the open entry of a call and ignores restricted ones and other calls', () => {
    const open: BoardCall = { ...call, restricted: false };
    const restricted: BoardCall = { restricted: true, id: 'c2', hostId: 'h', hostName: 'H' };
    expect(boardEntryOf([restricted, open], 'c1')).toBe(open);
    expect(boardEntryOf([restricted, open], 'c2')).toBeNull();
    expect(boardEntryOf([], 'c1')).toBeNull();
  });
});

describe('managersSwitch', () => {
  it('shows the host’s choice, and that the team setting overrides it (absent fields: today’s rule)', () => {
    expect(managersSwitch({ managersMayJoin: false, managersAlwaysJoin: true })).toEqual({ checked: false, overridden: true });
    expect(managersSwitch({ managersMayJoin: false, managersAlwaysJoin: false })).toEqual({ checked: false, overridden: false });
    expect(managersSwitch({})).toEqual({ checked: true, overridden: true });
  });
});

describe('policyChangeMessage', () => {
  const before = [person('a', 'Ann'), person('b', 'Bob'), person('c', 'Cy')];
  it('names the new policy and who was dropped', () => {
    expect(policyChangeMessage('team', before, before)).toBe('Everyone on the team may listen now.');
    expect(policyChangeMessage('managers', before, [person('a', 'Ann')])).toBe('Managers only may listen now. Bob and Cy can no longer listen and were told why.');
    expect(policyChangeMessage('mentees-and-managers', before, [person('a', 'Ann'), person('c', 'Cy')])).toMatch(/ Bob can no longer listen and was told why\.$/);
  });
});

describe('listenStatusText', () => {
  it('says the host paused, unless joining, connecting or the host is away matters more', () => {
    expect(listenStatusText('playing', 'live', true)).toMatch(/^Paused by host\./);
    expect(listenStatusText('playing', 'live', false)).toMatch(/Listening silently/);
    expect(listenStatusText('playing', 'reconnecting', true)).toMatch(/host’s connection dropped/);
    expect(listenStatusText('connecting', 'live', true)).toBe('Connecting audio…');
    expect(listenStatusText('joining', 'live', true)).toBe('Joining the call…');
    expect(listenStatusText('rejoining', 'live', false)).toBe('Connection lost. Rejoining…');
  });
});
