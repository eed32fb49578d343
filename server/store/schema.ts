import type { ColumnType, Generated } from 'kysely';

/**
 * The typed tables of the store, one interface per table, used by every query through Kysely.
 * Times are milliseconds since the epoch (BIGINT on PostgreSQL, read back as numbers).
 */
export interface Database {
  teams: TeamsTable;
  users: UsersTable;
  sessions: SessionsTable;
  invites: InvitesTable;
  mentorships: MentorshipsTable;
  calls: CallsTable;
  listens: ListensTable;
  recordings: RecordingsTable;
  recording_segments: RecordingSegmentsTable;
  clips: ClipsTable;
  clip_comments: ClipCommentsTable;
  /** SQLite: an FTS5 virtual table; PostgreSQL: a tsvector per clip (see migrations 002, 004). */
  clips_fts: ClipsFtsTable;
  /** One search row per comment, as clips_fts (migration 004). */
  comments_fts: CommentsFtsTable;
  talk_tracks: TalkTracksTable;
  talk_track_versions: TalkTrackVersionsTable;
  talk_track_examples: TalkTrackExamplesTable;
  /** SQLite: FTS5; PostgreSQL: a tsvector per track (migration 006, talk-track-search.ts). */
  talk_tracks_fts: TalkTracksFtsTable;
  /** Silent questions (migration 005). */
  questions: QuestionsTable;
  /** Manager reviews of clips (migration 007). */
  scorecards: ScorecardsTable;
  /** Explicit follow choices (migration 008); mentees follow their mentors unless a row says 0. */
  follows: FollowsTable;
  notifications: NotificationsTable;
  notification_settings: NotificationSettingsTable;
  /** Onboarding paths, their steps, who they are assigned to and stored progress (migration 009). */
  onboarding_paths: OnboardingPathsTable;
  onboarding_steps: OnboardingStepsTable;
  onboarding_assignments: OnboardingAssignmentsTable;
  onboarding_progress: OnboardingProgressTable;
  /** Admin-issued password reset links (migration 012). */
  password_resets: PasswordResetsTable;
  /** The team's audit log (migration 012). */
  audit_events: AuditEventsTable;
}

export interface TeamsTable {
  id: string;
  name: string;
  created_at: number;
  recording_retention_days: Generated<number>;
  /** 1 when reps may write talk tracks (migration 006). */
  reps_write_talk_tracks: Generated<number>;
  /** JSON array of the review rubric's skills; null: the default rubric (migration 007). */
  review_rubric: ColumnType<string | null, string | null | undefined, string | null>;
  /** Days audit rows are kept (migration 012). */
  audit_retention_days: Generated<number>;
  /** 1 when managers and admins may join every call whatever its host chose (migration 011). */
  managers_always_join: Generated<number>;
}

export interface UsersTable {
  id: string;
  team_id: string;
  name: string;
  email: string;
  password_hash: string;
  role: string;
  created_at: number;
  /** Set while an admin has deactivated the member (migration 012). */
  deactivated_at: ColumnType<number | null, number | null | undefined, number | null>;
  /** Set once the member was deleted: name and email are gone, the row stays for what cites it. */
  deleted_at: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  token_hash: string;
  user_agent: string;
  created_at: number;
  last_seen_at: number;
  revoked_at: number | null;
  /** Why the server revoked it (migration 012): 'deactivated' or 'password-reset'; null otherwise. */
  revoked_reason: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface InvitesTable {
  id: string;
  team_id: string;
  code: string;
  role: string;
  created_by: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  used_by: string | null;
  revoked_at: number | null;
}

export interface MentorshipsTable {
  team_id: string;
  mentor_id: string;
  mentee_id: string;
  created_at: number;
}

export interface CallsTable {
  id: string;
  team_id: string;
  host_id: string;
  title: string;
  account: string | null;
  policy: string;
  started_at: number;
  ended_at: number | null;
  end_reason: string | null;
  recording_consent_by: string | null;
  recording_consent_at: number | null;
  /** 'after-call' | 'live' (migration 005). */
  questions_mode: Generated<string>;
  /** 0 | 1 (migration 005). */
  whispers_allowed: Generated<number>;
  /** contract `CallKind`, 'other' by default (migration 009). */
  kind: Generated<string>;
  /** 0 | 1: the host let managers join (migration 011). */
  managers_may_join: Generated<number>;
}

export interface ListensTable {
  id: string;
  call_id: string;
  user_id: string;
  joined_at: number;
  left_at: number | null;
}

export interface RecordingsTable {
  call_id: string;
  team_id: string;
  state: 'recording' | 'kept' | 'discarded' | 'expired';
  started_at: number;
  ended_at: number | null;
  duration_ms: Generated<number>;
  bytes: Generated<number>;
  expires_at: number | null;
  deleted_at: number | null;
  /** Object storage: the token of whoever writes the live recording now (migration 014). */
  writer: ColumnType<string | null, string | null | undefined, string | null>;
}

/** Uploaded segments of a recording in object storage (migration 014, segment-store.ts). */
export interface RecordingSegmentsTable {
  call_id: string;
  seq: number;
  object_key: string;
  writer: string;
  start_offset: number;
  bytes: number;
  serial: number;
  last_page_seq: number;
  granule: number;
  wall_end: number;
  index_lines: string;
  final: number;
  uploaded_at: number;
}

export interface ClipsTable {
  id: string;
  team_id: string;
  call_id: string;
  clipper_id: string;
  title: Generated<string>;
  note: Generated<string>;
  /** JSON array of tags, parsed on read. */
  tags: Generated<string>;
  visibility: string;
  status: string;
  range_kind: 'wall' | 'media';
  range_start: number;
  range_end: number;
  start_ms: Generated<number>;
  duration_ms: Generated<number>;
  bytes: Generated<number>;
  created_at: number;
  ready_at: number;
  updated_at: number;
  reviewed_at: number | null;
  reviewed_by: string | null;
}

export interface ClipCommentsTable {
  id: string;
  clip_id: string;
  parent_id: string | null;
  author_id: string;
  at_ms: number;
  body: string;
  created_at: number;
  edited_at: number | null;
  /** SQLite: the rowid of the comment's comments_fts row (PostgreSQL keys that table by comment id). */
  search_rowid: ColumnType<number | null, number | null | undefined, number | null>;
}

/** Columns of both engines' search tables; each engine uses its own (see clip-search.ts). */
export interface ClipsFtsTable {
  clip_id: string;
  // SQLite FTS5 columns.
  title: ColumnType<string, string | undefined, never>;
  note: ColumnType<string, string | undefined, never>;
  tags: ColumnType<string, string | undefined, never>;
  // PostgreSQL: the clip's lexemes.
  document: ColumnType<unknown, unknown, never>;
}

/** Columns of both engines' comment search tables. */
export interface CommentsFtsTable {
  // SQLite FTS5 (rowid kept in clip_comments.search_rowid).
  clip_id: string;
  body: ColumnType<string, string | undefined, never>;
  // PostgreSQL: keyed by comment, its lexemes.
  comment_id: ColumnType<string, string | undefined, never>;
  document: ColumnType<unknown, unknown, never>;
}

/** A talk track and its latest version's content (migration 006). */
export interface TalkTracksTable {
  id: string;
  team_id: string;
  author_id: string;
  version: number;
  title: string;
  situation: string;
  what_to_say: string;
  why_it_works: string;
  /** JSON array of tags, parsed on read. */
  tags: string;
  created_at: number;
  updated_at: number;
  updated_by: string;
}

/** Every saved version of a track, whole. */
export interface TalkTrackVersionsTable {
  track_id: string;
  version: number;
  author_id: string;
  created_at: number;
  restored_from: number | null;
  title: string;
  situation: string;
  what_to_say: string;
  why_it_works: string;
  tags: string;
  /** JSON array of `{ clipId, atMs, caption }`, parsed on read. */
  examples: string;
}

/** The latest version's example clips (no foreign key to clips: deleted ones stay cited). */
export interface TalkTrackExamplesTable {
  track_id: string;
  position: number;
  clip_id: string;
  at_ms: number;
  caption: string;
}

/** Columns of both engines' talk track search tables. */
export interface TalkTracksFtsTable {
  track_id: string;
  // SQLite FTS5 columns.
  title: ColumnType<string, string | undefined, never>;
  situation: ColumnType<string, string | undefined, never>;
  bodies: ColumnType<string, string | undefined, never>;
  tags: ColumnType<string, string | undefined, never>;
  // PostgreSQL: the track's lexemes.
  document: ColumnType<unknown, unknown, never>;
}

export interface QuestionsTable {
  id: string;
  team_id: string;
  call_id: string;
  asker_id: string;
  body: string;
  /** Ms since the call started, as the asker heard it. */
  at_ms: number;
  anonymous: number;
  share_with_managers: number;
  status: Generated<string>;
  answer: string | null;
  answered_at: number | null;
  created_at: number;
}

export interface ScorecardsTable {
  id: string;
  team_id: string;
  clip_id: string;
  /** The reviewed rep: the host of the clip's call. */
  rep_id: string;
  reviewer_id: string;
  /** JSON array of {skill, score, note}, parsed on read. */
  scores: string;
  summary: string;
  next_steps: Generated<string>;
  created_at: number;
  updated_at: number;
}

export interface FollowsTable {
  team_id: string;
  follower_id: string;
  followee_id: string;
  /** 1 follows, 0 unfollowed (kept, so a default from mentorship does not come back). */
  following: number;
  updated_at: number;
}

export interface NotificationsTable {
  id: string;
  team_id: string;
  user_id: string;
  kind: string;
  /** JSON of the kind's payload, parsed on read. */
  payload: string;
  actor_id: string | null;
  /** 1 when created while the recipient hosted a call (no pop-up). */
  quiet: Generated<number>;
  created_at: number;
  read_at: number | null;
}

export interface NotificationSettingsTable {
  user_id: string;
  kind: string;
  enabled: number;
}

export interface OnboardingPathsTable {
  id: string;
  team_id: string;
  name: string;
  description: string;
  created_by: string;
  created_at: number;
  updated_at: number;
}

/** A path's steps; an edit that drops or changes a step marks its row removed (progress on it stops counting). */
export interface OnboardingStepsTable {
  id: string;
  path_id: string;
  position: number;
  /** contract `StepKind`. */
  kind: string;
  /** JSON of the kind's settings (clip id, track id, count and call kind, task text), parsed on read. */
  config: string;
  created_at: number;
  removed_at: number | null;
}

export interface OnboardingAssignmentsTable {
  id: string;
  team_id: string;
  path_id: string;
  user_id: string;
  assigned_by: string;
  start_at: number;
  due_at: number;
  created_at: number;
}

/** What an assignee did on a stored step (clip, talk track, task); shadow steps are computed from listens. */
export interface OnboardingProgressTable {
  assignment_id: string;
  step_id: string;
  opened_at: number | null;
  done_at: number | null;
  /** JSON array of [startSec, endSec] the player reported as played (clip steps), parsed on read. */
  played: string | null;
  /** When the first playback report for this step arrived (the plausibility clock). */
  first_report_at: number | null;
}

export interface PasswordResetsTable {
  id: string;
  team_id: string;
  user_id: string;
  token_hash: string;
  created_by: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  voided_at: number | null;
}

export interface AuditEventsTable {
  id: string;
  team_id: string;
  at: number;
  kind: string;
  actor_id: string | null;
  actor_name: string | null;
  subject_id: string | null;
  subject_name: string | null;
  target_id: string | null;
  target_label: string | null;
  detail: Generated<string>;
}
