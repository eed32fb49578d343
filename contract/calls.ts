import { z } from 'zod';
import { QuestionsMode } from './questions';
import { Id } from './team';
import { singleLineText } from './text';

/** Who may listen to a live call. Managers and admins may always ride along. */
export const ListenPolicy = z.enum(['team', 'mentees-and-managers', 'managers']);
export type ListenPolicy = z.infer<typeof ListenPolicy>;

/** What kind of customer call it is (picked at go-live; "shadow N calls of kind X" counts by it). */
export const CallKind = z.enum(['discovery', 'demo', 'follow-up', 'negotiation', 'renewal', 'other']);
export type CallKind = z.infer<typeof CallKind>;

export const CallEndReason = z.enum(['host-ended', 'host-timeout', 'host-signed-out', 'server-shutdown']);
export type CallEndReason = z.infer<typeof CallEndReason>;

/** How long a host may be away (dropped connection) before the call ends. */
export const HOST_RECONNECT_GRACE_MS = 30_000;

export const ListenerInfo = z.object({ userId: Id, name: z.string(), joinedAt: z.number() });
export type ListenerInfo = z.infer<typeof ListenerInfo>;

/** One live call as the board shows it to one person. */
export const CallSummary = z.object({
  id: Id,
  hostId: Id,
  hostName: z.string(),
  title: z.string(),
  account: z.string().nullable(),
  /** The kind of call (absent from older servers: 'other'). */
  kind: CallKind.optional(),
  policy: ListenPolicy,
  startedAt: z.number(),
  /** `reconnecting` while the host's connection is away, within the grace period. */
  hostState: z.enum(['connecting', 'live', 'reconnecting']),
  listeners: z.array(ListenerInfo),
  /** Whether the call is recorded (the host confirmed the customer was told); clips need it. */
  recording: z.boolean(),
  /** Whether questions reach the host live or after the call (absent from older servers). */
  questions: QuestionsMode.optional(),
  /** Whether managers riding along may whisper to the host (absent = no). */
  whispers: z.boolean().optional(),
  /** Whether the host paused sharing: listeners hear silence and nothing is recorded (absent = no). */
  paused: z.boolean().optional(),
  /** The host's go-live choice: managers and admins may join (absent = yes). */
  managersMayJoin: z.boolean().optional(),
  /** The team setting "Managers can always join calls", which overrides the host's choice (absent = on). */
  managersAlwaysJoin: z.boolean().optional(),
  /** Whether the viewer may listen; the server enforces it regardless. */
  canListen: z.boolean(),
});
export type CallSummary = z.infer<typeof CallSummary>;

/** A call on the board of someone its listen policy admits (or its host): everything about it. */
export const OpenBoardCall = CallSummary.extend({ restricted: z.literal(false) });
export type OpenBoardCall = z.infer<typeof OpenBoardCall>;

/**
 * A call on the board of someone outside its listen policy: only that it exists and whose it
 * is. No title, account, listeners or timing: those are for the people who may listen.
 */
export const RestrictedBoardCall = z.object({ restricted: z.literal(true), id: Id, hostId: Id, hostName: z.string() });
export type RestrictedBoardCall = z.infer<typeof RestrictedBoardCall>;

/** One call on a person's board, open or restricted (`restricted` tells which). */
export const BoardCall = z.discriminatedUnion('restricted', [OpenBoardCall, RestrictedBoardCall]);
export type BoardCall = z.infer<typeof BoardCall>;

/** A board call's full summary, or undefined when it is restricted for the viewer (or absent). */
export function openCall(call: BoardCall | undefined): OpenBoardCall | undefined {
  return call && !call.restricted ? call : undefined;
}

export const CallTitle = singleLineText().trim().min(1, 'is required').max(120);
export const AccountName = singleLineText().trim().max(120);

/** An SDP blob; bounded so a client cannot make the server parse megabytes. */
export const Sdp = z.string().min(10).max(20_000).refine((s) => s.startsWith('v=0'), 'must be an SDP description');
