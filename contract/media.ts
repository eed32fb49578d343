import { z } from 'zod';

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
