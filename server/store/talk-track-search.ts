import { sql, type Expression, type SqlBool } from 'kysely';
import { searchWords } from './clip-search';
import type { Db, Engine } from './db';

/**
 * Talk track full-text search, with the library's meaning (clip-search.ts): every word typed
 * must match a word of the track's title, situation, bodies or tags as a prefix, case- and
 * accent-insensitively; quotes and operators are dropped, so no input is a syntax error. One
 * search row per track, holding its latest version.
 */

const MAX_QUERY_WORDS = 12;

/** What a track's search row is made of. */
export interface TalkTrackDocument {
  title: string;
  situation: string;
  whatToSay: string;
  whyItWorks: string;
  tags: string[];
}

/** SQL condition "track `t` matches `text`", or null when nothing searchable was typed. */
export function talkTrackMatches(engine: Engine, text: string): Expression<SqlBool> | null {
  const words = searchWords(text, MAX_QUERY_WORDS);
  if (words.length === 0) return null;
  const conditions = words.map((word) =>
    engine === 'sqlite'
      ? sql<SqlBool>`t.id IN (SELECT track_id FROM talk_tracks_fts WHERE talk_tracks_fts MATCH ${`"${word}"*`})`
      : sql<SqlBool>`t.id IN (SELECT track_id FROM talk_tracks_fts WHERE document @@ ${`'${word}':*`}::tsquery)`,
  );
  return sql<SqlBool>`(${sql.join(conditions, sql` AND `)})`;
}

/** Rewrites a track's search row (null removes it). */
export async function reindexTalkTrack(db: Db, engine: Engine, trackId: string, doc: TalkTrackDocument | null): Promise<void> {
  if (engine === 'sqlite') {
    await db.deleteFrom('talk_tracks_fts').where('track_id', '=', trackId).execute();
    if (!doc) return;
    await db
      .insertInto('talk_tracks_fts')
      .values({ track_id: trackId, title: doc.title, situation: doc.situation, bodies: `${doc.whatToSay}\n${doc.whyItWorks}`, tags: doc.tags.join(' ') })
      .execute();
    return;
  }
  if (!doc) {
    await db.deleteFrom('talk_tracks_fts').where('track_id', '=', trackId).execute();
    return;
  }
  const words = [...new Set(searchWords([doc.title, doc.situation, doc.whatToSay, doc.whyItWorks, ...doc.tags].join('\n')))];
  await sql`INSERT INTO talk_tracks_fts (track_id, document) VALUES (${trackId}, array_to_tsvector(${words}::text[]))
    ON CONFLICT (track_id) DO UPDATE SET document = excluded.document`.execute(db);
}
