import { audioContext } from './audio-context';
import { stopStream } from './capture';
import { levelReader, meterAnalyser, type LevelReader } from './level';

export type MixInput = 'mic' | 'call';

interface Slot {
  stream: MediaStream | null;
  source: MediaStreamAudioSourceNode | null;
  analyser: AnalyserNode;
  level: LevelReader;
}

/**
 * The host's audio: the rep's microphone on the left channel and the call's audio on the
 * right, merged with WebAudio into ONE stereo track that is published. Each side has its own
 * meter, live before and during the call. Sources can be swapped without touching the
 * published track.
 */
export class HostMix {
  readonly #ctx: AudioContext;
  readonly #merger: ChannelMergerNode;
  readonly #destination: MediaStreamAudioDestinationNode;
  readonly #slots: Record<MixInput, Slot>;
  readonly #onEnded: (input: MixInput) => void;
  #closed = false;

  constructor(onEnded: (input: MixInput) => void) {
    this.#ctx = audioContext();
    this.#onEnded = onEnded;
    this.#merger = this.#ctx.createChannelMerger(2);
    this.#destination = new MediaStreamAudioDestinationNode(this.#ctx, {
      channelCount: 2,
      channelCountMode: 'explicit',
      channelInterpretation: 'discrete',
    });
    this.#merger.connect(this.#destination);
    const slot = (index: number): Slot => {
      const analyser = meterAnalyser(this.#ctx);
      analyser.connect(this.#merger, 0, index);
      return { stream: null, source: null, analyser, level: levelReader(analyser) };
    };
    this.#slots = { mic: slot(0), call: slot(1) };
  }

  /** The stereo track to publish (left = rep, right = call). */
  get track(): MediaStreamTrack {
    const track = this.#destination.stream.getAudioTracks()[0];
    if (!track) throw new Error('The audio mix has no track');
    return track;
  }

  get stream(): MediaStream {
    return this.#destination.stream;
  }

  has(input: MixInput): boolean {
    return this.#slots[input].stream !== null;
  }

  /** Current level (0..1) of one side, for meters. */
  read(input: MixInput): number {
    const slot = this.#slots[input];
    return slot.stream ? slot.level() : 0;
  }

  /** Puts `stream` on one side (null = silence there), stopping what was there before. */
  set(input: MixInput, stream: MediaStream | null): void {
    if (this.#closed) {
      stopStream(stream);
      return;
    }
    const slot = this.#clear(input);
    slot.stream = stream;
    if (!stream) return;
    slot.source = this.#ctx.createMediaStreamSource(stream);
    slot.source.connect(slot.analyser);
    for (const track of stream.getAudioTracks()) {
      track.addEventListener('ended', () => {
        if (slot.stream === stream) this.#onEnded(input);
      });
    }
  }

  #clear(input: MixInput): Slot {
    const slot = this.#slots[input];
    slot.source?.disconnect();
    stopStream(slot.stream);
    slot.stream = null;
    slot.source = null;
    return slot;
  }

  /** Stops both sources and the mix. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#clear('mic');
    this.#clear('call');
    this.#merger.disconnect();
    for (const track of this.#destination.stream.getTracks()) track.stop();
  }
}
