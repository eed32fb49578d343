import { z } from 'zod';
import { ListenPolicy } from './calls';
import { RecordingChoice } from './clips';
import { Id } from './team';

/**
 * The host's controls during a live call (issue 10). Only the call's host may use them, at the
 * moment of acting; anyone else is refused and nothing changes.
 */

/** `call:pause` / `call:resume`: the server stops (or restarts) forwarding and recording the host's audio. */
export const CallIdPayload = z.object({ callId: Id });
export type CallIdPayload = z.infer<typeof CallIdPayload>;

/** `call:remove-listener`: drops one listener, who may not join this call again. */
export const RemoveListenerPayload = z.object({ callId: Id, userId: Id });
export type RemoveListenerPayload = z.infer<typeof RemoveListenerPayload>;

/**
 * `call:set-policy`: who may listen from now on. Listeners no longer allowed are dropped with a
 * reason they see. `managersMayJoin` (absent: unchanged) keeps managers and admins out unless the
 * team setting "Managers can always join calls" is on.
 */
export const SetCallPolicyPayload = z.object({ callId: Id, policy: ListenPolicy, managersMayJoin: z.boolean().optional() });
export type SetCallPolicyPayload = z.infer<typeof SetCallPolicyPayload>;

/** `call:start-recording`: recording starts mid-call, with the same consent as at go-live. */
export const StartRecordingPayload = z.object({
  callId: Id,
  recording: RecordingChoice.refine((r) => r.enabled, { message: 'must turn recording on', path: ['enabled'] }),
});
export type StartRecordingPayload = z.infer<typeof StartRecordingPayload>;

/** Push to the host and listeners of a call: sharing was paused or resumed by the host. */
export const CallSharingPush = z.object({ callId: Id, paused: z.boolean() });
export type CallSharingPush = z.infer<typeof CallSharingPush>;

/** What a listener removed by the host is told (the listen view shows it). */
export const REMOVED_BY_HOST_MESSAGE = 'The host removed you from this call.';
