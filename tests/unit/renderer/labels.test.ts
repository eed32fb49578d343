import { describe, expect, it } from 'vitest';
import type { BoardCall } from '../../../contract';
import { boardAnnouncement } from '../../../renderer/src/labels';

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
