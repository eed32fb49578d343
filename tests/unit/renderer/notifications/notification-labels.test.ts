import { describe, expect, it } from 'vitest';
import { AppRoute, NotificationKind, type Notification } from '../../../../contract';
import {
  desktopNotificationOf,
  notificationAction,
  notificationHref,
  notificationKindLabels,
  notificationText,
} from '../../../../renderer/src/notifications/notification-labels';
import { parseRoute } from '../../../../renderer/src/routing';

const meta = { id: 'n1', actorId: 'u2', actorName: 'Max Mentor', createdAt: 1, readAt: null, quiet: false };
const examples: Notification[] = [
  { ...meta, kind: 'call-live', payload: { callId: 'c1', hostId: 'u2', title: 'Renewal with Globex' } },
  { ...meta, kind: 'question-answered', payload: { questionId: 'q1', callId: 'c1' } },
  { ...meta, kind: 'clip-reviewed', payload: { clipId: 'k1' } },
  { ...meta, kind: 'clip-commented', payload: { clipId: 'k1', commentId: 'm1' } },
  { ...meta, kind: 'clip-sent', payload: { clipId: 'k1', note: 'Listen to the pause' } },
];

describe('notification labels and targets', () => {
  it('words each kind with who did it', () => {
    expect(examples.map((n) => notificationText(n).title)).toEqual([
      'Max Mentor is live',
      'Max Mentor answered your question',
      'Max Mentor reviewed your clip',
      'Max Mentor commented on your clip',
      'Max Mentor sent you a clip',
    ]);
    expect(notificationText(examples[0]!).body).toContain('Renewal with Globex');
    expect(notificationText(examples[4]!).body).toBe('Listen to the pause');
    expect(notificationText({ ...examples[4]!, actorName: null, payload: { clipId: 'k1', note: '' } } as Notification)).toEqual({
      title: 'Someone sent you a clip',
      body: 'No note.',
    });
  });

  it('opens the listen screen, the questions, the clip, and the clip at the comment', () => {
    expect(examples.map(notificationHref)).toEqual(['#/listen/c1', '#/questions', '#/clips/k1', '#/clips/k1/comments/m1', '#/clips/k1']);
    expect(parseRoute(notificationHref(examples[0]!))).toEqual({ name: 'listen', callId: 'c1' });
    expect(parseRoute(notificationHref(examples[3]!))).toEqual({ name: 'clip', id: 'k1', commentId: 'm1' });
    expect(parseRoute(notificationHref(examples[2]!))).toEqual({ name: 'clip', id: 'k1' });
    expect(examples.map(notificationAction)).toEqual(['Listen', 'See answer', 'Open clip', 'Open comment', 'Open clip']);
  });

  it('makes desktop notifications the IPC contract accepts, for every kind', () => {
    for (const n of examples) {
      const desktop = desktopNotificationOf(n);
      expect(AppRoute.safeParse(desktop.route).success, n.kind).toBe(true);
      expect(desktop).toMatchObject({ id: 'n1', title: notificationText(n).title });
    }
    expect(Object.keys(notificationKindLabels).sort()).toEqual([...NotificationKind.options].sort());
  });
});
