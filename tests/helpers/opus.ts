/**
 * Real Opus packets for tests and the benchmark: a generated stereo sine (left and right at
 * different pitches, so a downmix is detectable) encoded with opusscript in 20 ms frames.
 */
import OpusScript from 'opusscript';

export const OPUS_SAMPLE_RATE = 48_000;
/** Samples per channel in one 20 ms frame; also the RTP timestamp step per packet. */
export const OPUS_FRAME_SAMPLES = 960;

export interface SineOpusOptions {
  /** Number of 20 ms frames (default 50: one second). */
  frames?: number;
  leftHz?: number;
  rightHz?: number;
  /** Peak amplitude, 0–1 (default 0.3). */
  amplitude?: number;
  /** Encoder bitrate in bit/s (default 64 kbit/s, Chrome's stereo default). */
  bitrate?: number;
}

/** Encodes a 48 kHz stereo sine wave (default left 440 Hz, right 660 Hz) into Opus packets. */
export function encodeSineOpus(opts: SineOpusOptions = {}): Buffer[] {
  const frames = opts.frames ?? 50;
  const leftHz = opts.leftHz ?? 440;
  const rightHz = opts.rightHz ?? 660;
  const amp = Math.round((opts.amplitude ?? 0.3) * 32767);
  const encoder = new OpusScript(OPUS_SAMPLE_RATE, 2, OpusScript.Application.AUDIO);
  try {
    encoder.setBitrate(opts.bitrate ?? 64_000);
    const pcm = Buffer.alloc(OPUS_FRAME_SAMPLES * 2 * 2);
    const packets: Buffer[] = [];
    for (let f = 0; f < frames; f++) {
      for (let i = 0; i < OPUS_FRAME_SAMPLES; i++) {
        const t = (f * OPUS_FRAME_SAMPLES + i) / OPUS_SAMPLE_RATE;
        pcm.writeInt16LE(Math.round(amp * Math.sin(2 * Math.PI * leftHz * t)), i * 4);
        pcm.writeInt16LE(Math.round(amp * Math.sin(2 * Math.PI * rightHz * t)), i * 4 + 2);
      }
      // The encoder's output may live in memory it reuses: copy.
      packets.push(Buffer.from(encoder.encode(pcm, OPUS_FRAME_SAMPLES)));
    }
    return packets;
  } finally {
    encoder.delete();
  }
}
