import type { AuditQueryInput, LibraryQuery, MetricsQuery, ReviewQueueQuery, TalkTracksQuery } from '../../../contract';

/**
 * One query key per server resource. Keys nest (`['clips', 'detail', id]` under `['clips']`),
 * so a push can invalidate a whole family at once. Socket pushes and mutations name these, never
 * a literal array.
 */
export const queryKeys = {
  /** Live calls on the board (fed by the socket: `board:get` and `board:update`). */
  board: ['board'] as const,
  clips: {
    all: ['clips'] as const,
    lists: ['clips', 'list'] as const,
    list: (query: LibraryQuery) => ['clips', 'list', query] as const,
    details: ['clips', 'detail'] as const,
    detail: (id: string) => ['clips', 'detail', id] as const,
  },
  recordings: {
    all: ['recordings'] as const,
    list: ['recordings', 'list'] as const,
    detail: (callId: string) => ['recordings', 'detail', callId] as const,
  },
  talkTracks: {
    all: ['talk-tracks'] as const,
    lists: ['talk-tracks', 'list'] as const,
    list: (query: TalkTracksQuery) => ['talk-tracks', 'list', query] as const,
    details: ['talk-tracks', 'detail'] as const,
    detail: (id: string) => ['talk-tracks', 'detail', id] as const,
    versions: (id: string) => ['talk-tracks', 'versions', id] as const,
    version: (id: string, version: number) => ['talk-tracks', 'version', id, version] as const,
    /** The tracks citing a clip. */
    citing: (clipId: string) => ['talk-tracks', 'citing', clipId] as const,
  },
  questions: {
    all: ['questions'] as const,
    queue: ['questions', 'queue'] as const,
    mine: ['questions', 'mine'] as const,
    debrief: (callId: string) => ['questions', 'debrief', callId] as const,
  },
  /**
   * Reviews nest under the clip families on purpose: a `library:changed` push (a clip reviewed,
   * edited or deleted) refreshes the queue, the scorecard lists and a clip's scorecard with them.
   */
  reviews: {
    queue: (query: ReviewQueueQuery) => ['clips', 'list', 'review-queue', query] as const,
    scorecards: (rep: string | null) => ['clips', 'list', 'scorecards', rep] as const,
    clipScorecard: (clipId: string) => ['clips', 'detail', clipId, 'scorecard'] as const,
    rubric: ['review-rubric'] as const,
  },
  members: ['members'] as const,
  invites: ['invites'] as const,
  invitePreview: (code: string) => ['invite-preview', code] as const,
  sessions: ['sessions'] as const,
  teamSettings: ['team-settings'] as const,
  teamUsage: ['team-usage'] as const,
  /** The notification centre (fed by `notification:new` pushes too). */
  notifications: ['notifications'] as const,
  notificationSettings: ['notification-settings'] as const,
  follows: ['follows'] as const,
  /** Weekly metrics for a range (and person); computed on request, never pushed. */
  metrics: (query: MetricsQuery) => ['metrics', query] as const,
  /** Onboarding paths and assignments (`onboarding:changed` pushes invalidate them all). */
  onboarding: {
    all: ['onboarding'] as const,
    mine: ['onboarding', 'mine'] as const,
    paths: ['onboarding', 'paths'] as const,
    path: (id: string) => ['onboarding', 'path', id] as const,
  },
  /** The audit log (admins): pages by filter, and its retention setting. */
  audit: {
    all: ['audit'] as const,
    page: (query: AuditQueryInput) => ['audit', 'page', query] as const,
    settings: ['audit', 'settings'] as const,
  },
};
