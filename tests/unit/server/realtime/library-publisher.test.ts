import { describe, expect, it } from 'vitest';
import type { Role } from '../../../../contract';
import type { ClipAudience } from '../../../../server/clips/clip-visibility';
import { libraryAudiences } from '../../../../server/realtime/library-publisher';
import type { Roster } from '../../../../server/realtime/team-roster';

const roster: Roster = new Map(
  (Object.entries({ max: 'mentor', rita: 'rep', olga: 'rep', mia: 'manager', ada: 'admin' }) as [string, Role][]).map(([id, role]) => [
    id,
    { role, mentorIds: new Set<string>() },
  ]),
);
const clip = (clipId: string, visibility: ClipAudience['visibility']): ClipAudience => ({ clipId, visibility, clipperId: 'rita', hostId: 'max' });

describe('libraryAudiences', () => {
  it('groups viewers by the changed clips each may see and leaves out those who may see none', () => {
    const changes = new Map([
      ['t', [clip('t', 'team')]],
      ['m', [clip('m', 'managers')]],
      ['p', [clip('p', 'private')]],
    ]);
    const byUsers = new Map(libraryAudiences(changes, roster.keys(), roster).map((a) => [a.userIds.join(','), a.clipIds]));
    expect(byUsers).toEqual(
      new Map([
        ['max,rita', ['t', 'm', 'p']],
        ['olga', ['t']],
        ['mia,ada', ['t', 'm']],
      ]),
    );
    expect(libraryAudiences(new Map([['p', [clip('p', 'private')]]]), ['olga', 'mia'], roster)).toEqual([]);
  });

  it('tells those who could see a clip before an edit made it private, and nobody else', () => {
    const changes = new Map([['c', [clip('c', 'team'), clip('c', 'private')]]]);
    expect(libraryAudiences(changes, ['olga', 'newcomer'], roster)).toEqual([{ userIds: ['olga'], clipIds: ['c'] }]);
  });

  it('says "anything may have changed" (no ids) to everyone past the cap', () => {
    expect(libraryAudiences(null, ['olga', 'mia'], roster)).toEqual([{ userIds: ['olga', 'mia'], clipIds: null }]);
  });
});
