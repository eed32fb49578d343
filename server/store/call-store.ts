import type { CallEndReason, ListenPolicy } from '../../contract';
import type { Db, Store } from './db';

/**
 * The durable record of calls and who listened (for history and shadowing metrics).
 *
 * Writes are applied in the order they were asked for, one after another: a call's row must
 * exist before its listens (foreign key), and a listen that ends right after it starts must
 * find its row — on a pool of PostgreSQL connections, concurrent writes could overtake.
 * Callers fire and forget; `idle()` waits for the queue (shutdown).
 */
export class CallStore {
  readonly #db: Db;
  #tail: Promise<unknown> = Promise.resolve();

  constructor(store: Store) {
    this.#db = store.db;
  }

  /** Runs `write` after every write asked for before it. */
  #inOrder<T>(write: () => Promise<T>): Promise<T> {
    const next = this.#tail.then(write);
    this.#tail = next.catch(() => undefined);
    return next;
  }

  /** Resolves once every write asked for so far has finished. */
  idle(): Promise<void> {
    return this.#tail.then(() => undefined);
  }

  insertCall(call: {
    id: string;
    teamId: string;
    hostId: string;
    title: string;
    account: string | null;
    policy: ListenPolicy;
    startedAt: number;
  }): Promise<void> {
    return this.#inOrder(async () => {
      await this.#db
        .insertInto('calls')
        .values({
          id: call.id,
          team_id: call.teamId,
          host_id: call.hostId,
          title: call.title,
          account: call.account,
          policy: call.policy,
          started_at: call.startedAt,
        })
        .execute();
    });
  }

  endCall(callId: string, reason: CallEndReason, endedAt: number): Promise<void> {
    return this.#inOrder(() =>
      this.#db.transaction().execute(async (trx) => {
        await trx.updateTable('calls').set({ ended_at: endedAt, end_reason: reason }).where('id', '=', callId).where('ended_at', 'is', null).execute();
        await trx.updateTable('listens').set({ left_at: endedAt }).where('call_id', '=', callId).where('left_at', 'is', null).execute();
      }),
    );
  }

  /** Calls left open by a previous process that stopped abruptly; returns how many. */
  closeOrphans(now: number): Promise<number> {
    return this.#inOrder(() =>
      this.#db.transaction().execute(async (trx) => {
        await trx.updateTable('listens').set({ left_at: now }).where('left_at', 'is', null).execute();
        const res = await trx
          .updateTable('calls')
          .set({ ended_at: now, end_reason: 'server-shutdown' })
          .where('ended_at', 'is', null)
          .executeTakeFirst();
        return Number(res.numUpdatedRows);
      }),
    );
  }

  /** Whether `callId` is a call of `teamId` that has ended. */
  async endedCallOfTeam(teamId: string, callId: string): Promise<boolean> {
    const row = await this.#db
      .selectFrom('calls')
      .select('id')
      .where('id', '=', callId)
      .where('team_id', '=', teamId)
      .where('ended_at', 'is not', null)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Records that a listen (id chosen by the caller, so it can end before this write lands) began. */
  listenStarted(listenId: string, callId: string, userId: string, at: number): Promise<void> {
    return this.#inOrder(async () => {
      await this.#db.insertInto('listens').values({ id: listenId, call_id: callId, user_id: userId, joined_at: at }).execute();
    });
  }

  listenEnded(listenId: string, at: number): Promise<void> {
    return this.#inOrder(async () => {
      await this.#db.updateTable('listens').set({ left_at: at }).where('id', '=', listenId).where('left_at', 'is', null).execute();
    });
  }
}
