import { sql, type Expression, type SqlBool } from 'kysely';
import type { Db, Engine } from './db';

/**
 * Library full-text search on each engine's own index, with one meaning: every word typed must
 * match a word of the clip's title, note, tags or comments as a prefix, case- and accent-
 * insensitively. Quotes and operators are dropped, so no input is a syntax error.
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

/** Turns what a person typed into an FTS5 query: every word must match as a prefix. */
export function ftsQuery(text: string): string | null {
  const words = searchWords(text, 12);
  return words.length > 0 ? words.map((w) => `"${w}"*`).join(' ') : null;
}

/** The same as a PostgreSQL tsquery over the lexemes written by `reindexClip`. */
export function tsQuery(text: string): string | null {
  const words = searchWords(text, 12);
  return words.length > 0 ? words.map((w) => `'${w}':*`).join(' & ') : null;
}

/** SQL condition "clip `c` matches `text`", or null when nothing searchable was typed. */
export function matchesSearch(engine: Engine, text: string): Expression<SqlBool> | null {
  if (engine === 'sqlite') {
    const match = ftsQuery(text);
    return match ? sql<SqlBool>`c.id IN (SELECT clip_id FROM clips_fts WHERE clips_fts MATCH ${match})` : null;
  }
  const query = tsQuery(text);
  return query ? sql<SqlBool>`c.id IN (SELECT clip_id FROM clips_fts WHERE document @@ ${query}::tsquery)` : null;
}

/** Rewrites a clip's search row from its title, note, tags and comment bodies. */
export async function reindexClip(
  db: Db,
  engine: Engine,
  clipId: string,
  doc: { title: string; note: string; tags: string[]; comments: string[] } | null,
): Promise<void> {
  if (engine === 'sqlite') {
    await db.deleteFrom('clips_fts').where('clip_id', '=', clipId).execute();
    if (!doc) return;
    await db
      .insertInto('clips_fts')
      .values({ clip_id: clipId, title: doc.title, note: doc.note, tags: doc.tags.join(' '), comments: doc.comments.join('\n') })
      .execute();
    return;
  }
  if (!doc) {
    await db.deleteFrom('clips_fts').where('clip_id', '=', clipId).execute();
    return;
  }
  // The lexemes are exactly the words the search splits queries into, so both sides agree.
  const words = [...new Set(searchWords([doc.title, doc.note, ...doc.tags, ...doc.comments].join('\n')))];
  await sql`INSERT INTO clips_fts (clip_id, document) VALUES (${clipId}, array_to_tsvector(${words}::text[]))
    ON CONFLICT (clip_id) DO UPDATE SET document = excluded.document`.execute(db);
}
