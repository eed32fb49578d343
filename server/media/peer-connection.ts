/**
 * What both kinds of server peer share: network options, libdatachannel configuration, answering
 * answering an offer at once (trickle ICE), and closing cleanly.
 */
import type { PeerConnection, RtcConfig, Track } from 'node-datachannel';
import { BullpenError } from '../../contract/result';
import type { Logger } from '../logger';
import { announceAddress } from './announced-address';
import type { RelayIngress } from './relay-ingress';
import type { CandidatePolicy } from './ice-candidates';
import type { IceTrickle } from './ice-trickle';
import type { CheckedOffer } from './sdp';

export type PeerState = 'connected' | 'disconnected' | 'failed' | 'closed';

/** ICE settings shared by both kinds of peer. */
export interface PeerNetworkOptions {
  /** libdatachannel ICE server URLs, e.g. `stun:stun.example.com:3478`; none on loopback. */
  iceServers?: string[];
  /**
   * Per-connection mode: every connection binds its own UDP port from this range. Without it,
   * every connection shares one UDP port (libjuice's ICE UDP mux): `udpMuxPort`, or a free port
   * libjuice picks when the first connection opens.
   */
  portRange?: { begin: number; end: number };
  /** The one UDP port shared by every connection (ICE UDP mux); takes precedence over `portRange`. */
  udpMuxPort?: number;
  /**
   * Which ICE candidates of a client's offer are tried (see ice-candidates.ts). Default strict:
   * no loopback or link-local addresses.
   */
  candidatePolicy?: CandidatePolicy;
  /**
   * The address clients reach this node's media at (`--announced-ip`), when its interfaces do
   * not have it (NAT, containers): the answers' host candidates carry it. See announced-address.ts.
   */
  announcedIp?: string;
  /**
   * The node's door for clients relayed through TURN over TCP/TLS (see relay-ingress.ts): when
   * given, every answer offers it too. Set when TURN is configured.
   */
  relayIngress?: RelayIngress;
}

/**
 * One log line for an offer whose candidates were filtered, when something other than the
 * ordinary (TCP candidates, mDNS names: every Chrome offer has some) was dropped.
 */
export function logDroppedCandidates(log: Logger, offer: CheckedOffer): void {
  const { mdns, 'not-udp': notUdp, ...unusual } = offer.candidates.dropped;
  if (Object.keys(unusual).length === 0) return;
  log.warn('offer ICE candidates dropped', { kept: offer.candidates.kept, dropped: offer.candidates.dropped, ignoredMdns: mdns ?? 0, ignoredTcp: notUdp ?? 0 });
}

/**
 * Applies a remote offer to `pc` (whose local track was added first) and returns the answer at
 * once, without waiting for ICE gathering (trickle ICE: `trickle` pushes what is gathered later).
 * The answer has libdatachannel's host candidates (gathered when its ICE agent is made), on the
 * announced address if there is one, and the relay ingress offered while `signal` has not
 * aborted. Throws BAD_REQUEST when libdatachannel rejects the offer, MEDIA_FAILED when no answer
 * is produced.
 */
export function answerOffer(
  pc: PeerConnection,
  offerSdp: string,
  opts: Pick<PeerNetworkOptions, 'announcedIp' | 'relayIngress'>,
  signal: AbortSignal,
  trickle: IceTrickle,
): string {
  try {
    pc.setRemoteDescription(offerSdp, 'offer');
  } catch (err) {
    throw new BullpenError('BAD_REQUEST', `offer rejected: ${errorMessage(err)}`);
  }
  // libdatachannel answers inside setRemoteDescription (auto-negotiation).
  const sdp = pc.localDescription()?.sdp;
  if (!sdp) throw new BullpenError('MEDIA_FAILED', 'no local answer was produced');
  const announced = opts.announcedIp ? announceAddress(sdp, opts.announcedIp) : sdp;
  // The relay ingress learns this connection's port from the answer's host candidates: they are
  // there already (libjuice gathers them when the agent is made; only server-reflexive and relay
  // candidates trickle), so answering early does not starve it.
  const answer = opts.relayIngress ? opts.relayIngress.expose(announced, signal) : announced;
  trickle.answered(answer);
  return answer;
}

/**
 * Closes a track and its PeerConnection. Both must be closed explicitly (with `onClosed` and
 * `onStateChange` registered) for node-datachannel to release the native callbacks that would
 * otherwise keep the Node process alive.
 */
export function closePeer(pc: PeerConnection, track: Track, log: Logger): void {
  try {
    track.close();
  } catch (err) {
    log.warn('track close failed', { err: errorMessage(err) });
  }
  try {
    pc.close();
  } catch (err) {
    log.warn('peer connection close failed', { err: errorMessage(err) });
  }
}

/**
 * libdatachannel configuration from our network options: ICE UDP mux (one socket for every
 * connection) unless a per-connection port range is asked for.
 */
export function rtcConfig(opts: PeerNetworkOptions): RtcConfig {
  if (opts.udpMuxPort) return { iceServers: opts.iceServers ?? [], enableIceUdpMux: true, portRangeBegin: opts.udpMuxPort, portRangeEnd: opts.udpMuxPort };
  if (opts.portRange) return { iceServers: opts.iceServers ?? [], portRangeBegin: opts.portRange.begin, portRangeEnd: opts.portRange.end };
  return { iceServers: opts.iceServers ?? [], enableIceUdpMux: true };
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
