/**
 * Waveform peaks from an audio file, for drawing. The file is decoded at a low sample rate
 * (an hour of call audio at 48 kHz would take over a gigabyte as float samples); peaks only
 * need the loudness envelope. Playback uses the original file, not this decode.
 */

/** Max |sample| per bucket for each side: left = rep, right = customer. Values 0..1. */
export interface Peaks {
  rep: Float32Array;
  customer: Float32Array;
  durationMs: number;
}

/** Enough buckets for a wide, high-DPI canvas; drawing folds them to the pixel width. */
export const PEAK_BUCKETS = 4000;

/** Decoded samples budget (per channel) for the peaks decode. */
const SAMPLE_BUDGET = 20_000_000;

/** The sample rate to decode `durationHintMs` of audio at, within the sample budget (3–16 kHz). */
export function decodeRate(durationHintMs: number): number {
  const seconds = Math.max(1, durationHintMs / 1000);
  // OfflineAudioContext accepts 3 kHz and up; speech energy sits well below 8 kHz.
  return Math.max(3000, Math.min(16_000, Math.floor(SAMPLE_BUDGET / seconds)));
}

/** Decodes `blob` and returns its peaks. Rejects when the browser cannot decode it. */
export async function decodePeaks(blob: Blob, durationHintMs: number, buckets = PEAK_BUCKETS): Promise<Peaks> {
  const data = await blob.arrayBuffer();
  const ctx = new OfflineAudioContext({ numberOfChannels: 2, length: 1, sampleRate: decodeRate(durationHintMs) });
  const audio = await ctx.decodeAudioData(data);
  const left = audio.getChannelData(0);
  const right = audio.numberOfChannels > 1 ? audio.getChannelData(1) : left;
  return { rep: bucketPeaks(left, buckets), customer: bucketPeaks(right, buckets), durationMs: audio.duration * 1000 };
}

/** Max |sample| in each of `buckets` equal slices of `samples` (fewer when there are fewer samples), capped at 1. */
export function bucketPeaks(samples: Float32Array, buckets: number): Float32Array {
  const count = Math.max(1, Math.min(buckets, samples.length));
  const out = new Float32Array(count);
  const size = samples.length / count;
  for (let b = 0; b < count; b++) {
    const start = Math.floor(b * size);
    const end = Math.min(samples.length, Math.floor((b + 1) * size));
    let max = 0;
    for (let i = start; i < end; i++) {
      const v = Math.abs(samples[i]!);
      if (v > max) max = v;
    }
    out[b] = Math.min(1, max);
  }
  return out;
}

/**
 * Max of the peaks between two fractions (0..1) of the file: drawing folds many buckets into
 * one bar. Past the end of the file it is 0; a slice narrower than a bucket still reads one.
 */
export function peakBetween(peaks: Float32Array, from: number, to: number): number {
  if (from >= 1) return 0;
  const start = Math.floor(from * peaks.length);
  const end = Math.min(peaks.length, Math.max(start + 1, Math.ceil(to * peaks.length)));
  let max = 0;
  for (let i = start; i < end; i++) max = Math.max(max, peaks[i]!);
  return max;
}
