import { z } from 'zod';
import { CallTitle } from './calls';
import { Id } from './team';
import { multiLineText } from './text';

/**
 * Notifications: follows, the notification centre and its per-kind settings. One row per
 * recipient on the server; `payload` is stored as JSON and parsed on read with the schemas below.
 */
export const NotificationKind = z.enum([
  'call-live',
  'question-answered',
  'clip-reviewed',
  'clip-commented',
  'clip-sent',
  'path-assigned',
  'onboarding-nudge',
]);
export type NotificationKind = z.infer<typeof NotificationKind>;
export const notificationKinds = NotificationKind.options;

/** The note sent with a clip ("Send to…"). */
export const SendNote = multiLineText().trim().max(500, 'must be at most 500 characters');

/** Each kind's payload: what its text and its click target need. */
export const notificationPayloads = {
  /** Someone you follow went live and you may listen: opens the listen screen. */
  'call-live': z.object({ callId: Id, hostId: Id, title: CallTitle }),
  /** The host answered your question: opens your questions. */
  'question-answered': z.object({ questionId: Id, callId: Id }),
  /** A manager reviewed your clip: opens the clip. */
  'clip-reviewed': z.object({ clipId: Id }),
  /** Someone commented on your clip: opens the clip at the comment. */
  'clip-commented': z.object({ clipId: Id, commentId: Id }),
  /** A teammate sent you a clip with a note: opens the clip. */
  'clip-sent': z.object({ clipId: Id, note: z.string().max(500) }),
  /** A manager assigned you an onboarding path: opens My onboarding. */
  'path-assigned': z.object({ assignmentId: Id, pathId: Id, pathName: z.string().max(100) }),
  /** A manager nudged you about an onboarding path, maybe with a note: opens My onboarding. */
  'onboarding-nudge': z.object({ assignmentId: Id, pathId: Id, note: z.string().max(200) }),
} as const satisfies Record<NotificationKind, z.ZodType>;

export type NotificationPayload<K extends NotificationKind> = z.infer<(typeof notificationPayloads)[K]>;

/** What a notification is about: its kind with that kind's payload. */
export const NotificationContent = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('call-live'), payload: notificationPayloads['call-live'] }),
  z.object({ kind: z.literal('question-answered'), payload: notificationPayloads['question-answered'] }),
  z.object({ kind: z.literal('clip-reviewed'), payload: notificationPayloads['clip-reviewed'] }),
  z.object({ kind: z.literal('clip-commented'), payload: notificationPayloads['clip-commented'] }),
  z.object({ kind: z.literal('clip-sent'), payload: notificationPayloads['clip-sent'] }),
  z.object({ kind: z.literal('path-assigned'), payload: notificationPayloads['path-assigned'] }),
  z.object({ kind: z.literal('onboarding-nudge'), payload: notificationPayloads['onboarding-nudge'] }),
]);
export type NotificationContent = z.infer<typeof NotificationContent>;

const NotificationMeta = z.object({
  id: Id,
  /** Who caused it (the host, the commenter, the sender), null when nobody in particular. */
  actorId: Id.nullable(),
  actorName: z.string().nullable(),
  createdAt: z.number(),
  readAt: z.number().nullable(),
  /** Created while the recipient hosted a call: kept in the centre, never popped up. */
  quiet: z.boolean(),
});

/** A notification as its recipient gets it (the centre's rows and `notification:new` pushes). */
export const NotificationSchema = z.discriminatedUnion('kind', [
  NotificationMeta.extend({ kind: z.literal('call-live'), payload: notificationPayloads['call-live'] }),
  NotificationMeta.extend({ kind: z.literal('question-answered'), payload: notificationPayloads['question-answered'] }),
  NotificationMeta.extend({ kind: z.literal('clip-reviewed'), payload: notificationPayloads['clip-reviewed'] }),
  NotificationMeta.extend({ kind: z.literal('clip-commented'), payload: notificationPayloads['clip-commented'] }),
  NotificationMeta.extend({ kind: z.literal('clip-sent'), payload: notificationPayloads['clip-sent'] }),
  NotificationMeta.extend({ kind: z.literal('path-assigned'), payload: notificationPayloads['path-assigned'] }),
  NotificationMeta.extend({ kind: z.literal('onboarding-nudge'), payload: notificationPayloads['onboarding-nudge'] }),
]);
export type Notification = z.infer<typeof NotificationSchema>;

/** Per-kind on/off, stored server-side per person; kinds never set are on. */
export const NotificationSettings = z.object(
  Object.fromEntries(notificationKinds.map((k) => [k, z.boolean()])) as Record<NotificationKind, z.ZodBoolean>,
);
export type NotificationSettings = z.infer<typeof NotificationSettings>;

/** The most recent notifications the centre shows. */
export const MAX_LISTED_NOTIFICATIONS = 100;

export const NotificationsReply = z.object({ notifications: z.array(NotificationSchema), unread: z.number().int() });
export const NotificationSettingsReply = z.object({ settings: NotificationSettings });
export const UpdateNotificationSettingsBody = NotificationSettings.partial();
export const FollowsReply = z.object({ followingIds: z.array(Id) });

/** "Send to…": the teammates who get the clip and the note. Each must be able to see the clip. */
export const SendClipBody = z.object({
  recipientIds: z.array(Id).min(1, 'pick at least one person').max(50),
  note: SendNote.default(''),
});
export type SendClipBody = z.input<typeof SendClipBody>;
export const SendClipReply = z.object({ sent: z.number().int() });
