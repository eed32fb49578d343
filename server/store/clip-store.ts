import { sql, type SqlBool } from 'kysely';
import { shownName } from './display-name';
import { z } from 'zod';
import { BullpenError, ClipStatus, ClipVisibility, MAX_COMMENTS_PER_CLIP, type LibraryQuery } from '../../contract';
import { indexComment, matchesSearch, reindexClip, unindexComments } from './clip-search';
import type { Db, Engine, Store } from './db';

/** A clip row joined with its call, host, clipper and comment count. */
export interface ClipRecord {
  id: string;
  teamId: string;
  callId: string;
  callTitle: string;
  account: string | null;
  hostId: string;
  hostName: string;
  clipperId: string;
  clipperName: string;
  title: string;
  note: string;
  tags: string[];
  visibility: ClipVisibility;
  status: ClipStatus;
  rangeKind: 'wall' | 'media';
  rangeStart: number;
  rangeEnd: number;
  startMs: number;
  durationMs: number;
  bytes: number;
  createdAt: number;
  readyAt: number;
  commentCount: number;
  reviewedAt: number | null;
}

export interface CommentRecord {
  id: string;
  clipId: string;
  parentId: string | null;
  authorId: string;
  authorName: string;
  atMs: number;
  body: string;
  createdAt: number;
  editedAt: number | null;
}

/** Who is looking: visibility is decided in SQL so lists never over-fetch. */
export interface Viewer {
  userId: string;
  teamId: string;
  /** Managers and admins see `managers` clips too. */
  privileged: boolean;
}

const Tags = z.array(z.string());

/** JSON columns are parsed too: a damaged row shows no tags rather than breaking the library. */
function parseTags(json: string): string[] {
  try {
    const parsed = Tags.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

/** Clips, their comments and the full-text index over both. Every query is scoped to a team. */
export class ClipStore {
  readonly #db: Db;
  readonly #engine: Engine;

  constructor(store: Store) {
    this.#db = store.db;
    this.#engine = store.engine;
  }

  #select(db: Db = this.#db) {
    return db
      .selectFrom('clips as c')
      .innerJoin('calls as k', 'k.id', 'c.call_id')
      .innerJoin('users as h', 'h.id', 'k.host_id')
      .innerJoin('users as u', 'u.id', 'c.clipper_id')
      .select((eb) => [
        'c.id',
        'c.team_id',
        'c.call_id',
        'k.title as call_title',
        'k.account',
        'k.host_id',
        'h.name as host_name',
        'c.clipper_id',
        shownName('u').as('clipper_name'),
        'c.title',
        'c.note',
        'c.tags',
        'c.visibility',
        'c.status',
        'c.range_kind',
        'c.range_start',
        'c.range_end',
        'c.start_ms',
        'c.duration_ms',
        'c.bytes',
        'c.created_at',
        'c.ready_at',
        'c.reviewed_at',
        eb
          .selectFrom('clip_comments as m')
          .select((m) => m.fn.countAll<number>().as('n'))
          .whereRef('m.clip_id', '=', 'c.id')
          .as('comment_count'),
      ]);
  }

  /** "the viewer may see clip c of call k". */
  #visibleTo(viewer: Viewer) {
    const levels = viewer.privileged ? ['team', 'managers'] : ['team'];
    return this.#select()
      .where('c.team_id', '=', viewer.teamId)
      .where((eb) => eb.or([eb('c.visibility', 'in', levels), eb('c.clipper_id', '=', viewer.userId), eb('k.host_id', '=', viewer.userId)]));
  }

  async insert(clip: {
    id: string;
    teamId: string;
    callId: string;
    clipperId: string;
    title: string;
    note: string;
    tags: string[];
    visibility: ClipVisibility;
    rangeKind: 'wall' | 'media';
    rangeStart: number;
    rangeEnd: number;
    createdAt: number;
    readyAt: number;
  }): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      await trx
        .insertInto('clips')
        .values({
          id: clip.id,
          team_id: clip.teamId,
          call_id: clip.callId,
          clipper_id: clip.clipperId,
          title: clip.title,
          note: clip.note,
          tags: JSON.stringify(clip.tags),
          visibility: clip.visibility,
          status: 'pending',
          range_kind: clip.rangeKind,
          range_start: clip.rangeStart,
          range_end: clip.rangeEnd,
          created_at: clip.createdAt,
          ready_at: clip.readyAt,
          updated_at: clip.createdAt,
        })
        .execute();
      await reindexClip(trx, this.#engine, clip.id, clip);
    });
  }

  /** A clip of the team regardless of visibility (for permission checks), or undefined. */
  async byId(teamId: string, clipId: string): Promise<ClipRecord | undefined> {
    const row = await this.#select().where('c.id', '=', clipId).where('c.team_id', '=', teamId).executeTakeFirst();
    return row ? toClip(row) : undefined;
  }

  /** A clip the viewer may see, or undefined (absent and hidden look the same). */
  async visible(viewer: Viewer, clipId: string): Promise<ClipRecord | undefined> {
    const row = await this.#visibleTo(viewer).where('c.id', '=', clipId).executeTakeFirst();
    return row ? toClip(row) : undefined;
  }

  /** The library: clips the viewer may see, newest first, filtered. */
  async library(viewer: Viewer, query: z.output<typeof LibraryQuery>): Promise<ClipRecord[]> {
    let q = this.#visibleTo(viewer);
    if (query.rep) {
      const rep = query.rep;
      q = q.where((eb) => eb.or([eb('k.host_id', '=', rep), eb('c.clipper_id', '=', rep)]));
    }
    if (query.tag) q = q.where(this.#hasTag(query.tag));
    if (query.from !== undefined) q = q.where('c.created_at', '>=', query.from);
    if (query.to !== undefined) q = q.where('c.created_at', '<=', query.to);
    if (query.reviewed) q = q.where('c.reviewed_at', query.reviewed === 'yes' ? 'is not' : 'is', null);
    const match = query.q ? matchesSearch(this.#engine, query.q) : null;
    if (match) q = q.where(match);
    const rows = await q.orderBy('c.created_at', 'desc').orderBy('c.id').limit(query.limit).execute();
    return rows.map(toClip);
  }

  /**
   * The review queue: clips the viewer may see that are not reviewed, oldest first, optionally
   * of one rep's calls (the host) and with one tag, a page at a time, with the total count.
   */
  async unreviewed(
    viewer: Viewer,
    query: { rep?: string; tag?: string; offset: number; limit: number },
  ): Promise<{ clips: ClipRecord[]; total: number }> {
    let q = this.#visibleTo(viewer).where('c.reviewed_at', 'is', null);
    if (query.rep) q = q.where('k.host_id', '=', query.rep);
    if (query.tag) q = q.where(this.#hasTag(query.tag));
    const rows = await q.orderBy('c.created_at').orderBy('c.id').offset(query.offset).limit(query.limit).execute();
    const { n } = await q
      .clearSelect()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return { clips: rows.map(toClip), total: Number(n) };
  }

  /** "clip c has this tag" on either engine (tags are a JSON array). */
  #hasTag(tag: string) {
    return this.#engine === 'sqlite'
      ? sql<SqlBool>`EXISTS (SELECT 1 FROM json_each(c.tags) WHERE json_each.value = ${tag})`
      : sql<SqlBool>`EXISTS (SELECT 1 FROM jsonb_array_elements_text(c.tags::jsonb) AS t(tag) WHERE t.tag = ${tag})`;
  }

  /** Clips waiting to be cut, oldest post-roll first; optionally of one call only. */
  async pending(callId?: string): Promise<ClipRecord[]> {
    let q = this.#select().where('c.status', '=', 'pending');
    if (callId) q = q.where('c.call_id', '=', callId);
    return (await q.orderBy('c.ready_at').orderBy('c.id').execute()).map(toClip);
  }

  /** A clip if it is still waiting to be cut. */
  async pendingById(clipId: string): Promise<ClipRecord | undefined> {
    const row = await this.#select().where('c.id', '=', clipId).where('c.status', '=', 'pending').executeTakeFirst();
    return row ? toClip(row) : undefined;
  }

  async markReady(clipId: string, media: { startMs: number; durationMs: number; bytes: number }, at: number): Promise<void> {
    // Whole ms: round the start and the end, not the start and the length, so that a clip cut to
    // the end of its recording ends exactly where the recording does.
    const startMs = Math.round(media.startMs);
    await this.#db
      .updateTable('clips')
      .set({
        status: 'ready',
        start_ms: startMs,
        duration_ms: Math.round(media.startMs + media.durationMs) - startMs,
        bytes: media.bytes,
        ready_at: at,
        updated_at: at,
      })
      .where('id', '=', clipId)
      .execute();
  }

  async markFailed(clipId: string, at: number): Promise<void> {
    await this.#db.updateTable('clips').set({ status: 'failed', updated_at: at }).where('id', '=', clipId).execute();
  }

  async update(
    teamId: string,
    clipId: string,
    patch: { title?: string; note?: string; tags?: string[]; visibility?: ClipVisibility; reviewed?: { by: string; at: number } | null },
    at: number,
  ): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      // "Reviewed" has one record, the clip's; a scorecard is a review, so its clip stays reviewed.
      if (patch.reviewed === null) {
        const card = await trx.selectFrom('scorecards').select('id').where('clip_id', '=', clipId).executeTakeFirst();
        if (card) throw new BullpenError('CONFLICT', 'This clip has a scorecard, so it stays reviewed. Edit the scorecard instead.');
      }
      const res = await trx
        .updateTable('clips')
        .set({
          updated_at: at,
          ...(patch.title !== undefined && { title: patch.title }),
          ...(patch.note !== undefined && { note: patch.note }),
          ...(patch.tags !== undefined && { tags: JSON.stringify(patch.tags) }),
          ...(patch.visibility !== undefined && { visibility: patch.visibility }),
          ...(patch.reviewed !== undefined && { reviewed_at: patch.reviewed?.at ?? null, reviewed_by: patch.reviewed?.by ?? null }),
        })
        .where('id', '=', clipId)
        .where('team_id', '=', teamId)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) === 0) throw new BullpenError('NOT_FOUND', 'This clip was deleted or you cannot see it.');
      await this.#reindex(trx, clipId);
    });
  }

  async delete(teamId: string, clipId: string): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      const clip = await trx.selectFrom('clips').select('id').where('id', '=', clipId).where('team_id', '=', teamId).executeTakeFirst();
      if (!clip) return;
      const comments = await trx.selectFrom('clip_comments').select('id').where('clip_id', '=', clipId).execute();
      await unindexComments(trx, this.#engine, comments.map((c) => c.id));
      await trx.deleteFrom('clip_comments').where('clip_id', '=', clipId).execute();
      await reindexClip(trx, this.#engine, clipId, null);
      await trx.deleteFrom('clips').where('id', '=', clipId).execute();
    });
  }

  #comments(db: Db = this.#db) {
    return db
      .selectFrom('clip_comments as m')
      .innerJoin('users as u', 'u.id', 'm.author_id')
      .select([
        'm.id',
        'm.clip_id as clipId',
        'm.parent_id as parentId',
        'm.author_id as authorId',
        'u.name as authorName',
        'm.at_ms as atMs',
        'm.body',
        'm.created_at as createdAt',
        'm.edited_at as editedAt',
      ]);
  }

  async comments(clipId: string): Promise<CommentRecord[]> {
    return this.#comments().where('m.clip_id', '=', clipId).orderBy('m.at_ms').orderBy('m.created_at').orderBy('m.id').execute();
  }

  /** A comment on a clip of the team, or undefined. */
  async comment(teamId: string, commentId: string): Promise<CommentRecord | undefined> {
    return this.#comments()
      .innerJoin('clips as c', 'c.id', 'm.clip_id')
      .where('m.id', '=', commentId)
      .where('c.team_id', '=', teamId)
      .executeTakeFirst();
  }

  /**
   * Adds a comment and indexes it on its own (the thread is not re-read). Refuses past
   * MAX_COMMENTS_PER_CLIP, counted inside the transaction with the clip's row locked on
   * PostgreSQL, so two comments racing for the last place cannot both take it.
   */
  async addComment(comment: { id: string; clipId: string; parentId: string | null; authorId: string; atMs: number; body: string; at: number }): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      if (this.#engine === 'postgres') await trx.selectFrom('clips').select('id').where('id', '=', comment.clipId).forUpdate().execute();
      const { n } = await trx
        .selectFrom('clip_comments')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('clip_id', '=', comment.clipId)
        .executeTakeFirstOrThrow();
      if (Number(n) >= MAX_COMMENTS_PER_CLIP) {
        throw new BullpenError('CONFLICT', `This clip already has ${MAX_COMMENTS_PER_CLIP} comments, the most one clip can hold. Delete old ones to make room.`);
      }
      await trx
        .insertInto('clip_comments')
        .values({
          id: comment.id,
          clip_id: comment.clipId,
          parent_id: comment.parentId,
          author_id: comment.authorId,
          at_ms: comment.atMs,
          body: comment.body,
          created_at: comment.at,
        })
        .execute();
      await indexComment(trx, this.#engine, comment);
    });
  }

  async editComment(commentId: string, clipId: string, body: string, at: number): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      await trx.updateTable('clip_comments').set({ body, edited_at: at }).where('id', '=', commentId).execute();
      await indexComment(trx, this.#engine, { id: commentId, clipId, body });
    });
  }

  async deleteComment(commentId: string): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      // Replies go with their thread (ON DELETE CASCADE on parent_id), and so do their search rows.
      const gone = await trx
        .selectFrom('clip_comments')
        .select('id')
        .where((eb) => eb.or([eb('id', '=', commentId), eb('parent_id', '=', commentId)]))
        .execute();
      await unindexComments(trx, this.#engine, gone.map((c) => c.id));
      await trx.deleteFrom('clip_comments').where('id', '=', commentId).execute();
    });
  }

  /** The clips of a call the viewer may see, oldest first. */
  async visibleForCall(viewer: Viewer, callId: string): Promise<ClipRecord[]> {
    const rows = await this.#visibleTo(viewer).where('c.call_id', '=', callId).orderBy('c.created_at').orderBy('c.id').limit(500).execute();
    return rows.map(toClip);
  }

  /** How many clips of a call the viewer may see (a recording's count shows no hidden clips). */
  async countVisibleForCall(viewer: Viewer, callId: string): Promise<number> {
    const row = await this.#visibleTo(viewer)
      .clearSelect()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('c.call_id', '=', callId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Rewrites the clip's own search row from its current title, note and tags. */
  async #reindex(trx: Db, clipId: string): Promise<void> {
    const row = await trx.selectFrom('clips').select(['title', 'note', 'tags']).where('id', '=', clipId).executeTakeFirst();
    await reindexClip(trx, this.#engine, clipId, row ? { title: row.title, note: row.note, tags: parseTags(row.tags) } : null);
  }
}

function toClip(row: {
  id: string;
  team_id: string;
  call_id: string;
  call_title: string;
  account: string | null;
  host_id: string;
  host_name: string;
  clipper_id: string;
  clipper_name: string;
  title: string;
  note: string;
  tags: string;
  visibility: string;
  status: string;
  range_kind: 'wall' | 'media';
  range_start: number;
  range_end: number;
  start_ms: number;
  duration_ms: number;
  bytes: number;
  created_at: number;
  ready_at: number;
  comment_count: number | null;
  reviewed_at: number | null;
}): ClipRecord {
  return {
    id: row.id,
    teamId: row.team_id,
    callId: row.call_id,
    callTitle: row.call_title,
    account: row.account,
    hostId: row.host_id,
    hostName: row.host_name,
    clipperId: row.clipper_id,
    clipperName: row.clipper_name,
    title: row.title,
    note: row.note,
    tags: parseTags(row.tags),
    visibility: ClipVisibility.parse(row.visibility),
    status: ClipStatus.parse(row.status),
    rangeKind: row.range_kind,
    rangeStart: row.range_start,
    rangeEnd: row.range_end,
    startMs: row.start_ms,
    durationMs: row.duration_ms,
    bytes: row.bytes,
    createdAt: row.created_at,
    readyAt: row.ready_at,
    commentCount: Number(row.comment_count ?? 0),
    reviewedAt: row.reviewed_at,
  };
}
