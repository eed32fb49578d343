import type { DesktopNotification, Notification, NotificationKind } from '../../../contract';
import { routeHref } from '../routing';

/** What each kind is called in Settings, with what turning it on means. */
export const notificationKindLabels: Record<NotificationKind, { label: string; hint: string }> = {
  'call-live': { label: 'Someone I follow goes live', hint: 'Only for calls you may listen to.' },
  'question-answered': { label: 'My question is answered', hint: 'The host answered a question you asked on a call.' },
  'clip-reviewed': { label: 'My clip is reviewed', hint: 'A manager reviewed a clip you made or a clip of your call.' },
  'clip-commented': { label: 'Someone comments on my clip', hint: 'Comments by others on clips you made.' },
  'clip-sent': { label: 'A clip is sent to me', hint: 'A teammate used “Send to…” on a clip.' },
  'path-assigned': { label: 'I am assigned an onboarding path', hint: 'A manager assigned you a path in My onboarding.' },
  'onboarding-nudge': { label: 'A manager nudges me about onboarding', hint: 'A reminder about a path assigned to you, maybe with a note.' },
};

/** The words of one notification: a headline and a line of detail. */
export function notificationText(n: Notification): { title: string; body: string } {
  const who = n.actorName ?? 'Someone';
  switch (n.kind) {
    case 'call-live':
      return { title: `${who} is live`, body: `“${n.payload.title}” — you can listen in.` };
    case 'question-answered':
      return { title: `${who} answered your question`, body: 'See the answer beside the moment you asked about.' };
    case 'clip-reviewed':
      return { title: `${who} reviewed your clip`, body: 'Open the clip to see the review.' };
    case 'clip-commented':
      return { title: `${who} commented on your clip`, body: 'Open the clip at the comment.' };
    case 'clip-sent':
      return { title: `${who} sent you a clip`, body: n.payload.note || 'No note.' };
    case 'path-assigned':
      return { title: `${who} assigned you “${n.payload.pathName}”`, body: 'See your steps in My onboarding.' };
    case 'onboarding-nudge':
      return { title: `${who} nudged you about your onboarding`, body: n.payload.note || 'See what is next in My onboarding.' };
  }
}

/** Where clicking a notification goes (a hash route of this app). */
export function notificationHref(n: Notification): string {
  switch (n.kind) {
    case 'call-live':
      return routeHref({ name: 'listen', callId: n.payload.callId });
    case 'question-answered':
      // The questions screen (`#/questions`) lists the asker's questions with their answers.
      return '#/questions';
    case 'clip-reviewed':
    case 'clip-sent':
      return routeHref({ name: 'clip', id: n.payload.clipId });
    case 'clip-commented':
      return routeHref({ name: 'clip', id: n.payload.clipId, commentId: n.payload.commentId });
    case 'path-assigned':
    case 'onboarding-nudge':
      return '#/onboarding';
  }
}

/** The label of a notification's main action button. */
export function notificationAction(n: Notification): string {
  switch (n.kind) {
    case 'call-live':
      return 'Listen';
    case 'question-answered':
      return 'See answer';
    case 'clip-commented':
      return 'Open comment';
    case 'path-assigned':
    case 'onboarding-nudge':
      return 'Open onboarding';
    default:
      return 'Open clip';
  }
}

/** The system notification shown for `n`. */
export function desktopNotificationOf(n: Notification): DesktopNotification {
  const { title, body } = notificationText(n);
  return { id: n.id, title, body: body.slice(0, 500), route: notificationHref(n) };
}
