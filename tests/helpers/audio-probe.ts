/**
 * Checks real audio files with the real tools: ffprobe for the container's idea of the
 * duration, ffmpeg for the decoded samples, and a Goertzel filter to tell which test tone plays.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { requireTool, testTools } from './test-tools';
import { readOggPages } from '../../server/recording/ogg-pages';
import { parseOpusHead } from '../../server/recording/opus-headers';

const run = promisify(execFile);
const tool = (name: string) => requireTool(testTools().find((t) => t.name === name)!);

/**
 * Playable duration in seconds as ffprobe reports it from the container; throws if ffprobe fails.
 * ffmpeg's Ogg demuxer reports an Opus stream's `duration` from the last granule position, pre-skip
 * included; depending on the version its `start_time` is the pre-skip or 0. The playable length
 * is the duration less the pre-skip (read from the file's OpusHead when `start_time` is 0).
 */
export async function probeDurationSec(path: string): Promise<number> {
  const { stdout } = await run(tool('ffprobe'), ['-v', 'error', '-show_entries', 'format=duration,start_time', '-of', 'json', path]);
  const format = (JSON.parse(stdout) as { format?: { duration?: string; start_time?: string } }).format;
  const duration = Number.parseFloat(format?.duration ?? '');
  const start = Number.parseFloat(format?.start_time ?? '0');
  if (!Number.isFinite(duration)) throw new Error(`ffprobe gave no duration for ${path}: ${stdout}`);
  if (Number.isFinite(start) && start > 0) return duration - start;
  const head = readOggPages(await readFile(path)).pages[0]?.packets[0];
  const preSkip = head ? (parseOpusHead(head)?.preSkip ?? 0) : 0;
  return duration - preSkip / 48_000;
}

/** Length in seconds of what the file decodes to (ffmpeg applies pre-skip and end trimming). */
export async function decodedDurationSec(path: string): Promise<number> {
  return (await decodeStereo(path)).left.length / 48_000;
}

/** Decoded stereo audio. */
export interface StereoPcm {
  left: Float32Array;
  right: Float32Array;
  sampleRate: 48000;
}

/** Decodes a file to 48 kHz stereo float samples with ffmpeg. */
export async function decodeStereo(path: string): Promise<StereoPcm> {
  const { stdout } = await run(tool('ffmpeg'), ['-v', 'error', '-i', path, '-f', 'f32le', '-ac', '2', '-ar', '48000', '-'], {
    encoding: 'buffer',
    maxBuffer: 1024 * 1024 * 1024,
  });
  const frames = Math.floor(stdout.length / 8);
  const left = new Float32Array(frames);
  const right = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    left[i] = stdout.readFloatLE(i * 8);
    right[i] = stdout.readFloatLE(i * 8 + 4);
  }
  return { left, right, sampleRate: 48000 };
}

function range(samples: Float32Array, sampleRate: number, fromSec: number, toSec: number): [number, number] {
  const from = Math.max(0, Math.floor(fromSec * sampleRate));
  const to = Math.min(samples.length, Math.floor(toSec * sampleRate));
  return [from, Math.max(from, to)];
}

/** Energy at one frequency over a range of samples (Goertzel). */
function goertzel(samples: Float32Array, from: number, to: number, sampleRate: number, hz: number): number {
  const coeff = 2 * Math.cos((2 * Math.PI * hz) / sampleRate);
  let s1 = 0;
  let s2 = 0;
  for (let i = from; i < to; i++) {
    const s0 = samples[i]! + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return s1 * s1 + s2 * s2 - coeff * s1 * s2;
}

/** The candidate frequency with the most energy in [fromSec, toSec). */
export function toneAt(samples: Float32Array, sampleRate: number, fromSec: number, toSec: number, candidatesHz: number[]): number {
  const [from, to] = range(samples, sampleRate, fromSec, toSec);
  if (to <= from) throw new Error(`no samples in [${fromSec}, ${toSec}) s (have ${samples.length / sampleRate} s)`);
  let best = candidatesHz[0]!;
  let bestEnergy = -1;
  for (const hz of candidatesHz) {
    const e = goertzel(samples, from, to, sampleRate, hz);
    if (e > bestEnergy) {
      bestEnergy = e;
      best = hz;
    }
  }
  return best;
}

/** Root mean square of the samples in [fromSec, toSec) (0 for an empty range). */
export function rms(samples: Float32Array, fromSec: number, toSec: number, sampleRate = 48000): number {
  const [from, to] = range(samples, sampleRate, fromSec, toSec);
  if (to <= from) return 0;
  let sum = 0;
  for (let i = from; i < to; i++) sum += samples[i]! * samples[i]!;
  return Math.sqrt(sum / (to - from));
}
