import type { LibraryQuery } from '../../../contract';

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
};
