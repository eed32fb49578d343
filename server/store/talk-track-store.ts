import { sql, type Selectable, type SqlBool } from 'kysely';
import { shownName } from './display-name';
import { z } from 'zod';
import { BullpenError, TalkTrackExampleRef, type TalkTrackContent } from '../../contract';
import type { Db, Engine, Store } from './db';
import type { TalkTracksTable } from './schema';
import { reindexTalkTrack, talkTrackMatches } from './talk-track-search';

/** A track's latest version as lists show it. */
export interface TalkTrackRecord {
  id: string;
  teamId: string;
  authorId: string;
  authorName: string;
  version: number;
  title: string;
  situation: string;
  whatToSay: string;
  whyItWorks: string;
  tags: string[];
  createdAt: number;
  updatedAt: number;
  updatedById: string;
  updatedByName: string;
  exampleCount: number;
}

/** One saved version, whole. */
export interface TalkTrackVersionRecord {
  version: number;
  authorId: string;
  authorName: string;
  createdAt: number;
  restoredFrom: number | null;
  title: string;
  situation: string;
  whatToSay: string;
  whyItWorks: string;
  tags: string[];
  examples: TalkTrackExampleRef[];
}

/** A version as the store writes it. */
export type SavedContent = TalkTrackContent;

const Strings = z.array(z.string());
const Examples = z.array(TalkTrackExampleRef);

/** JSON columns are parsed too: a damaged value reads as empty rather than breaking the page. */
function parseJson<T>(schema: z.ZodType<T>, json: string, empty: T): T {
  try {
    const parsed = schema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : empty;
  } catch {
    return empty;
  }
}

const stale = () =>
  new BullpenError('CONFLICT', 'Someone saved a newer version of this talk track while you were editing. Your text is kept: compare and save again.');

/** Talk tracks, their versions, example links and search rows. Every query is scoped to a team. */
export class TalkTrackStore {
  readonly #db: Db;
  readonly #engine: Engine;

  constructor(store: Store) {
    this.#db = store.db;
    this.#engine = store.engine;
  }

  /** Whether the team's admin lets reps write talk tracks. */
  async repsMayWrite(teamId: string): Promise<boolean> {
    const row = await this.#db.selectFrom('teams').select('reps_write_talk_tracks').where('id', '=', teamId).executeTakeFirst();
    return Number(row?.reps_write_talk_tracks ?? 0) === 1;
  }

  async setRepsMayWrite(teamId: string, allowed: boolean): Promise<void> {
    await this.#db.updateTable('teams').set({ reps_write_talk_tracks: allowed ? 1 : 0 }).where('id', '=', teamId).execute();
  }

  #select(db: Db = this.#db) {
    return db
      .selectFrom('talk_tracks as t')
      .innerJoin('users as a', 'a.id', 't.author_id')
      .innerJoin('users as e', 'e.id', 't.updated_by')
      .select((eb) => [
        't.id',
        't.team_id',
        't.author_id',
        shownName('a').as('author_name'),
        't.version',
        't.title',
        't.situation',
        't.what_to_say',
        't.why_it_works',
        't.tags',
        't.created_at',
        't.updated_at',
        't.updated_by',
        'e.name as updated_by_name',
        eb
          .selectFrom('talk_track_examples as x')
          .select((x) => x.fn.countAll<number>().as('n'))
          .whereRef('x.track_id', '=', 't.id')
          .as('example_count'),
      ]);
  }

  /** The team's tracks, latest edit first, matching the search text and tag. */
  async list(teamId: string, query: { q?: string; tag?: string; limit: number }): Promise<TalkTrackRecord[]> {
    let q = this.#select().where('t.team_id', '=', teamId);
    if (query.tag) {
      q = q.where(
        this.#engine === 'sqlite'
          ? sql<SqlBool>`EXISTS (SELECT 1 FROM json_each(t.tags) WHERE json_each.value = ${query.tag})`
          : sql<SqlBool>`EXISTS (SELECT 1 FROM jsonb_array_elements_text(t.tags::jsonb) AS g(tag) WHERE g.tag = ${query.tag})`,
      );
    }
    const match = query.q ? talkTrackMatches(this.#engine, query.q) : null;
    if (match) q = q.where(match);
    const rows = await q.orderBy('t.updated_at', 'desc').orderBy('t.id').limit(query.limit).execute();
    return rows.map(toTrack);
  }

  async byId(teamId: string, trackId: string): Promise<TalkTrackRecord | undefined> {
    const row = await this.#select().where('t.team_id', '=', teamId).where('t.id', '=', trackId).executeTakeFirst();
    return row ? toTrack(row) : undefined;
  }

  /** The latest version's example links, in order. */
  async examples(trackId: string): Promise<TalkTrackExampleRef[]> {
    const rows = await this.#db.selectFrom('talk_track_examples').selectAll().where('track_id', '=', trackId).orderBy('position').execute();
    return rows.map((r) => ({ clipId: r.clip_id, atMs: Number(r.at_ms), caption: r.caption }));
  }

  /** The team's tracks whose latest version cites the clip, latest edit first. */
  async citing(teamId: string, clipId: string): Promise<TalkTrackRecord[]> {
    const rows = await this.#select()
      .where('t.team_id', '=', teamId)
      .where('t.id', 'in', (eb) => eb.selectFrom('talk_track_examples').select('track_id').where('clip_id', '=', clipId))
      .orderBy('t.updated_at', 'desc')
      .orderBy('t.id')
      .execute();
    return rows.map(toTrack);
  }

  /** A new track: its row, version 1, its example links and its search row, together. */
  async create(track: { id: string; teamId: string; authorId: string; at: number; content: SavedContent }): Promise<void> {
    const c = track.content;
    await this.#db.transaction().execute(async (trx) => {
      await trx
        .insertInto('talk_tracks')
        .values({
          id: track.id,
          team_id: track.teamId,
          author_id: track.authorId,
          version: 1,
          ...columns(c),
          created_at: track.at,
          updated_at: track.at,
          updated_by: track.authorId,
        })
        .execute();
      await this.#written(trx, track.id, 1, track.authorId, track.at, null, c);
    });
  }

  /**
   * Saves `content` as version `baseVersion + 1`, only if `baseVersion` is still the latest: the
   * check and the write are one conditional UPDATE, so of two saves on the same version exactly
   * one wins and the other gets CONFLICT (nothing written).
   */
  async saveVersion(v: {
    teamId: string;
    trackId: string;
    baseVersion: number;
    authorId: string;
    at: number;
    restoredFrom: number | null;
    content: SavedContent;
  }): Promise<number> {
    const next = v.baseVersion + 1;
    await this.#db.transaction().execute(async (trx) => {
      const res = await trx
        .updateTable('talk_tracks')
        .set({ version: next, ...columns(v.content), updated_at: v.at, updated_by: v.authorId })
        .where('id', '=', v.trackId)
        .where('team_id', '=', v.teamId)
        .where('version', '=', v.baseVersion)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) === 0) {
        const exists = await trx.selectFrom('talk_tracks').select('id').where('id', '=', v.trackId).where('team_id', '=', v.teamId).executeTakeFirst();
        throw exists ? stale() : new BullpenError('NOT_FOUND', 'This talk track was deleted.');
      }
      await trx.deleteFrom('talk_track_examples').where('track_id', '=', v.trackId).execute();
      await this.#written(trx, v.trackId, next, v.authorId, v.at, v.restoredFrom, v.content);
    });
    return next;
  }

  /** The version row, example links and search row of a version just written to the track. */
  async #written(trx: Db, trackId: string, version: number, authorId: string, at: number, restoredFrom: number | null, c: SavedContent) {
    await trx
      .insertInto('talk_track_versions')
      .values({ track_id: trackId, version, author_id: authorId, created_at: at, restored_from: restoredFrom, ...columns(c), examples: JSON.stringify(c.examples) })
      .execute();
    if (c.examples.length > 0) {
      await trx
        .insertInto('talk_track_examples')
        .values(c.examples.map((e, position) => ({ track_id: trackId, position, clip_id: e.clipId, at_ms: e.atMs, caption: e.caption })))
        .execute();
    }
    await reindexTalkTrack(trx, this.#engine, trackId, c);
  }

  /** Every version of a track, newest first. */
  async versions(trackId: string): Promise<TalkTrackVersionRecord[]> {
    const rows = await this.#versionSelect().where('v.track_id', '=', trackId).orderBy('v.version', 'desc').execute();
    return rows.map(toVersion);
  }

  async version(trackId: string, version: number): Promise<TalkTrackVersionRecord | undefined> {
    const row = await this.#versionSelect().where('v.track_id', '=', trackId).where('v.version', '=', version).executeTakeFirst();
    return row ? toVersion(row) : undefined;
  }

  #versionSelect() {
    return this.#db
      .selectFrom('talk_track_versions as v')
      .innerJoin('users as a', 'a.id', 'v.author_id')
      .select(['v.version', 'v.author_id', 'a.name as author_name', 'v.created_at', 'v.restored_from', 'v.title', 'v.situation', 'v.what_to_say', 'v.why_it_works', 'v.tags', 'v.examples']);
  }

  /** Deletes a track with its versions, links and search row. */
  async delete(teamId: string, trackId: string): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      await reindexTalkTrack(trx, this.#engine, trackId, null);
      await trx.deleteFrom('talk_track_examples').where('track_id', '=', trackId).execute();
      await trx.deleteFrom('talk_track_versions').where('track_id', '=', trackId).execute();
      await trx.deleteFrom('talk_tracks').where('id', '=', trackId).where('team_id', '=', teamId).execute();
    });
  }
}

function columns(c: SavedContent) {
  return { title: c.title, situation: c.situation, what_to_say: c.whatToSay, why_it_works: c.whyItWorks, tags: JSON.stringify(c.tags) };
}

/** A track's row with its author's and last editor's names and its example count joined in. */
type TrackRow = Selectable<TalkTracksTable> & { author_name: string; updated_by_name: string; example_count: number | null };

function toTrack(r: TrackRow): TalkTrackRecord {
  return {
    id: r.id,
    teamId: r.team_id,
    authorId: r.author_id,
    authorName: r.author_name,
    version: Number(r.version),
    title: r.title,
    situation: r.situation,
    whatToSay: r.what_to_say,
    whyItWorks: r.why_it_works,
    tags: parseJson(Strings, r.tags, []),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    updatedById: r.updated_by,
    updatedByName: r.updated_by_name,
    exampleCount: Number(r.example_count ?? 0),
  };
}

function toVersion(r: {
  version: number;
  author_id: string;
  author_name: string;
  created_at: number;
  restored_from: number | null;
  title: string;
  situation: string;
  what_to_say: string;
  why_it_works: string;
  tags: string;
  examples: string;
}): TalkTrackVersionRecord {
  return {
    version: Number(r.version),
    authorId: r.author_id,
    authorName: r.author_name,
    createdAt: Number(r.created_at),
    restoredFrom: r.restored_from === null ? null : Number(r.restored_from),
    title: r.title,
    situation: r.situation,
    whatToSay: r.what_to_say,
    whyItWorks: r.why_it_works,
    tags: parseJson(Strings, r.tags, []),
    examples: parseJson(Examples, r.examples, []),
  };
}
