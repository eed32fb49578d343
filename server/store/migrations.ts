/**
 * Numbered schema migrations. Never edit a released one: append a new step.
 * Version N is `migrations[N - 1]`; `PRAGMA user_version` records the applied version.
 */
export const migrations: { name: string; sql: string }[] = [
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
];
