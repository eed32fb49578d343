import { describe, expect, it } from 'vitest';
import type { BoardCall } from '../../../contract';
import { boardAnnouncement, formatBytes } from '../../../renderer/src/labels';

const open: BoardCall = {
  restricted: false,
  id: 'c1',
  hostId: 'max',
  hostName: 'Max Mentor',
  title: 'Discovery with Initech',
  account: 'Initech',
  policy: 'team',
  startedAt: 0,
  hostState: 'reconnecting',
  listeners: [],
  recording: false,
  canListen: true,
};
const restricted: BoardCall = { restricted: true, id: 'c2', hostId: 'olga', hostName: 'Olga Other' };

describe('boardAnnouncement', () => {
  it('names a restricted call by its host only', () => {
    expect(boardAnnouncement([open, restricted])).toBe(
      '2 calls live: Max Mentor, Discovery with Initech (host reconnecting); Olga Other, restricted call.',
    );
  });
  it('says when no one is live', () => {
    expect(boardAnnouncement([])).toBe('No one is live.');
  });
});

describe('formatBytes', () => {
  it('shows sizes in decimal units with one decimal below ten', () => {
    expect([0, 999, 1000, 1234, 9_949, 9_950, 123_456, 999_499, 999_500, 1_500_000, 34_000_000_000, 5e15].map(formatBytes)).toEqual([
      '0 B',
      '999 B',
      '1.0 KB',
      '1.2 KB',
      '9.9 KB',
      '10 KB',
      '123 KB',
      '999 KB',
      '1.0 MB',
      '1.5 MB',
      '34 GB',
      '5000 TB',
    ]);
  });
});
