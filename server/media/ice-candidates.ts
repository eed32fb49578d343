/**
 * Which ICE candidates from a client's offer the server may try. The server's ICE agent sends
 * STUN connectivity checks to every remote candidate, so an offer is a list of addresses the
 * server will send UDP to: without a filter a signed-in client could aim those checks at the
 * server's own loopback services or at link-local endpoints (cloud metadata, 169.254.169.254),
 * or make it resolve host names of its choosing.
 *
 * Kept: UDP candidates of component 1 (libdatachannel multiplexes RTCP on RTP, a component 2
 * is never used) whose address is an IP literal a real client could have: not unspecified,
 * multicast, broadcast or reserved; loopback only when the server itself is bound to loopback
 * (tests, a single machine), link-local only when it is bound to a link-local address. At most
 * `maxCandidates` are kept, in the offer's order (browsers list them best first).
 *
 * Dropped silently but counted: TCP candidates (libjuice speaks ICE over UDP only) and mDNS
 * names (`<uuid>.local`, browsers' way to hide a local address): such a client's checks still
 * reach us and are answered as peer-reflexive candidates, so its offer stays usable.
 */
import { BlockList, isIP } from 'node:net';

/** How strict the filter is; see {@link candidatePolicyFor}. */
export interface CandidatePolicy {
  /** Whether candidates on loopback addresses (127.0.0.0/8, ::1) may be tried. */
  allowLoopback: boolean;
  /** Whether candidates on link-local addresses (169.254.0.0/16, fe80::/10) may be tried. */
  allowLinkLocal: boolean;
  /** How many candidates of one offer are tried at most. */
  maxCandidates: number;
}

/** The most candidates of one offer the server tries (a browser sends 2–8). */
export const MAX_OFFER_CANDIDATES = 16;

/** Why a candidate was not kept. */
export type DropReason =
  | 'malformed'
  | 'not-udp'
  | 'not-rtp-component'
  | 'mdns'
  | 'hostname'
  | 'loopback'
  | 'link-local'
  | 'not-unicast'
  | 'over-limit';

export interface CandidateFilterResult {
  /** `a=candidate:` values kept, in the offer's order. */
  kept: string[];
  /** How many were dropped, by reason (reasons with none are absent). */
  dropped: Partial<Record<DropReason, number>>;
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

const LINK_LOCAL = new BlockList();
LINK_LOCAL.addSubnet('169.254.0.0', 16, 'ipv4');
LINK_LOCAL.addSubnet('fe80::', 10, 'ipv6');

/**
 * Never a unicast peer. 0.0.0.0/8 matters most: on Linux, sending to 0.0.0.0 reaches the local
 * host. (IPv4-mapped IPv6 addresses are matched against the IPv4 ranges by BlockList itself.)
 */
const NOT_UNICAST = new BlockList();
NOT_UNICAST.addSubnet('0.0.0.0', 8, 'ipv4');
NOT_UNICAST.addSubnet('224.0.0.0', 4, 'ipv4'); // multicast
NOT_UNICAST.addSubnet('240.0.0.0', 4, 'ipv4'); // reserved, and 255.255.255.255 broadcast
NOT_UNICAST.addSubnet('::', 96, 'ipv6'); // unspecified and the deprecated IPv4-compatible form
NOT_UNICAST.addSubnet('ff00::', 8, 'ipv6'); // multicast

/** RFC 8839 candidate-attribute: foundation, component, transport, priority, address, port, typ. */
const CANDIDATE = /^([A-Za-z0-9+/]{1,32}) (\d{1,3}) (\S+) (\d{1,10}) (\S+) (\d{1,5}) typ (host|srflx|prflx|relay)(?: .*)?$/;

/**
 * The filter for a server listening on `boundHost` (its `--host`): loopback candidates only when
 * that is a loopback address, link-local ones only when it is a link-local address.
 */
export function candidatePolicyFor(boundHost: string, maxCandidates = MAX_OFFER_CANDIDATES): CandidatePolicy {
  const host = boundHost === 'localhost' ? '127.0.0.1' : boundHost;
  const family = isIP(host);
  if (family === 0) return { ...STRICT_CANDIDATE_POLICY, maxCandidates };
  const type = family === 6 ? 'ipv6' : 'ipv4';
  return { allowLoopback: LOOPBACK.check(host, type), allowLinkLocal: LINK_LOCAL.check(host, type), maxCandidates };
}

/** The strictest policy: what a server bound to a public or wildcard address uses. */
export const STRICT_CANDIDATE_POLICY: CandidatePolicy = {
  allowLoopback: false,
  allowLinkLocal: false,
  maxCandidates: MAX_OFFER_CANDIDATES,
};

/** Classifies one `a=candidate:` value (without the `a=candidate:` prefix): null if kept. */
export function candidateDropReason(value: string, policy: CandidatePolicy): Exclude<DropReason, 'over-limit'> | null {
  const m = CANDIDATE.exec(value);
  if (!m) return 'malformed';
  const [, , component, transport, priority, address, port] = m as unknown as string[];
  if (Number(priority) > 0xffff_ffff || Number(port) < 1 || Number(port) > 65_535) return 'malformed';
  if (transport!.toLowerCase() !== 'udp') return 'not-udp';
  if (component !== '1') return 'not-rtp-component';
  const family = isIP(address!);
  if (family === 0) return /^[A-Za-z0-9-]{1,63}\.local$/i.test(address!) ? 'mdns' : 'hostname';
  // A zone index (fe80::1%eth0) names one of the server's own interfaces: never from a client.
  if (address!.includes('%')) return 'link-local';
  const type = family === 6 ? 'ipv6' : 'ipv4';
  // Loopback first: ::1 also lies in ::/96.
  if (LOOPBACK.check(address!, type)) return policy.allowLoopback ? null : 'loopback';
  if (LINK_LOCAL.check(address!, type)) return policy.allowLinkLocal ? null : 'link-local';
  if (NOT_UNICAST.check(address!, type)) return 'not-unicast';
  return null;
}

/** Filters an offer's candidates (values without `a=candidate:`); see the module comment. */
export function filterCandidates(values: readonly string[], policy: CandidatePolicy): CandidateFilterResult {
  const result: CandidateFilterResult = { kept: [], dropped: {} };
  const drop = (reason: DropReason): void => {
    result.dropped[reason] = (result.dropped[reason] ?? 0) + 1;
  };
  for (const value of values) {
    const reason = candidateDropReason(value, policy);
    if (reason) drop(reason);
    else if (result.kept.length >= policy.maxCandidates) drop('over-limit');
    else result.kept.push(value);
  }
  return result;
}
