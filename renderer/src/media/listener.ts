import { createStereoMix, type StereoMix } from './stereo-mix';
import type { ListenStats } from '../state/store';
import { audioContext } from './audio-context';
import { levelReader, meterAnalyser, type LevelReader } from './level';
import type { IceCandidate } from '../../../contract';
import { withOpusStereo } from './sdp';
import { CandidateTrickle } from './candidate-trickle';

export type PlaybackState = 'connecting' | 'connected' | 'failed';

export interface PlaybackMix {
  stereo: boolean;
  /** -1 = only the rep (left), 0 = both, 1 = only the customer (right). */
  balance: number;
  volume: number;
}

/** Mono folds both sides into each ear at this gain, so the sum does not clip. */

/**
 * One listener's receive-only connection to a call and its playback:
 *
 *   remote track → MediaStreamSource → ChannelSplitter ─┬→ L→L, L→R gains ─┐
 *                                                        └→ R→L, R→R gains ─┴→ merger → volume → meter → speakers
 *
 * The 2×2 gain matrix gives stereo or mono and the rep ↔ customer balance.
 */
export class ListenerPlayback {
  readonly #pc: RTCPeerConnection;
  readonly #ctx: AudioContext;
  readonly #onState: (state: PlaybackState) => void;
  readonly #mix: StereoMix;
  readonly #volume: GainNode;
  readonly #analyser: AnalyserNode;
  readonly #level: LevelReader;
  /** Per-side levels as sent (before balance and volume): who is talking. */
  readonly #sideLevels: { rep: LevelReader; customer: LevelReader };
  #source: MediaStreamAudioSourceNode | null = null;
  /** Keeps the remote stream flowing in Chrome; see #onTrack. */
  #sink: HTMLAudioElement | null = null;
  #hasTrack = false;
  #closed = false;
  readonly #trickle: CandidateTrickle;

  /** `sendCandidate` sends our ICE candidates for this join (`media:candidate`, role listener). */
  constructor(opts: { iceServers?: RTCIceServer[]; onState(state: PlaybackState): void; sendCandidate(candidate: IceCandidate | null): void }) {
    this.#onState = opts.onState;
    this.#ctx = audioContext();
    this.#pc = new RTCPeerConnection({ iceServers: opts.iceServers ?? [], bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' });
    this.#pc.addEventListener('track', (event) => this.#onTrack(event));
    const pc = this.#pc;
    this.#trickle = new CandidateTrickle({ send: opts.sendCandidate, apply: (candidate) => pc.addIceCandidate(candidate) });
    pc.addEventListener('icecandidate', (event) => this.#trickle.local(event.candidate));
    this.#pc.addEventListener('connectionstatechange', () => {
      if (this.#closed) return;
      const state = this.#pc.connectionState;
      if (state === 'connected') this.#onState('connected');
      else if (state === 'failed') this.#onState('failed');
    });

    const ctx = this.#ctx;
    this.#mix = createStereoMix(ctx);
    this.#volume = ctx.createGain();
    this.#analyser = meterAnalyser(ctx);
    this.#mix.output.connect(this.#volume).connect(this.#analyser).connect(ctx.destination);
    this.#level = levelReader(this.#analyser);
    const sideMeter = (channel: number) => {
      const analyser = meterAnalyser(ctx);
      this.#mix.input.connect(analyser, channel);
      return levelReader(analyser);
    };
    this.#sideLevels = { rep: sideMeter(0), customer: sideMeter(1) };
    this.setMix({ stereo: true, balance: 0, volume: 1 });
  }

  /**
   * Creates the receive-only offer to send with `listen:join` at once: ICE candidates follow
   * through `sendCandidate` once the join is answered (trickle ICE). Chrome decodes stereo Opus only when its own description says
   * `stereo=1`, so the offer is munged before it is applied.
   */
  async offer(): Promise<string> {
    this.#pc.addTransceiver('audio', { direction: 'recvonly' });
    const offer = await this.#pc.createOffer();
    await this.#pc.setLocalDescription({ type: 'offer', sdp: withOpusStereo(offer.sdp ?? '') });
    const sdp = this.#pc.localDescription?.sdp;
    if (!sdp) throw new Error('No local description');
    return sdp;
  }

  /** Applies the server's answer (its send-only track for this listener); candidates flow then. */
  async accept(answerSdp: string): Promise<void> {
    await this.#pc.setRemoteDescription({ type: 'answer', sdp: answerSdp });
    if (!this.#closed) this.#trickle.ready(answerSdp);
  }

  /** The server's ICE candidate for this join (held until the answer is applied). */
  remoteCandidate(candidate: IceCandidate | null): void {
    this.#trickle.remote(candidate);
  }

  /** Applies stereo/mono, balance and volume, smoothly. */
  setMix(mix: PlaybackMix): void {
    this.#mix.set(mix);
    this.#volume.gain.setTargetAtTime(Math.max(0, Math.min(1.5, mix.volume)), this.#ctx.currentTime, 0.02);
  }

  /** What the listener hears right now (0..1), for the live meter. */
  read(): number {
    return this.#hasTrack && !this.#closed ? this.#level() : 0;
  }

  /** Level (0..1) of one side of the call as the host sends it: left = rep, right = customer. */
  readSide(side: 'rep' | 'customer'): number {
    return this.#hasTrack && !this.#closed ? this.#sideLevels[side]() : 0;
  }

  /** Receive statistics of the call's audio (inbound-rtp), or null before any arrives. */
  async stats(): Promise<ListenStats | null> {
    if (this.#closed) return null;
    const report = await this.#pc.getStats();
    type Inbound = { type: string; kind?: string; packetsReceived?: number; packetsLost?: number; audioLevel?: number; jitter?: number };
    for (const stat of report.values() as IterableIterator<Inbound>) {
      if (stat.type === 'inbound-rtp' && stat.kind === 'audio') {
        return {
          packetsReceived: stat.packetsReceived ?? 0,
          packetsLost: Math.max(0, stat.packetsLost ?? 0),
          audioLevel: stat.audioLevel ?? 0,
          jitterMs: Math.round((stat.jitter ?? 0) * 1000),
        };
      }
    }
    return null;
  }

  /**
   * The receiver's inbound-rtp jitter-buffer counters (how long audio waits before it is
   * heard), or null before any audio arrived.
   */
  async jitterBuffer(): Promise<{ jitterBufferDelay?: number; jitterBufferEmittedCount?: number } | null> {
    if (this.#closed) return null;
    const report = await this.#pc.getStats();
    type Inbound = { type: string; kind?: string; jitterBufferDelay?: number; jitterBufferEmittedCount?: number };
    for (const stat of report.values() as IterableIterator<Inbound>) {
      if (stat.type === 'inbound-rtp' && stat.kind === 'audio') {
        return { jitterBufferDelay: stat.jitterBufferDelay, jitterBufferEmittedCount: stat.jitterBufferEmittedCount };
      }
    }
    return null;
  }

  /** Stops playback and closes the connection. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#trickle.close();
    this.#pc.close();
    this.#source?.disconnect();
    this.#mix.disconnect();
    this.#analyser.disconnect();
    if (this.#sink) {
      this.#sink.pause();
      this.#sink.srcObject = null;
    }
  }

  #onTrack(event: RTCTrackEvent): void {
    if (this.#closed || event.track.kind !== 'audio') return;
    const stream = event.streams[0] ?? new MediaStream([event.track]);
    // Chrome hands a remote stream to WebAudio only while a media element plays it, and it
    // measures inbound-rtp audioLevel after that element's volume: a muted element would
    // report silence. So the element plays at full volume, but into WebAudio through a
    // zero gain: nothing is heard from it, and the stats see the call's real level.
    const sink = new Audio();
    sink.srcObject = stream;
    void sink.play().catch(() => undefined);
    const silence = this.#ctx.createGain();
    silence.gain.value = 0;
    this.#ctx.createMediaElementSource(sink).connect(silence).connect(this.#ctx.destination);
    this.#sink = sink;
    this.#source?.disconnect();
    this.#source = this.#ctx.createMediaStreamSource(stream);
    this.#source.connect(this.#mix.input);
    this.#hasTrack = true;
  }
}
