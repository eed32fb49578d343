import {
  BullpenError,
  MAX_LISTED_NOTIFICATIONS,
  notificationPayloads,
  type ListenPolicy,
  type Notification,
  type NotificationContent,
  type NotificationSettings,
  type SendClipBody,
  type User,
} from '../../contract';
import type { z } from 'zod';
import type { Caller } from '../auth/auth-service';
import { listenDecision } from '../calls/policy';
import { maySeeClip } from '../clips/clip-visibility';
import { newId } from '../ids';
import type { RateLimits } from '../limits/rate-limits';
import type { Logger } from '../logger';
import type { ClipRecord } from '../store/clip-store';
import type { FollowStore } from '../store/follow-store';
import type { NewNotification, NotificationStore } from '../store/notification-store';
import type { TeamStore } from '../store/team-store';

/** A call that just went live, as the call-live rule needs it. */
export interface LiveCallInfo {
  id: string;
  teamId: string;
  hostId: string;
  title: string;
  policy: ListenPolicy;
}

export interface NotificationServiceDeps {
  notifications: NotificationStore;
  follows: FollowStore;
  teams: TeamStore;
  /** A clip by id within a team (deleted clips are undefined). */
  clipById(teamId: string, clipId: string): Promise<ClipRecord | undefined>;
  /** A clip the caller may see, or NOT_FOUND (the clip service's rule). */
  visibleClip(caller: Caller, clipId: string): Promise<ClipRecord>;
  /** Whether the person hosts a live call now: their notifications are then quiet. */
  isHosting(userId: string): boolean;
  /** Pushes a stored notification to the recipient's open sockets. */
  push(userId: string, notification: Notification): void;
  /** Tells the person's other windows their centre changed (read marks). */
  changed(userId: string): void;
  /** The per-user limit on "Send to…" (limit-policy.ts). */
  limits: Pick<RateLimits, 'take'>;
  log: Logger;
}

/**
 * Follows and notifications: who follows whom, creating one notification row per recipient
 * (after every rule: team, not oneself, the kind switched on, the call's listen policy, the
 * clip's visibility), pushing it once, and the centre's reads and read marks.
 */
export class NotificationService {
  readonly #deps: NotificationServiceDeps;

  constructor(deps: NotificationServiceDeps) {
    this.#deps = deps;
  }

  /**
   * Notifies one person, if every rule allows: a teammate other than the actor, with the kind
   * switched on, who may see what it points to (a clip kind's clip). Returns whether it was
   * created. Services call this after their change is committed (questions answered, clips
   * reviewed): `notify(teamId, askerId, { kind: 'question-answered', payload }, hostId)`.
   */
  async notify(teamId: string, recipientId: string, content: NotificationContent, actorId: string | null): Promise<boolean> {
    return (await this.notifyMany(teamId, [recipientId], content, actorId)) === 1;
  }

  /**
   * As {@link notify} for several people: every row is stored in one insert before any is
   * pushed, so once one recipient has it, all of them have it. Returns how many were created.
   */
  async notifyMany(teamId: string, recipientIds: readonly string[], content: NotificationContent, actorId: string | null): Promise<number> {
    const payload = notificationPayloads[content.kind].parse(content.payload);
    // Never to oneself, decided before anything is read.
    const candidates = [...new Set(recipientIds)].filter((id) => id !== actorId);
    if (candidates.length === 0) return 0;
    const clip = 'clipId' in payload ? await this.#deps.clipById(teamId, payload.clipId) : undefined;
    if ('clipId' in payload && !clip) return 0;
    const rows: NewNotification[] = [];
    const createdAt = Date.now();
    for (const id of candidates) {
      const recipient = await this.#teammate(teamId, id);
      if (!recipient || (clip && !maySeeClip(recipient, clip))) continue;
      if (!(await this.#deps.notifications.settings(id))[content.kind]) continue;
      // Stored while they host a call, but never popped up over it.
      const quiet = this.#deps.isHosting(id);
      rows.push({ id: newId(), teamId, userId: id, kind: content.kind, payload, actorId, quiet, createdAt });
    }
    await this.#deps.notifications.insert(rows);
    if (rows.length > 0) this.#deps.log.debug('notifications created', { kind: content.kind, count: rows.length });
    // Read back (actor name included) and pushed once each, after all rows are committed.
    for (const row of rows) {
      const stored = await this.#deps.notifications.get(teamId, row.userId, row.id);
      if (stored) this.#deps.push(row.userId, stored);
    }
    return rows.length;
  }

  /** A call went live: its host's followers whom the call's policy lets listen hear of it. */
  async callStarted(call: LiveCallInfo): Promise<number> {
    const allowed: string[] = [];
    for (const followerId of await this.#deps.follows.followerIds(call.teamId, call.hostId)) {
      const follower = await this.#teammate(call.teamId, followerId);
      if (!follower) continue;
      const isMenteeOfHost = await this.#deps.teams.isMentorOf(call.hostId, followerId);
      // Restricted calls (the policy keeps this follower out) notify no one outside.
      if (listenDecision(follower, call.hostId, call.policy, { isMenteeOfHost }).allowed) allowed.push(followerId);
    }
    const content = { kind: 'call-live', payload: { callId: call.id, hostId: call.hostId, title: call.title } } as const;
    return await this.notifyMany(call.teamId, allowed, content, call.hostId);
  }

  /** Someone commented on a clip: its clipper hears of it (not of their own comments). */
  async commentAdded(teamId: string, clip: Pick<ClipRecord, 'id' | 'clipperId'>, comment: { id: string; authorId: string }): Promise<void> {
    await this.notify(teamId, clip.clipperId, { kind: 'clip-commented', payload: { clipId: clip.id, commentId: comment.id } }, comment.authorId);
  }

  /**
   * "Send to…": the caller must see the clip, and every recipient must be a teammate other than
   * the caller who may see it; otherwise the whole send is refused and nobody is notified.
   */
  async sendClip(caller: Caller, clipId: string, body: z.output<typeof SendClipBody>): Promise<number> {
    const clip = await this.#deps.visibleClip(caller, clipId);
    await this.#deps.limits.take('clipSend', caller.user.id);
    const recipients: User[] = [];
    for (const id of new Set(body.recipientIds)) {
      if (id === caller.user.id) throw new BullpenError('BAD_REQUEST', 'You cannot send a clip to yourself.');
      const person = await this.#teammate(caller.team.id, id);
      if (!person) throw new BullpenError('NOT_FOUND', 'No such person on your team.');
      if (!maySeeClip(person, clip)) {
        throw new BullpenError('FORBIDDEN', `${person.name} cannot see this clip, so it was not sent to anyone. Change its visibility or pick someone else.`);
      }
      recipients.push(person);
    }
    const content = { kind: 'clip-sent', payload: { clipId, note: body.note } } as const;
    return await this.notifyMany(caller.team.id, recipients.map((p) => p.id), content, caller.user.id);
  }

  async list(caller: Caller): Promise<{ notifications: Notification[]; unread: number }> {
    return await this.#deps.notifications.list(caller.team.id, caller.user.id, MAX_LISTED_NOTIFICATIONS);
  }

  /** Marks one of the caller's notifications read; anyone else's is NOT_FOUND and unchanged. */
  async markRead(caller: Caller, id: string): Promise<void> {
    if (!(await this.#deps.notifications.markRead(caller.team.id, caller.user.id, id, Date.now()))) {
      throw new BullpenError('NOT_FOUND', 'This notification is gone.');
    }
    this.#deps.changed(caller.user.id);
  }

  async markAllRead(caller: Caller): Promise<void> {
    await this.#deps.notifications.markAllRead(caller.team.id, caller.user.id, Date.now());
    this.#deps.changed(caller.user.id);
  }

  async settings(caller: Caller): Promise<NotificationSettings> {
    return await this.#deps.notifications.settings(caller.user.id);
  }

  async updateSettings(caller: Caller, changes: Partial<NotificationSettings>): Promise<NotificationSettings> {
    await this.#deps.notifications.setSettings(caller.user.id, changes);
    return await this.#deps.notifications.settings(caller.user.id);
  }

  async following(caller: Caller): Promise<string[]> {
    return await this.#deps.follows.followingIds(caller.team.id, caller.user.id);
  }

  /** Follows (true) or unfollows (false) a teammate; returns whom the caller follows now. */
  async setFollowing(caller: Caller, personId: string, following: boolean): Promise<string[]> {
    if (personId === caller.user.id) throw new BullpenError('BAD_REQUEST', 'You cannot follow yourself.');
    if (!(await this.#teammate(caller.team.id, personId))) throw new BullpenError('NOT_FOUND', 'No such person on your team.');
    await this.#deps.follows.set(caller.team.id, caller.user.id, personId, following, Date.now());
    return await this.following(caller);
  }

  /** The person as they are now, if they are on the team. */
  async #teammate(teamId: string, userId: string): Promise<User | undefined> {
    const user = await this.#deps.teams.userById(userId);
    return user && user.teamId === teamId ? user : undefined;
  }
}
