/** Test audio written in plain TypeScript, so no audio tool is needed to make it. */
import { writeFile } from 'node:fs/promises';

/**
 * Writes a 16-bit PCM WAV of `seconds` with one sine tone per channel (e.g. `[440, 660]` for a
 * stereo file whose left and right sides can be told apart), at 0.5 of full scale.
 */
export async function writeToneWav(path: string, opts: { seconds: number; tonesHz: number[]; sampleRate?: number }): Promise<void> {
  const rate = opts.sampleRate ?? 48_000;
  const channels = opts.tonesHz.length;
  const frames = Math.round(opts.seconds * rate);
  const dataBytes = frames * channels * 2;
  const buf = Buffer.alloc(44 + dataBytes);
  buf.write('RIFF', 0, 'ascii');
  buf.writeUInt32LE(36 + dataBytes, 4);
  buf.write('WAVE', 8, 'ascii');
  buf.write('fmt ', 12, 'ascii');
  buf.writeUInt32LE(16, 16); // fmt chunk size
  buf.writeUInt16LE(1, 20); // PCM
  buf.writeUInt16LE(channels, 22);
  buf.writeUInt32LE(rate, 24);
  buf.writeUInt32LE(rate * channels * 2, 28); // byte rate
  buf.writeUInt16LE(channels * 2, 32); // block align
  buf.writeUInt16LE(16, 34); // bits per sample
  buf.write('data', 36, 'ascii');
  buf.writeUInt32LE(dataBytes, 40);
  let offset = 44;
  for (let i = 0; i < frames; i++) {
    for (const hz of opts.tonesHz) {
      buf.writeInt16LE(Math.round(0.5 * 32767 * Math.sin((2 * Math.PI * hz * i) / rate)), offset);
      offset += 2;
    }
  }
  await writeFile(path, buf);
}
