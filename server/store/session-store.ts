import { BullpenError, type SessionInfo } from '../../contract';
import { newId, newToken, sha256 } from '../ids';
import type { Db, Store } from './db';

/** How long a session lives: unused for `idleMs`, or `maxMs` after sign-in, it has expired. */
export interface SessionLifetime {
  idleMs: number;
  maxMs: number;
}

/** What a token resolves to: a live session, an expired one, or nothing (unknown or revoked). */
export type ResolvedSession =
  | { status: 'live'; sessionId: string; userId: string; /** When it expires unless used again. */ expiresAt: number }
  | { status: 'expired' }
  /** Revoked by the server for a reason the person should hear (deactivated, password reset). */
  | { status: 'revoked'; reason: string }
  | undefined;

/**
 * Sign-in sessions: opaque random tokens, stored only as SHA-256 hashes, revocable, and
 * expiring after an idle time and a lifetime. `now` is the clock (tests move it).
 */
export class SessionStore {
  readonly #db: Db;
  readonly #lifetime: SessionLifetime;
  readonly #now: () => number;

  constructor(store: Store, opts: { lifetime: SessionLifetime; now?: () => number }) {
    this.#db = store.db;
    this.#lifetime = opts.lifetime;
    this.#now = opts.now ?? Date.now;
  }

  async create(userId: string, userAgent: string): Promise<{ token: string; sessionId: string }> {
    const token = newToken();
    const id = newId();
    const now = this.#now();
    await this.#db
      .insertInto('sessions')
      .values({ id, user_id: userId, token_hash: sha256(token), user_agent: userAgent.slice(0, 300), created_at: now, last_seen_at: now })
      .execute();
    return { token, sessionId: id };
  }

  /**
   * The session a token belongs to: live (its last-seen time touched), expired (idle too long
   * or past its lifetime: refused like a revoked one, but the person is told why), or undefined.
   */
  async resolve(token: string): Promise<ResolvedSession> {
    const row = await this.#db
      .selectFrom('sessions')
      .select(['id', 'user_id', 'created_at', 'last_seen_at', 'revoked_at', 'revoked_reason'])
      .where('token_hash', '=', sha256(token))
      .executeTakeFirst();
    if (!row) return undefined;
    if (row.revoked_at !== null) return row.revoked_reason ? { status: 'revoked', reason: row.revoked_reason } : undefined;
    const now = this.#now();
    if (this.#expired(row, now)) return { status: 'expired' };
    // Touch at most once a minute: a write per request would be wasted I/O.
    let lastSeen = row.last_seen_at;
    if (now - lastSeen > 60_000) {
      await this.#db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', row.id).execute();
      lastSeen = now;
    }
    const expiresAt = Math.min(lastSeen + this.#lifetime.idleMs, row.created_at + this.#lifetime.maxMs);
    return { status: 'live', sessionId: row.id, userId: row.user_id, expiresAt };
  }

  /** The store's clock (the one sessions expire by). */
  now(): number {
    return this.#now();
  }

  #expired(row: { created_at: number; last_seen_at: number }, now: number): boolean {
    return now - row.last_seen_at >= this.#lifetime.idleMs || now - row.created_at >= this.#lifetime.maxMs;
  }

  /** The user's live sessions (expired ones are gone, like revoked ones). */
  async list(userId: string, currentSessionId: string): Promise<SessionInfo[]> {
    const now = this.#now();
    const rows = await this.#db
      .selectFrom('sessions')
      .select(['id', 'user_agent', 'created_at', 'last_seen_at'])
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .where('last_seen_at', '>', now - this.#lifetime.idleMs)
      .where('created_at', '>', now - this.#lifetime.maxMs)
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
      .set({ revoked_at: this.#now() })
      .where('id', '=', sessionId)
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) throw new BullpenError('NOT_FOUND', 'No such session');
  }
}
