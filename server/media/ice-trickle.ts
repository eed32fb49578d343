/**
 * Trickle ICE for one server PeerConnection, both ways.
 *
 * Out: the server answers as soon as libdatachannel has its local description (host candidates
 * are in it already: libjuice gathers them when the agent is made); whatever it gathers later
 * (server-reflexive, relayed) is handed to a sink as it comes, then `null` once gathering is
 * complete. Candidates are rewritten for `--announced-ip` by the rule the answer follows
 * (announced-address.ts): one host candidate per (component, transport, port) group on the
 * announced address, the answer's own counting as sent.
 *
 * In: a client's trickled candidates are checked by the candidate policy its offer's are
 * (ice-candidates.ts), counted against the same cap per connection (the offer's kept ones
 * included), and must name this connection's media section and, when they carry one, the ICE
 * username fragment of its offer. TCP and mDNS candidates are accepted and ignored, as in offers.
 */
import type { PeerConnection } from 'node-datachannel';
import type { IceCandidate } from '../../contract/media';
import { BullpenError } from '../../contract/result';
import { announceCandidate, hostGroupKey } from './announced-address';
import { candidateDropReason, STRICT_CANDIDATE_POLICY, type CandidatePolicy, type DropReason } from './ice-candidates';

/** Receives the server's candidates for one connection, then `null` once there are no more. */
export type CandidateSink = (candidate: IceCandidate | null) => void;

export interface IceTrickleOptions {
  /** The offer's media section id: trickled candidates must name it (or no section). */
  mid: string;
  /** The offer's ICE username fragment, if it has one. */
  remoteUfrag: string | null;
  /** Candidates kept from the offer: they count toward the policy's cap. */
  offered: number;
  policy?: CandidatePolicy;
  announcedIp?: string;
  /** Where the server's candidates go; none: they are dropped (the answer carries the host ones). */
  sink?: CandidateSink;
}

/** Why a trickled candidate is refused, for a person reading the error. */
const REFUSED: Record<Exclude<DropReason, 'over-limit' | 'mdns' | 'not-udp'>, string> = {
  malformed: 'it is not a valid ICE candidate',
  'not-rtp-component': 'only component 1 is used (RTCP is multiplexed on RTP)',
  hostname: 'its address is a host name, not an IP address',
  loopback: 'this server does not send to loopback addresses',
  'link-local': 'this server does not send to link-local addresses',
  'not-unicast': 'its address is not a unicast address',
};

const ANSWER_CANDIDATE = /^a=candidate:(\S+ (\d+) (\S+) \d+ \S+ (\d+) typ (\S+).*)$/gm;

export class IceTrickle {
  readonly #pc: PeerConnection;
  readonly #opts: IceTrickleOptions;
  readonly #policy: CandidatePolicy;
  /** Keys of candidates the client has (from the answer or pushed). */
  readonly #sent = new Set<string>();
  /** Gathered before the answer was made; null once it was. */
  #pending: (string | null)[] | null = [];
  #ufrag = '';
  #remoteCount: number;
  #ignored = 0;
  #ended = false;
  #closed = false;

  constructor(pc: PeerConnection, opts: IceTrickleOptions) {
    this.#pc = pc;
    this.#opts = opts;
    this.#policy = opts.policy ?? STRICT_CANDIDATE_POLICY;
    this.#remoteCount = opts.offered;
    pc.onLocalCandidate((candidate) => this.#local(candidate));
    pc.onGatheringStateChange((state) => {
      if (state === 'complete') this.#local(null);
    });
  }

  /** Trickled candidates the client sent that were accepted but not tried (TCP, mDNS). */
  get ignored(): number {
    return this.#ignored;
  }

  /**
   * The answer (as sent: rewritten, ingress added) is made: its candidates count as sent, and
   * anything gathered meanwhile goes out now.
   */
  answered(answerSdp: string): void {
    this.#ufrag = /^a=ice-ufrag:(\S+)/m.exec(answerSdp)?.[1] ?? '';
    for (const m of answerSdp.matchAll(ANSWER_CANDIDATE)) {
      const [, value, component, transport, port, type] = m as unknown as string[];
      this.#sent.add(this.#opts.announcedIp && type === 'host' ? hostGroupKey(component!, transport!, port!) : `candidate:${value}`);
    }
    const pending = this.#pending ?? [];
    this.#pending = null;
    for (const candidate of pending) this.#local(candidate);
  }

  /**
   * Adds a client's trickled candidate (null: it has no more, which libdatachannel needs not be
   * told). Throws BAD_REQUEST, changing nothing, for a candidate of another connection or section,
   * one the policy refuses, or one past the cap; MEDIA_FAILED once closed.
   */
  addRemote(init: IceCandidate | null): void {
    if (this.#closed) throw new BullpenError('MEDIA_FAILED', 'This media connection is closed; publish or join again.');
    if (init === null) return;
    const { remoteUfrag, mid } = this.#opts;
    if (init.usernameFragment !== undefined && remoteUfrag !== null && init.usernameFragment !== remoteUfrag) {
      throw new BullpenError('BAD_REQUEST', 'This ICE candidate belongs to an older connection (its username fragment is not the current offer’s).');
    }
    if (init.sdpMid !== null && init.sdpMid !== mid) {
      throw new BullpenError('BAD_REQUEST', `This connection has no media section "${init.sdpMid}" (its audio is "${mid}").`);
    }
    const value = init.candidate.slice('candidate:'.length);
    const reason = candidateDropReason(value, this.#policy);
    if (reason === 'mdns' || reason === 'not-udp') {
      // As in offers: such a client's checks still reach us (peer-reflexive); nothing to try.
      this.#ignored++;
      return;
    }
    if (reason) throw new BullpenError('BAD_REQUEST', `ICE candidate refused: ${REFUSED[reason]}.`);
    if (this.#remoteCount >= this.#policy.maxCandidates) {
      throw new BullpenError('BAD_REQUEST', `Too many ICE candidates for one connection (at most ${this.#policy.maxCandidates}).`);
    }
    try {
      this.#pc.addRemoteCandidate(`a=candidate:${value}`, mid);
    } catch (err) {
      throw new BullpenError('BAD_REQUEST', `ICE candidate refused: ${err instanceof Error ? err.message : String(err)}`);
    }
    this.#remoteCount++;
  }

  /** Stops pushing; further remote candidates are refused. Idempotent. */
  close(): void {
    this.#closed = true;
    this.#pending = null;
  }

  #local(candidate: string | null): void {
    if (this.#closed || this.#ended) return;
    if (this.#pending) {
      this.#pending.push(candidate);
      return;
    }
    const sink = this.#opts.sink;
    if (candidate === null) {
      this.#ended = true;
      sink?.(null);
      return;
    }
    const raw = candidate.replace(/^a=/, '');
    const { announcedIp } = this.#opts;
    const out = announcedIp ? announceCandidate(raw, announcedIp) : { value: raw, key: raw };
    if (!out || this.#sent.has(out.key)) return;
    this.#sent.add(out.key);
    sink?.({ candidate: out.value, sdpMid: this.#opts.mid, ...(this.#ufrag ? { usernameFragment: this.#ufrag } : {}) });
  }
}

/** The ICE username fragment of an SDP (session or first media level), if any. */
export function iceUfragOf(sdp: string): string | null {
  return /^a=ice-ufrag:(\S+)/m.exec(sdp)?.[1] ?? null;
}

/**
 * The trickle of a peer answering `offer`: its section, ufrag and kept candidates, with the
 * peer's network options and where its own candidates go.
 */
export function trickleFor(
  pc: PeerConnection,
  offer: { mid: string; sdp: string; candidates: { kept: number } },
  opts: { candidatePolicy?: CandidatePolicy; announcedIp?: string; onCandidate?: CandidateSink },
): IceTrickle {
  return new IceTrickle(pc, {
    mid: offer.mid,
    remoteUfrag: iceUfragOf(offer.sdp),
    offered: offer.candidates.kept,
    ...(opts.candidatePolicy ? { policy: opts.candidatePolicy } : {}),
    ...(opts.announcedIp ? { announcedIp: opts.announcedIp } : {}),
    ...(opts.onCandidate ? { sink: opts.onCandidate } : {}),
  });
}
