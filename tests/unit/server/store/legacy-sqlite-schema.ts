/**
 * The SQLite schema exactly as Bullpen created it before the store moved to Kysely: raw SQL
 * steps, the version kept in `PRAGMA user_version`. Tests build such a database and check the
 * new store adopts it. A fixture: never change it.
 */
export const legacySqliteMigrations: { name: string; sql: string }[] = [
  {
    name: '001-teams-users-sessions-invites-calls',
    sql: `
      CREATE TABLE teams (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        team_id TEXT NOT NULL REFERENCES teams(id),
        name TEXT NOT NULL,
        email TEXT NOT NULL UNIQUE,
        password_hash TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('rep', 'mentor', 'manager', 'admin')),
        created_at INTEGER NOT NULL
      );
      CREATE INDEX users_team ON users(team_id);
      CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id),
        token_hash TEXT NOT NULL UNIQUE,
        user_agent TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        last_seen_at INTEGER NOT NULL,
        revoked_at INTEGER
      );
      CREATE INDEX sessions_user ON sessions(user_id);
      CREATE TABLE invites (
        id TEXT PRIMARY KEY,
        team_id TEXT NOT NULL REFERENCES teams(id),
        code TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL CHECK (role IN ('rep', 'mentor', 'manager', 'admin')),
        created_by TEXT NOT NULL REFERENCES users(id),
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        used_at INTEGER,
        used_by TEXT REFERENCES users(id),
        revoked_at INTEGER
      );
      CREATE INDEX invites_team ON invites(team_id);
      CREATE TABLE mentorships (
        team_id TEXT NOT NULL REFERENCES teams(id),
        mentor_id TEXT NOT NULL REFERENCES users(id),
        mentee_id TEXT NOT NULL REFERENCES users(id),
        created_at INTEGER NOT NULL,
        PRIMARY KEY (mentor_id, mentee_id),
        CHECK (mentor_id <> mentee_id)
      );
      CREATE INDEX mentorships_mentee ON mentorships(mentee_id);
      CREATE TABLE calls (
        id TEXT PRIMARY KEY,
        team_id TEXT NOT NULL REFERENCES teams(id),
        host_id TEXT NOT NULL REFERENCES users(id),
        title TEXT NOT NULL,
        account TEXT,
        policy TEXT NOT NULL CHECK (policy IN ('team', 'mentees-and-managers', 'managers')),
        started_at INTEGER NOT NULL,
        ended_at INTEGER,
        end_reason TEXT
      );
      CREATE INDEX calls_team ON calls(team_id, started_at);
      CREATE TABLE listens (
        id TEXT PRIMARY KEY,
        call_id TEXT NOT NULL REFERENCES calls(id),
        user_id TEXT NOT NULL REFERENCES users(id),
        joined_at INTEGER NOT NULL,
        left_at INTEGER
      );
      CREATE INDEX listens_call ON listens(call_id);
      CREATE INDEX listens_user ON listens(user_id, joined_at);
    `,
  },
  {
    name: '002-recording-clips-comments-library-search',
    sql: `
      ALTER TABLE teams ADD COLUMN recording_retention_days INTEGER NOT NULL DEFAULT 30
        CHECK (recording_retention_days BETWEEN 1 AND 3650);
      -- Recording consent lives with the call: who confirmed the customer was told, and when.
      ALTER TABLE calls ADD COLUMN recording_consent_by TEXT REFERENCES users(id);
      ALTER TABLE calls ADD COLUMN recording_consent_at INTEGER;
      CREATE TABLE recordings (
        call_id TEXT PRIMARY KEY REFERENCES calls(id),
        team_id TEXT NOT NULL REFERENCES teams(id),
        state TEXT NOT NULL CHECK (state IN ('recording', 'kept', 'discarded', 'expired')),
        started_at INTEGER NOT NULL,
        ended_at INTEGER,
        duration_ms INTEGER NOT NULL DEFAULT 0,
        bytes INTEGER NOT NULL DEFAULT 0,
        expires_at INTEGER,
        deleted_at INTEGER
      );
      CREATE INDEX recordings_team ON recordings(team_id, state);
      CREATE INDEX recordings_expiry ON recordings(state, expires_at);
      CREATE TABLE clips (
        id TEXT PRIMARY KEY,
        team_id TEXT NOT NULL REFERENCES teams(id),
        call_id TEXT NOT NULL REFERENCES calls(id),
        clipper_id TEXT NOT NULL REFERENCES users(id),
        title TEXT NOT NULL DEFAULT '',
        note TEXT NOT NULL DEFAULT '',
        -- JSON array of tags, parsed on read.
        tags TEXT NOT NULL DEFAULT '[]',
        visibility TEXT NOT NULL CHECK (visibility IN ('team', 'managers', 'private')),
        status TEXT NOT NULL CHECK (status IN ('pending', 'ready', 'failed')),
        -- Requested range: wall-clock (live marks) or media ms of the recording (from a kept recording).
        range_kind TEXT NOT NULL CHECK (range_kind IN ('wall', 'media')),
        range_start INTEGER NOT NULL,
        range_end INTEGER NOT NULL,
        start_ms INTEGER NOT NULL DEFAULT 0,
        duration_ms INTEGER NOT NULL DEFAULT 0,
        bytes INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        ready_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        reviewed_at INTEGER,
        reviewed_by TEXT REFERENCES users(id)
      );
      CREATE INDEX clips_team ON clips(team_id, created_at);
      CREATE INDEX clips_call ON clips(call_id);
      CREATE INDEX clips_pending ON clips(status) WHERE status = 'pending';
      CREATE TABLE clip_comments (
        id TEXT PRIMARY KEY,
        clip_id TEXT NOT NULL REFERENCES clips(id) ON DELETE CASCADE,
        parent_id TEXT REFERENCES clip_comments(id) ON DELETE CASCADE,
        author_id TEXT NOT NULL REFERENCES users(id),
        at_ms INTEGER NOT NULL,
        body TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        edited_at INTEGER
      );
      CREATE INDEX clip_comments_clip ON clip_comments(clip_id, at_ms);
      -- Full-text search over a clip's title, note, tags and comments; one row per clip, kept
      -- in step by the clip store.
      CREATE VIRTUAL TABLE clips_fts USING fts5(
        clip_id UNINDEXED, title, note, tags, comments,
        tokenize = 'unicode61 remove_diacritics 2'
      );
    `,
  },
];
