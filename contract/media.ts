import { z } from 'zod';
import { Id } from './team';

/**
 * One ICE server as a client's RTCPeerConnection takes it (`RTCIceServer`): TURN URLs with a
 * short-lived username and credential (coturn's shared-secret scheme), or STUN URLs without.
 */
export const IceServer = z.object({
  urls: z.array(z.string().max(300).regex(/^(stuns?|turns?):/, 'must be a stun:, stuns:, turn: or turns: URL')).min(1).max(8),
  username: z.string().max(300).optional(),
  credential: z.string().max(300).optional(),
});
export type IceServer = z.infer<typeof IceServer>;

/**
 * The reply of `media:ice-servers`: what a client's next RTCPeerConnection should use. Empty when
 * the server has no TURN server configured: the client then reaches the server's media directly.
 */
export const IceServersReply = z.object({ iceServers: z.array(IceServer).max(4) });
export type IceServersReply = z.infer<typeof IceServersReply>;

/** Longest ICE candidate line accepted (a browser's are under 200 characters). */
export const MAX_ICE_CANDIDATE_LENGTH = 512;

/**
 * One trickled ICE candidate, as `RTCIceCandidateInit` carries it: the `candidate:` attribute value
 * (printable ASCII only: it goes into SDP), the media section it belongs to, and the ICE username
 * fragment of the connection it belongs to (so a candidate for an older connection, after a
 * republish or rejoin, is told apart).
 */
export const IceCandidate = z.object({
  candidate: z
    .string()
    .max(MAX_ICE_CANDIDATE_LENGTH)
    .regex(/^candidate:[\x20-\x7e]+$/, 'must be an ICE candidate attribute starting with "candidate:"'),
  sdpMid: z.string().max(32).nullable(),
  usernameFragment: z.string().min(1).max(256).regex(/^[\x21-\x7e]+$/).optional(),
});
export type IceCandidate = z.infer<typeof IceCandidate>;

/** Which of the caller's media connections to a call: its host publish or its listen. */
export const MediaRole = z.enum(['host', 'listener']);
export type MediaRole = z.infer<typeof MediaRole>;

/**
 * `media:candidate`, both ways (trickle ICE): a client's candidate for its connection to a call,
 * or the server's for that connection. `candidate: null` says there are no more.
 */
export const MediaCandidate = z.object({
  callId: Id,
  role: MediaRole,
  candidate: IceCandidate.nullable(),
});
export type MediaCandidate = z.infer<typeof MediaCandidate>;
