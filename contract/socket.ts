import { z } from 'zod';
import type { Result } from './result';
import { AccountName, BoardCall, CallEndReason, CallKind, CallSummary, CallTitle, ListenPolicy, ListenerInfo, Sdp } from './calls';
import { ClipMarkPayload, ClipSummary, RecordingChoice } from './clips';
import { AskQuestionPayload, QuestionsMode, QuestionView, WhisperPayload, WhisperPush } from './questions';
import { NotificationSchema } from './notifications';
import { CallIdPayload, CallSharingPush, RemoveListenerPayload, SetCallPolicyPayload, StartRecordingPayload } from './host-controls';
import { IceServersReply, MediaCandidate } from './media';
import { Id, TeamSchema } from './team';
import { SignedOutReason } from './people';

/**
 * Socket.io contract. Connections authenticate with `auth: { token }` in the handshake.
 * Client → server events carry one payload and an ack; the server parses the payload with
 * the schema below and acks a `Result` of the reply type. Server → client events are pushes.
 */
export const clientEvents = {
  /** Full board snapshot for the caller. */
  'board:get': { payload: z.object({}), reply: z.object({ calls: z.array(BoardCall) }) },
  /**
   * Host goes live: publishes the host's stereo Opus track (one sendonly audio section, nothing
   * else) and, once that offer is answered, creates the call. A refused offer leaves no call.
   */
  'call:start': {
    payload: z.object({
      title: CallTitle,
      account: AccountName.optional(),
      /** The kind of call (default 'other'): shown on the board, counted by shadow steps. */
      kind: CallKind.default('other'),
      policy: ListenPolicy,
      /** Off unless given; on requires confirming the customer was told. */
      recording: RecordingChoice.optional(),
      /** Whether questions reach the host live (a quiet counter) or after the call (default). */
      questions: QuestionsMode.default('after-call'),
      /** Whether managers riding along may whisper to the host (default off). */
      whispers: z.boolean().default(false),
      /** Whether managers and admins may join (default yes; the team setting may require it). */
      managersMayJoin: z.boolean().default(true),
      offer: Sdp,
    }),
    reply: z.object({ call: CallSummary, answer: Sdp }),
  },
  /** Host (re)publishes into its own call, e.g. after its connection dropped. Others are refused. */
  'call:publish': {
    payload: z.object({ callId: Id, offer: Sdp }),
    reply: z.object({ answer: Sdp }),
  },
  /** The host ends the call; `keepRecording: false` discards the full recording (clips stay). */
  'call:end': { payload: z.object({ callId: Id, keepRecording: z.boolean().default(true) }), reply: z.object({}) },
  /**
   * Listener joins: it offers to receive audio (recvonly); the server answers with a send-only
   * track. An offer that is anything but one recvonly audio section (a second or disabled
   * section, a data channel, sendrecv) is refused with BAD_REQUEST; and whatever a listener
   * sends anyway, the server never takes media from it.
   */
  /** Host only: stop forwarding and recording the host's audio until `call:resume`. */
  'call:pause': { payload: CallIdPayload, reply: z.object({}) },
  /** Host only: forward and record again; listeners' streams carry on continuously. */
  'call:resume': { payload: CallIdPayload, reply: z.object({}) },
  /** Host only: drop a listener, who is told why and may not join this call again. */
  'call:remove-listener': { payload: RemoveListenerPayload, reply: z.object({}) },
  /** Host only: change who may listen; listeners no longer allowed are dropped with a reason. */
  'call:set-policy': { payload: SetCallPolicyPayload, reply: z.object({ call: CallSummary }) },
  /** Host only: start recording mid-call (consent as at go-live); clips work from then on. */
  'call:start-recording': { payload: StartRecordingPayload, reply: z.object({ call: CallSummary }) },
  'listen:join': {
    payload: z.object({ callId: Id, offer: Sdp }),
    reply: z.object({ call: CallSummary, answer: Sdp }),
  },
  'listen:leave': { payload: z.object({ callId: Id }), reply: z.object({}) },
  /**
   * The host or a listener of a recorded call marks a clip of [now − pre-roll, now + post-roll].
   * The reply comes at once (status `pending`); `clip:ready` follows once it is playable.
   */
  'clip:mark': { payload: ClipMarkPayload, reply: z.object({ clip: ClipSummary }) },
  /**
   * A current listener asks the host a silent question anchored at its playout position
   * (`atMs`). Refused for the host, non-listeners and other teams.
   */
  'question:ask': { payload: AskQuestionPayload, reply: z.object({ question: QuestionView }) },
  /** A manager listening to the call whispers to the host, if the host allowed whispers. Never stored. */
  'whisper:send': { payload: WhisperPayload, reply: z.object({}) },
  /**
   * Fresh ICE servers for the caller's next media connection: TURN URLs with a short-lived
   * credential (asked before every publish, republish and join, so one never runs out mid-call
   * setup), or none when the server has no TURN configured. Signed-in callers only.
   */
  'media:ice-servers': { payload: z.object({}), reply: IceServersReply },
  /**
   * Trickle ICE: one of the caller's ICE candidates for its connection to a call (`role: 'host'`
   * for the call it hosts, `'listener'` for the call it listens to), sent once the publish or join
   * reply came. Checked like offer candidates (no loopback or link-local addresses unless the
   * server is bound there, a cap per connection); refused for a connection the caller does not
   * have. TCP and mDNS candidates are accepted and ignored, as in offers.
   */
  'media:candidate': { payload: MediaCandidate, reply: z.object({}) },
} as const;

export type ClientEventName = keyof typeof clientEvents;
export const clientEventNames = Object.keys(clientEvents) as ClientEventName[];
export type ClientPayload<E extends ClientEventName> = z.infer<(typeof clientEvents)[E]['payload']>;
/** What a client sends (defaults not yet applied). */
export type ClientInput<E extends ClientEventName> = z.input<(typeof clientEvents)[E]['payload']>;
export type ClientReply<E extends ClientEventName> = z.infer<(typeof clientEvents)[E]['reply']>;

export const serverEvents = {
  /**
   * The caller's whole board, pushed on connect and on every change it may see. Calls whose
   * policy does not admit the caller come restricted (host only).
   */
  'board:update': z.object({ calls: z.array(BoardCall) }),
  /** To the host and listeners of a call that ended. */
  'call:ended': z.object({ callId: Id, reason: CallEndReason }),
  /** To the host: who is listening now. */
  'call:listeners': z.object({ callId: Id, listeners: z.array(ListenerInfo) }),
  /** To listeners: the host's connection state (listeners keep playing across a reconnect). */
  'call:host-state': z.object({ callId: Id, hostState: z.enum(['connecting', 'live', 'reconnecting']) }),
  /**
   * To a listener whose rights to a call ended while listening (demoted, removed from the team,
   * no longer the host's mentee under `mentees-and-managers`, removed by the host, outside the
   * policy the host set mid-call): the server has already stopped
   * its audio. `message` says why, for the listen view.
   */
  'listen:revoked': z.object({ callId: Id, reason: z.enum(['not-allowed', 'removed-from-team', 'removed-by-host']), message: z.string() }),
  /**
   * Cluster mode: the node carrying a call's media died. Sent by the surviving nodes to the call's
   * host and listeners; the host's app publishes again (another node adopts the call) and
   * listeners' apps join again, on their own.
   */
  'call:media-lost': z.object({ callId: Id }),
  /**
   * Trickle ICE: one of the server's ICE candidates for the receiver's connection to a call (its
   * publish or its listen), or null when the server has no more. It may arrive before the publish
   * or join reply: clients hold it until they have applied the answer, and drop those whose
   * `usernameFragment` is not their current answer's.
   */
  'media:candidate': MediaCandidate,
  /** To the host and listeners of a call: the host paused or resumed sharing. */
  'call:sharing': CallSharingPush,
  /** To the clipper: a clip they marked is playable (or failed). */
  'clip:ready': z.object({ clip: ClipSummary }),
  /**
   * To each teammate: the library changed (clips added, edited, commented or deleted). Changes
   * are gathered for up to 100 ms and pushed once: `clipIds` names the changed clips this
   * receiver may see (someone who may see none of them gets no push), or is null when any clip
   * may have changed (refresh them all).
   */
  'library:changed': z.object({ clipIds: z.array(Id).max(1000).nullable() }),
  /** To each teammate: an admin renamed the team (headers and titles follow). */
  'team:renamed': z.object({ team: TeamSchema }),
  /** To each teammate: a talk track was saved, restored or deleted (everyone on the team may read tracks). */
  'talk-tracks:changed': z.object({ trackId: Id }),
  /** To the host of a call whose questions are live: how many were asked so far (never the text). */
  'question:count': z.object({ callId: Id, count: z.number().int().min(0) }),
  /** To the host (a question arrived for its queue) or an asker (their question was answered): refetch. */
  'questions:changed': z.object({}),
  /** To the host only: a manager's whisper. */
  'whisper:received': WhisperPush,
  /**
   * To the recipient's sockets: a new notification (sent once, when it is created; a client that
   * was offline fetches the centre after reconnecting and de-duplicates by id).
   */
  'notification:new': z.object({ notification: NotificationSchema }),
  /** To the recipient's sockets: notifications were marked read elsewhere (another window). */
  'notifications:changed': z.object({}),
  /**
   * To an assignee and the team's managers: an onboarding assignment's progress (or its path)
   * changed; refetch it. Carries ids only, never what was done.
   */
  'onboarding:changed': z.object({ assignmentId: Id, pathId: Id }),
  /**
   * The session was revoked or signed out elsewhere. `reason` and `message` say why when the
   * server ended it (the member was deactivated, their password was reset); the app shows them.
   */
  'session:revoked': z.object({ reason: SignedOutReason.optional(), message: z.string().max(300).optional() }),
} as const;

export type ServerEventName = keyof typeof serverEvents;
export type ServerPayload<E extends ServerEventName> = z.infer<(typeof serverEvents)[E]>;

/** Socket.io generics built from the contract. Payloads arrive as `unknown` on the server. */
export type ClientToServerEvents = {
  [E in ClientEventName]: (payload: unknown, ack: (reply: Result<ClientReply<E>>) => void) => void;
};
export type ServerToClientEvents = {
  [E in ServerEventName]: (payload: ServerPayload<E>) => void;
};

export const SocketAuth = z.object({ token: z.string().min(1).max(200) });

/**
 * Open connections one person may hold (windows, tabs, devices). The next handshake is refused
 * with `connect_error` data `{ code: 'RATE_LIMITED' }` until one closes.
 */
export const MAX_SOCKETS_PER_USER = 10;
