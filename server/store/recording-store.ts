import type { Db, Store } from './db';
import type { RecordingsTable } from './schema';

export type RecordingState = RecordingsTable['state'];

/** A call's recording row joined with its call and host. */
export interface RecordingRecord {
  callId: string;
  teamId: string;
  callTitle: string;
  account: string | null;
  hostId: string;
  hostName: string;
  policy: string;
  state: RecordingState;
  startedAt: number;
  endedAt: number | null;
  durationMs: number;
  bytes: number;
  expiresAt: number | null;
  consentBy: string;
  consentByName: string;
  consentAt: number;
}

const DAY_MS = 86_400_000;

/** Recordings of calls (consent, state, retention) and the team's retention setting. */
export class RecordingStore {
  readonly #db: Db;

  constructor(store: Store) {
    this.#db = store.db;
  }

  #select() {
    return this.#db
      .selectFrom('recordings as r')
      .innerJoin('calls as k', 'k.id', 'r.call_id')
      .innerJoin('users as h', 'h.id', 'k.host_id')
      .innerJoin('users as cu', 'cu.id', 'k.recording_consent_by')
      .select([
        'r.call_id as callId',
        'r.team_id as teamId',
        'k.title as callTitle',
        'k.account',
        'k.host_id as hostId',
        'h.name as hostName',
        'k.policy',
        'r.state',
        'r.started_at as startedAt',
        'r.ended_at as endedAt',
        'r.duration_ms as durationMs',
        'r.bytes',
        'r.expires_at as expiresAt',
        'cu.id as consentBy',
        'cu.name as consentByName',
        'k.recording_consent_at as consentAt',
      ]);
  }

  /** Stores the host's consent with the call and opens its recording row. */
  async start(rec: { callId: string; teamId: string; consentBy: string; at: number }): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      await trx.updateTable('calls').set({ recording_consent_by: rec.consentBy, recording_consent_at: rec.at }).where('id', '=', rec.callId).execute();
      await trx.insertInto('recordings').values({ call_id: rec.callId, team_id: rec.teamId, state: 'recording', started_at: rec.at }).execute();
    });
  }

  /** Progress of a live recording (duration and size), written now and then. */
  async progress(callId: string, durationMs: number, bytes: number): Promise<void> {
    await this.#db
      .updateTable('recordings')
      .set({ duration_ms: Math.round(durationMs), bytes })
      .where('call_id', '=', callId)
      .where('state', '=', 'recording')
      .execute();
  }

  /** The call ended: keep the recording until the team's retention runs out, or mark it discarded. */
  async finish(callId: string, info: { durationMs: number; bytes: number; endedAt: number; keep: boolean }): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      const team = await trx
        .selectFrom('calls as k')
        .innerJoin('teams as t', 't.id', 'k.team_id')
        .select('t.recording_retention_days as days')
        .where('k.id', '=', callId)
        .executeTakeFirst();
      const days = team?.days ?? 30;
      await trx
        .updateTable('recordings')
        .set({
          state: info.keep ? 'kept' : 'discarded',
          ended_at: info.endedAt,
          duration_ms: Math.round(info.durationMs),
          bytes: info.bytes,
          expires_at: info.keep ? info.endedAt + days * DAY_MS : null,
          deleted_at: info.keep ? null : info.endedAt,
        })
        .where('call_id', '=', callId)
        .where('state', '=', 'recording')
        .execute();
    });
  }

  /** Recordings still marked `recording`: left by a process that stopped abruptly. */
  async unfinished(): Promise<RecordingRecord[]> {
    return (await this.#select().where('r.state', '=', 'recording').execute()).map(toRecording);
  }

  async get(teamId: string, callId: string): Promise<RecordingRecord | undefined> {
    const row = await this.#select().where('r.call_id', '=', callId).where('r.team_id', '=', teamId).executeTakeFirst();
    return row ? toRecording(row) : undefined;
  }

  /** Recordings of a team whose audio is still there (live or kept), newest first. */
  async available(teamId: string): Promise<RecordingRecord[]> {
    const rows = await this.#select()
      .where('r.team_id', '=', teamId)
      .where('r.state', 'in', ['recording', 'kept'])
      .orderBy('r.started_at', 'desc')
      .limit(500)
      .execute();
    return rows.map(toRecording);
  }

  /** Marks a kept recording discarded by a person. Returns whether it was kept. */
  async discard(teamId: string, callId: string, at: number): Promise<boolean> {
    const res = await this.#db
      .updateTable('recordings')
      .set({ state: 'discarded', deleted_at: at })
      .where('call_id', '=', callId)
      .where('team_id', '=', teamId)
      .where('state', '=', 'kept')
      .executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  /** Kept recordings whose retention ran out by `now`. */
  async expiredBy(now: number): Promise<string[]> {
    const rows = await this.#db.selectFrom('recordings').select('call_id').where('state', '=', 'kept').where('expires_at', '<=', now).execute();
    return rows.map((r) => r.call_id);
  }

  /** Marks a kept recording expired; returns whether this call did it (a concurrent sweep may have). */
  async markExpired(callId: string, at: number): Promise<boolean> {
    const res = await this.#db
      .updateTable('recordings')
      .set({ state: 'expired', deleted_at: at })
      .where('call_id', '=', callId)
      .where('state', '=', 'kept')
      .executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  async retentionDays(teamId: string): Promise<number> {
    const row = await this.#db.selectFrom('teams').select('recording_retention_days as days').where('id', '=', teamId).executeTakeFirst();
    return row?.days ?? 30;
  }

  /**
   * Sets the team's retention and moves the expiry of its kept recordings to match (a shorter
   * retention takes effect at the next sweep).
   */
  async setRetentionDays(teamId: string, days: number): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      await trx.updateTable('teams').set({ recording_retention_days: days }).where('id', '=', teamId).execute();
      await trx
        .updateTable('recordings')
        .set((eb) => ({ expires_at: eb('ended_at', '+', days * DAY_MS) }))
        .where('team_id', '=', teamId)
        .where('state', '=', 'kept')
        .where('ended_at', 'is not', null)
        .execute();
    });
  }
}

function toRecording(r: Omit<RecordingRecord, 'consentAt'> & { consentAt: number | null }): RecordingRecord {
  // The inner join on the consenting user means consent is always recorded here.
  return { ...r, consentAt: r.consentAt ?? 0 };
}
