import { BullpenError, type SessionInfo } from '../../contract';
import { newId, newToken, sha256 } from '../ids';
import type { Db, Store } from './db';

/** Sign-in sessions: opaque random tokens, stored only as SHA-256 hashes, revocable. */
export class SessionStore {
  readonly #db: Db;

  constructor(store: Store) {
    this.#db = store.db;
  }

  async create(userId: string, userAgent: string): Promise<{ token: string; sessionId: string }> {
    const token = newToken();
    const id = newId();
    const now = Date.now();
    await this.#db
      .insertInto('sessions')
      .values({ id, user_id: userId, token_hash: sha256(token), user_agent: userAgent.slice(0, 300), created_at: now, last_seen_at: now })
      .execute();
    return { token, sessionId: id };
  }

  /** The live session a token belongs to (touching its last-seen time), or undefined. */
  async resolve(token: string): Promise<{ sessionId: string; userId: string } | undefined> {
    const row = await this.#db
      .selectFrom('sessions')
      .select(['id', 'user_id', 'last_seen_at'])
      .where('token_hash', '=', sha256(token))
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (!row) return undefined;
    const now = Date.now();
    // Touch at most once a minute: a write per request would be wasted I/O.
    if (now - row.last_seen_at > 60_000) {
      await this.#db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', row.id).execute();
    }
    return { sessionId: row.id, userId: row.user_id };
  }

  async list(userId: string, currentSessionId: string): Promise<SessionInfo[]> {
    const rows = await this.#db
      .selectFrom('sessions')
      .select(['id', 'user_agent', 'created_at', 'last_seen_at'])
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .orderBy('last_seen_at', 'desc')
      .orderBy('id')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      createdAt: r.created_at,
      lastSeenAt: r.last_seen_at,
      userAgent: r.user_agent,
      current: r.id === currentSessionId,
    }));
  }

  /** Revokes one of the user's own sessions. */
  async revoke(userId: string, sessionId: string): Promise<void> {
    const res = await this.#db
      .updateTable('sessions')
      .set({ revoked_at: Date.now() })
      .where('id', '=', sessionId)
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) throw new BullpenError('NOT_FOUND', 'No such session');
  }
}
