import { audioContext, resumeAudio } from './audio-context';
import { createStereoMix, type StereoMix } from './stereo-mix';

/** What the player UI shows; a new object whenever something changes. */
export interface PlayerSnapshot {
  playing: boolean;
  positionMs: number;
  durationMs: number;
  rate: number;
  stereo: boolean;
  /** -1 = only the rep (left), 0 = both, 1 = only the customer (right). */
  balance: number;
  /** When playing a range: where it stops. */
  stopAtMs: number | null;
}

export const PLAYBACK_RATES = [0.75, 1, 1.25, 1.5, 2] as const;

/** Mono folds both sides into each ear at this gain, so the sum does not clip. */

/**
 * Plays a clip or recording file (a blob) with a stereo/mono and rep ↔ customer balance mix:
 *
 *   <audio> → MediaElementSource → ChannelSplitter ─┬→ L→L, L→R gains ─┐
 *                                                    └→ R→L, R→R gains ─┴→ merger → speakers
 *
 * The element keeps seeking, speed (pitch preserved) and streaming decode; WebAudio only mixes.
 * Lives outside the store; the UI reads `snapshot()` through `subscribe()`.
 */
export class ClipPlayer {
  /** Object URL of the audio, also usable for downloading it. */
  readonly url: string;
  readonly #audio: HTMLAudioElement;
  readonly #ctx: AudioContext;
  readonly #source: MediaElementAudioSourceNode;
  readonly #mix: StereoMix;
  readonly #listeners = new Set<() => void>();
  #snapshot: PlayerSnapshot;
  #frame = 0;
  #closed = false;

  constructor(blob: Blob, durationHintMs: number) {
    this.url = URL.createObjectURL(blob);
    this.#audio = new Audio();
    this.#audio.preload = 'auto';
    this.#audio.src = this.url;
    this.#ctx = audioContext();
    const ctx = this.#ctx;
    this.#source = ctx.createMediaElementSource(this.#audio);
    this.#mix = createStereoMix(ctx);
    this.#source.connect(this.#mix.input);
    this.#mix.output.connect(ctx.destination);

    this.#snapshot = { playing: false, positionMs: 0, durationMs: durationHintMs, rate: 1, stereo: true, balance: 0, stopAtMs: null };
    this.#applyMix();
    const audio = this.#audio;
    audio.addEventListener('loadedmetadata', () => {
      // Ogg files streamed without a duration report Infinity; keep the server's figure then.
      if (Number.isFinite(audio.duration) && audio.duration > 0) this.#update({ durationMs: audio.duration * 1000 });
    });
    audio.addEventListener('play', () => {
      this.#update({ playing: true });
      this.#tick();
    });
    audio.addEventListener('pause', () => this.#update({ playing: false, positionMs: audio.currentTime * 1000 }));
    audio.addEventListener('ended', () => this.#update({ playing: false, stopAtMs: null, positionMs: this.#snapshot.durationMs }));
    audio.addEventListener('seeked', () => this.#update({ positionMs: audio.currentTime * 1000 }));
  }

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  snapshot = (): PlayerSnapshot => this.#snapshot;

  /** Starts playing (from a click or key press, so the shared AudioContext may resume). */
  async play(): Promise<void> {
    if (this.#closed) return;
    await resumeAudio();
    if (this.#audio.ended || this.#snapshot.positionMs >= this.#snapshot.durationMs - 50) this.seek(0);
    await this.#audio.play().catch(() => undefined);
  }

  pause(): void {
    this.#audio.pause();
  }

  toggle(): void {
    if (this.#snapshot.playing) this.pause();
    else void this.play();
  }

  /** Jumps to `ms` (clamped to the file). Cancels a range stop that is now behind. */
  seek(ms: number): void {
    const target = Math.max(0, Math.min(this.#snapshot.durationMs, ms));
    this.#audio.currentTime = target / 1000;
    const stopAtMs = this.#snapshot.stopAtMs !== null && this.#snapshot.stopAtMs > target ? this.#snapshot.stopAtMs : null;
    this.#update({ positionMs: target, stopAtMs });
  }

  skip(deltaMs: number): void {
    this.seek(this.#audio.currentTime * 1000 + deltaMs);
  }

  /** Plays `[startMs, endMs)` and pauses at its end. */
  async playRange(startMs: number, endMs: number): Promise<void> {
    this.seek(startMs);
    this.#update({ stopAtMs: endMs });
    await this.play();
  }

  setRate(rate: number): void {
    this.#audio.playbackRate = rate;
    this.#update({ rate });
  }

  /** The next (or previous) speed in {@link PLAYBACK_RATES}. */
  stepRate(direction: 1 | -1): void {
    const index = PLAYBACK_RATES.findIndex((r) => r === this.#snapshot.rate);
    const next = PLAYBACK_RATES[Math.max(0, Math.min(PLAYBACK_RATES.length - 1, (index < 0 ? 1 : index) + direction))];
    if (next !== undefined) this.setRate(next);
  }

  setMix(mix: { stereo?: boolean; balance?: number }): void {
    this.#update({
      stereo: mix.stereo ?? this.#snapshot.stereo,
      balance: Math.max(-1, Math.min(1, mix.balance ?? this.#snapshot.balance)),
    });
    this.#applyMix();
  }

  /** Stops playback and frees the audio. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    cancelAnimationFrame(this.#frame);
    this.#audio.pause();
    this.#source.disconnect();
    this.#mix.disconnect();
    this.#audio.removeAttribute('src');
    this.#audio.load();
    URL.revokeObjectURL(this.url);
    this.#listeners.clear();
  }

  #applyMix(): void {
    this.#mix.set(this.#snapshot);
  }

  /** Follows the playhead once per frame while playing; stops at the end of a range. */
  #tick = (): void => {
    cancelAnimationFrame(this.#frame);
    if (this.#closed || this.#audio.paused) return;
    const positionMs = this.#audio.currentTime * 1000;
    const stopAt = this.#snapshot.stopAtMs;
    if (stopAt !== null && positionMs >= stopAt) {
      this.#audio.pause();
      this.#audio.currentTime = stopAt / 1000;
      this.#update({ positionMs: stopAt, stopAtMs: null });
      return;
    }
    this.#update({ positionMs });
    this.#frame = requestAnimationFrame(this.#tick);
  };

  #update(patch: Partial<PlayerSnapshot>): void {
    if (this.#closed) return;
    this.#snapshot = { ...this.#snapshot, ...patch };
    for (const listener of this.#listeners) listener();
  }
}
