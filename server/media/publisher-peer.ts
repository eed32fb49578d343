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
import type { MediaHandler, PeerConnection, RtcConfig, Track } from 'node-datachannel';
import { BullpenError } from '../../contract/result';
import type { Logger } from '../logger';
import { isRtcp } from './rtp';
import { checkHostOffer, withStereo, type HostOffer } from './sdp';

export type PeerState = 'connected' | 'disconnected' | 'failed' | 'closed';

export interface PublisherPeerEvents {
  /** One RTP packet from the host (RTCP is split off). The buffer is ours to keep or rewrite. */
  rtp: [packet: Buffer];
  state: [state: PeerState];
}

/** ICE settings shared by both kinds of peer. */
export interface PeerNetworkOptions {
  /** libdatachannel ICE server URLs, e.g. `stun:stun.example.com:3478`; none on loopback. */
  iceServers?: string[];
  /** UDP port range to bind. */
  portRange?: { begin: number; end: number };
  /**
   * One UDP port shared by every connection (libjuice's ICE UDP mux): one port to open in a
   * firewall and no socket per connection. (Its memory effect measured within the benchmark's
   * noise: 154–376 KB RSS per listener with it, about 370 KB without.)
   */
  udpMuxPort?: number;
  /** How long to wait for ICE gathering to complete (no trickle). Default 10 s. */
  gatherTimeoutMs?: number;
}

export interface PublisherPeerOptions extends PeerNetworkOptions {
  offerSdp: string;
  log: Logger;
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
   * Applies the host's offer and resolves once the complete answer (all ICE candidates in it) is
   * ready. Throws BAD_REQUEST for an unusable offer, MEDIA_FAILED if the answer cannot be made.
   */
  static async create(opts: PublisherPeerOptions): Promise<PublisherPeer> {
    const offer = checkHostOffer(opts.offerSdp);
    const peer = new PublisherPeer(opts, offer);
    try {
      await peer.#answer(opts.offerSdp, opts.gatherTimeoutMs);
      return peer;
    } catch (err) {
      peer.close();
      throw err;
    }
  }

  /** The complete answer SDP for the host. */
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

  /** Closes the connection; emits `state: closed` once. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#abort.abort();
    closePeer(this.#pc, this.#media.track, this.#log);
    this.#setState('closed');
    this.#events.removeAllListeners();
  }

  async #answer(offerSdp: string, gatherTimeoutMs: number | undefined): Promise<void> {
    const gathered = waitForGathering(this.#pc, gatherTimeoutMs, this.#abort.signal);
    try {
      this.#pc.setRemoteDescription(offerSdp, 'offer');
    } catch (err) {
      gathered.catch(() => {});
      throw new BullpenError('BAD_REQUEST', `offer rejected: ${errorMessage(err)}`);
    }
    await gathered;
    const sdp = this.#pc.localDescription()?.sdp;
    if (!sdp) throw new BullpenError('MEDIA_FAILED', 'no local answer was produced');
    this.#answerSdp = sdp;
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

/** libdatachannel configuration from our network options. */
export function rtcConfig(opts: PeerNetworkOptions): RtcConfig {
  return {
    iceServers: opts.iceServers ?? [],
    ...(opts.portRange ? { portRangeBegin: opts.portRange.begin, portRangeEnd: opts.portRange.end } : {}),
    ...(opts.udpMuxPort ? { enableIceUdpMux: true, portRangeBegin: opts.udpMuxPort, portRangeEnd: opts.udpMuxPort } : {}),
  };
}

/**
 * Resolves when the PeerConnection's ICE gathering is complete; rejects with MEDIA_FAILED on
 * timeout or when `signal` aborts (the peer was closed meanwhile).
 */
export function waitForGathering(pc: PeerConnection, timeoutMs = 10_000, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const finish = (err?: BullpenError): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve();
    };
    const onAbort = (): void => finish(new BullpenError('MEDIA_FAILED', 'the connection was closed'));
    const timer = setTimeout(() => {
      finish(new BullpenError('MEDIA_FAILED', `ICE gathering did not complete within ${timeoutMs} ms`));
    }, timeoutMs);
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort);
    pc.onGatheringStateChange((state) => {
      if (state === 'complete') finish();
    });
    // The callback is asynchronous; gathering may already be over when we subscribe.
    if (pc.gatheringState() === 'complete') finish();
  });
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
