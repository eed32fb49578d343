/**
 * The server's end of a host's PeerConnection: receives the host's one stereo Opus track.
 *
 * The browser offers (its track sendonly); we answer recvonly. Instead of letting libdatachannel
 * mirror the browser's offer (it would echo every codec, RED, transport-cc and extensions we don't
 * implement, and Chrome's `minptime=10;useinbandfec=1` without `stereo=1`, so Chrome would encode
 * mono), we add our own receive-only track with the offer's mid before applying the offer:
 * libdatachannel then answers with exactly that track description — Opus only, with
 * `stereo=1;sprop-stereo=1`.
 */
import { EventEmitter } from 'node:events';
import nodeDataChannel from 'node-datachannel';
import type { MediaHandler, PeerConnection, Track } from 'node-datachannel';
import type { Logger } from '../logger';
import type { IceCandidate } from '../../contract/media';
import { trickleFor, type CandidateSink, type IceTrickle } from './ice-trickle';
import { answerOffer, closePeer, logDroppedCandidates, rtcConfig, type PeerNetworkOptions, type PeerState } from './peer-connection';
import { isRtcp } from './rtp';
import { checkHostOffer, withStereo, type HostOffer } from './sdp';

export interface PublisherPeerEvents {
  /** One RTP packet from the host (RTCP is split off). The buffer is ours to keep or rewrite. */
  rtp: [packet: Buffer];
  state: [state: PeerState];
}

export interface PublisherPeerOptions extends PeerNetworkOptions {
  offerSdp: string;
  log: Logger;
  /** Receives the server's ICE candidates gathered after the answer (trickle ICE). */
  onCandidate?: CandidateSink;
}

export class PublisherPeer {
  /** The Opus payload type the host uses. */
  readonly payloadType: number;
  readonly #pc: PeerConnection;
  // Held for the peer's lifetime: node-datachannel closes a track when its JS wrapper is garbage
  // collected, and forwarding then stops silently.
  readonly #media: { track: Track; handler: MediaHandler };
  readonly #events = new EventEmitter<PublisherPeerEvents>();
  readonly #log: Logger;
  readonly #abort = new AbortController();
  readonly #trickle: IceTrickle;
  #answerSdp = '';
  #state: PeerState | 'new' = 'new';
  #closed = false;

  private constructor(opts: PublisherPeerOptions, offer: HostOffer) {
    this.#log = opts.log;
    this.payloadType = offer.opusPayloadType;
    this.#pc = new nodeDataChannel.PeerConnection('publisher', rtcConfig(opts));
    // Callbacks are registered first, whatever happens next: node-datachannel only releases a
    // peer's native callbacks (which keep the process alive) when it sees the closed state.
    this.#pc.onStateChange((state) => this.#onPcState(state));
    this.#trickle = trickleFor(this.#pc, offer, opts);
    const audio = new nodeDataChannel.Audio(offer.mid, 'RecvOnly');
    audio.addOpusCodec(offer.opusPayloadType, withStereo(offer.opusFmtp));
    const track = this.#pc.addTrack(audio);
    // Answers the host's sender reports with receiver reports, so the browser sees its stream
    // received; it consumes incoming RTCP and passes RTP on.
    const handler = new nodeDataChannel.RtcpReceivingSession();
    track.setMediaHandler(handler);
    this.#media = { track, handler };
    track.onClosed(() => {});
    track.onMessage((msg) => {
      if (this.#closed) return;
      // RTCP should not get past the RTCP session; split anyway, it must never be forwarded.
      if (isRtcp(msg)) return;
      this.#events.emit('rtp', msg);
    });
  }

  /**
   * Applies the host's offer and resolves with the answer at once (its host candidates in it;
   * later ones go to `onCandidate`). Throws BAD_REQUEST for an unusable offer, MEDIA_FAILED if the answer cannot be made.
   */
  static async create(opts: PublisherPeerOptions): Promise<PublisherPeer> {
    // Before any PeerConnection exists: a refused offer leaves nothing behind.
    const offer = checkHostOffer(opts.offerSdp, opts.candidatePolicy);
    logDroppedCandidates(opts.log, offer);
    const peer = new PublisherPeer(opts, offer);
    try {
      await peer.#answer(offer.sdp, opts);
      return peer;
    } catch (err) {
      peer.close();
      throw err;
    }
  }

  /** The answer SDP for the host. */
  get answerSdp(): string {
    return this.#answerSdp;
  }

  get state(): PeerState | 'new' {
    return this.#state;
  }

  on<K extends keyof PublisherPeerEvents>(event: K, fn: (...args: PublisherPeerEvents[K]) => void): this {
    this.#events.on(event, fn as never);
    return this;
  }

  off<K extends keyof PublisherPeerEvents>(event: K, fn: (...args: PublisherPeerEvents[K]) => void): this {
    this.#events.off(event, fn as never);
    return this;
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
    this.#abort.abort();
    this.#trickle.close();
    closePeer(this.#pc, this.#media.track, this.#log);
    this.#setState('closed');
    this.#events.removeAllListeners();
  }

  async #answer(offerSdp: string, network: PeerNetworkOptions): Promise<void> {
    this.#answerSdp = answerOffer(this.#pc, offerSdp, network, this.#abort.signal, this.#trickle);
  }

  #onPcState(state: string): void {
    if (this.#closed) return;
    if (state === 'connected' || state === 'disconnected' || state === 'failed') this.#setState(state);
    else if (state === 'closed') this.close();
  }

  #setState(state: PeerState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.#events.emit('state', state);
  }
}
