/**
 * The server's end of one listener's PeerConnection: the server offers a send-only stereo Opus
 * track with its own SSRC, the listener answers, and the forwarder sends rewritten RTP on it.
 *
 * Listen-only is enforced here, not by the client: nothing a listener sends is ever passed on.
 * libdatachannel itself discards RTP arriving on a send-only track, natively, before JavaScript
 * sees it (it only shows in its process-wide log counter "media packets sent in invalid
 * directions"); anything that still reached us would be dropped and counted in
 * `droppedInbound`. RTCP (receiver reports) is read and discarded so it does not queue up.
 *
 * Stereo: the offer carries `stereo=1;sprop-stereo=1`, but Chrome decides how to decode from its
 * own answer. Measured with Chromium 156: unless the listener adds `stereo=1` to the Opus fmtp of
 * its answer before setLocalDescription, it downmixes both sides to mono.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { EventEmitter } from 'node:events';
import nodeDataChannel from 'node-datachannel';
import type { MediaHandler, PeerConnection, Track } from 'node-datachannel';
import { BullpenError } from '../../contract/result';
import type { Logger } from '../logger';
import {
  closePeer,
  errorMessage,
  rtcConfig,
  waitForGathering,
  type PeerNetworkOptions,
  type PeerState,
} from './publisher-peer';
import { isRtcp } from './rtp';
import { checkListenerAnswer } from './sdp';

/** Opus fmtp the server offers: stereo both ways, in-band FEC. */
export const OPUS_FMTP = 'minptime=10;useinbandfec=1;stereo=1;sprop-stereo=1';
export const OPUS_PAYLOAD_TYPE = 111;

export interface SubscriberPeerEvents {
  /** `connected` once the track is open (media can flow), and again after an ICE recovery. */
  state: [state: PeerState];
}

export interface SubscriberPeerOptions extends PeerNetworkOptions {
  log: Logger;
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
  #offerSdp = '';
  #payloadType = OPUS_PAYLOAD_TYPE;
  #answered = false;
  #trackOpen = false;
  #state: PeerState | 'new' = 'new';
  #closed = false;
  #droppedInbound = 0;
  #rtcpIn = 0;

  private constructor(opts: SubscriberPeerOptions) {
    this.#log = opts.log;
    this.#onRtcp = opts.onRtcp ?? null;
    this.ssrc = opts.ssrc ?? randomSsrc();
    const cname = randomBytes(12).toString('base64url');
    const msid = opts.msid ?? { stream: 'bullpen', track: 'call-audio' };
    this.#pc = new nodeDataChannel.PeerConnection('subscriber', rtcConfig(opts));
    // Registered first so that node-datachannel can release the native callbacks on close.
    this.#pc.onStateChange((state) => this.#onPcState(state));
    const audio = new nodeDataChannel.Audio('0', 'SendOnly');
    audio.addOpusCodec(OPUS_PAYLOAD_TYPE, OPUS_FMTP);
    audio.addSSRC(this.ssrc, cname, msid.stream, msid.track);
    const track = this.#pc.addTrack(audio);
    let handler: MediaHandler | null = null;
    if (opts.senderReports ?? true) {
      const config = new nodeDataChannel.RtpPacketizationConfig(this.ssrc, cname, OPUS_PAYLOAD_TYPE, 48_000);
      handler = new nodeDataChannel.RtcpSrReporter(config);
      track.setMediaHandler(handler);
    }
    this.#media = { track, handler };
    track.onClosed(() => {
      this.#trackOpen = false;
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
      } else {
        this.#droppedInbound++;
      }
    });
  }

  /** Creates the offer and resolves once it is complete (all ICE candidates in it). */
  static async create(opts: SubscriberPeerOptions): Promise<SubscriberPeer> {
    const peer = new SubscriberPeer(opts);
    try {
      const gathered = waitForGathering(peer.#pc, opts.gatherTimeoutMs, peer.#abort.signal);
      peer.#pc.setLocalDescription();
      await gathered;
      const sdp = peer.#pc.localDescription()?.sdp;
      if (!sdp) throw new BullpenError('MEDIA_FAILED', 'no local offer was produced');
      peer.#offerSdp = sdp;
      return peer;
    } catch (err) {
      peer.close();
      throw err;
    }
  }

  /** The server's complete offer for the listener. */
  get offerSdp(): string {
    return this.#offerSdp;
  }

  /** Opus payload type to write into packets for this listener (from its answer). */
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
   * Applies the listener's answer. Throws BAD_REQUEST for an unusable answer (not audio, no Opus,
   * sendonly, or a second answer), NOT_LISTENING once closed, and MEDIA_FAILED (the peer is then
   * closed; joining again works) when libdatachannel loses the connection while applying it.
   *
   * That last case is a libdatachannel race seen under CPU load: applying the answer hands the
   * remote ICE credentials to the ICE agent before the remote DTLS fingerprint is stored, so if
   * the listener is already connected and handshakes within that window, the DTLS certificate
   * check fails ("certificate verify failed"), the connection closes, and setRemoteDescription
   * throws "Got a remote candidate without ICE transport". It only affects the offering side.
   */
  complete(answerSdp: string): void {
    if (this.#closed) throw new BullpenError('NOT_LISTENING', 'the listener connection is closed');
    if (this.#answered) throw new BullpenError('BAD_REQUEST', 'an answer was already applied');
    const answer = checkListenerAnswer(answerSdp);
    if (answer.direction === 'sendrecv') {
      this.#log.warn('listener answered sendrecv; anything it sends is dropped', { ssrc: this.ssrc });
    }
    try {
      this.#pc.setRemoteDescription(answerSdp, 'answer');
    } catch (err) {
      const message = errorMessage(err);
      if (/without ICE transport/.test(message)) {
        this.#log.warn('listener connection lost while applying its answer', { err: message });
        this.close();
        throw new BullpenError('MEDIA_FAILED', 'the listener connection failed while connecting; join again');
      }
      throw new BullpenError('BAD_REQUEST', `answer rejected: ${message}`);
    }
    this.#answered = true;
    this.#payloadType = answer.opusPayloadType;
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

  /** Closes the connection; emits `state: closed` once. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#trackOpen = false;
    this.#abort.abort();
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
