import { describe, expect, it } from 'vitest';
import type { CallSummary } from '../../../../contract';
import { BoardMessage, RemoteCall, TeamCalls, type BoardFacts } from '../../../../server/cluster/board-facts';
import { boardFor } from '../../../../server/realtime/board-publisher';
import type { Roster } from '../../../../server/realtime/team-roster';

const entry: Omit<CallSummary, 'canListen'> = {
  id: 'call-1',
  hostId: 'max',
  hostName: 'Max Mentor',
  title: 'Discovery with Initech',
  account: 'Initech',
  policy: 'team',
  startedAt: 1000,
  hostState: 'live',
  listeners: [{ userId: 'mia', name: 'Mia', joinedAt: 1 }],
  recording: false,
  managersMayJoin: false,
  managersAlwaysJoin: false,
};
const facts = (over: Partial<BoardFacts> = {}): BoardFacts => ({ entry, removed: [], ...over });
const team: Roster = new Map([
  ['max', { role: 'mentor', mentorIds: new Set<string>() }],
  ['otto', { role: 'rep', mentorIds: new Set<string>() }],
  ['olga', { role: 'rep', mentorIds: new Set<string>() }],
  ['mia', { role: 'manager', mentorIds: new Set<string>() }],
]);

describe('board messages between nodes', () => {
  it('parse a team’s calls and a node leaving', () => {
    const calls = { kind: 'calls', node: 'node-a', team: 'team-1', seq: 7, calls: [facts({ removed: ['otto'] })] };
    expect(BoardMessage.parse(calls)).toEqual(calls);
    expect(BoardMessage.parse({ kind: 'left', node: 'node-a' })).toEqual({ kind: 'left', node: 'node-a' });
    expect(TeamCalls.parse({ seq: 8, calls: [] })).toEqual({ seq: 8, calls: [] });
  });

  it('refuses: messages that are not whole announcements', () => {
    for (const bad of [
      { kind: 'calls', node: 'node-a', team: 'team-1', seq: 7 },
      { kind: 'calls', node: 'node-a', team: 'team 1', seq: 7, calls: [] },
      { kind: 'calls', node: 'node-a', team: 'team-1', seq: 1.5, calls: [] },
      { kind: 'calls', node: 'node-a', team: 'team-1', seq: 7, calls: [{ entry: { ...entry, policy: 'anyone' }, removed: [] }] },
      { kind: 'calls', node: '', team: 'team-1', seq: 7, calls: [] },
      { kind: 'joined', node: 'node-a' },
    ]) {
      expect(BoardMessage.safeParse(bad).success).toBe(false);
    }
  });
});

describe('RemoteCall', () => {
  it('is seen on boards by the same policy as a local call, removals and the managers settings included', () => {
    const call = new RemoteCall(facts({ removed: ['olga'] }), 'node-a');
    const seen = (viewer: string) => boardFor({ id: viewer, role: team.get(viewer)!.role }, [call], team)[0];
    expect(seen('otto')).toMatchObject({ restricted: false, canListen: true, title: 'Discovery with Initech' });
    // Removed by the host: restricted, like on the owner's node.
    expect(seen('olga')).toEqual({ restricted: true, id: 'call-1', hostId: 'max', hostName: 'Max Mentor' });
    // The host kept managers out and the team lets them.
    expect(seen('mia')).toEqual({ restricted: true, id: 'call-1', hostId: 'max', hostName: 'Max Mentor' });
    expect(seen('max')).toMatchObject({ restricted: false, canListen: false });
    const always = new RemoteCall(facts({ entry: { ...entry, managersAlwaysJoin: true } }), 'node-a');
    expect(boardFor({ id: 'mia', role: 'manager' }, [always], team)[0]).toMatchObject({ restricted: false, canListen: true });
  });

  it('shows its host reconnecting while its owner node is lost, and live again when it is back', () => {
    const call = new RemoteCall(facts(), 'node-a');
    call.ownerLost = true;
    expect(call.boardEntry()).toEqual({ ...entry, hostState: 'reconnecting' });
    call.ownerLost = false;
    expect(call.boardEntry()).toEqual(entry);
  });
});
