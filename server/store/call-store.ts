import type { CallEndReason, ListenPolicy } from '../../contract';
import { newId } from '../ids';
import type { Db } from './db';

/** The durable record of calls and who listened (for history and shadowing metrics). */
export class CallStore {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  insertCall(call: {
    id: string;
    teamId: string;
    hostId: string;
    title: string;
    account: string | null;
    policy: ListenPolicy;
    startedAt: number;
  }): void {
    this.#db
      .prepare(
        'INSERT INTO calls (id, team_id, host_id, title, account, policy, started_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(call.id, call.teamId, call.hostId, call.title, call.account, call.policy, call.startedAt);
  }

  endCall(callId: string, reason: CallEndReason, endedAt: number): void {
    this.#db.transaction(() => {
      this.#db
        .prepare('UPDATE calls SET ended_at = ?, end_reason = ? WHERE id = ? AND ended_at IS NULL')
        .run(endedAt, reason, callId);
      this.#db.prepare('UPDATE listens SET left_at = ? WHERE call_id = ? AND left_at IS NULL').run(endedAt, callId);
    })();
  }

  /** Calls left open by a previous process that stopped abruptly; returns how many. */
  closeOrphans(now: number): number {
    return this.#db.transaction(() => {
      this.#db.prepare('UPDATE listens SET left_at = ? WHERE left_at IS NULL').run(now);
      return this.#db
        .prepare("UPDATE calls SET ended_at = ?, end_reason = 'server-shutdown' WHERE ended_at IS NULL")
        .run(now).changes;
    })();
  }

  /** Whether `callId` is a call of `teamId` that has ended. */
  endedCallOfTeam(teamId: string, callId: string): boolean {
    return (
      this.#db.prepare('SELECT 1 FROM calls WHERE id = ? AND team_id = ? AND ended_at IS NOT NULL').get(callId, teamId) !==
      undefined
    );
  }

  listenStarted(callId: string, userId: string, at: number): string {
    const id = newId();
    this.#db.prepare('INSERT INTO listens (id, call_id, user_id, joined_at) VALUES (?, ?, ?, ?)').run(id, callId, userId, at);
    return id;
  }

  listenEnded(listenId: string, at: number): void {
    this.#db.prepare('UPDATE listens SET left_at = ? WHERE id = ? AND left_at IS NULL').run(at, listenId);
  }
}
