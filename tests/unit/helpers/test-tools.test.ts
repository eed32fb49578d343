import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { ffprobePath, requireTool, testTools } from '../../helpers/test-tools';
import { writeToneWav } from '../../helpers/wav';

const run = promisify(execFile);

describe('test tools', () => {
  const saved = process.env.BULLPEN_FFPROBE;
  afterEach(() => {
    if (saved === undefined) delete process.env.BULLPEN_FFPROBE;
    else process.env.BULLPEN_FFPROBE = saved;
  });

  it('finds ffprobe, and names a missing tool with how to install it', () => {
    expect(ffprobePath()).toBeTruthy();
    process.env.BULLPEN_FFPROBE = '/nonexistent/ffprobe';
    const probe = testTools().find((t) => t.name === 'ffprobe')!;
    expect(probe.path).toBeUndefined();
    expect(() => requireTool(probe)).toThrow(/ffprobe is missing .*npm install/);
  });

  it('writes a stereo WAV that ffprobe reads with the asked length', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bullpen-wav-'));
    try {
      const wav = join(dir, 'tone.wav');
      await writeToneWav(wav, { seconds: 1.5, tonesHz: [440, 660] });
      const { stdout } = await run(ffprobePath()!, ['-v', 'error', '-show_entries', 'stream=channels,sample_rate,duration', '-of', 'json', wav]);
      const stream = (JSON.parse(stdout) as { streams: { channels: number; sample_rate: string; duration: string }[] }).streams[0]!;
      expect(stream.channels).toBe(2);
      expect(stream.sample_rate).toBe('48000');
      expect(Number(stream.duration)).toBeCloseTo(1.5, 3);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
