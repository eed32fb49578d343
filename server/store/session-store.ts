import { BullpenError, type SessionInfo } from '../../contract';
import { newId, newToken, sha256 } from '../ids';
import type { Db } from './db';

interface SessionRow {
  id: string;
  user_id: string;
  user_agent: string;
  created_at: number;
  last_seen_at: number;
}

/** Sign-in sessions: opaque random tokens, stored only as SHA-256 hashes, revocable. */
export class SessionStore {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  create(userId: string, userAgent: string): { token: string; sessionId: string } {
    const token = newToken();
    const id = newId();
    const now = Date.now();
    this.#db
      .prepare(
        'INSERT INTO sessions (id, user_id, token_hash, user_agent, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(id, userId, sha256(token), userAgent.slice(0, 300), now, now);
    return { token, sessionId: id };
  }

  /** The live session a token belongs to (touching its last-seen time), or undefined. */
  resolve(token: string): { sessionId: string; userId: string } | undefined {
    const row = this.#db
      .prepare('SELECT id, user_id, last_seen_at FROM sessions WHERE token_hash = ? AND revoked_at IS NULL')
      .get(sha256(token)) as (SessionRow & { last_seen_at: number }) | undefined;
    if (!row) return undefined;
    const now = Date.now();
    // Touch at most once a minute: a write per request would be wasted I/O.
    if (now - row.last_seen_at > 60_000) {
      this.#db.prepare('UPDATE sessions SET last_seen_at = ? WHERE id = ?').run(now, row.id);
    }
    return { sessionId: row.id, userId: row.user_id };
  }

  list(userId: string, currentSessionId: string): SessionInfo[] {
    const rows = this.#db
      .prepare(
        'SELECT id, user_id, user_agent, created_at, last_seen_at FROM sessions WHERE user_id = ? AND revoked_at IS NULL ORDER BY last_seen_at DESC',
      )
      .all(userId) as SessionRow[];
    return rows.map((r) => ({
      id: r.id,
      createdAt: r.created_at,
      lastSeenAt: r.last_seen_at,
      userAgent: r.user_agent,
      current: r.id === currentSessionId,
    }));
  }

  /** Revokes one of the user's own sessions. */
  revoke(userId: string, sessionId: string): void {
    const res = this.#db
      .prepare('UPDATE sessions SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL')
      .run(Date.now(), sessionId, userId);
    if (res.changes === 0) throw new BullpenError('NOT_FOUND', 'No such session');
  }
}
