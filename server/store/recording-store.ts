import type { Db } from './db';

export type RecordingState = 'recording' | 'kept' | 'discarded' | 'expired';

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

interface RecordingRow {
  call_id: string;
  team_id: string;
  call_title: string;
  account: string | null;
  host_id: string;
  host_name: string;
  policy: string;
  state: RecordingState;
  started_at: number;
  ended_at: number | null;
  duration_ms: number;
  bytes: number;
  expires_at: number | null;
  consent_by: string;
  consent_by_name: string;
  consent_at: number;
}

const SELECT = `
  SELECT r.*, k.title AS call_title, k.account, k.host_id, k.policy, h.name AS host_name,
    k.recording_consent_by AS consent_by, k.recording_consent_at AS consent_at, cu.name AS consent_by_name
  FROM recordings r
  JOIN calls k ON k.id = r.call_id
  JOIN users h ON h.id = k.host_id
  JOIN users cu ON cu.id = k.recording_consent_by`;

function toRecording(r: RecordingRow): RecordingRecord {
  return {
    callId: r.call_id,
    teamId: r.team_id,
    callTitle: r.call_title,
    account: r.account,
    hostId: r.host_id,
    hostName: r.host_name,
    policy: r.policy,
    state: r.state,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    durationMs: r.duration_ms,
    bytes: r.bytes,
    expiresAt: r.expires_at,
    consentBy: r.consent_by,
    consentByName: r.consent_by_name,
    consentAt: r.consent_at,
  };
}

const DAY_MS = 86_400_000;

/** Recordings of calls (consent, state, retention) and the team's retention setting. */
export class RecordingStore {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /** Stores the host's consent with the call and opens its recording row. */
  start(rec: { callId: string; teamId: string; consentBy: string; at: number }): void {
    this.#db.transaction(() => {
      this.#db
        .prepare('UPDATE calls SET recording_consent_by = ?, recording_consent_at = ? WHERE id = ?')
        .run(rec.consentBy, rec.at, rec.callId);
      this.#db
        .prepare("INSERT INTO recordings (call_id, team_id, state, started_at) VALUES (?, ?, 'recording', ?)")
        .run(rec.callId, rec.teamId, rec.at);
    })();
  }

  /** Progress of a live recording (duration and size), written now and then. */
  progress(callId: string, durationMs: number, bytes: number): void {
    this.#db.prepare("UPDATE recordings SET duration_ms = ?, bytes = ? WHERE call_id = ? AND state = 'recording'").run(Math.round(durationMs), bytes, callId);
  }

  /** The call ended: keep the recording until the team's retention runs out, or mark it discarded. */
  finish(callId: string, info: { durationMs: number; bytes: number; endedAt: number; keep: boolean }): void {
    this.#db.transaction(() => {
      const days = this.#retentionDaysOfCall(callId);
      this.#db
        .prepare(
          `UPDATE recordings SET state = ?, ended_at = ?, duration_ms = ?, bytes = ?, expires_at = ?,
             deleted_at = CASE WHEN ? = 'discarded' THEN ? ELSE NULL END
           WHERE call_id = ? AND state = 'recording'`,
        )
        .run(
          info.keep ? 'kept' : 'discarded',
          info.endedAt,
          Math.round(info.durationMs),
          info.bytes,
          info.keep ? info.endedAt + days * DAY_MS : null,
          info.keep ? 'kept' : 'discarded',
          info.endedAt,
          callId,
        );
    })();
  }

  /** Recordings still marked `recording`: left by a process that stopped abruptly. */
  unfinished(): RecordingRecord[] {
    return (this.#db.prepare(`${SELECT} WHERE r.state = 'recording'`).all() as RecordingRow[]).map(toRecording);
  }

  get(teamId: string, callId: string): RecordingRecord | undefined {
    const row = this.#db.prepare(`${SELECT} WHERE r.call_id = ? AND r.team_id = ?`).get(callId, teamId) as RecordingRow | undefined;
    return row ? toRecording(row) : undefined;
  }

  /** Recordings of a team whose audio is still there (live or kept), newest first. */
  available(teamId: string): RecordingRecord[] {
    return (
      this.#db
        .prepare(`${SELECT} WHERE r.team_id = ? AND r.state IN ('recording', 'kept') ORDER BY r.started_at DESC LIMIT 500`)
        .all(teamId) as RecordingRow[]
    ).map(toRecording);
  }

  /** Marks a kept recording discarded by a person. Returns whether it was kept. */
  discard(teamId: string, callId: string, at: number): boolean {
    return (
      this.#db
        .prepare("UPDATE recordings SET state = 'discarded', deleted_at = ? WHERE call_id = ? AND team_id = ? AND state = 'kept'")
        .run(at, callId, teamId).changes > 0
    );
  }

  /** Kept recordings whose retention ran out by `now`. */
  expiredBy(now: number): string[] {
    return (
      this.#db.prepare("SELECT call_id FROM recordings WHERE state = 'kept' AND expires_at <= ?").all(now) as { call_id: string }[]
    ).map((r) => r.call_id);
  }

  markExpired(callId: string, at: number): void {
    this.#db.prepare("UPDATE recordings SET state = 'expired', deleted_at = ? WHERE call_id = ? AND state = 'kept'").run(at, callId);
  }

  retentionDays(teamId: string): number {
    const row = this.#db.prepare('SELECT recording_retention_days AS days FROM teams WHERE id = ?').get(teamId) as
      | { days: number }
      | undefined;
    return row?.days ?? 30;
  }

  /**
   * Sets the team's retention and moves the expiry of its kept recordings to match (a shorter
   * retention takes effect at the next sweep).
   */
  setRetentionDays(teamId: string, days: number): void {
    this.#db.transaction(() => {
      this.#db.prepare('UPDATE teams SET recording_retention_days = ? WHERE id = ?').run(days, teamId);
      this.#db
        .prepare("UPDATE recordings SET expires_at = ended_at + ? WHERE team_id = ? AND state = 'kept' AND ended_at IS NOT NULL")
        .run(days * DAY_MS, teamId);
    })();
  }

  #retentionDaysOfCall(callId: string): number {
    const row = this.#db
      .prepare('SELECT t.recording_retention_days AS days FROM calls k JOIN teams t ON t.id = k.team_id WHERE k.id = ?')
      .get(callId) as { days: number } | undefined;
    return row?.days ?? 30;
  }
}
