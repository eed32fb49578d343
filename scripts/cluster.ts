/**
 * `npm run cluster`: a local Bullpen cluster for development, every part a real process:
 * PostgreSQL (scripts/postgres-test-cluster.sh), redis-server, an S3-compatible store (s3rver,
 * with a bucket) and two Bullpen nodes (`tsx server/main.ts` in cluster mode, each with its own
 * HTTP port, media UDP port and data dir, serving the built web app). Prints each part's
 * address, streams the nodes' logs prefixed by node, and stops everything (removing its temp
 * dirs) on Ctrl+C or as soon as one part dies.
 *
 * Arguments after `--` go to both nodes, e.g. `npm run cluster -- --log-level debug`.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { serverProcessEnv } from '../server/process-env';
import { freeTcpPort, freeUdpPort } from '../tests/helpers/free-port';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const run = promisify(execFile);
const PG_SCRIPT = join(root, 'scripts', 'postgres-test-cluster.sh');
const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 10_000;
const BUCKET = 'bullpen';
// s3rver accepts only its own fixed key pair.
const S3_KEY = 'S3RVER';

interface Part {
  name: string;
  child: ChildProcess;
}
const parts: Part[] = [];
let pgDir: string | undefined;
let pgWatch: NodeJS.Timeout | undefined;
let tempRoot: string | undefined;
let stopping: Promise<never> | undefined;

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Stops every part (nodes first, then their stores), removes the temp dirs, exits. */
function shutdown(code: number, why?: string): Promise<never> {
  stopping ??= (async () => {
    if (why) say(`bullpen cluster: ${why}; stopping everything.`);
    clearInterval(pgWatch);
    const inOrder = [...parts].reverse();
    for (const { child } of inOrder) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await new Promise((resolve) => child.once('exit', resolve));
      clearTimeout(force);
    }
    if (pgDir) await run('bash', [PG_SCRIPT, 'stop', pgDir]).catch((error: unknown) => say(`bullpen cluster: stopping PostgreSQL failed: ${String(error)}`));
    if (tempRoot) await rm(tempRoot, { recursive: true, force: true });
    say('bullpen cluster: stopped.');
    process.exit(code);
  })();
  return stopping;
}

process.on('SIGINT', () => void shutdown(0, 'Ctrl+C'));
process.on('SIGTERM', () => void shutdown(0, 'SIGTERM'));

/**
 * Spawns one part, echoes its output prefixed by its name (`quiet` parts only until ready),
 * resolves once a line matches `ready`; its unexpected exit stops the whole cluster.
 */
function startPart(name: string, command: string, args: string[], ready: RegExp, opts: { quiet?: boolean; store?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<RegExpExecArray> {
  // Stores get a process group of their own: a terminal's Ctrl+C reaches only the nodes (which
  // stop themselves), and the stores are stopped after them, so no node sees its Redis vanish
  // while it is still closing.
  const child = spawn(command, args, { cwd: root, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: opts.store ?? false });
  parts.push({ name, child });
  return new Promise((resolve, reject) => {
    let isReady = false;
    // A quiet part's chatter is kept, and shown only if it dies.
    const recent: string[] = [];
    const timer = setTimeout(() => reject(new Error(`${name} did not start within ${READY_TIMEOUT_MS / 1000} s`)), READY_TIMEOUT_MS);
    const onLine = (line: string) => {
      if (!line.trim()) return;
      if (!opts.quiet) say(`[${name}] ${line}`);
      else if (recent.push(`[${name}] ${line}`) > 20) recent.shift();
      const match = !isReady && ready.exec(line);
      if (match) {
        isReady = true;
        clearTimeout(timer);
        resolve(match);
      }
    };
    createInterface({ input: child.stdout! }).on('line', onLine);
    createInterface({ input: child.stderr! }).on('line', onLine);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const how = signal ?? `exit code ${code}`;
      if (!stopping) recent.forEach(say);
      if (!isReady) reject(new Error(`${name} exited before it was ready (${how})`));
      else void shutdown(1, `${name} stopped (${how})`);
    });
  });
}

/** The built web app the nodes serve (electron-vite build, once). */
async function ensureBuilt(): Promise<string> {
  const dir = join(root, 'out', 'renderer');
  if (existsSync(join(dir, 'index.html'))) return dir;
  say('bullpen cluster: building the app first (npm run build)…');
  const bin = join(dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js');
  const child = spawn(process.execPath, [bin, 'build'], { cwd: root, stdio: 'inherit' });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error('the build failed (see above)');
  return dir;
}

async function startPostgres(): Promise<string> {
  const { stdout } = await run('bash', [PG_SCRIPT, 'start']);
  const env = Object.fromEntries([...stdout.matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]));
  pgDir = env.BULLPEN_TEST_CLUSTER_DIR!;
  const admin = new pg.Client({ connectionString: env.BULLPEN_TEST_DATABASE_URL });
  await admin.connect();
  await admin.query('CREATE DATABASE bullpen');
  await admin.end();
  // pg_ctl runs PostgreSQL in the background: watch its postmaster so its death stops the cluster.
  const pid = Number(readFileSync(join(pgDir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
  pgWatch = setInterval(() => {
    try {
      process.kill(pid, 0);
    } catch {
      void shutdown(1, 'PostgreSQL stopped');
    }
  }, 1000);
  const url = new URL(env.BULLPEN_TEST_DATABASE_URL!);
  url.pathname = '/bullpen';
  return url.toString();
}

async function main(): Promise<void> {
  const passed = process.argv.slice(2);
  const extra = passed[0] === '--' ? passed.slice(1) : passed;
  const rendererDir = await ensureBuilt();
  tempRoot = await mkdtemp(join(tmpdir(), 'bullpen-cluster-'));

  const databaseUrl = await startPostgres();
  say(`[postgres] ready at ${databaseUrl}`);

  const redisPort = await freeTcpPort();
  await startPart(
    'redis',
    'redis-server',
    ['--port', String(redisPort), '--bind', '127.0.0.1', '--dir', tempRoot, '--save', '', '--appendonly', 'no'],
    /Ready to accept connections/,
    { quiet: true, store: true },
  );
  const redisUrl = `redis://127.0.0.1:${redisPort}`;
  say(`[redis] ready at ${redisUrl}`);

  const s3Port = await freeTcpPort();
  const s3rver = join(dirname(require.resolve('s3rver/package.json')), 'bin', 's3rver.js');
  const s3Args = ['-d', join(tempRoot, 's3'), '-a', '127.0.0.1', '-p', String(s3Port), '--configure-bucket', BUCKET, '--no-vhost-buckets', '-s'];
  await startPart('s3', process.execPath, [s3rver, ...s3Args], /S3rver listening/, { store: true });
  const s3Endpoint = `http://127.0.0.1:${s3Port}`;

  const tsx = require.resolve('tsx/cli');
  const nodes = await Promise.all(
    ['node-a', 'node-b'].map(async (nodeId) => {
      const [port, udpPort] = [await freeTcpPort(), await freeUdpPort()];
      const args = [
        ...['--node-id', nodeId, '--port', String(port), '--host', '127.0.0.1', '--data-dir', join(tempRoot!, nodeId)],
        ...['--renderer-dir', rendererDir, '--database-url', databaseUrl, '--redis-url', redisUrl, '--rtc-udp-port', String(udpPort)],
        ...['--s3-endpoint', s3Endpoint, '--s3-bucket', BUCKET, '--s3-access-key-id', S3_KEY, '--s3-secret-access-key', S3_KEY, '--s3-force-path-style'],
        ...extra,
      ];
      // Both at once: the migration lock lets one migrate while the other waits.
      const match = await startPart(nodeId, process.execPath, [tsx, join(root, 'server', 'main.ts'), ...args], /listening on (https?:\/\/\S+)/, { env: serverProcessEnv() });
      return { nodeId, url: match[1]!, udpPort };
    }),
  );

  say('');
  say('Bullpen cluster is running:');
  say(`  PostgreSQL  ${databaseUrl}`);
  say(`  Redis       ${redisUrl}`);
  say(`  S3 (s3rver) ${s3Endpoint}  bucket "${BUCKET}", key ${S3_KEY}/${S3_KEY}`);
  for (const n of nodes) say(`  ${n.nodeId.padEnd(11)} ${n.url}  (media on UDP ${n.udpPort})`);
  say(`Open ${nodes[0]!.url} (node A) and ${nodes[1]!.url} (node B) in Chromium: one team, two nodes. Ctrl+C stops everything.`);
  say('');
}

main().catch((error: unknown) => void shutdown(1, `could not start: ${(error as Error).message}`));
