/**
 * A real coturn (`turnserver`) for a test: TURN over UDP and TCP on one free loopback port, no
 * TLS, the REST-API shared-secret scheme (`use-auth-secret` + `static-auth-secret`) Bullpen's
 * credentials are signed for, and `allow-loopback-peers` because the Bullpen server it relays to
 * is on 127.0.0.1 too (never set that in production). Everything lives in a temp directory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireTool, testTools, turnServerPath } from './test-tools';
import { freeTcpAndUdpPort } from './free-port';

export interface TestTurn {
  port: number;
  /** coturn's `static-auth-secret` (give it to the Bullpen server as `turnSecret`). */
  secret: string;
  realm: string;
  /** `turn:127.0.0.1:PORT?transport=tcp` (or udp). */
  url(transport: 'tcp' | 'udp'): string;
  /** Everything coturn logged so far (allocations, refusals). */
  output(): string;
  stop(): Promise<void>;
}

export async function startTestTurn(opts: { secret?: string } = {}): Promise<TestTurn> {
  const binary = turnServerPath() ?? requireTool(testTools().find((t) => t.name.startsWith('turnserver'))!);
  const dir = await mkdtemp(join(tmpdir(), 'bullpen-turn-'));
  const port = await freeTcpAndUdpPort();
  const secret = opts.secret ?? randomBytes(24).toString('base64url');
  const realm = 'bullpen.test';
  const config = [
    'listening-ip=127.0.0.1',
    'relay-ip=127.0.0.1',
    `listening-port=${port}`,
    'use-auth-secret',
    `static-auth-secret=${secret}`,
    `realm=${realm}`,
    'allow-loopback-peers',
    'no-multicast-peers',
    'no-cli',
    'no-tls',
    'no-dtls',
    'fingerprint',
    'log-file=stdout',
    'simple-log',
    'verbose',
    `pidfile=${join(dir, 'turnserver.pid')}`,
    `userdb=${join(dir, 'turndb')}`,
  ];
  const configFile = join(dir, 'turnserver.conf');
  await writeFile(configFile, config.join('\n') + '\n');
  const child: ChildProcess = spawn(binary, ['-c', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // Ready when it says so: its listeners are open before it reports its relay servers.
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`turnserver did not start on port ${port}: ${output}`)), 10_000);
    const check = () => {
      if (!output.includes('Total General servers')) return;
      clearTimeout(timer);
      child.stdout!.off('data', check);
      child.off('exit', exited);
      resolve();
    };
    const exited = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`turnserver exited (${code}): ${output}`));
    };
    child.stdout!.on('data', check);
    child.once('exit', exited);
  });

  let stopped: Promise<void> | undefined;
  return {
    port,
    secret,
    realm,
    url: (transport) => `turn:127.0.0.1:${port}?transport=${transport}`,
    output: () => output,
    stop: () =>
      (stopped ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          await once(child, 'exit');
        }
        await rm(dir, { recursive: true, force: true });
      })()),
  };
}
