import { AuditKind, DEFAULT_AUDIT_RETENTION_DAYS, type AuditEvent } from '../../contract';
import { newId } from '../ids';
import type { Db, Store } from './db';

const DAY_MS = 86_400_000;

/** One row to write (the id and team come from the caller of `insert`). */
export type AuditRow = Omit<AuditEvent, 'id'>;

/** The filters of a read, as times: `from` inclusive, `to` exclusive. */
export interface AuditFilter {
  kind?: AuditKind;
  person?: string;
  fromMs?: number;
  toMs?: number;
}

/** The audit_events table: written by AuditLog only, read by admins, pruned by retention. */
export class AuditStore {
  readonly #db: Db;

  constructor(store: Store) {
    this.#db = store.db;
  }

  async insert(teamId: string, row: AuditRow): Promise<void> {
    await this.#db
      .insertInto('audit_events')
      .values({
        id: newId(),
        team_id: teamId,
        at: row.at,
        kind: row.kind,
        actor_id: row.actorId,
        actor_name: row.actorName,
        subject_id: row.subjectId,
        subject_name: row.subjectName,
        target_id: row.targetId,
        target_label: row.targetLabel,
        detail: row.detail,
      })
      .execute();
  }

  /** Matching rows, newest first, `limit` from `offset`, and how many match in all. */
  async page(teamId: string, filter: AuditFilter, offset: number, limit: number): Promise<{ events: AuditEvent[]; total: number }> {
    const base = this.#filtered(teamId, filter);
    const [rows, count] = await Promise.all([
      base.selectAll().orderBy('at', 'desc').orderBy('id', 'desc').limit(limit).offset(offset).execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { events: rows.flatMap(toEvent), total: Number(count.n) };
  }

  #filtered(teamId: string, f: AuditFilter) {
    let q = this.#db.selectFrom('audit_events').where('team_id', '=', teamId);
    if (f.kind) q = q.where('kind', '=', f.kind);
    if (f.person) {
      const person = f.person;
      q = q.where((eb) => eb.or([eb('actor_id', '=', person), eb('subject_id', '=', person)]));
    }
    if (f.fromMs !== undefined) q = q.where('at', '>=', f.fromMs);
    if (f.toMs !== undefined) q = q.where('at', '<', f.toMs);
    return q;
  }

  async retentionDays(teamId: string): Promise<number> {
    const row = await this.#db.selectFrom('teams').select('audit_retention_days').where('id', '=', teamId).executeTakeFirst();
    return row?.audit_retention_days ?? DEFAULT_AUDIT_RETENTION_DAYS;
  }

  async setRetentionDays(teamId: string, days: number): Promise<void> {
    await this.#db.updateTable('teams').set({ audit_retention_days: days }).where('id', '=', teamId).execute();
  }

  /** Deletes every team's rows older than its retention at `now`; returns how many went. */
  async prune(now: number): Promise<number> {
    const teams = await this.#db.selectFrom('teams').select(['id', 'audit_retention_days']).execute();
    let deleted = 0;
    for (const team of teams) {
      const res = await this.#db
        .deleteFrom('audit_events')
        .where('team_id', '=', team.id)
        .where('at', '<', now - team.audit_retention_days * DAY_MS)
        .executeTakeFirst();
      deleted += Number(res.numDeletedRows);
    }
    return deleted;
  }
}

/** A row as the contract's event; a row of a kind this build does not know is skipped. */
function toEvent(row: {
  id: string;
  at: number;
  kind: string;
  actor_id: string | null;
  actor_name: string | null;
  subject_id: string | null;
  subject_name: string | null;
  target_id: string | null;
  target_label: string | null;
  detail: string;
}): AuditEvent[] {
  const kind = AuditKind.safeParse(row.kind);
  if (!kind.success) return [];
  return [
    {
      id: row.id,
      at: Number(row.at),
      kind: kind.data,
      actorId: row.actor_id,
      actorName: row.actor_name,
      subjectId: row.subject_id,
      subjectName: row.subject_name,
      targetId: row.target_id,
      targetLabel: row.target_label,
      detail: row.detail,
    },
  ];
}
