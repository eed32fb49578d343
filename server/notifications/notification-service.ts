import {
  BullpenError,
  MAX_LISTED_NOTIFICATIONS,
  notificationPayloads,
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
import type { Logger } from '../logger';
import type { ClipRecord } from '../store/clip-store';
import type { FollowStore } from '../store/follow-store';
import type { NotificationStore } from '../store/notification-store';
import type { TeamStore } from '../store/team-store';

/** A call that just went live, as the call-live rule needs it. */
export interface LiveCallInfo {
  id: string;
  teamId: string;
  hostId: string;
  title: string;
  policy: Parameters<typeof listenDecision>[2];
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
    const payload = notificationPayloads[content.kind].parse(content.payload);
    const recipient = await this.#teammate(teamId, recipientId);
    if (!recipient || recipientId === actorId) return false;
    if ('clipId' in payload) {
      const clip = await this.#deps.clipById(teamId, payload.clipId);
      if (!clip || !maySeeClip(recipient, clip)) return false;
    }
    const settings = await this.#deps.notifications.settings(recipientId);
    if (!settings[content.kind]) return false;
    const quiet = this.#deps.isHosting(recipientId);
    const id = newId();
    await this.#deps.notifications.insert([
      { id, teamId, userId: recipientId, kind: content.kind, payload, actorId, quiet, createdAt: Date.now() },
    ]);
    // Read back (actor name included) and pushed once, after the row is committed.
    const stored = await this.#deps.notifications.get(teamId, recipientId, id);
    if (stored) this.#deps.push(recipientId, stored);
    return true;
  }

  /** A call went live: its host's followers whom the call's policy lets listen hear of it. */
  async callStarted(call: LiveCallInfo): Promise<number> {
    let sent = 0;
    for (const followerId of await this.#deps.follows.followerIds(call.teamId, call.hostId)) {
      const follower = await this.#teammate(call.teamId, followerId);
      if (!follower) continue;
      const isMenteeOfHost = await this.#deps.teams.isMentorOf(call.hostId, followerId);
      // Restricted calls (the policy keeps this follower out) notify no one outside.
      if (!listenDecision(follower, call.hostId, call.policy, { isMenteeOfHost }).allowed) continue;
      const content = { kind: 'call-live', payload: { callId: call.id, hostId: call.hostId, title: call.title } } as const;
      if (await this.notify(call.teamId, followerId, content, call.hostId)) sent++;
    }
    return sent;
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
    let sent = 0;
    for (const person of recipients) {
      const content = { kind: 'clip-sent', payload: { clipId, note: body.note ?? '' } } as const;
      if (await this.notify(caller.team.id, person.id, content, caller.user.id)) sent++;
    }
    return sent;
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
