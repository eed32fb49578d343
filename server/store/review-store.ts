import { z } from 'zod';
import { BullpenError, DEFAULT_RUBRIC } from '../../contract';
import type { Db, Store } from './db';

/** One scored skill as a scorecard stores it. */
export interface ScoreRecord {
  skill: string;
  score: number;
  note: string;
}

/** A scorecard row joined with its clip, call, rep and reviewer. */
export interface ScorecardRecord {
  id: string;
  teamId: string;
  clipId: string;
  clipTitle: string;
  callTitle: string;
  repId: string;
  repName: string;
  reviewerId: string;
  reviewerName: string;
  scores: ScoreRecord[];
  summary: string;
  nextSteps: string;
  createdAt: number;
  updatedAt: number;
}

const StoredScores = z.array(z.object({ skill: z.string(), score: z.number().int(), note: z.string() }));
const StoredRubric = z.array(z.string().min(1)).min(1);

/** JSON columns are parsed too: a damaged value reads as no scores rather than breaking a list. */
function parseJson<T>(schema: z.ZodType<T>, json: string | null): T | undefined {
  if (json === null) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The team's review rubric and its scorecards. Every query is scoped to a team. */
export class ReviewStore {
  readonly #db: Db;

  constructor(store: Store) {
    this.#db = store.db;
  }

  /** The team's rubric: what its admin set, or the default one. */
  async rubric(teamId: string): Promise<string[]> {
    const row = await this.#db.selectFrom('teams').select('review_rubric').where('id', '=', teamId).executeTakeFirst();
    return parseJson(StoredRubric, row?.review_rubric ?? null) ?? [...DEFAULT_RUBRIC];
  }

  async setRubric(teamId: string, skills: string[]): Promise<void> {
    await this.#db.updateTable('teams').set({ review_rubric: JSON.stringify(skills) }).where('id', '=', teamId).execute();
  }

  #select(db: Db = this.#db) {
    return db
      .selectFrom('scorecards as s')
      .innerJoin('clips as c', 'c.id', 's.clip_id')
      .innerJoin('calls as k', 'k.id', 'c.call_id')
      .innerJoin('users as r', 'r.id', 's.rep_id')
      .innerJoin('users as v', 'v.id', 's.reviewer_id')
      .select([
        's.id',
        's.team_id',
        's.clip_id',
        'c.title as clip_title',
        'k.title as call_title',
        's.rep_id',
        'r.name as rep_name',
        's.reviewer_id',
        'v.name as reviewer_name',
        's.scores',
        's.summary',
        's.next_steps',
        's.created_at',
        's.updated_at',
      ]);
  }

  async byClip(teamId: string, clipId: string): Promise<ScorecardRecord | undefined> {
    const row = await this.#select().where('s.team_id', '=', teamId).where('s.clip_id', '=', clipId).executeTakeFirst();
    return row ? toScorecard(row) : undefined;
  }

  async byId(teamId: string, id: string): Promise<ScorecardRecord | undefined> {
    const row = await this.#select().where('s.team_id', '=', teamId).where('s.id', '=', id).executeTakeFirst();
    return row ? toScorecard(row) : undefined;
  }

  /** One rep's scorecards, oldest first (the order a trend reads in). */
  async forRep(teamId: string, repId: string): Promise<ScorecardRecord[]> {
    const rows = await this.#select()
      .where('s.team_id', '=', teamId)
      .where('s.rep_id', '=', repId)
      .orderBy('s.created_at')
      .orderBy('s.id')
      .execute();
    return rows.map(toScorecard);
  }

  /**
   * Stores a clip's scorecard and marks the clip reviewed, in one transaction. CONFLICT if the
   * clip already has one (the unique clip_id settles a race between two reviewers).
   */
  async insert(card: {
    id: string;
    teamId: string;
    clipId: string;
    repId: string;
    reviewerId: string;
    scores: ScoreRecord[];
    summary: string;
    nextSteps: string;
    at: number;
  }): Promise<void> {
    const taken = () => new BullpenError('CONFLICT', 'This clip already has a scorecard. Open it to see or edit it.');
    await this.#db.transaction().execute(async (trx) => {
      const existing = await trx.selectFrom('scorecards').select('id').where('clip_id', '=', card.clipId).executeTakeFirst();
      if (existing) throw taken();
      try {
        await trx
          .insertInto('scorecards')
          .values({
            id: card.id,
            team_id: card.teamId,
            clip_id: card.clipId,
            rep_id: card.repId,
            reviewer_id: card.reviewerId,
            scores: JSON.stringify(card.scores),
            summary: card.summary,
            next_steps: card.nextSteps,
            created_at: card.at,
            updated_at: card.at,
          })
          .execute();
      } catch (error) {
        if (/unique|duplicate/i.test(String(error))) throw taken();
        throw error;
      }
      const res = await trx
        .updateTable('clips')
        .set({ reviewed_at: card.at, reviewed_by: card.reviewerId, updated_at: card.at })
        .where('id', '=', card.clipId)
        .where('team_id', '=', card.teamId)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) === 0) throw new BullpenError('NOT_FOUND', 'This clip was deleted or you cannot see it.');
    });
  }

  /** Rewrites a scorecard's scores, summary and next steps (its skills stay the ones it was scored on). */
  async update(teamId: string, id: string, fields: { scores: ScoreRecord[]; summary: string; nextSteps: string }, at: number): Promise<void> {
    await this.#db
      .updateTable('scorecards')
      .set({ scores: JSON.stringify(fields.scores), summary: fields.summary, next_steps: fields.nextSteps, updated_at: at })
      .where('team_id', '=', teamId)
      .where('id', '=', id)
      .execute();
  }
}

function toScorecard(row: {
  id: string;
  team_id: string;
  clip_id: string;
  clip_title: string;
  call_title: string;
  rep_id: string;
  rep_name: string;
  reviewer_id: string;
  reviewer_name: string;
  scores: string;
  summary: string;
  next_steps: string;
  created_at: number;
  updated_at: number;
}): ScorecardRecord {
  return {
    id: row.id,
    teamId: row.team_id,
    clipId: row.clip_id,
    clipTitle: row.clip_title,
    callTitle: row.call_title,
    repId: row.rep_id,
    repName: row.rep_name,
    reviewerId: row.reviewer_id,
    reviewerName: row.reviewer_name,
    scores: parseJson(StoredScores, row.scores) ?? [],
    summary: row.summary,
    nextSteps: row.next_steps,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}
