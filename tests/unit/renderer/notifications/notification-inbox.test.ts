import { describe, expect, it } from 'vitest';
import type { Notification } from '../../../../contract';
import { mergePushed, PopUpTracker } from '../../../../renderer/src/notifications/notification-inbox';

const n = (id: string, extra: Partial<Notification> = {}): Notification =>
  ({
    id,
    kind: 'clip-sent',
    payload: { clipId: 'k1', note: '' },
    actorId: 'u2',
    actorName: 'Max',
    createdAt: 1,
    readAt: null,
    quiet: false,
    ...extra,
  }) as Notification;

describe('mergePushed', () => {
  it('adds a new notification on top and counts it unread', () => {
    expect(mergePushed({ notifications: [n('a')], unread: 1 }, n('b'))).toEqual({ notifications: [n('b'), n('a')], unread: 2 });
  });

  it('never lists or counts the same id twice (a push of one already fetched)', () => {
    const data = { notifications: [n('a')], unread: 1 };
    expect(mergePushed(data, n('a'))).toBe(data);
  });

  it('leaves a centre not loaded yet alone (its first fetch will have it)', () => {
    expect(mergePushed(undefined, n('a'))).toBeUndefined();
  });
});

describe('PopUpTracker', () => {
  it('pops each id once whether it comes as a push, again as a push, or in a fetch after a reconnect', () => {
    const tracker = new PopUpTracker();
    expect(tracker.fetched([n('old')])).toEqual([]);
    expect(tracker.pushed(n('a'))).toEqual([n('a')]);
    expect(tracker.pushed(n('a'))).toEqual([]);
    // Reconnected: the refetch holds the pushed one and one created while offline.
    expect(tracker.fetched([n('offline'), n('a'), n('old')])).toEqual([n('offline')]);
    expect(tracker.fetched([n('offline'), n('a'), n('old')])).toEqual([]);
    expect(tracker.pushed(n('offline'))).toEqual([]);
  });

  it('does not pop what was there before the window opened, quiet ones, or read ones', () => {
    const tracker = new PopUpTracker();
    expect(tracker.fetched([n('before')])).toEqual([]);
    expect(tracker.pushed(n('quiet', { quiet: true }))).toEqual([]);
    expect(tracker.fetched([n('read', { readAt: 5 }), n('before')])).toEqual([]);
    expect(tracker.pushed(n('quiet', { quiet: true }))).toEqual([]);
  });

  it('pops a push that arrives before the first fetch only once', () => {
    const tracker = new PopUpTracker();
    expect(tracker.pushed(n('early'))).toEqual([n('early')]);
    expect(tracker.fetched([n('early')])).toEqual([]);
  });
});
