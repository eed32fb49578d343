import { z } from 'zod';
import { Id } from './team';

/**
 * The team's audit log: what admins can read and export about sign-ins, people, invites,
 * listening and downloads. Rows are written by the server only (server/audit/audit-log.ts).
 */
export const AuditKind = z.enum([
  'sign-in',
  'sign-in-failed',
  'role-changed',
  'invite-created',
  'invite-revoked',
  'invite-used',
  'member-deactivated',
  'member-reactivated',
  'member-deleted',
  'password-reset-issued',
  'password-reset-used',
  'listen-started',
  'listen-stopped',
  'clip-downloaded',
  'recording-downloaded',
  'retention-changed',
  'audit-retention-changed',
  'team-renamed',
]);
export type AuditKind = z.infer<typeof AuditKind>;

/** One audit row. Names are kept as they were when it happened (a deleted person stays readable). */
export const AuditEvent = z.object({
  id: Id,
  at: z.number(),
  kind: AuditKind,
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  /** The person acted on (a member deactivated, a listener's host call…), if any. */
  subjectId: z.string().nullable(),
  subjectName: z.string().nullable(),
  /** The thing acted on: a call, clip, invite or recording id, with its title when it had one. */
  targetId: z.string().nullable(),
  targetLabel: z.string().nullable(),
  /** Short free text: "rep → manager", "30 → 90 days", the client's address for sign-ins. */
  detail: z.string(),
});
export type AuditEvent = z.infer<typeof AuditEvent>;

export const AUDIT_PAGE_SIZE = 50;
/** Most rows one CSV export holds (narrow the dates for more). */
export const AUDIT_EXPORT_MAX_ROWS = 50_000;

/** `YYYY-MM-DD` in the query string: a day, read as UTC (the inclusive bounds of a filter). */
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date (YYYY-MM-DD)').refine((d) => !Number.isNaN(Date.parse(d)), 'must be a real date');

/** Filters of the log and its export: kind, person (as actor or subject), days from/to (UTC). */
export const AuditQuery = z.object({
  kind: AuditKind.optional(),
  person: Id.optional(),
  from: Day.optional(),
  to: Day.optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
});
export type AuditQuery = z.infer<typeof AuditQuery>;
export type AuditQueryInput = z.input<typeof AuditQuery>;

export const AuditPageReply = z.object({
  events: z.array(AuditEvent),
  page: z.number().int(),
  /** Pages of AUDIT_PAGE_SIZE rows matching the filters. */
  pages: z.number().int(),
  total: z.number().int(),
});
export type AuditPageReply = z.infer<typeof AuditPageReply>;

/** An export: CSV text (cells that a spreadsheet would run as formulas are defused). */
export const AuditExportReply = z.object({ filename: z.string(), csv: z.string(), rows: z.number().int(), truncated: z.boolean() });
export type AuditExportReply = z.infer<typeof AuditExportReply>;

/** Days audit rows are kept (default 365). */
export const AuditRetentionDays = z.number().int().min(1).max(3650);
export const DEFAULT_AUDIT_RETENTION_DAYS = 365;
export const AuditSettings = z.object({ retentionDays: AuditRetentionDays });
export type AuditSettings = z.infer<typeof AuditSettings>;
export const AuditSettingsReply = z.object({ settings: AuditSettings });

/** How the log names each kind (filters, table, export). */
export const auditKindLabels = {
  'sign-in': 'Signed in',
  'sign-in-failed': 'Sign-in failed',
  'role-changed': 'Role changed',
  'invite-created': 'Invite made',
  'invite-revoked': 'Invite revoked',
  'invite-used': 'Invite used (signed up)',
  'member-deactivated': 'Member deactivated',
  'member-reactivated': 'Member reactivated',
  'member-deleted': 'Member deleted',
  'password-reset-issued': 'Password reset link made',
  'password-reset-used': 'Password reset',
  'listen-started': 'Started listening',
  'listen-stopped': 'Stopped listening',
  'clip-downloaded': 'Clip downloaded',
  'recording-downloaded': 'Recording downloaded',
  'retention-changed': 'Recording retention changed',
  'audit-retention-changed': 'Audit log retention changed',
  'team-renamed': 'Team renamed',
} as const satisfies Record<AuditKind, string>;
