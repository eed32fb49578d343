import { sql, type Expression, type SqlBool } from 'kysely';
import type { Db, Engine } from './db';

/**
 * Library full-text search on each engine's own index, with one meaning: every word typed must
 * match a word of the clip's title, note, tags or comments as a prefix, case- and accent-
 * insensitively. Quotes and operators are dropped, so no input is a syntax error. A clip's own
 * fields are one search row; each comment is a row of its own (migration 004), so writing a
 * comment never re-reads the thread.
 */

/** The words of `text` as the search sees them (at most `limit`). */
export function searchWords(text: string, limit = Infinity): string[] {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .slice(0, limit);
}

/** The words typed, as many as a search uses (more would only slow it down). */
const MAX_QUERY_WORDS = 12;

/** SQL condition "clip `c` matches `text`", or null when nothing searchable was typed. */
export function matchesSearch(engine: Engine, text: string): Expression<SqlBool> | null {
  const words = searchWords(text, MAX_QUERY_WORDS);
  if (words.length === 0) return null;
  // A clip's words live in two indexes (its own row, one row per comment): each word typed must
  // match one of them, as it did when comments were part of the clip's row.
  const conditions = words.map((word) =>
    engine === 'sqlite'
      ? sql<SqlBool>`(c.id IN (SELECT clip_id FROM clips_fts WHERE clips_fts MATCH ${`"${word}"*`})
          OR c.id IN (SELECT clip_id FROM comments_fts WHERE comments_fts MATCH ${`"${word}"*`}))`
      : sql<SqlBool>`(c.id IN (SELECT clip_id FROM clips_fts WHERE document @@ ${`'${word}':*`}::tsquery)
          OR c.id IN (SELECT clip_id FROM comments_fts WHERE document @@ ${`'${word}':*`}::tsquery))`,
  );
  return sql<SqlBool>`(${sql.join(conditions, sql` AND `)})`;
}

/** A PostgreSQL tsvector of exactly the words the search splits queries into, so both sides agree. */
function lexemes(text: string) {
  return sql`array_to_tsvector(${[...new Set(searchWords(text))]}::text[])`;
}

/** Rewrites a clip's own search row from its title, note and tags (comments have rows of their own). */
export async function reindexClip(db: Db, engine: Engine, clipId: string, doc: { title: string; note: string; tags: string[] } | null): Promise<void> {
  if (engine === 'sqlite') {
    await db.deleteFrom('clips_fts').where('clip_id', '=', clipId).execute();
    if (!doc) return;
    await db.insertInto('clips_fts').values({ clip_id: clipId, title: doc.title, note: doc.note, tags: doc.tags.join(' ') }).execute();
    return;
  }
  if (!doc) {
    await db.deleteFrom('clips_fts').where('clip_id', '=', clipId).execute();
    return;
  }
  await sql`INSERT INTO clips_fts (clip_id, document) VALUES (${clipId}, ${lexemes([doc.title, doc.note, ...doc.tags].join('\n'))})
    ON CONFLICT (clip_id) DO UPDATE SET document = excluded.document`.execute(db);
}

/**
 * Indexes one comment (new or edited) on its own: the cost does not depend on how many comments
 * the clip has. On SQLite the FTS5 row's rowid is kept in `clip_comments.search_rowid` (FTS5
 * rowids are stable; a plain table's implicit rowid is not across VACUUM).
 */
export async function indexComment(db: Db, engine: Engine, comment: { id: string; clipId: string; body: string }): Promise<void> {
  if (engine === 'sqlite') {
    await unindexComments(db, engine, [comment.id]);
    const row = await db.insertInto('comments_fts').values({ clip_id: comment.clipId, body: comment.body }).executeTakeFirstOrThrow();
    await db.updateTable('clip_comments').set({ search_rowid: Number(row.insertId) }).where('id', '=', comment.id).execute();
    return;
  }
  await sql`INSERT INTO comments_fts (comment_id, clip_id, document) VALUES (${comment.id}, ${comment.clipId}, ${lexemes(comment.body)})
    ON CONFLICT (comment_id) DO UPDATE SET document = excluded.document`.execute(db);
}

/** Removes comments' search rows (call before deleting the comments themselves). */
export async function unindexComments(db: Db, engine: Engine, commentIds: string[]): Promise<void> {
  if (commentIds.length === 0) return;
  if (engine === 'sqlite') {
    await sql`DELETE FROM comments_fts WHERE rowid IN (
      SELECT search_rowid FROM clip_comments WHERE id IN (${sql.join(commentIds)}) AND search_rowid IS NOT NULL)`.execute(db);
    return;
  }
  await db.deleteFrom('comments_fts').where('comment_id', 'in', commentIds).execute();
}
