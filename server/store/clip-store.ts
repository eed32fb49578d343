import { z } from 'zod';
import { BullpenError, ClipStatus, ClipVisibility, type LibraryQuery } from '../../contract';
import type { Db } from './db';

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

const CLIP_SELECT = `
  SELECT c.*, k.title AS call_title, k.account, k.host_id, h.name AS host_name, u.name AS clipper_name,
    (SELECT COUNT(*) FROM clip_comments m WHERE m.clip_id = c.id) AS comment_count
  FROM clips c
  JOIN calls k ON k.id = c.call_id
  JOIN users h ON h.id = k.host_id
  JOIN users u ON u.id = c.clipper_id`;

/** SQL condition (and its parameters) for "the viewer may see clip c of call k". */
function visibleTo(viewer: Viewer): { sql: string; params: unknown[] } {
  const levels = viewer.privileged ? "('team', 'managers')" : "('team')";
  return {
    sql: `c.team_id = ? AND (c.visibility IN ${levels} OR c.clipper_id = ? OR k.host_id = ?)`,
    params: [viewer.teamId, viewer.userId, viewer.userId],
  };
}

interface ClipRow {
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
  comment_count: number;
  reviewed_at: number | null;
}

function toClip(row: ClipRow): ClipRecord {
  let tags: string[] = [];
  try {
    // JSON columns are parsed too: a damaged row shows no tags rather than breaking the library.
    const parsed = Tags.safeParse(JSON.parse(row.tags));
    if (parsed.success) tags = parsed.data;
  } catch {
    tags = [];
  }
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
    tags,
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
    commentCount: row.comment_count,
    reviewedAt: row.reviewed_at,
  };
}

/**
 * Turns what a person typed into an FTS5 query: every word must match as a prefix. Quotes and
 * operators are stripped, so no input can be an FTS syntax error.
 */
export function ftsQuery(text: string): string | null {
  const words = text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .slice(0, 12);
  return words.length > 0 ? words.map((w) => `"${w}"*`).join(' ') : null;
}

/** Clips, their comments and the full-text index over both. Every query is scoped to a team. */
export class ClipStore {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  insert(clip: {
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
  }): void {
    this.#db.transaction(() => {
      this.#db
        .prepare(
          `INSERT INTO clips (id, team_id, call_id, clipper_id, title, note, tags, visibility, status, range_kind,
             range_start, range_end, created_at, ready_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          clip.id,
          clip.teamId,
          clip.callId,
          clip.clipperId,
          clip.title,
          clip.note,
          JSON.stringify(clip.tags),
          clip.visibility,
          clip.rangeKind,
          clip.rangeStart,
          clip.rangeEnd,
          clip.createdAt,
          clip.readyAt,
          clip.createdAt,
        );
      this.#reindex(clip.id);
    })();
  }

  /** A clip of the team regardless of visibility (for permission checks), or undefined. */
  byId(teamId: string, clipId: string): ClipRecord | undefined {
    const row = this.#db.prepare(`${CLIP_SELECT} WHERE c.id = ? AND c.team_id = ?`).get(clipId, teamId) as ClipRow | undefined;
    return row ? toClip(row) : undefined;
  }

  /** A clip the viewer may see, or undefined (absent and hidden look the same). */
  visible(viewer: Viewer, clipId: string): ClipRecord | undefined {
    const v = visibleTo(viewer);
    const row = this.#db.prepare(`${CLIP_SELECT} WHERE c.id = ? AND ${v.sql}`).get(clipId, ...v.params) as ClipRow | undefined;
    return row ? toClip(row) : undefined;
  }

  /** The library: clips the viewer may see, newest first, filtered. */
  library(viewer: Viewer, query: z.output<typeof LibraryQuery>): ClipRecord[] {
    const v = visibleTo(viewer);
    const where = [v.sql];
    const params: unknown[] = [...v.params];
    if (query.rep) {
      where.push('(k.host_id = ? OR c.clipper_id = ?)');
      params.push(query.rep, query.rep);
    }
    if (query.tag) {
      where.push('EXISTS (SELECT 1 FROM json_each(c.tags) WHERE json_each.value = ?)');
      params.push(query.tag);
    }
    if (query.from !== undefined) {
      where.push('c.created_at >= ?');
      params.push(query.from);
    }
    if (query.to !== undefined) {
      where.push('c.created_at <= ?');
      params.push(query.to);
    }
    if (query.reviewed) where.push(query.reviewed === 'yes' ? 'c.reviewed_at IS NOT NULL' : 'c.reviewed_at IS NULL');
    const match = query.q ? ftsQuery(query.q) : null;
    if (match) {
      where.push('c.id IN (SELECT clip_id FROM clips_fts WHERE clips_fts MATCH ?)');
      params.push(match);
    }
    const rows = this.#db
      .prepare(`${CLIP_SELECT} WHERE ${where.join(' AND ')} ORDER BY c.created_at DESC, c.id LIMIT ?`)
      .all(...params, query.limit) as ClipRow[];
    return rows.map(toClip);
  }

  /** Clips waiting to be cut, oldest post-roll first; optionally of one call only. */
  pending(callId?: string): ClipRecord[] {
    const rows = callId
      ? this.#db.prepare(`${CLIP_SELECT} WHERE c.status = 'pending' AND c.call_id = ? ORDER BY c.ready_at`).all(callId)
      : this.#db.prepare(`${CLIP_SELECT} WHERE c.status = 'pending' ORDER BY c.ready_at`).all();
    return (rows as ClipRow[]).map(toClip);
  }

  /** A clip if it is still waiting to be cut. */
  pendingById(clipId: string): ClipRecord | undefined {
    const row = this.#db.prepare(`${CLIP_SELECT} WHERE c.id = ? AND c.status = 'pending'`).get(clipId) as ClipRow | undefined;
    return row ? toClip(row) : undefined;
  }

  markReady(clipId: string, media: { startMs: number; durationMs: number; bytes: number }, at: number): void {
    this.#db
      .prepare("UPDATE clips SET status = 'ready', start_ms = ?, duration_ms = ?, bytes = ?, ready_at = ?, updated_at = ? WHERE id = ?")
      .run(Math.round(media.startMs), Math.round(media.durationMs), media.bytes, at, at, clipId);
  }

  markFailed(clipId: string, at: number): void {
    this.#db.prepare("UPDATE clips SET status = 'failed', updated_at = ? WHERE id = ?").run(at, clipId);
  }

  update(
    teamId: string,
    clipId: string,
    patch: { title?: string; note?: string; tags?: string[]; visibility?: ClipVisibility; reviewed?: { by: string; at: number } | null },
    at: number,
  ): void {
    const sets: string[] = ['updated_at = ?'];
    const params: unknown[] = [at];
    const set = (column: string, value: unknown) => {
      sets.push(`${column} = ?`);
      params.push(value);
    };
    if (patch.title !== undefined) set('title', patch.title);
    if (patch.note !== undefined) set('note', patch.note);
    if (patch.tags !== undefined) set('tags', JSON.stringify(patch.tags));
    if (patch.visibility !== undefined) set('visibility', patch.visibility);
    if (patch.reviewed !== undefined) {
      sets.push('reviewed_at = ?', 'reviewed_by = ?');
      params.push(patch.reviewed?.at ?? null, patch.reviewed?.by ?? null);
    }
    this.#db.transaction(() => {
      const res = this.#db.prepare(`UPDATE clips SET ${sets.join(', ')} WHERE id = ? AND team_id = ?`).run(...params, clipId, teamId);
      if (res.changes === 0) throw new BullpenError('NOT_FOUND', 'This clip was deleted or you cannot see it.');
      this.#reindex(clipId);
    })();
  }

  delete(teamId: string, clipId: string): void {
    this.#db.transaction(() => {
      this.#db.prepare('DELETE FROM clip_comments WHERE clip_id = ?').run(clipId);
      this.#db.prepare('DELETE FROM clips_fts WHERE clip_id = ?').run(clipId);
      this.#db.prepare('DELETE FROM clips WHERE id = ? AND team_id = ?').run(clipId, teamId);
    })();
  }

  comments(clipId: string): CommentRecord[] {
    const rows = this.#db
      .prepare(
        `SELECT m.id, m.clip_id, m.parent_id, m.author_id, u.name AS author_name, m.at_ms, m.body, m.created_at, m.edited_at
         FROM clip_comments m JOIN users u ON u.id = m.author_id WHERE m.clip_id = ? ORDER BY m.at_ms, m.created_at`,
      )
      .all(clipId) as {
      id: string;
      clip_id: string;
      parent_id: string | null;
      author_id: string;
      author_name: string;
      at_ms: number;
      body: string;
      created_at: number;
      edited_at: number | null;
    }[];
    return rows.map((r) => ({
      id: r.id,
      clipId: r.clip_id,
      parentId: r.parent_id,
      authorId: r.author_id,
      authorName: r.author_name,
      atMs: r.at_ms,
      body: r.body,
      createdAt: r.created_at,
      editedAt: r.edited_at,
    }));
  }

  /** A comment and the team of its clip, or undefined. */
  comment(teamId: string, commentId: string): CommentRecord | undefined {
    const row = this.#db
      .prepare('SELECT m.clip_id FROM clip_comments m JOIN clips c ON c.id = m.clip_id WHERE m.id = ? AND c.team_id = ?')
      .get(commentId, teamId) as { clip_id: string } | undefined;
    return row ? this.comments(row.clip_id).find((c) => c.id === commentId) : undefined;
  }

  addComment(comment: { id: string; clipId: string; parentId: string | null; authorId: string; atMs: number; body: string; at: number }): void {
    this.#db.transaction(() => {
      this.#db
        .prepare(
          'INSERT INTO clip_comments (id, clip_id, parent_id, author_id, at_ms, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        )
        .run(comment.id, comment.clipId, comment.parentId, comment.authorId, comment.atMs, comment.body, comment.at);
      this.#reindex(comment.clipId);
    })();
  }

  editComment(commentId: string, clipId: string, body: string, at: number): void {
    this.#db.transaction(() => {
      this.#db.prepare('UPDATE clip_comments SET body = ?, edited_at = ? WHERE id = ?').run(body, at, commentId);
      this.#reindex(clipId);
    })();
  }

  deleteComment(commentId: string, clipId: string): void {
    this.#db.transaction(() => {
      // Replies go with their thread (ON DELETE CASCADE on parent_id).
      this.#db.prepare('DELETE FROM clip_comments WHERE id = ?').run(commentId);
      this.#reindex(clipId);
    })();
  }

  /** Clip ids of a call (to delete their files with the call's data, or count them). */
  countForCall(callId: string): number {
    return (this.#db.prepare('SELECT COUNT(*) AS n FROM clips WHERE call_id = ?').get(callId) as { n: number }).n;
  }

  /** Rewrites the clip's full-text row from its current title, note, tags and comments. */
  #reindex(clipId: string): void {
    this.#db.prepare('DELETE FROM clips_fts WHERE clip_id = ?').run(clipId);
    const row = this.#db.prepare('SELECT title, note, tags FROM clips WHERE id = ?').get(clipId) as
      | { title: string; note: string; tags: string }
      | undefined;
    if (!row) return;
    const comments = (this.#db.prepare('SELECT body FROM clip_comments WHERE clip_id = ?').all(clipId) as { body: string }[])
      .map((c) => c.body)
      .join('\n');
    let tags = '';
    try {
      const parsed = Tags.safeParse(JSON.parse(row.tags));
      tags = parsed.success ? parsed.data.join(' ') : '';
    } catch {
      tags = '';
    }
    this.#db
      .prepare('INSERT INTO clips_fts (clip_id, title, note, tags, comments) VALUES (?, ?, ?, ?, ?)')
      .run(clipId, row.title, row.note, tags, comments);
  }
}
