/** Reads a loudness level for meters from an AnalyserNode. */
export type LevelReader = () => number;

/** Meter floor: quieter than this shows as empty. */
const FLOOR_DB = -60;

/**
 * Returns a function giving the current level of `analyser` on a 0..1 scale that follows
 * loudness (dBFS from −60 to 0), which makes speech move the meter the way people expect.
 */
export function levelReader(analyser: AnalyserNode): LevelReader {
  const buffer = new Float32Array(analyser.fftSize);
  return () => {
    analyser.getFloatTimeDomainData(buffer);
    let sum = 0;
    for (const sample of buffer) sum += sample * sample;
    const rms = Math.sqrt(sum / buffer.length);
    if (rms <= 0) return 0;
    const db = 20 * Math.log10(rms);
    return Math.min(1, Math.max(0, (db - FLOOR_DB) / -FLOOR_DB));
  };
}

/** An analyser sized for meters. */
export function meterAnalyser(ctx: BaseAudioContext): AnalyserNode {
  const analyser = ctx.createAnalyser();
  analyser.fftSize = 1024;
  analyser.smoothingTimeConstant = 0.6;
  return analyser;
}

export const silent: LevelReader = () => 0;
