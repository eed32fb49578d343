/**
 * The server's end of one listener's PeerConnection: the listener offers to receive audio, the
 * server answers with a send-only stereo Opus track of its own SSRC, and the forwarder sends
 * rewritten RTP on it.
 *
 * The listener offers (not the server) because libdatachannel, on the offering side, hands the
 * remote ICE credentials to its agent before it stores the remote DTLS fingerprint: a listener
 * that connected quickly then failed "certificate verify" under load. As the answerer, the server
 * has the whole remote description before any packet can arrive.
 *
 * Listen-only is enforced here, not by the client: an offer that is anything but one receive-only
 * audio section is refused (sdp.ts) before a PeerConnection exists, and nothing a listener sends
 * anyway is ever passed on. libdatachannel itself discards RTP arriving on a send-only track, natively, before JavaScript
 * sees it (it only shows in its process-wide log counter "media packets sent in invalid
 * directions"); anything that still reached us would be dropped and counted in
 * `droppedInbound`. RTCP (receiver reports) is read and discarded so it does not queue up.
 *
 * Stereo: the answer carries `stereo=1;sprop-stereo=1`, but Chrome decides how to decode from its
 * own description. Measured with Chromium 156: unless the listener adds `stereo=1` to the Opus
 * fmtp of its local description before setLocalDescription, it downmixes both sides to mono.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { EventEmitter } from 'node:events';
import nodeDataChannel from 'node-datachannel';
import type { MediaHandler, PeerConnection, Track } from 'node-datachannel';
import type { Logger } from '../logger';
import type { IceCandidate } from '../../contract/media';
import { trickleFor, type CandidateSink, type IceTrickle } from './ice-trickle';
import { answerOffer, closePeer, logDroppedCandidates, rtcConfig, type PeerNetworkOptions, type PeerState } from './peer-connection';
import { isRtcp, rtcpHasBye } from './rtp';
import { checkListenerOffer, withStereo, type ListenerOffer } from './sdp';


export interface SubscriberPeerEvents {
  /** `connected` once the track is open (media can flow), and again after an ICE recovery. */
  state: [state: PeerState];
}

export interface SubscriberPeerOptions extends PeerNetworkOptions {
  /** The listener's offer (receive-only audio with Opus, nothing else). */
  offerSdp: string;
  log: Logger;
  /** Receives the server's ICE candidates gathered after the answer (trickle ICE). */
  onCandidate?: CandidateSink;
  /** SSRC of the server's outgoing stream for this listener; random by default. */
  ssrc?: number;
  /** The MediaStream / track ids the browser sees (`a=msid`). */
  msid?: { stream: string; track: string };
  /**
   * Send RTCP sender reports (libdatachannel's RtcpSrReporter, which reads the RTP we send, so it
   * works with pre-built packets). Default true.
   */
  senderReports?: boolean;
  /** Sees every RTCP packet the listener sends (receiver reports); they are discarded after. */
  onRtcp?: (packet: Buffer) => void;
}

export class SubscriberPeer {
  readonly ssrc: number;
  readonly #pc: PeerConnection;
  // Held for the peer's lifetime: node-datachannel closes a track whose JS wrapper is collected.
  readonly #media: { track: Track; handler: MediaHandler | null };
  readonly #events = new EventEmitter<SubscriberPeerEvents>();
  readonly #log: Logger;
  readonly #onRtcp: ((packet: Buffer) => void) | null;
  readonly #abort = new AbortController();
  readonly #trickle: IceTrickle;
  readonly #payloadType: number;
  #answerSdp = '';
  #trackOpen = false;
  #state: PeerState | 'new' = 'new';
  #closed = false;
  #droppedInbound = 0;
  #rtcpIn = 0;

  private constructor(opts: SubscriberPeerOptions, offer: ListenerOffer) {
    this.#log = opts.log;
    this.#onRtcp = opts.onRtcp ?? null;
    this.ssrc = opts.ssrc ?? randomSsrc();
    const cname = randomBytes(12).toString('base64url');
    const msid = opts.msid ?? { stream: 'bullpen', track: 'call-audio' };
    this.#pc = new nodeDataChannel.PeerConnection('subscriber', rtcConfig(opts));
    // Registered first so that node-datachannel can release the native callbacks on close.
    this.#pc.onStateChange((state) => this.#onPcState(state));
    this.#trickle = trickleFor(this.#pc, offer, opts);
    this.#payloadType = offer.opusPayloadType;
    // Our own send-only track under the offer's mid: the answer then carries exactly one Opus
    // format with stereo, and our SSRC.
    const audio = new nodeDataChannel.Audio(offer.mid, 'SendOnly');
    audio.addOpusCodec(offer.opusPayloadType, withStereo(offer.opusFmtp));
    audio.addSSRC(this.ssrc, cname, msid.stream, msid.track);
    const track = this.#pc.addTrack(audio);
    let handler: MediaHandler | null = null;
    if (opts.senderReports ?? true) {
      const config = new nodeDataChannel.RtpPacketizationConfig(this.ssrc, cname, offer.opusPayloadType, 48_000);
      handler = new nodeDataChannel.RtcpSrReporter(config);
      track.setMediaHandler(handler);
    }
    this.#media = { track, handler };
    track.onClosed(() => {
      this.#trackOpen = false;
      // Closed from the listener's side (its DTLS close_notify): stop now instead of sending
      // into the void until ICE consent expires (~30 s).
      this.#onPcState('closed');
    });
    track.onOpen(() => {
      if (this.#closed) return;
      this.#trackOpen = true;
      this.#setState('connected');
    });
    // Listen-only: nothing from the listener is passed on. RTCP is read (so it does not queue)
    // and discarded; RTP is dropped and counted.
    track.onMessage((msg) => {
      if (isRtcp(msg)) {
        this.#rtcpIn++;
        this.#onRtcp?.(msg);
        // The listener says goodbye (RTCP BYE): its connection is over, stop sending now.
        if (rtcpHasBye(msg)) this.#onPcState('closed');
      } else {
        this.#droppedInbound++;
      }
    });
  }

  /**
   * Applies the listener's offer and resolves with the answer at once (its host candidates in
   * it; later ones go to `onCandidate`). Throws BAD_REQUEST for an unusable offer, MEDIA_FAILED if no answer is made.
   */
  static async create(opts: SubscriberPeerOptions): Promise<SubscriberPeer> {
    // Before any PeerConnection exists: a refused offer leaves nothing behind.
    const offer = checkListenerOffer(opts.offerSdp, opts.candidatePolicy);
    logDroppedCandidates(opts.log, offer);
    const peer = new SubscriberPeer(opts, offer);
    try {
      peer.#answerSdp = answerOffer(peer.#pc, offer.sdp, opts, peer.#abort.signal, peer.#trickle);
      return peer;
    } catch (err) {
      peer.close();
      throw err;
    }
  }

  /** The server's answer for the listener. */
  get answerSdp(): string {
    return this.#answerSdp;
  }

  /** Opus payload type to write into packets for this listener (from its offer). */
  get payloadType(): number {
    return this.#payloadType;
  }

  get state(): PeerState | 'new' {
    return this.#state;
  }

  /** Whether packets can be sent now: track open and not closed. */
  get isOpen(): boolean {
    return this.#trackOpen && !this.#closed;
  }

  /**
   * RTP packets from the listener that reached JavaScript, all dropped. Normally 0: libdatachannel
   * already discards RTP on our send-only track.
   */
  get droppedInbound(): number {
    return this.#droppedInbound;
  }

  /** RTCP packets the listener sent us (read and discarded). */
  get rtcpIn(): number {
    return this.#rtcpIn;
  }

  on<K extends keyof SubscriberPeerEvents>(event: K, fn: (...args: SubscriberPeerEvents[K]) => void): this {
    this.#events.on(event, fn as never);
    return this;
  }

  off<K extends keyof SubscriberPeerEvents>(event: K, fn: (...args: SubscriberPeerEvents[K]) => void): this {
    this.#events.off(event, fn as never);
    return this;
  }

  /**
   * Sends one complete RTP packet (already rewritten for this listener). libdatachannel copies
   * and encrypts it synchronously, so the caller may reuse the buffer at once. Returns false if
   * the packet could not be sent.
   */
  send(packet: Buffer): boolean {
    if (!this.#trackOpen || this.#closed) return false;
    try {
      return this.#media.track.sendMessageBinary(packet);
    } catch {
      return false;
    }
  }

  /**
   * Adds one of the client's trickled ICE candidates (null: no more). BAD_REQUEST, changing
   * nothing, for one the candidate policy refuses or past the cap; see ice-trickle.ts.
   */
  addRemoteCandidate(candidate: IceCandidate | null): void {
    this.#trickle.addRemote(candidate);
  }

  /** Closes the connection; emits `state: closed` once. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#trackOpen = false;
    this.#abort.abort();
    this.#trickle.close();
    closePeer(this.#pc, this.#media.track, this.#log);
    this.#setState('closed');
    this.#events.removeAllListeners();
  }

  #onPcState(state: string): void {
    if (this.#closed) return;
    switch (state) {
      case 'connected':
        // Back from `disconnected` (ICE recovered) with the track still open.
        if (this.#trackOpen) this.#setState('connected');
        break;
      case 'disconnected':
      case 'failed':
        this.#setState(state);
        break;
      case 'closed':
        this.close();
        break;
      default:
        break;
    }
  }

  #setState(state: PeerState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.#events.emit('state', state);
  }
}

/** A random non-zero 32-bit SSRC. */
export function randomSsrc(): number {
  return randomInt(1, 0xffff_ffff);
}
