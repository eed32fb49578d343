import { z } from 'zod';
import {
  Email,
  Id,
  InviteSchema,
  MemberSchema,
  Password,
  PersonName,
  Role,
  SessionInfoSchema,
  TeamName,
  TeamSchema,
  UserSchema,
} from './team';
import {
  AddCommentBody,
  ClipComment,
  ClipFromRecordingBody,
  ClipSummary,
  EditCommentBody,
  LibraryQuery,
  RecordingSummary,
  TeamSettings,
  TeamUsage,
  UpdateClipBody,
} from './clips';
import {
  AddTalkTrackExampleBody,
  CreateTalkTrackBody,
  RestoreTalkTrackBody,
  TalkTrackReply,
  TalkTracksQuery,
  TalkTracksReply,
  TalkTrackVersionParams,
  TalkTrackVersionReply,
  TalkTrackVersionsReply,
  UpdateTalkTrackBody,
} from './talk-tracks';
import { AnswerQuestionBody, DebriefReply, QuestionReply, QuestionsReply } from './questions';
import {
  ClipScorecardReply,
  ReviewQueueQuery,
  ReviewQueueReply,
  RubricReply,
  ScorecardBody,
  ScorecardReply,
  ScorecardsQuery,
  ScorecardsReply,
  UpdateRubricBody,
} from './reviews';
import {
  AssignBody,
  AssignmentReply,
  AssignmentStepParams,
  AssignmentsReply,
  NudgeBody,
  PathBody,
  PathDetailReply,
  PathReply,
  PathsReply,
  PlaybackBody,
  StepActionBody,
} from './onboarding';
import {
  FollowsReply,
  NotificationSettingsReply,
  NotificationsReply,
  SendClipBody,
  SendClipReply,
  UpdateNotificationSettingsBody,
} from './notifications';
import { MetricsQuery, MetricsReply } from './metrics';
import {
  CheckPasswordResetBody,
  CompletePasswordResetBody,
  CompletePasswordResetReply,
  DeleteMemberBody,
  DeleteMemberReply,
  PasswordResetIssuedReply,
  PasswordResetState,
  RenameTeamBody,
  TeamReply,
} from './people';
import { AuditExportReply, AuditPageReply, AuditQuery, AuditSettings, AuditSettingsReply } from './audit';

/**
 * REST contract. Every body is JSON; every reply is a `Result` envelope
 * (`{ ok: true, value }` or `{ ok: false, error: { code, message } }`) with a matching
 * HTTP status. Authenticated routes take `Authorization: Bearer <token>`.
 */
export const MAX_JSON_BODY_BYTES = 64 * 1024;

export const SetupStatusReply = z.object({ needsSetup: z.boolean() });
export type SetupStatusReply = z.infer<typeof SetupStatusReply>;

export const SetupBody = z.object({ teamName: TeamName, name: PersonName, email: Email, password: Password });
export type SetupBody = z.infer<typeof SetupBody>;

export const SignupBody = z.object({
  inviteCode: z.string().trim().min(1, 'is required').max(64),
  name: PersonName,
  email: Email,
  password: Password,
});
export type SignupBody = z.infer<typeof SignupBody>;

export const LoginBody = z.object({ email: Email, password: z.string().min(1, 'is required').max(256) });
export type LoginBody = z.infer<typeof LoginBody>;

export const AuthReply = z.object({ token: z.string(), user: UserSchema, team: TeamSchema });
export type AuthReply = z.infer<typeof AuthReply>;

/**
 * The UNAUTHENTICATED message for a session past its idle time or lifetime; the app shows it
 * on the sign-in screen, where a revoked session gets the generic "session has ended".
 */
export const SESSION_EXPIRED_MESSAGE = 'Your session expired. Sign in again to continue.';

export const MeReply = z.object({ user: UserSchema, team: TeamSchema });
export type MeReply = z.infer<typeof MeReply>;

export const InvitePreviewReply = z.object({ teamName: z.string(), role: Role });
export type InvitePreviewReply = z.infer<typeof InvitePreviewReply>;

export const CreateInviteBody = z.object({
  role: Role,
  expiresInDays: z.number().int().min(1).max(90).default(7),
});
export type CreateInviteBody = z.input<typeof CreateInviteBody>;

export const InviteReply = z.object({ invite: InviteSchema });
export const InvitesReply = z.object({ invites: z.array(InviteSchema) });
export const SessionsReply = z.object({ sessions: z.array(SessionInfoSchema) });
export const MembersReply = z.object({ members: z.array(MemberSchema) });
export const MemberReply = z.object({ member: MemberSchema });

export const UpdateMemberBody = z.object({ role: Role });
export type UpdateMemberBody = z.infer<typeof UpdateMemberBody>;

export const SetMenteesBody = z.object({ menteeIds: z.array(Id).max(200) });
export type SetMenteesBody = z.infer<typeof SetMenteesBody>;

export const EmptyReply = z.object({});

export const ClipsReply = z.object({ clips: z.array(ClipSummary) });
export const ClipReply = z.object({ clip: ClipSummary });
export const ClipDetailReply = z.object({ clip: ClipSummary, comments: z.array(ClipComment) });
export const CommentReply = z.object({ comment: ClipComment });
export const RecordingsReply = z.object({ recordings: z.array(RecordingSummary) });
export const RecordingReply = z.object({ recording: RecordingSummary });
export const TeamSettingsReply = z.object({ settings: TeamSettings });
export const UpdateTeamSettingsBody = TeamSettings.partial();
export const TeamUsageReply = z.object({ usage: TeamUsage });

/** Path parameters of routes addressed by one id (`/api/clips/:id`). */
export const IdParams = z.object({ id: Id });
/** Path parameters of the invite preview: the human-typed code, checked by the store. */
export const InviteCodeParams = z.object({ code: z.string().trim().min(1, 'is required').max(64) });

/** Largest audio file the server will stream (a clip is at most ten minutes of Opus). */
export const MAX_AUDIO_BYTES = 512 * 1024 * 1024;

/**
 * Route table: method, path (with `:param`s), the schemas of its path parameters, query, body
 * and reply. The server declares its routes from this table, so a route's input is validated
 * and typed by the same schemas the clients use.
 */
export const routes = {
  setupStatus: { method: 'GET', path: '/api/setup', reply: SetupStatusReply },
  setup: { method: 'POST', path: '/api/setup', body: SetupBody, reply: AuthReply },
  invitePreview: { method: 'GET', path: '/api/invites/:code/preview', params: InviteCodeParams, reply: InvitePreviewReply },
  signup: { method: 'POST', path: '/api/auth/signup', body: SignupBody, reply: AuthReply },
  login: { method: 'POST', path: '/api/auth/login', body: LoginBody, reply: AuthReply },
  logout: { method: 'POST', path: '/api/auth/logout', reply: EmptyReply },
  me: { method: 'GET', path: '/api/me', reply: MeReply },
  sessions: { method: 'GET', path: '/api/sessions', reply: SessionsReply },
  revokeSession: { method: 'DELETE', path: '/api/sessions/:id', params: IdParams, reply: EmptyReply },
  invites: { method: 'GET', path: '/api/invites', reply: InvitesReply },
  createInvite: { method: 'POST', path: '/api/invites', body: CreateInviteBody, reply: InviteReply },
  revokeInvite: { method: 'DELETE', path: '/api/invites/:id', params: IdParams, reply: EmptyReply },
  members: { method: 'GET', path: '/api/members', reply: MembersReply },
  updateMember: { method: 'PATCH', path: '/api/members/:id', params: IdParams, body: UpdateMemberBody, reply: MemberReply },
  setMentees: { method: 'PUT', path: '/api/members/:id/mentees', params: IdParams, body: SetMenteesBody, reply: MemberReply },
  teamSettings: { method: 'GET', path: '/api/team/settings', reply: TeamSettingsReply },
  updateTeamSettings: { method: 'PATCH', path: '/api/team/settings', body: UpdateTeamSettingsBody, reply: TeamSettingsReply },
  /** Admins: the team's audio on disk and today's clip budget. */
  teamUsage: { method: 'GET', path: '/api/team/usage', reply: TeamUsageReply },
  /** The library: every clip the caller may see, newest first, filtered by the query string. */
  clips: { method: 'GET', path: '/api/clips', query: LibraryQuery, reply: ClipsReply },
  clip: { method: 'GET', path: '/api/clips/:id', params: IdParams, reply: ClipDetailReply },
  updateClip: { method: 'PATCH', path: '/api/clips/:id', params: IdParams, body: UpdateClipBody, reply: ClipReply },
  deleteClip: { method: 'DELETE', path: '/api/clips/:id', params: IdParams, reply: EmptyReply },
  addComment: { method: 'POST', path: '/api/clips/:id/comments', params: IdParams, body: AddCommentBody, reply: CommentReply },
  editComment: { method: 'PATCH', path: '/api/comments/:id', params: IdParams, body: EditCommentBody, reply: CommentReply },
  deleteComment: { method: 'DELETE', path: '/api/comments/:id', params: IdParams, reply: EmptyReply },
  /** Kept recordings of ended calls the caller may clip from, newest first. */
  recordings: { method: 'GET', path: '/api/recordings', reply: RecordingsReply },
  recording: { method: 'GET', path: '/api/recordings/:id', params: IdParams, reply: RecordingReply },
  clipFromRecording: { method: 'POST', path: '/api/recordings/:id/clips', params: IdParams, body: ClipFromRecordingBody, reply: ClipReply },
  /** The host (or a manager) discards a call's full recording; its clips stay. */
  discardRecording: { method: 'DELETE', path: '/api/recordings/:id', params: IdParams, reply: EmptyReply },
  /** Talk tracks: the team's, latest edit first, filtered by full-text search and tag. */
  talkTracks: { method: 'GET', path: '/api/talk-tracks', query: TalkTracksQuery, reply: TalkTracksReply },
  createTalkTrack: { method: 'POST', path: '/api/talk-tracks', body: CreateTalkTrackBody, reply: TalkTrackReply },
  talkTrack: { method: 'GET', path: '/api/talk-tracks/:id', params: IdParams, reply: TalkTrackReply },
  /** Saves a new version; CONFLICT when `baseVersion` is no longer the latest. */
  updateTalkTrack: { method: 'PUT', path: '/api/talk-tracks/:id', params: IdParams, body: UpdateTalkTrackBody, reply: TalkTrackReply },
  deleteTalkTrack: { method: 'DELETE', path: '/api/talk-tracks/:id', params: IdParams, reply: EmptyReply },
  talkTrackVersions: { method: 'GET', path: '/api/talk-tracks/:id/versions', params: IdParams, reply: TalkTrackVersionsReply },
  talkTrackVersion: { method: 'GET', path: '/api/talk-tracks/:id/versions/:version', params: TalkTrackVersionParams, reply: TalkTrackVersionReply },
  /** Saves an old version's content as a new version. */
  restoreTalkTrackVersion: {
    method: 'POST',
    path: '/api/talk-tracks/:id/versions/:version/restore',
    params: TalkTrackVersionParams,
    body: RestoreTalkTrackBody,
    reply: TalkTrackReply,
  },
  /** "Add to talk track" from a clip: a new version with one more example. */
  addTalkTrackExample: { method: 'POST', path: '/api/talk-tracks/:id/examples', params: IdParams, body: AddTalkTrackExampleBody, reply: TalkTrackReply },
  /** The talk tracks citing a clip the caller may see. */
  clipTalkTracks: { method: 'GET', path: '/api/clips/:id/talk-tracks', params: IdParams, reply: TalkTracksReply },
  /** The host's queue: open questions of their ended calls (and live ones whose questions are live). */
  questionQueue: { method: 'GET', path: '/api/questions/queue', reply: QuestionsReply },
  /** The caller's own questions with their answers, newest first. */
  myQuestions: { method: 'GET', path: '/api/questions/mine', reply: QuestionsReply },
  /** The debrief of an ended call: the host's, or a manager's view of the shared questions. */
  debrief: { method: 'GET', path: '/api/calls/:id/debrief', params: IdParams, reply: DebriefReply },
  /** The host answers (or re-answers) a question of their call. */
  answerQuestion: { method: 'POST', path: '/api/questions/:id/answer', params: IdParams, body: AnswerQuestionBody, reply: QuestionReply },
  /** The host dismisses an open question of their call. */
  dismissQuestion: { method: 'POST', path: '/api/questions/:id/dismiss', params: IdParams, reply: QuestionReply },
  /** The team's review rubric (everyone reads it; admins change it). */
  rubric: { method: 'GET', path: '/api/reviews/rubric', reply: RubricReply },
  updateRubric: { method: 'PUT', path: '/api/reviews/rubric', body: UpdateRubricBody, reply: RubricReply },
  /** Managers: clips not yet reviewed, oldest first, a page at a time. */
  reviewQueue: { method: 'GET', path: '/api/reviews/queue', query: ReviewQueueQuery, reply: ReviewQueueReply },
  /** A clip's scorecard, for its rep and managers only. */
  clipScorecard: { method: 'GET', path: '/api/clips/:id/scorecard', params: IdParams, reply: ClipScorecardReply },
  /** A manager reviews a clip with a scorecard (marks it reviewed). */
  submitScorecard: { method: 'POST', path: '/api/clips/:id/scorecard', params: IdParams, body: ScorecardBody, reply: ScorecardReply },
  /** Its reviewer edits a scorecard. */
  editScorecard: { method: 'PUT', path: '/api/scorecards/:id', params: IdParams, body: ScorecardBody, reply: ScorecardReply },
  /** A rep's scorecards over time (one's own; managers any rep's). */
  scorecards: { method: 'GET', path: '/api/scorecards', query: ScorecardsQuery, reply: ScorecardsReply },
  /** The caller's latest notifications (newest first) and how many are unread. */
  notifications: { method: 'GET', path: '/api/notifications', reply: NotificationsReply },
  markNotificationRead: { method: 'POST', path: '/api/notifications/:id/read', params: IdParams, reply: EmptyReply },
  markAllNotificationsRead: { method: 'POST', path: '/api/notifications/read-all', reply: EmptyReply },
  notificationSettings: { method: 'GET', path: '/api/notification-settings', reply: NotificationSettingsReply },
  updateNotificationSettings: { method: 'PATCH', path: '/api/notification-settings', body: UpdateNotificationSettingsBody, reply: NotificationSettingsReply },
  /** Teammates the caller follows (explicitly, or as their mentee unless they unfollowed). */
  follows: { method: 'GET', path: '/api/follows', reply: FollowsReply },
  follow: { method: 'PUT', path: '/api/follows/:id', params: IdParams, reply: FollowsReply },
  unfollow: { method: 'DELETE', path: '/api/follows/:id', params: IdParams, reply: FollowsReply },
  /** "Send to…": notifies teammates who may see the clip; refuses the whole send otherwise. */
  sendClip: { method: 'POST', path: '/api/clips/:id/send', params: IdParams, body: SendClipBody, reply: SendClipReply },
  /** Weekly metrics: the team's rows for managers and admins, one's own row for everyone else. */
  metrics: { method: 'GET', path: '/api/metrics', query: MetricsQuery, reply: MetricsReply },
  /** Managers: the team's onboarding paths. */
  paths: { method: 'GET', path: '/api/paths', reply: PathsReply },
  createPath: { method: 'POST', path: '/api/paths', body: PathBody, reply: PathReply },
  /** Managers: a path with each assignee's progress. */
  path: { method: 'GET', path: '/api/paths/:id', params: IdParams, reply: PathDetailReply },
  /** Managers edit a path; unchanged steps (same id, same settings) keep everyone's progress. */
  updatePath: { method: 'PUT', path: '/api/paths/:id', params: IdParams, body: PathBody, reply: PathReply },
  /** Managers assign a path to people (again: new dates, progress kept); each hears `path-assigned`. */
  assignPath: { method: 'POST', path: '/api/paths/:id/assignments', params: IdParams, body: AssignBody, reply: AssignmentsReply },
  /** The caller's own assignments with their progress ("My onboarding"). */
  myOnboarding: { method: 'GET', path: '/api/onboarding', reply: AssignmentsReply },
  /** The assignee opens/acknowledges a talk track step or ticks/unticks a task step. */
  stepAction: { method: 'POST', path: '/api/assignments/:id/steps/:stepId/action', params: AssignmentStepParams, body: StepActionBody, reply: AssignmentReply },
  /** The assignee's player reports the seconds of a clip step it played. */
  stepPlayback: { method: 'POST', path: '/api/assignments/:id/steps/:stepId/playback', params: AssignmentStepParams, body: PlaybackBody, reply: AssignmentReply },
  /** Managers nudge an assignee (a notification with an optional note; a few a day per assignee). */
  nudge: { method: 'POST', path: '/api/assignments/:id/nudge', params: IdParams, body: NudgeBody, reply: EmptyReply },
  /** Admins: a member's sessions, sockets, live call, listens and invites end at once; sign-in is refused. */
  deactivateMember: { method: 'POST', path: '/api/members/:id/deactivate', params: IdParams, reply: MemberReply },
  /** Admins: a deactivated member may sign in again (their old sessions stay ended). */
  reactivateMember: { method: 'POST', path: '/api/members/:id/reactivate', params: IdParams, reply: MemberReply },
  /** Admins: deletes a deactivated member, keeping (credited to "Former member") or deleting their clips. */
  deleteMember: { method: 'POST', path: '/api/members/:id/delete', params: IdParams, body: DeleteMemberBody, reply: DeleteMemberReply },
  /** Admins: a one-time password reset link for a member (replaces any earlier one). */
  issuePasswordReset: { method: 'POST', path: '/api/members/:id/password-reset', params: IdParams, reply: PasswordResetIssuedReply },
  /** Anyone holding a reset link: is it usable, and for whom? */
  checkPasswordReset: { method: 'POST', path: '/api/password-reset/check', body: CheckPasswordResetBody, reply: PasswordResetState },
  /** Anyone holding a reset link: sets the new password, uses the link up, ends every session of the account. */
  completePasswordReset: { method: 'POST', path: '/api/password-reset', body: CompletePasswordResetBody, reply: CompletePasswordResetReply },
  /** Admins rename the team. */
  renameTeam: { method: 'PATCH', path: '/api/team', body: RenameTeamBody, reply: TeamReply },
  /** Admins: the audit log, newest first, a page at a time. */
  audit: { method: 'GET', path: '/api/audit', query: AuditQuery, reply: AuditPageReply },
  /** Admins: the filtered log as CSV. */
  auditExport: { method: 'GET', path: '/api/audit/export', query: AuditQuery, reply: AuditExportReply },
  auditSettings: { method: 'GET', path: '/api/audit/settings', reply: AuditSettingsReply },
  updateAuditSettings: { method: 'PATCH', path: '/api/audit/settings', body: AuditSettings, reply: AuditSettingsReply },
} as const;

/**
 * Downloads that are files, not JSON (same query and rules as their JSON route): `text/csv` with
 * a Content-Disposition filename. Errors come as the usual `Result` envelope.
 */
export const exportRoutes = {
  metricsCsv: { method: 'GET', path: '/api/metrics/csv', query: MetricsQuery },
} as const;

/**
 * Audio downloads (not JSON): `GET` (or `HEAD`) with `Authorization: Bearer <token>`; `Range`,
 * `If-Range` and ETags supported; `audio/ogg` (Ogg Opus). 404 for anything the caller may not
 * see; errors come as the usual `Result` envelope.
 */
export const audioRoutes = {
  clip: { method: 'GET', path: '/api/clips/:id/audio', params: IdParams },
  recording: { method: 'GET', path: '/api/recordings/:id/audio', params: IdParams },
} as const;

/** Builds the URL path of an audio download (see `audioRoutes`). */
export const audioPaths = {
  clip: (clipId: string) => `/api/clips/${encodeURIComponent(clipId)}/audio`,
  recording: (callId: string) => `/api/recordings/${encodeURIComponent(callId)}/audio`,
} as const;

/** HTTP status for each error code. */
export const httpStatusFor = {
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  BAD_CREDENTIALS: 401,
  FORBIDDEN: 403,
  NOT_ALLOWED: 403,
  NOT_HOST: 403,
  NOT_FOUND: 404,
  CALL_NOT_FOUND: 404,
  INVITE_INVALID: 404,
  CONFLICT: 409,
  SETUP_DONE: 409,
  EMAIL_TAKEN: 409,
  ALREADY_JOINED: 409,
  ALREADY_LIVE: 409,
  NOT_LISTENING: 409,
  NOT_RECORDED: 409,
  CALL_ENDED: 410,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  MEDIA_FAILED: 502,
  UNAVAILABLE: 503,
  INTERNAL: 500,
} as const;
