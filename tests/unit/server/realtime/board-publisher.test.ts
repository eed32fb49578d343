import { describe, expect, it } from 'vitest';
import type { CallSummary, ListenPolicy, Role } from '../../../../contract';
import { boardAudiences, boardFor, type BoardCall } from '../../../../server/realtime/board-publisher';
import type { Roster } from '../../../../server/realtime/team-roster';

/** A live call as the board sees it (plain data: the board reads nothing else of a Call). */
function liveCall(id: string, hostId: string, policy: ListenPolicy): BoardCall {
  const entry: Omit<CallSummary, 'canListen'> = {
    id,
    hostId,
    hostName: hostId,
    title: `Call ${id}`,
    account: null,
    policy,
    startedAt: 0,
    hostState: 'live',
    listeners: [{ userId: 'mia', name: 'Mia', joinedAt: 1 }],
    recording: false,
  };
  return { hostId, policy, boardEntry: () => entry };
}

function roster(members: Record<string, { role: Role; mentors?: string[] }>): Roster {
  return new Map(Object.entries(members).map(([id, m]) => [id, { role: m.role, mentorIds: new Set(m.mentors ?? []) }]));
}

const team = roster({
  max: { role: 'mentor' },
  mo: { role: 'rep', mentors: ['max'] },
  olga: { role: 'rep' },
  otto: { role: 'rep' },
  mia: { role: 'manager' },
  ada: { role: 'admin' },
});

describe('boardAudiences', () => {
  it('groups viewers by what they may listen to: one board per audience', () => {
    const calls = [liveCall('c2', 'max', 'mentees-and-managers'), liveCall('c1', 'olga', 'team')];
    const audiences = boardAudiences(calls, ['max', 'mo', 'olga', 'otto', 'mia', 'ada'], team);
    const seen = (c: (typeof audiences)[number]['board'][number]) => `${c.id}:${c.restricted ? 'restricted' : c.canListen}`;
    const byUsers = new Map(audiences.map((a) => [a.userIds.join(','), a.board.map(seen)]));
    expect(byUsers).toEqual(
      new Map([
        ['max', ['c2:false', 'c1:true']], // the host sees his own call but does not listen to it
        ['mo,mia,ada', ['c2:true', 'c1:true']], // the host's mentee rides along with managers
        ['olga', ['c2:restricted', 'c1:false']], // nobody listens to their own call
        ['otto', ['c2:restricted', 'c1:true']], // a rep who is not the host's mentee sees only that Max is on a call
      ]),
    );
    // An open call is the call's one board entry, newest first as given; a restricted one only its host.
    for (const audience of audiences) {
      audience.board.forEach((c, i) => {
        const entry = calls[i]!.boardEntry();
        if (c.restricted) expect(c).toEqual({ restricted: true, id: entry.id, hostId: entry.hostId, hostName: entry.hostName });
        else expect({ ...c, canListen: undefined, restricted: undefined }).toEqual({ ...entry, canListen: undefined, restricted: undefined });
      });
    }
  });

  it('agrees with the board each viewer gets on request', () => {
    const calls = [liveCall('c3', 'otto', 'managers'), liveCall('c2', 'max', 'mentees-and-managers')];
    for (const audience of boardAudiences(calls, team.keys(), team)) {
      for (const id of audience.userIds) expect(boardFor({ id, role: team.get(id)!.role }, calls, team)).toEqual(audience.board);
    }
  });

  it('leaves out viewers the roster does not know yet, and makes no audience without calls or viewers', () => {
    expect(boardAudiences([liveCall('c1', 'max', 'team')], ['newcomer'], team)).toEqual([]);
    expect(boardAudiences([], ['mo', 'mia'], team)).toEqual([{ userIds: ['mo', 'mia'], board: [] }]);
  });
});
