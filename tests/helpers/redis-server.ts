/**
 * A real redis-server for a test: its own temp directory and a free loopback port, no
 * persistence (the data is thrown away). `restart()` stops it hard and starts it again on the
 * same port, empty, as a crashed Redis would come back; `stop()` is idempotent.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeTcpPort } from './free-port';
import { redisServerPath, requireTool, testTools } from './test-tools';

export interface TestRedis {
  /** `redis://127.0.0.1:PORT`. */
  url: string;
  port: number;
  /** SIGKILLs redis-server and waits for it to be gone (clients see the connection drop). */
  kill(): Promise<void>;
  /** Starts it again on the same port (after `kill()`), resolving once it accepts connections. */
  start(): Promise<void>;
  /** `kill()` then `start()`. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startTestRedis(): Promise<TestRedis> {
  const binary = redisServerPath() ?? requireTool(testTools().find((t) => t.name === 'redis-server')!);
  const dir = await mkdtemp(join(tmpdir(), 'bullpen-redis-'));
  const port = await freeTcpPort();
  let child: ChildProcess | undefined;

  const start = async () => {
    if (child) return;
    const proc = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--loglevel', 'notice'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    // Ready when it says so (it logs the line once its port accepts connections).
    await new Promise<void>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`redis-server did not start on port ${port}: ${output}`)), 10_000);
      const collect = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          proc.stdout!.off('data', collect);
          proc.stdout!.resume();
          resolve();
        }
      };
      proc.stdout!.on('data', collect);
      proc.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited (${code}): ${output}`));
      });
    });
  };

  const kill = async () => {
    const proc = child;
    if (!proc) return;
    child = undefined;
    if (proc.exitCode === null) {
      proc.kill('SIGKILL');
      await once(proc, 'exit');
    }
  };

  await start();
  let stopped: Promise<void> | undefined;
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    kill,
    start,
    async restart() {
      await kill();
      await start();
    },
    stop: () =>
      (stopped ??= (async () => {
        await kill();
        await rm(dir, { recursive: true, force: true });
      })()),
  };
}
