import { z } from 'zod';
import { StepConfig } from '../../contract';
import type { Db, Store } from './db';

/** A current step of a path, its settings parsed (a damaged row reads as null settings). */
export interface StepRecord {
  id: string;
  pathId: string;
  position: number;
  config: StepConfig | null;
  createdAt: number;
}

export interface PathRecord {
  id: string;
  teamId: string;
  name: string;
  description: string;
  createdAt: number;
  updatedAt: number;
  assigneeCount: number;
  steps: StepRecord[];
}

export interface AssignmentRecord {
  id: string;
  teamId: string;
  pathId: string;
  pathName: string;
  userId: string;
  userName: string;
  startAt: number;
  dueAt: number;
  createdAt: number;
}

export interface ProgressRecord {
  assignmentId: string;
  stepId: string;
  openedAt: number | null;
  doneAt: number | null;
  /** Played `[start, end]` seconds (clip steps). */
  played: [number, number][];
  firstReportAt: number | null;
}

/** One listen as the computed steps need it. */
export interface ListenRecord {
  callId: string;
  callKind: string;
  joinedAt: number;
  leftAt: number | null;
}

const StoredRanges = z.array(z.tuple([z.number(), z.number()]));

function parseJson<T>(schema: z.ZodType<T>, json: string | null): T | null {
  if (json === null) return null;
  try {
    const parsed = schema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Onboarding paths, their steps, assignments and stored progress. Every query is scoped to a team. */
export class OnboardingStore {
  readonly #db: Db;

  constructor(store: Store) {
    this.#db = store.db;
  }

  /** The team's paths (newest edit first) with their current steps. */
  async paths(teamId: string): Promise<PathRecord[]> {
    const rows = await this.#pathRows(this.#db, teamId).orderBy('p.updated_at', 'desc').orderBy('p.id').execute();
    const steps = await this.#steps(rows.map((r) => r.id));
    return rows.map((r) => toPath(r, steps));
  }

  async path(teamId: string, pathId: string, db: Db = this.#db): Promise<PathRecord | undefined> {
    const row = await this.#pathRows(db, teamId).where('p.id', '=', pathId).executeTakeFirst();
    return row ? toPath(row, await this.#steps([row.id], db)) : undefined;
  }

  #pathRows(db: Db, teamId: string) {
    return db
      .selectFrom('onboarding_paths as p')
      .select((eb) => [
        'p.id',
        'p.team_id',
        'p.name',
        'p.description',
        'p.created_at',
        'p.updated_at',
        eb.selectFrom('onboarding_assignments as a').select((e) => e.fn.countAll<number>().as('n')).whereRef('a.path_id', '=', 'p.id').as('assignees'),
      ])
      .where('p.team_id', '=', teamId);
  }

  async #steps(pathIds: string[], db: Db = this.#db): Promise<StepRecord[]> {
    if (pathIds.length === 0) return [];
    const rows = await db
      .selectFrom('onboarding_steps')
      .selectAll()
      .where('path_id', 'in', pathIds)
      .where('removed_at', 'is', null)
      .orderBy('position')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      pathId: r.path_id,
      position: Number(r.position),
      config: parseJson(StepConfig, r.config),
      createdAt: Number(r.created_at),
    }));
  }

  async createPath(p: { id: string; teamId: string; name: string; description: string; createdBy: string; at: number; steps: { id: string; config: StepConfig }[] }): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      await trx
        .insertInto('onboarding_paths')
        .values({ id: p.id, team_id: p.teamId, name: p.name, description: p.description, created_by: p.createdBy, created_at: p.at, updated_at: p.at })
        .execute();
      await insertSteps(trx, p.id, p.steps.map((s, i) => ({ ...s, position: i })), p.at);
    });
  }

  /**
   * Rewrites a path: its name and description, and its steps in the given order. Steps named in
   * `steps` with `keep` stay (moved to their new position); current steps not kept are marked
   * removed; the others are inserted. One transaction.
   */
  async updatePath(
    teamId: string,
    pathId: string,
    edit: { name: string; description: string; at: number; steps: { id: string; config: StepConfig; keep: boolean }[] },
  ): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      const res = await trx
        .updateTable('onboarding_paths')
        .set({ name: edit.name, description: edit.description, updated_at: edit.at })
        .where('id', '=', pathId)
        .where('team_id', '=', teamId)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) === 0) return;
      const kept = edit.steps.filter((s) => s.keep).map((s) => s.id);
      let removed = trx.updateTable('onboarding_steps').set({ removed_at: edit.at }).where('path_id', '=', pathId).where('removed_at', 'is', null);
      if (kept.length > 0) removed = removed.where('id', 'not in', kept);
      await removed.execute();
      const added: { id: string; config: StepConfig; position: number }[] = [];
      for (const [position, step] of edit.steps.entries()) {
        if (step.keep) await trx.updateTable('onboarding_steps').set({ position }).where('id', '=', step.id).where('path_id', '=', pathId).execute();
        else added.push({ id: step.id, config: step.config, position });
      }
      await insertSteps(trx, pathId, added, edit.at);
    });
  }

  /**
   * Assigns a path to a person, or moves the dates of their existing assignment of it (progress
   * stays). Returns the assignment's id and whether it is new.
   */
  async assign(a: { id: string; teamId: string; pathId: string; userId: string; assignedBy: string; startAt: number; dueAt: number; at: number }): Promise<{ id: string; created: boolean }> {
    return await this.#db.transaction().execute(async (trx) => {
      const existing = await trx
        .selectFrom('onboarding_assignments')
        .select('id')
        .where('path_id', '=', a.pathId)
        .where('user_id', '=', a.userId)
        .executeTakeFirst();
      if (existing) {
        await trx.updateTable('onboarding_assignments').set({ start_at: a.startAt, due_at: a.dueAt, assigned_by: a.assignedBy }).where('id', '=', existing.id).execute();
        return { id: existing.id, created: false };
      }
      await trx
        .insertInto('onboarding_assignments')
        .values({
          id: a.id,
          team_id: a.teamId,
          path_id: a.pathId,
          user_id: a.userId,
          assigned_by: a.assignedBy,
          start_at: a.startAt,
          due_at: a.dueAt,
          created_at: a.at,
        })
        .execute();
      return { id: a.id, created: true };
    });
  }

  #assignments(teamId: string) {
    return this.#db
      .selectFrom('onboarding_assignments as a')
      .innerJoin('onboarding_paths as p', 'p.id', 'a.path_id')
      .innerJoin('users as u', 'u.id', 'a.user_id')
      .select(['a.id', 'a.team_id', 'a.path_id', 'p.name as path_name', 'a.user_id', 'u.name as user_name', 'a.start_at', 'a.due_at', 'a.created_at'])
      .where('a.team_id', '=', teamId);
  }

  /** Assignments of the team, narrowed to one path, one person or one id. */
  async assignments(teamId: string, filter: { pathId?: string; userId?: string; id?: string } = {}): Promise<AssignmentRecord[]> {
    let q = this.#assignments(teamId);
    if (filter.pathId) q = q.where('a.path_id', '=', filter.pathId);
    if (filter.userId) q = q.where('a.user_id', '=', filter.userId);
    if (filter.id) q = q.where('a.id', '=', filter.id);
    const rows = await q.orderBy('a.created_at').orderBy('a.id').execute();
    return rows.map((r) => ({
      id: r.id,
      teamId: r.team_id,
      pathId: r.path_id,
      pathName: r.path_name,
      userId: r.user_id,
      userName: r.user_name,
      startAt: Number(r.start_at),
      dueAt: Number(r.due_at),
      createdAt: Number(r.created_at),
    }));
  }

  /** Current steps of several paths, by path id. */
  async stepsOf(pathIds: string[]): Promise<Map<string, StepRecord[]>> {
    const out = new Map<string, StepRecord[]>();
    for (const s of await this.#steps([...new Set(pathIds)])) out.set(s.pathId, [...(out.get(s.pathId) ?? []), s]);
    return out;
  }

  /** Stored progress of the assignments, by assignment id and step id. */
  async progress(assignmentIds: string[]): Promise<Map<string, ProgressRecord>> {
    const out = new Map<string, ProgressRecord>();
    if (assignmentIds.length === 0) return out;
    const rows = await this.#db.selectFrom('onboarding_progress').selectAll().where('assignment_id', 'in', assignmentIds).execute();
    for (const r of rows) {
      out.set(progressKey(r.assignment_id, r.step_id), {
        assignmentId: r.assignment_id,
        stepId: r.step_id,
        openedAt: r.opened_at === null ? null : Number(r.opened_at),
        doneAt: r.done_at === null ? null : Number(r.done_at),
        played: parseJson(StoredRanges, r.played) ?? [],
        firstReportAt: r.first_report_at === null ? null : Number(r.first_report_at),
      });
    }
    return out;
  }

  /** Writes one step's progress (the fields given; others keep their value). */
  async saveProgress(
    assignmentId: string,
    stepId: string,
    fields: { openedAt?: number | null; doneAt?: number | null; played?: [number, number][]; firstReportAt?: number | null },
  ): Promise<void> {
    const set = {
      ...(fields.openedAt !== undefined ? { opened_at: fields.openedAt } : {}),
      ...(fields.doneAt !== undefined ? { done_at: fields.doneAt } : {}),
      ...(fields.played !== undefined ? { played: JSON.stringify(fields.played) } : {}),
      ...(fields.firstReportAt !== undefined ? { first_report_at: fields.firstReportAt } : {}),
    };
    await this.#db
      .insertInto('onboarding_progress')
      .values({ assignment_id: assignmentId, step_id: stepId, opened_at: null, done_at: null, played: null, first_report_at: null, ...set })
      .onConflict((oc) => oc.columns(['assignment_id', 'step_id']).doUpdateSet(set))
      .execute();
  }

  /**
   * The person's listens since `sinceMs` to teammates' calls, with each call's kind (shadow steps).
   */
  async listensOf(teamId: string, userId: string, sinceMs: number): Promise<ListenRecord[]> {
    const rows = await this.#db
      .selectFrom('listens as l')
      .innerJoin('calls as c', 'c.id', 'l.call_id')
      .select(['l.call_id', 'c.kind', 'l.joined_at', 'l.left_at'])
      .where('c.team_id', '=', teamId)
      .where('l.user_id', '=', userId)
      .where('c.host_id', '<>', userId)
      .where('l.joined_at', '>=', sinceMs)
      .orderBy('l.joined_at')
      .execute();
    return rows.map(toListen);
  }

  /** Listens by the person's current mentors to calls the person hosted since `sinceMs` (host-with-mentor steps). */
  async mentorListensOn(teamId: string, hostId: string, sinceMs: number): Promise<ListenRecord[]> {
    const rows = await this.#db
      .selectFrom('listens as l')
      .innerJoin('calls as c', 'c.id', 'l.call_id')
      .innerJoin('mentorships as m', (j) => j.onRef('m.mentor_id', '=', 'l.user_id').on('m.mentee_id', '=', hostId).on('m.team_id', '=', teamId))
      .select(['l.call_id', 'c.kind', 'l.joined_at', 'l.left_at'])
      .where('c.team_id', '=', teamId)
      .where('c.host_id', '=', hostId)
      .where('c.started_at', '>=', sinceMs)
      .orderBy('l.joined_at')
      .execute();
    return rows.map(toListen);
  }
}

/** The key of one step's progress in {@link OnboardingStore.progress}'s map. */
export function progressKey(assignmentId: string, stepId: string): string {
  return `${assignmentId}/${stepId}`;
}

async function insertSteps(trx: Db, pathId: string, steps: { id: string; config: StepConfig; position: number }[], at: number): Promise<void> {
  if (steps.length === 0) return;
  await trx
    .insertInto('onboarding_steps')
    .values(steps.map((s) => ({ id: s.id, path_id: pathId, position: s.position, kind: s.config.kind, config: JSON.stringify(s.config), created_at: at })))
    .execute();
}

function toListen(r: { call_id: string; kind: string; joined_at: number; left_at: number | null }): ListenRecord {
  return { callId: r.call_id, callKind: r.kind, joinedAt: Number(r.joined_at), leftAt: r.left_at === null ? null : Number(r.left_at) };
}

function toPath(
  r: { id: string; team_id: string; name: string; description: string; created_at: number; updated_at: number; assignees: number | string | bigint | null },
  steps: StepRecord[],
): PathRecord {
  return {
    id: r.id,
    teamId: r.team_id,
    name: r.name,
    description: r.description,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    assigneeCount: Number(r.assignees ?? 0),
    steps: steps.filter((s) => s.pathId === r.id),
  };
}
