import { CallKind, ListenPolicy, QuestionsMode, type CallEndReason } from '../../contract';
import type { Db, Store } from './db';

/** A call not ended yet, as its row holds it. */
export interface OpenCallRow {
  id: string;
  teamId: string;
  hostId: string;
  title: string;
  account: string | null;
  kind: CallKind;
  policy: ListenPolicy;
  startedAt: number;
  questions: QuestionsMode;
  whispers: boolean;
  managersMayJoin: boolean;
  /** Who confirmed the customer was told, if the call records. */
  recordingConsentBy: string | null;
}

/** One queued history write; it runs inside the transaction of the batch it lands in. */
interface QueuedWrite {
  write: (trx: Db) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Writes per batch. Each batch is one transaction run in its own turn of the event loop: 200
 * listens ending at once (sockets closing together) were 200 commits back to back, ~30 ms of
 * SQLite work in one turn that held up audio forwarding (measured by the bench's
 * board_burst_stall_ms_max CPU profile); batched, they are a few short transactions between
 * which forwarding carries on.
 */
const MAX_BATCH = 50;

/** The next turn of the event loop, after pending I/O (media packets) has been handled. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The durable record of calls and who listened (for history and shadowing metrics).
 *
 * Writes are applied in the order they were asked for, one after another: a call's row must
 * exist before its listens (foreign key), and a listen that ends right after it starts must
 * find its row — on a pool of PostgreSQL connections, concurrent writes could overtake.
 * Callers fire and forget; writes asked for in the same turn are batched into one transaction
 * (see MAX_BATCH); `idle()` waits for the queue (shutdown).
 */
export class CallStore {
  readonly #db: Db;
  readonly #queue: QueuedWrite[] = [];
  #draining: Promise<void> | null = null;

  constructor(store: Store) {
    this.#db = store.db;
  }

  /** Runs `write` after every write asked for before it, in a transaction shared with its batch. */
  #inOrder<T>(write: (trx: Db) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ write, resolve: resolve as (value: unknown) => void, reject });
      this.#kick();
    });
  }

  #kick(): void {
    if (this.#draining) return;
    this.#draining = nextTurn()
      .then(() => this.#drain())
      .finally(() => {
        this.#draining = null;
        // A write queued while the last batch was settling still needs a drain.
        if (this.#queue.length > 0) this.#kick();
      });
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, MAX_BATCH);
      try {
        const results = await this.#db.transaction().execute(async (trx) => {
          const out: unknown[] = [];
          for (const op of batch) out.push(await op.write(trx));
          return out;
        });
        batch.forEach((op, i) => op.resolve(results[i]));
      } catch {
        // One bad write rolled its batch back: apply each alone, so only that one fails.
        for (const op of batch) {
          try {
            op.resolve(await this.#db.transaction().execute((trx) => op.write(trx)));
          } catch (error) {
            op.reject(error);
          }
        }
      }
      if (this.#queue.length > 0) await nextTurn();
    }
  }

  /** Resolves once every write asked for so far has finished. */
  async idle(): Promise<void> {
    while (this.#draining) await this.#draining;
  }

  insertCall(call: {
    id: string;
    teamId: string;
    hostId: string;
    title: string;
    account: string | null;
    kind?: CallKind;
    policy: ListenPolicy;
    startedAt: number;
    questions?: QuestionsMode;
    whispers?: boolean;
    managersMayJoin?: boolean;
  }): Promise<void> {
    return this.#inOrder(async (trx) => {
      await trx
        .insertInto('calls')
        .values({
          id: call.id,
          team_id: call.teamId,
          host_id: call.hostId,
          title: call.title,
          account: call.account,
          kind: call.kind ?? 'other',
          policy: call.policy,
          started_at: call.startedAt,
          questions_mode: call.questions ?? 'after-call',
          whispers_allowed: call.whispers ? 1 : 0,
          managers_may_join: call.managersMayJoin === false ? 0 : 1,
        })
        .execute();
    });
  }

  /**
   * The host changed who may listen mid-call: the call's row keeps the latest choice (who may use
   * its recording afterwards follows it). Queued in order with the call's other history.
   */
  setAccess(callId: string, policy: ListenPolicy, managersMayJoin: boolean): Promise<void> {
    return this.#inOrder(async (trx) => {
      await trx.updateTable('calls').set({ policy, managers_may_join: managersMayJoin ? 1 : 0 }).where('id', '=', callId).execute();
    });
  }

  endCall(callId: string, reason: CallEndReason, endedAt: number): Promise<void> {
    return this.#inOrder(async (trx) => {
      await trx.updateTable('calls').set({ ended_at: endedAt, end_reason: reason }).where('id', '=', callId).where('ended_at', 'is', null).execute();
      await trx.updateTable('listens').set({ left_at: endedAt }).where('call_id', '=', callId).where('left_at', 'is', null).execute();
    });
  }

  /** Calls left open by a previous process that stopped abruptly; returns how many. */
  /**
   * Ends every open call and listen but those of `spare` (in cluster mode, the calls a live
   * node still carries); returns how many calls it ended.
   */
  closeOrphans(now: number, spare: readonly string[] = []): Promise<number> {
    return this.#inOrder(async (trx) => {
      let listens = trx.updateTable('listens').set({ left_at: now }).where('left_at', 'is', null);
      let calls = trx.updateTable('calls').set({ ended_at: now, end_reason: 'server-shutdown' }).where('ended_at', 'is', null);
      if (spare.length > 0) {
        listens = listens.where('call_id', 'not in', spare);
        calls = calls.where('id', 'not in', spare);
      }
      await listens.execute();
      const res = await calls.executeTakeFirst();
      return Number(res.numUpdatedRows);
    });
  }

  /** Ids of every call not ended yet (cluster mode: each has an owner node, alive or not). */
  async openCallIds(): Promise<string[]> {
    const rows = await this.#db.selectFrom('calls').select('id').where('ended_at', 'is', null).execute();
    return rows.map((r) => r.id);
  }

  /**
   * A call of `teamId` not ended yet, as stored (cluster mode: its owner died and another node
   * adopts it from this row); undefined if there is none.
   */
  async openCallOfTeam(teamId: string, callId: string): Promise<OpenCallRow | undefined> {
    const row = await this.openCall(callId);
    return row?.teamId === teamId ? row : undefined;
  }

  /** A call not ended yet, whatever its team (cluster mode: the calls a dead node carried). */
  async openCall(callId: string): Promise<OpenCallRow | undefined> {
    const row = await this.#db
      .selectFrom('calls')
      .select(['id', 'team_id', 'host_id', 'title', 'account', 'kind', 'policy', 'started_at', 'questions_mode', 'whispers_allowed', 'managers_may_join', 'recording_consent_by'])
      .where('id', '=', callId)
      .where('ended_at', 'is', null)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      id: row.id,
      teamId: row.team_id,
      hostId: row.host_id,
      title: row.title,
      account: row.account,
      kind: CallKind.parse(row.kind),
      policy: ListenPolicy.parse(row.policy),
      startedAt: Number(row.started_at),
      questions: QuestionsMode.parse(row.questions_mode),
      whispers: Number(row.whispers_allowed) === 1,
      managersMayJoin: Number(row.managers_may_join) === 1,
      recordingConsentBy: row.recording_consent_by,
    };
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
    return this.#inOrder(async (trx) => {
      await trx.insertInto('listens').values({ id: listenId, call_id: callId, user_id: userId, joined_at: at }).execute();
    });
  }

  listenEnded(listenId: string, at: number): Promise<void> {
    return this.#inOrder(async (trx) => {
      await trx.updateTable('listens').set({ left_at: at }).where('id', '=', listenId).where('left_at', 'is', null).execute();
    });
  }
}
