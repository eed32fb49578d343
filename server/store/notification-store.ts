import { NotificationKind, notificationPayloads, type Notification, type NotificationSettings } from '../../contract';
import type { Db, Store } from './db';

/** A notification to store: one recipient, one kind with its payload. */
export interface NewNotification {
  id: string;
  teamId: string;
  userId: string;
  kind: NotificationKind;
  payload: object;
  actorId: string | null;
  quiet: boolean;
  createdAt: number;
}

interface Row {
  id: string;
  kind: string;
  payload: string;
  actor_id: string | null;
  actor_name: string | null;
  quiet: number;
  created_at: number;
  read_at: number | null;
}

/**
 * A stored row as the contract's notification, or undefined when its kind or payload no longer
 * parses (a damaged row is left out rather than breaking the whole centre).
 */
function toNotification(row: Row): Notification | undefined {
  const kind = NotificationKind.safeParse(row.kind);
  if (!kind.success) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(row.payload);
  } catch {
    return undefined;
  }
  const payload = notificationPayloads[kind.data].safeParse(json);
  if (!payload.success) return undefined;
  return {
    id: row.id,
    kind: kind.data,
    payload: payload.data,
    actorId: row.actor_id,
    actorName: row.actor_name,
    createdAt: row.created_at,
    readAt: row.read_at,
    quiet: row.quiet === 1,
  } as Notification;
}

/** Notification rows (one per recipient) and each person's per-kind settings. */
export class NotificationStore {
  readonly #db: Db;

  constructor(store: Store) {
    this.#db = store.db;
  }

  async insert(rows: NewNotification[]): Promise<void> {
    if (rows.length === 0) return;
    await this.#db
      .insertInto('notifications')
      .values(
        rows.map((n) => ({
          id: n.id,
          team_id: n.teamId,
          user_id: n.userId,
          kind: n.kind,
          payload: JSON.stringify(n.payload),
          actor_id: n.actorId,
          quiet: n.quiet ? 1 : 0,
          created_at: n.createdAt,
          read_at: null,
        })),
      )
      .execute();
  }

  #select() {
    return this.#db
      .selectFrom('notifications as n')
      .leftJoin('users as a', 'a.id', 'n.actor_id')
      .select(['n.id', 'n.kind', 'n.payload', 'n.actor_id', 'a.name as actor_name', 'n.quiet', 'n.created_at', 'n.read_at']);
  }

  /** One notification of `userId` (undefined when it is someone else's or gone). */
  async get(teamId: string, userId: string, id: string): Promise<Notification | undefined> {
    const row = await this.#select().where('n.id', '=', id).where('n.user_id', '=', userId).where('n.team_id', '=', teamId).executeTakeFirst();
    return row ? toNotification(row) : undefined;
  }

  /** The newest `limit` notifications of `userId` and how many of all theirs are unread. */
  async list(teamId: string, userId: string, limit: number): Promise<{ notifications: Notification[]; unread: number }> {
    const rows = await this.#select()
      .where('n.user_id', '=', userId)
      .where('n.team_id', '=', teamId)
      .orderBy('n.created_at', 'desc')
      .orderBy('n.id', 'desc')
      .limit(limit)
      .execute();
    const unread = await this.#db
      .selectFrom('notifications')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('user_id', '=', userId)
      .where('team_id', '=', teamId)
      .where('read_at', 'is', null)
      .executeTakeFirstOrThrow();
    return { notifications: rows.map(toNotification).filter((n) => n !== undefined), unread: Number(unread.n) };
  }

  /** Marks one of `userId`'s notifications read; false when it is not theirs (nothing changes). */
  async markRead(teamId: string, userId: string, id: string, at: number): Promise<boolean> {
    const found = await this.#db
      .selectFrom('notifications')
      .select('read_at')
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .where('team_id', '=', teamId)
      .executeTakeFirst();
    if (!found) return false;
    await this.#db.updateTable('notifications').set({ read_at: at }).where('id', '=', id).where('user_id', '=', userId).where('read_at', 'is', null).execute();
    return true;
  }

  async markAllRead(teamId: string, userId: string, at: number): Promise<void> {
    await this.#db
      .updateTable('notifications')
      .set({ read_at: at })
      .where('user_id', '=', userId)
      .where('team_id', '=', teamId)
      .where('read_at', 'is', null)
      .execute();
  }

  /** `userId`'s per-kind settings; kinds never set are on. */
  async settings(userId: string): Promise<NotificationSettings> {
    const rows = await this.#db.selectFrom('notification_settings').select(['kind', 'enabled']).where('user_id', '=', userId).execute();
    const settings = Object.fromEntries(NotificationKind.options.map((k) => [k, true])) as NotificationSettings;
    for (const row of rows) {
      const kind = NotificationKind.safeParse(row.kind);
      if (kind.success) settings[kind.data] = row.enabled === 1;
    }
    return settings;
  }

  async setSettings(userId: string, changes: Partial<NotificationSettings>): Promise<void> {
    for (const [kind, enabled] of Object.entries(changes)) {
      if (enabled === undefined) continue;
      const value = enabled ? 1 : 0;
      await this.#db
        .insertInto('notification_settings')
        .values({ user_id: userId, kind, enabled: value })
        .onConflict((oc) => oc.columns(['user_id', 'kind']).doUpdateSet({ enabled: value }))
        .execute();
    }
  }
}
