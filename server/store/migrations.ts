import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { searchWords } from './clip-search';
import type { Engine } from './db';

/**
 * Numbered schema migrations, written once for both engines with Kysely's schema builder;
 * engine-specific parts (SQLite FTS5 vs a PostgreSQL tsvector) branch inside a step. Never
 * edit a released step: append a new one. Names sort in order; Kysely's migration table
 * records the applied ones (SQLite stores made before it are adopted in db.ts).
 */
type Step = { name: string; up(db: Kysely<unknown>, engine: Engine): Promise<void> };

const ROLES = sql`('rep', 'mentor', 'manager', 'admin')`;
// As contract/notifications.ts `NotificationKind` when 008 was written (a later kind needs a step).
const NOTIFICATION_KINDS = sql`('call-live', 'question-answered', 'clip-reviewed', 'clip-commented', 'clip-sent')`;
// As contract/notifications.ts `NotificationKind` when 009 was written.
const NOTIFICATION_KINDS_009 = sql`('call-live', 'question-answered', 'clip-reviewed', 'clip-commented', 'clip-sent', 'path-assigned', 'onboarding-nudge')`;
// As contract/calls.ts `CallKind` and contract/onboarding.ts `StepKind` when 009 was written.
const CALL_KINDS = sql`('discovery', 'demo', 'follow-up', 'negotiation', 'renewal', 'other')`;
const STEP_KINDS = sql`('clip', 'talk-track', 'shadow', 'host-with-mentor', 'task')`;

export const migrations: Step[] = [
  {
    name: '001-teams-users-sessions-invites-calls',
    async up(db) {
      await db.schema
        .createTable('teams')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull().check(sql`role IN ${ROLES}`))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('users_team').on('users').column('team_id').execute();
      await db.schema
        .createTable('sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('user_agent', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
        .addColumn('revoked_at', 'bigint')
        .execute();
      await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();
      await db.schema
        .createTable('invites')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id'))
        .addColumn('code', 'text', (c) => c.notNull().unique())
        .addColumn('role', 'text', (c) => c.notNull().check(sql`role IN ${ROLES}`))
        .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('used_at', 'bigint')
        .addColumn('used_by', 'text', (c) => c.references('users.id'))
        .addColumn('revoked_at', 'bigint')
        .execute();
      await db.schema.createIndex('invites_team').on('invites').column('team_id').execute();
      await db.schema
        .createTable('mentorships')
        .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id'))
        .addColumn('mentor_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('mentee_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('mentorships_pk', ['mentor_id', 'mentee_id'])
        .addCheckConstraint('mentorships_not_self', sql`mentor_id <> mentee_id`)
        .execute();
      await db.schema.createIndex('mentorships_mentee').on('mentorships').column('mentee_id').execute();
      await db.schema
        .createTable('calls')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id'))
        .addColumn('host_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('account', 'text')
        .addColumn('policy', 'text', (c) => c.notNull().check(sql`policy IN ('team', 'mentees-and-managers', 'managers')`))
        .addColumn('started_at', 'bigint', (c) => c.notNull())
        .addColumn('ended_at', 'bigint')
        .addColumn('end_reason', 'text')
        .execute();
      await db.schema.createIndex('calls_team').on('calls').columns(['team_id', 'started_at']).execute();
      await db.schema
        .createTable('listens')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('call_id', 'text', (c) => c.notNull().references('calls.id'))
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('joined_at', 'bigint', (c) => c.notNull())
        .addColumn('left_at', 'bigint')
        .execute();
      await db.schema.createIndex('listens_call').on('listens').column('call_id').execute();
      await db.schema.createIndex('listens_user').on('listens').columns(['user_id', 'joined_at']).execute();
    },
  },
  {
    name: '002-recording-clips-comments-library-search',
    async up(db, engine) {
      // SQLite takes one column per ALTER TABLE.
      await db.schema
        .alterTable('teams')
        .addColumn('recording_retention_days', 'integer', (c) =>
          c.notNull().defaultTo(30).check(sql`recording_retention_days BETWEEN 1 AND 3650`),
        )
        .execute();
      // Recording consent lives with the call: who confirmed the customer was told, and when.
      await db.schema.alterTable('calls').addColumn('recording_consent_by', 'text', (c) => c.references('users.id')).execute();
      await db.schema.alterTable('calls').addColumn('recording_consent_at', 'bigint').execute();
      await db.schema
        .createTable('recordings')
        .addColumn('call_id', 'text', (c) => c.primaryKey().references('calls.id'))
        .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id'))
        .addColumn('state', 'text', (c) => c.notNull().check(sql`state IN ('recording', 'kept', 'discarded', 'expired')`))
        .addColumn('started_at', 'bigint', (c) => c.notNull())
        .addColumn('ended_at', 'bigint')
        .addColumn('duration_ms', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('bytes', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('expires_at', 'bigint')
        .addColumn('deleted_at', 'bigint')
        .execute();
      await db.schema.createIndex('recordings_team').on('recordings').columns(['team_id', 'state']).execute();
      await db.schema.createIndex('recordings_expiry').on('recordings').columns(['state', 'expires_at']).execute();
      await db.schema
        .createTable('clips')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id'))
        .addColumn('call_id', 'text', (c) => c.notNull().references('calls.id'))
        .addColumn('clipper_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('title', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
        // JSON array of tags, parsed on read.
        .addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('visibility', 'text', (c) => c.notNull().check(sql`visibility IN ('team', 'managers', 'private')`))
        .addColumn('status', 'text', (c) => c.notNull().check(sql`status IN ('pending', 'ready', 'failed')`))
        // Requested range: wall-clock (live marks) or media ms of the recording (from a kept recording).
        .addColumn('range_kind', 'text', (c) => c.notNull().check(sql`range_kind IN ('wall', 'media')`))
        .addColumn('range_start', 'bigint', (c) => c.notNull())
        .addColumn('range_end', 'bigint', (c) => c.notNull())
        .addColumn('start_ms', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('duration_ms', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('bytes', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('ready_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('reviewed_at', 'bigint')
        .addColumn('reviewed_by', 'text', (c) => c.references('users.id'))
        .execute();
      await db.schema.createIndex('clips_team').on('clips').columns(['team_id', 'created_at']).execute();
      await db.schema.createIndex('clips_call').on('clips').column('call_id').execute();
      await db.schema.createIndex('clips_pending').on('clips').column('status').where(sql.ref('status'), '=', 'pending').execute();
      await db.schema
        .createTable('clip_comments')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('clip_id', 'text', (c) => c.notNull().references('clips.id').onDelete('cascade'))
        .addColumn('parent_id', 'text', (c) => c.references('clip_comments.id').onDelete('cascade'))
        .addColumn('author_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('at_ms', 'bigint', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('edited_at', 'bigint')
        .execute();
      await db.schema.createIndex('clip_comments_clip').on('clip_comments').columns(['clip_id', 'at_ms']).execute();
      // Full-text search over a clip's title, note, tags and comments; one row per clip, kept in
      // step by the clip store. Each engine uses its own index (see clip-search.ts).
      if (engine === 'sqlite') {
        await sql`CREATE VIRTUAL TABLE clips_fts USING fts5(
          clip_id UNINDEXED, title, note, tags, comments,
          tokenize = 'unicode61 remove_diacritics 2'
        )`.execute(db);
      } else {
        await db.schema
          .createTable('clips_fts')
          .addColumn('clip_id', 'text', (c) => c.primaryKey().references('clips.id').onDelete('cascade'))
          .addColumn('document', sql`tsvector`, (c) => c.notNull())
          .execute();
        await db.schema.createIndex('clips_fts_document').on('clips_fts').using('gin').column('document').execute();
      }
    },
  },
  {
    name: '004-comment-search-rows',
    async up(db, engine) {
      // Each comment becomes a search row of its own: writing a comment used to rewrite the
      // clip's row from its whole thread (the 416th comment took 10× the 10th). The clip's row
      // keeps its title, note and tags.
      await db.schema.alterTable('clip_comments').addColumn('search_rowid', 'bigint').execute();
      const clips = (await sql<{ id: string; title: string; note: string; tags: string }>`SELECT id, title, note, tags FROM clips`.execute(db)).rows;
      if (engine === 'sqlite') {
        await sql`CREATE VIRTUAL TABLE comments_fts USING fts5(
          clip_id UNINDEXED, body,
          tokenize = 'unicode61 remove_diacritics 2'
        )`.execute(db);
        // The comments' rowids now become their search rows' rowids, remembered in the comment
        // (FTS5 keeps its rowids; the plain table's may change in a VACUUM).
        await sql`INSERT INTO comments_fts (rowid, clip_id, body) SELECT rowid, clip_id, body FROM clip_comments`.execute(db);
        await sql`UPDATE clip_comments SET search_rowid = rowid`.execute(db);
        await sql`DROP TABLE clips_fts`.execute(db);
        await sql`CREATE VIRTUAL TABLE clips_fts USING fts5(
          clip_id UNINDEXED, title, note, tags,
          tokenize = 'unicode61 remove_diacritics 2'
        )`.execute(db);
        for (const clip of clips) {
          await sql`INSERT INTO clips_fts (clip_id, title, note, tags) VALUES (${clip.id}, ${clip.title}, ${clip.note}, ${tagWords(clip.tags)})`.execute(db);
        }
        return;
      }
      await db.schema
        .createTable('comments_fts')
        .addColumn('comment_id', 'text', (c) => c.primaryKey().references('clip_comments.id').onDelete('cascade'))
        .addColumn('clip_id', 'text', (c) => c.notNull().references('clips.id').onDelete('cascade'))
        .addColumn('document', sql`tsvector`, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('comments_fts_document').on('comments_fts').using('gin').column('document').execute();
      await db.schema.createIndex('comments_fts_clip').on('comments_fts').column('clip_id').execute();
      const lexemes = (text: string) => sql`array_to_tsvector(${[...new Set(searchWords(text))]}::text[])`;
      const comments = (await sql<{ id: string; clip_id: string; body: string }>`SELECT id, clip_id, body FROM clip_comments`.execute(db)).rows;
      for (const m of comments) {
        await sql`INSERT INTO comments_fts (comment_id, clip_id, document) VALUES (${m.id}, ${m.clip_id}, ${lexemes(m.body)})`.execute(db);
      }
      for (const clip of clips) {
        await sql`UPDATE clips_fts SET document = ${lexemes([clip.title, clip.note, tagWords(clip.tags)].join('\n'))} WHERE clip_id = ${clip.id}`.execute(db);
      }
    },
  },
  {
    name: '005-questions-whispers',
    async up(db) {
      // The host's go-live choices, kept with the call: the queue shows a call's questions while
      // it is live only when they were live. Whispers themselves are never stored.
      await db.schema
        .alterTable('calls')
        .addColumn('questions_mode', 'text', (c) => c.notNull().defaultTo('after-call').check(sql`questions_mode IN ('after-call', 'live')`))
        .execute();
      await db.schema
        .alterTable('calls')
        .addColumn('whispers_allowed', 'integer', (c) => c.notNull().defaultTo(0).check(sql`whispers_allowed IN (0, 1)`))
        .execute();
      await db.schema
        .createTable('questions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id'))
        .addColumn('call_id', 'text', (c) => c.notNull().references('calls.id'))
        .addColumn('asker_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('body', 'text', (c) => c.notNull())
        // Ms since the call started, as the asker heard it.
        .addColumn('at_ms', 'bigint', (c) => c.notNull().check(sql`at_ms >= 0`))
        .addColumn('anonymous', 'integer', (c) => c.notNull().check(sql`anonymous IN (0, 1)`))
        .addColumn('share_with_managers', 'integer', (c) => c.notNull().check(sql`share_with_managers IN (0, 1)`))
        .addColumn('status', 'text', (c) => c.notNull().defaultTo('open').check(sql`status IN ('open', 'answered', 'dismissed')`))
        .addColumn('answer', 'text')
        .addColumn('answered_at', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('questions_call').on('questions').columns(['call_id', 'at_ms']).execute();
      await db.schema.createIndex('questions_asker').on('questions').columns(['asker_id', 'created_at']).execute();
      await db.schema.createIndex('questions_team_status').on('questions').columns(['team_id', 'status']).execute();
    },
  },
  {
    name: '006-talk-tracks',
    async up(db, engine) {
      // The admin's switch letting reps write talk tracks (0/1: both engines read it the same way).
      await db.schema
        .alterTable('teams')
        .addColumn('reps_write_talk_tracks', 'integer', (c) => c.notNull().defaultTo(0).check(sql`reps_write_talk_tracks IN (0, 1)`))
        .execute();
      // A track's row holds its latest version (what lists, search and citations read).
      await db.schema
        .createTable('talk_tracks')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id'))
        .addColumn('author_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('version', 'integer', (c) => c.notNull().check(sql`version >= 1`))
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('situation', 'text', (c) => c.notNull())
        .addColumn('what_to_say', 'text', (c) => c.notNull())
        .addColumn('why_it_works', 'text', (c) => c.notNull())
        // JSON array of tags, parsed on read.
        .addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull().references('users.id'))
        .execute();
      await db.schema.createIndex('talk_tracks_team').on('talk_tracks').columns(['team_id', 'updated_at']).execute();
      // Every saved version, whole (examples as JSON), so any can be shown, compared or restored.
      await db.schema
        .createTable('talk_track_versions')
        .addColumn('track_id', 'text', (c) => c.notNull().references('talk_tracks.id').onDelete('cascade'))
        .addColumn('version', 'integer', (c) => c.notNull().check(sql`version >= 1`))
        .addColumn('author_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('restored_from', 'integer')
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('situation', 'text', (c) => c.notNull())
        .addColumn('what_to_say', 'text', (c) => c.notNull())
        .addColumn('why_it_works', 'text', (c) => c.notNull())
        .addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('examples', 'text', (c) => c.notNull().defaultTo('[]'))
        .addPrimaryKeyConstraint('talk_track_versions_pk', ['track_id', 'version'])
        .execute();
      // The latest version's example clips, one row each, so a clip finds the tracks citing it.
      // No foreign key to clips: a deleted clip stays cited and shows as unavailable.
      await db.schema
        .createTable('talk_track_examples')
        .addColumn('track_id', 'text', (c) => c.notNull().references('talk_tracks.id').onDelete('cascade'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('clip_id', 'text', (c) => c.notNull())
        .addColumn('at_ms', 'bigint', (c) => c.notNull())
        .addColumn('caption', 'text', (c) => c.notNull().defaultTo(''))
        .addPrimaryKeyConstraint('talk_track_examples_pk', ['track_id', 'position'])
        .execute();
      await db.schema.createIndex('talk_track_examples_clip').on('talk_track_examples').column('clip_id').execute();
      // Full-text search over title, situation, bodies and tags, as the library's (clip-search.ts).
      if (engine === 'sqlite') {
        await sql`CREATE VIRTUAL TABLE talk_tracks_fts USING fts5(
          track_id UNINDEXED, title, situation, bodies, tags,
          tokenize = 'unicode61 remove_diacritics 2'
        )`.execute(db);
        return;
      }
      await db.schema
        .createTable('talk_tracks_fts')
        .addColumn('track_id', 'text', (c) => c.primaryKey().references('talk_tracks.id').onDelete('cascade'))
        .addColumn('document', sql`tsvector`, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('talk_tracks_fts_document').on('talk_tracks_fts').using('gin').column('document').execute();
    },
  },
  {
    name: '007-scorecards',
    async up(db) {
      // The team's rubric as a JSON array of skill names; NULL means the default rubric.
      await db.schema.alterTable('teams').addColumn('review_rubric', 'text').execute();
      // One scorecard per clip. It keeps the skills it was scored on (JSON
      // [{skill, score, note}]), so a later rubric change rewrites no past scorecard. The clip's
      // reviewed_at/reviewed_by stay the one record of "reviewed".
      await db.schema
        .createTable('scorecards')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id'))
        .addColumn('clip_id', 'text', (c) => c.notNull().unique().references('clips.id').onDelete('cascade'))
        .addColumn('rep_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('reviewer_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('scores', 'text', (c) => c.notNull())
        .addColumn('summary', 'text', (c) => c.notNull())
        .addColumn('next_steps', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('scorecards_rep').on('scorecards').columns(['team_id', 'rep_id', 'created_at']).execute();
    },
  },
  {
    name: '008-follows-notifications',
    async up(db) {
      // One row per explicit choice: `following` 1 = follows, 0 = unfollowed. A mentee with no
      // row follows their mentors by default (derived from mentorships), so an unfollow is a row
      // that stays put whatever mentorships are assigned later.
      await db.schema
        .createTable('follows')
        .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id'))
        .addColumn('follower_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('followee_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('following', 'integer', (c) => c.notNull().check(sql`following IN (0, 1)`))
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('follows_pk', ['follower_id', 'followee_id'])
        .addCheckConstraint('follows_not_self', sql`follower_id <> followee_id`)
        .execute();
      await db.schema.createIndex('follows_followee').on('follows').columns(['followee_id', 'following']).execute();
      await db.schema
        .createTable('notifications')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id'))
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind IN ${NOTIFICATION_KINDS}`))
        // JSON, parsed with the kind's schema on read.
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'text', (c) => c.references('users.id'))
        .addColumn('quiet', 'integer', (c) => c.notNull().defaultTo(0).check(sql`quiet IN (0, 1)`))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('read_at', 'bigint')
        .execute();
      await db.schema.createIndex('notifications_user_created').on('notifications').columns(['user_id', 'created_at']).execute();
      await db.schema
        .createTable('notification_settings')
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind IN ${NOTIFICATION_KINDS}`))
        .addColumn('enabled', 'integer', (c) => c.notNull().check(sql`enabled IN (0, 1)`))
        .addPrimaryKeyConstraint('notification_settings_pk', ['user_id', 'kind'])
        .execute();
    },
  },
  {
    name: '009-onboarding-paths',
    async up(db, engine) {
      // The kind of call a host picks at go-live; calls from before are 'other'.
      await db.schema
        .alterTable('calls')
        .addColumn('kind', 'text', (c) => c.notNull().defaultTo('other').check(sql`kind IN ${CALL_KINDS}`))
        .execute();
      await db.schema
        .createTable('onboarding_paths')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
        // Null once its author is deleted: the path stays with the team.
        .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('onboarding_paths_team').on('onboarding_paths').column('team_id').execute();
      // Steps are never rewritten in place: an edit that drops or changes a step marks it removed
      // and adds a new one, so progress stays tied to exactly what was asked.
      await db.schema
        .createTable('onboarding_steps')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('path_id', 'text', (c) => c.notNull().references('onboarding_paths.id').onDelete('cascade'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind IN ${STEP_KINDS}`))
        .addColumn('config', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('removed_at', 'bigint')
        .execute();
      await db.schema.createIndex('onboarding_steps_path').on('onboarding_steps').columns(['path_id', 'position']).execute();
      await db.schema
        .createTable('onboarding_assignments')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id'))
        .addColumn('path_id', 'text', (c) => c.notNull().references('onboarding_paths.id').onDelete('cascade'))
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('assigned_by', 'text', (c) => c.references('users.id').onDelete('set null'))
        .addColumn('start_at', 'bigint', (c) => c.notNull())
        .addColumn('due_at', 'bigint', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addUniqueConstraint('onboarding_assignments_path_user', ['path_id', 'user_id'])
        .addCheckConstraint('onboarding_assignments_dates', sql`due_at > start_at`)
        .execute();
      await db.schema.createIndex('onboarding_assignments_user').on('onboarding_assignments').columns(['team_id', 'user_id']).execute();
      await db.schema
        .createTable('onboarding_progress')
        .addColumn('assignment_id', 'text', (c) => c.notNull().references('onboarding_assignments.id').onDelete('cascade'))
        .addColumn('step_id', 'text', (c) => c.notNull().references('onboarding_steps.id').onDelete('cascade'))
        .addColumn('opened_at', 'bigint')
        .addColumn('done_at', 'bigint')
        .addColumn('played', 'text')
        .addColumn('first_report_at', 'bigint')
        .addPrimaryKeyConstraint('onboarding_progress_pk', ['assignment_id', 'step_id'])
        .execute();
      await widenNotificationKinds(db, engine);
    },
  },
  {
    name: '011-host-controls',
    async up(db) {
      // "Managers can always join calls": on (1) keeps today's rule for every existing team;
      // off lets a host keep managers and admins out of a call.
      await db.schema
        .alterTable('teams')
        .addColumn('managers_always_join', 'integer', (c) => c.notNull().defaultTo(1).check(sql`managers_always_join IN (0, 1)`))
        .execute();
      // The host's go-live choice, kept with the call's history (1: managers could join).
      await db.schema
        .alterTable('calls')
        .addColumn('managers_may_join', 'integer', (c) => c.notNull().defaultTo(1).check(sql`managers_may_join IN (0, 1)`))
        .execute();
    },
  },
  {
    name: '012-people-audit',
    async up(db) {
      // A deactivated member keeps their row (their clips, comments and talk tracks stay with
      // their name) but cannot sign in; a deleted one also loses name and email (see PeopleStore).
      await db.schema.alterTable('users').addColumn('deactivated_at', 'bigint').execute();
      await db.schema.alterTable('users').addColumn('deleted_at', 'bigint').execute();
      // Why the server revoked a session ('deactivated', 'password-reset'), so its next request is told.
      await db.schema.alterTable('sessions').addColumn('revoked_reason', 'text').execute();
      await db.schema
        .alterTable('teams')
        .addColumn('audit_retention_days', 'integer', (c) =>
          c.notNull().defaultTo(365).check(sql`audit_retention_days BETWEEN 1 AND 3650`),
        )
        .execute();
      // Admin-issued reset links: only the token's SHA-256 is kept, like sessions.
      await db.schema
        .createTable('password_resets')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id'))
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('used_at', 'bigint')
        // Set when a newer link replaces this one, or the member is deactivated.
        .addColumn('voided_at', 'bigint')
        .execute();
      await db.schema.createIndex('password_resets_user').on('password_resets').columns(['user_id', 'created_at']).execute();
      // The audit log. No foreign keys to users: names are copied in, so a row outlives its
      // people; kind has no CHECK so a later kind needs no migration (rows are parsed on read).
      await db.schema
        .createTable('audit_events')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id'))
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'text')
        .addColumn('actor_name', 'text')
        .addColumn('subject_id', 'text')
        .addColumn('subject_name', 'text')
        .addColumn('target_id', 'text')
        .addColumn('target_label', 'text')
        .addColumn('detail', 'text', (c) => c.notNull().defaultTo(''))
        .execute();
      await db.schema.createIndex('audit_events_team_at').on('audit_events').columns(['team_id', 'at']).execute();
      await db.schema.createIndex('audit_events_team_kind_at').on('audit_events').columns(['team_id', 'kind', 'at']).execute();
    },
  },
  {
    name: '014-recording-segments',
    async up(db) {
      // Object storage: who writes a live recording now (a random token per writer; another node
      // that continues the recording takes it over atomically, so a writer presumed dead that
      // still uploads is refused).
      await db.schema.alterTable('recordings').addColumn('writer', 'text').execute();
      // The uploaded segments of a recording, in order: their byte concatenation is the whole
      // Ogg file. Kept in SQL, not listed from the bucket: the primary key makes two writers of
      // the same segment number impossible, and a reader gets offsets, Ogg positions and the
      // wall-clock index without a request per object.
      await db.schema
        .createTable('recording_segments')
        .addColumn('call_id', 'text', (c) => c.notNull().references('recordings.call_id'))
        .addColumn('seq', 'integer', (c) => c.notNull().check(sql`seq >= 0`))
        .addColumn('object_key', 'text', (c) => c.notNull().unique())
        .addColumn('writer', 'text', (c) => c.notNull())
        .addColumn('start_offset', 'bigint', (c) => c.notNull().check(sql`start_offset >= 0`))
        .addColumn('bytes', 'integer', (c) => c.notNull().check(sql`bytes > 0`))
        .addColumn('serial', 'bigint', (c) => c.notNull())
        .addColumn('last_page_seq', 'bigint', (c) => c.notNull())
        .addColumn('granule', 'bigint', (c) => c.notNull())
        // Wall-clock ms at which the segment's audio ends (where a continuing writer's silence starts).
        .addColumn('wall_end', 'bigint', (c) => c.notNull())
        // The recording index lines (recording-index.ts) of the pages in this segment.
        .addColumn('index_lines', 'text', (c) => c.notNull().defaultTo(''))
        // 1: the segment ends the stream (EOS page); nothing may follow it.
        .addColumn('final', 'integer', (c) => c.notNull().defaultTo(0).check(sql`final IN (0, 1)`))
        .addColumn('uploaded_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('recording_segments_pk', ['call_id', 'seq'])
        .execute();
    },
  },
];

/**
 * Lets notifications and their settings hold the kinds 009 adds. PostgreSQL replaces the column
 * checks (named `<table>_kind_check` by default); SQLite cannot alter a check, so each table is
 * rebuilt under the new one and its rows copied (nothing references either table).
 */
async function widenNotificationKinds(db: Kysely<unknown>, engine: Engine): Promise<void> {
  if (engine === 'postgres') {
    for (const table of ['notifications', 'notification_settings']) {
      await sql`ALTER TABLE ${sql.table(table)} DROP CONSTRAINT ${sql.ref(`${table}_kind_check`)}`.execute(db);
      await sql`ALTER TABLE ${sql.table(table)} ADD CONSTRAINT ${sql.ref(`${table}_kind_check`)} CHECK (kind IN ${NOTIFICATION_KINDS_009})`.execute(db);
    }
    return;
  }
  await db.schema
    .createTable('notifications_009')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind IN ${NOTIFICATION_KINDS_009}`))
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.references('users.id'))
    .addColumn('quiet', 'integer', (c) => c.notNull().defaultTo(0).check(sql`quiet IN (0, 1)`))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('read_at', 'bigint')
    .execute();
  await sql`INSERT INTO notifications_009 (id, team_id, user_id, kind, payload, actor_id, quiet, created_at, read_at)
    SELECT id, team_id, user_id, kind, payload, actor_id, quiet, created_at, read_at FROM notifications`.execute(db);
  await db.schema.dropTable('notifications').execute();
  await db.schema.alterTable('notifications_009').renameTo('notifications').execute();
  await db.schema.createIndex('notifications_user_created').on('notifications').columns(['user_id', 'created_at']).execute();
  await db.schema
    .createTable('notification_settings_009')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind IN ${NOTIFICATION_KINDS_009}`))
    .addColumn('enabled', 'integer', (c) => c.notNull().check(sql`enabled IN (0, 1)`))
    .addPrimaryKeyConstraint('notification_settings_pk', ['user_id', 'kind'])
    .execute();
  await sql`INSERT INTO notification_settings_009 (user_id, kind, enabled) SELECT user_id, kind, enabled FROM notification_settings`.execute(db);
  await db.schema.dropTable('notification_settings').execute();
  await db.schema.alterTable('notification_settings_009').renameTo('notification_settings').execute();
}

/** A clip's JSON tags as the words its search row holds (a damaged value holds none). */
function tagWords(json: string): string {
  try {
    const tags: unknown = JSON.parse(json);
    return Array.isArray(tags) && tags.every((t) => typeof t === 'string') ? tags.join(' ') : '';
  } catch {
    return '';
  }
}

/** Kysely's provider for the steps above on one engine. */
export function migrationProvider(engine: Engine, upTo = migrations.length): MigrationProvider {
  return {
    getMigrations: () =>
      Promise.resolve(
        Object.fromEntries(
          migrations.slice(0, upTo).map((step): [string, Migration] => [step.name, { up: (db) => step.up(db, engine) }]),
        ),
      ),
  };
}
