import { HOST_RECONNECT_GRACE_MS, type AppError, type IceCandidate, type Result } from '../../../contract';
import { withOpusStereo } from './sdp';
import { CandidateTrickle } from './candidate-trickle';
import { clientError } from '../api/errors';
import { republishDelayMs } from './failover-retry';

export type PublisherState = 'connecting' | 'connected' | 'reconnecting';

export interface PublisherOptions {
  /** The host's stereo track (left = rep, right = call) and the stream it belongs to. */
  track: MediaStreamTrack;
  stream: MediaStream;
  /**
   * The ICE servers (TURN with fresh credentials) for each new connection, asked before every
   * publish and republish. None by default: the server is reached directly.
   */
  iceServers?: () => Promise<RTCIceServer[]>;
  onState(state: PublisherState): void;
  /** Sends a fresh offer into the existing call (`call:publish`). */
  republish(offer: string): Promise<Result<{ answer: string }>>;
  /** Sends one of our ICE candidates for the call's publish (`media:candidate`, role host). */
  sendCandidate(callId: string, candidate: IceCandidate | null): void;
  /** Republishing gave up: the call is gone or the grace period passed. */
  onGone(error: AppError): void;
}

/** Codes after which republishing cannot help. */
const FINAL_CODES = new Set(['CALL_ENDED', 'CALL_NOT_FOUND', 'NOT_HOST', 'UNAUTHENTICATED', 'FORBIDDEN']);
/** A `disconnected` connection often recovers by itself; give it this long first. */
const DISCONNECTED_PATIENCE_MS = 3_000;
/** A fresh connection that is not up by then is replaced. */
const CONNECT_WATCHDOG_MS = 10_000;

export interface SendStats {
  packetsSent: number;
  bytesSent: number;
}

/**
 * Publishes the host's stereo track to the server: one send-only transceiver, the offer sent at
 * once and ICE candidates trickled both ways (candidate-trickle.ts), answer munged so Chrome
 * sends stereo Opus. When the
 * connection fails it publishes again with a fresh RTCPeerConnection through `republish`,
 * backing off, until it works or the server's reconnect grace has passed.
 */
export class Publisher {
  readonly #opts: PublisherOptions;
  #pc: RTCPeerConnection | null = null;
  /** The current connection's trickle; the server's pushes go to it. */
  #trickle: CandidateTrickle | null = null;
  /** The call published into, once a reply named it. */
  #callId: string | null = null;
  #generation = 0;
  #closed = false;
  #awaySince: number | null = null;
  #attempt = 0;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #patienceTimer: ReturnType<typeof setTimeout> | undefined;
  #watchdog: ReturnType<typeof setTimeout> | undefined;
  #republishing = false;
  #againAfterThis = false;

  constructor(opts: PublisherOptions) {
    this.#opts = opts;
  }

  /**
   * The first publish: `send` carries the offer to the server (`call:start`) and resolves
   * with its reply, which must include the SDP answer, and name the call unless `callId` does.
   */
  publish<T extends { answer: string; call?: { id: string } }>(send: (offer: string) => Promise<Result<T>>, callId?: string): Promise<Result<T>> {
    if (callId) this.#callId = callId;
    this.#opts.onState('connecting');
    return this.#negotiate(send);
  }

  /** The server's ICE candidate for our publish (`media:candidate`, role host) of `callId`. */
  remoteCandidate(callId: string, candidate: IceCandidate | null): void {
    if (callId === this.#callId || this.#callId === null) this.#trickle?.remote(candidate);
  }

  /** Publishes again now, e.g. after the signalling connection came back. */
  reconnectNow(): void {
    if (this.#closed) return;
    this.#awaySince ??= Date.now();
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    if (this.#republishing) this.#againAfterThis = true;
    else void this.#republishOnce();
  }

  async sendStats(): Promise<SendStats | null> {
    const pc = this.#pc;
    if (!pc) return null;
    const report = await pc.getStats();
    for (const stat of report.values() as IterableIterator<{ type: string; kind?: string; packetsSent?: number; bytesSent?: number }>) {
      if (stat.type === 'outbound-rtp' && stat.kind === 'audio') {
        return { packetsSent: stat.packetsSent ?? 0, bytesSent: stat.bytesSent ?? 0 };
      }
    }
    return null;
  }

  /** Stops publishing. Idempotent. The track itself belongs to the mix. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#clearTimers();
    this.#trickle?.close();
    this.#trickle = null;
    this.#pc?.close();
    this.#pc = null;
  }

  async #negotiate<T extends { answer: string; call?: { id: string } }>(send: (offer: string) => Promise<Result<T>>): Promise<Result<T>> {
    const generation = ++this.#generation;
    this.#trickle?.close();
    this.#trickle = null;
    this.#pc?.close();
    const iceServers = (await this.#opts.iceServers?.()) ?? [];
    if (this.#stale(generation)) return mediaFailed('The audio connection was replaced.');
    const pc = new RTCPeerConnection({ iceServers, bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' });
    this.#pc = pc;
    pc.addTransceiver(this.#opts.track, { direction: 'sendonly', streams: [this.#opts.stream] });
    pc.addEventListener('connectionstatechange', () => this.#onConnectionState(pc));
    const trickle = new CandidateTrickle({
      send: (candidate) => {
        if (this.#callId && !this.#stale(generation)) this.#opts.sendCandidate(this.#callId, candidate);
      },
      apply: (candidate) => pc.addIceCandidate(candidate),
    });
    this.#trickle = trickle;
    pc.addEventListener('icecandidate', (event) => trickle.local(event.candidate));

    let offer: string;
    try {
      // Sent at once: candidates follow as they are gathered (trickle ICE).
      await pc.setLocalDescription(await pc.createOffer());
      offer = pc.localDescription?.sdp ?? '';
    } catch (error) {
      return mediaFailed(`Could not prepare the audio connection (${error instanceof Error ? error.message : 'unknown error'}).`);
    }
    if (this.#stale(generation)) return mediaFailed('The audio connection was replaced.');

    const reply = await send(offer);
    if (!reply.ok) return reply;
    if (this.#stale(generation)) return mediaFailed('The audio connection was replaced.');
    this.#callId = reply.value.call?.id ?? this.#callId;
    try {
      await pc.setRemoteDescription({ type: 'answer', sdp: withOpusStereo(reply.value.answer) });
    } catch {
      return mediaFailed('The server’s audio answer could not be used. Try going live again.');
    }
    if (this.#stale(generation)) return mediaFailed('The audio connection was replaced.');
    trickle.ready(reply.value.answer);
    clearTimeout(this.#watchdog);
    this.#watchdog = setTimeout(() => {
      if (!this.#stale(generation) && pc.connectionState !== 'connected') this.#scheduleRepublish(0);
    }, CONNECT_WATCHDOG_MS);
    return reply;
  }

  #stale(generation: number): boolean {
    return this.#closed || generation !== this.#generation;
  }

  #onConnectionState(pc: RTCPeerConnection): void {
    if (pc !== this.#pc || this.#closed) return;
    switch (pc.connectionState) {
      case 'connected':
        this.#clearTimers();
        this.#awaySince = null;
        this.#attempt = 0;
        this.#opts.onState('connected');
        break;
      case 'disconnected':
        this.#opts.onState('reconnecting');
        clearTimeout(this.#patienceTimer);
        this.#patienceTimer = setTimeout(() => {
          if (pc === this.#pc && pc.connectionState === 'disconnected') this.#scheduleRepublish(0);
        }, DISCONNECTED_PATIENCE_MS);
        break;
      case 'failed':
        this.#opts.onState('reconnecting');
        this.#scheduleRepublish(0);
        break;
      default:
        break;
    }
  }

  #scheduleRepublish(delayMs: number): void {
    if (this.#closed || this.#retryTimer || this.#republishing) return;
    this.#awaySince ??= Date.now();
    this.#opts.onState('reconnecting');
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      void this.#republishOnce();
    }, delayMs);
  }

  async #republishOnce(): Promise<void> {
    if (this.#closed) return;
    this.#republishing = true;
    this.#awaySince ??= Date.now();
    this.#opts.onState('reconnecting');
    const result = await this.#negotiate((offer) => this.#opts.republish(offer));
    this.#republishing = false;
    if (this.#closed) return;
    if (this.#againAfterThis) {
      this.#againAfterThis = false;
      void this.#republishOnce();
      return;
    }
    if (result.ok) return; // the connection state (or the watchdog) takes it from here
    if (FINAL_CODES.has(result.error.code)) {
      this.#opts.onGone(result.error);
      return;
    }
    if (Date.now() - (this.#awaySince ?? Date.now()) > HOST_RECONNECT_GRACE_MS) {
      this.#opts.onGone(clientError('MEDIA_FAILED', 'Your connection to the server was lost for too long, so the call ended.'));
      return;
    }
    this.#attempt += 1;
    this.#scheduleRepublish(republishDelayMs(result.error.code, this.#attempt));
  }

  #clearTimers(): void {
    clearTimeout(this.#retryTimer);
    clearTimeout(this.#patienceTimer);
    clearTimeout(this.#watchdog);
    this.#retryTimer = undefined;
  }
}

function mediaFailed(message: string): { ok: false; error: AppError } {
  return { ok: false, error: clientError('MEDIA_FAILED', message) };
}
