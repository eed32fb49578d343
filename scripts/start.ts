/**
 * `npm start`: builds the app, starts a local Bullpen server, and opens the desktop app on
 * it; closing the app stops the server. Where there is no Electron binary (and it cannot be
 * fetched), the server keeps running for the browser until Ctrl+C.
 *
 * Arguments after `--` go to the server, e.g. `npm start -- --port 4300 --data-dir ./data`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { serverProcessEnv } from '../server/process-env';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { findElectronBinary, installElectronBinary } from './electron-binary';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

const SERVER_READY_TIMEOUT_MS = 60_000;
const ELECTRON_DOWNLOAD_TIMEOUT_MS = 90_000;
const STOP_GRACE_MS = 10_000;

const children = new Set<ChildProcess>();
let stopping = false;

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Spawns a child we will stop on exit. */
function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Stops every child (SIGTERM, then SIGKILL after a grace period) and exits. */
async function shutdown(code: number): Promise<never> {
  stopping = true;
  const all = [...children];
  for (const child of all) child.kill('SIGTERM');
  const force = setTimeout(() => all.forEach((child) => child.kill('SIGKILL')), STOP_GRACE_MS);
  await Promise.all(all.map(exited));
  clearTimeout(force);
  process.exit(code);
}

function onSignal(signal: NodeJS.Signals): void {
  if (stopping) {
    // A second Ctrl+C: do not wait any longer.
    for (const child of children) child.kill('SIGKILL');
    process.exit(130);
  }
  say(`Stopping Bullpen (${signal})…`);
  void shutdown(0);
}
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

/** 1. `electron-vite build`: out/main, out/preload and out/renderer (served by the server too). */
async function build(): Promise<void> {
  const bin = join(dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js');
  const child = track(spawn(process.execPath, [bin, 'build'], { cwd: root, stdio: 'inherit' }));
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  if (stopping) return new Promise(() => {});
  if (code !== 0) {
    say('Bullpen: the build failed (see above).');
    await shutdown(1);
  }
}

/** 2. The server as a child process; resolves with its URL once it prints that it listens. */
async function startServer(args: string[]): Promise<{ url: string; child: ChildProcess }> {
  const tsx = require.resolve('tsx/cli');
  const child = track(
    spawn(process.execPath, [tsx, join(root, 'server', 'main.ts'), ...args], {
      cwd: root,
      env: serverProcessEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  child.stderr!.pipe(process.stderr);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start within ${SERVER_READY_TIMEOUT_MS / 1000} s`)), SERVER_READY_TIMEOUT_MS);
    let ready = false;
    createInterface({ input: child.stdout! }).on('line', (line) => {
      say(line);
      const match = !ready && /listening on (https?:\/\/\S+)/.exec(line);
      if (match) {
        ready = true;
        clearTimeout(timer);
        resolve({ url: match[1]!, child });
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (!ready) reject(new Error(`the server exited before it was ready (${signal ?? `exit code ${code}`})`));
      else if (!stopping) {
        say(`Bullpen: the server stopped (${signal ?? `exit code ${code}`}).`);
        void shutdown(code === 0 ? 0 : 1);
      }
    });
  });
}

/** 3. The Electron binary, fetched once if the package is there without it. */
async function electronBinary(): Promise<{ ok: true; path: string } | { ok: false; reason: string }> {
  const found = findElectronBinary();
  if (found.ok) return found;
  // Only a slow download deserves a progress line; an offline machine fails at once.
  const notice = setTimeout(() => say('Downloading the Electron binary (one time)…'), 2000);
  const installed = await installElectronBinary(ELECTRON_DOWNLOAD_TIMEOUT_MS);
  clearTimeout(notice);
  if (!installed.ok) return { ok: false, reason: `${found.reason}; ${installed.reason}` };
  return findElectronBinary();
}

/** 4. The desktop app on the local server; closing it stops everything. */
function launchElectron(binary: string, serverUrl: string): void {
  const env: NodeJS.ProcessEnv = { ...process.env, BULLPEN_SERVER_URL: serverUrl };
  delete env.ELECTRON_RUN_AS_NODE; // would make Electron behave as plain Node
  // The app directory, not out/main/index.js itself: Electron then reads package.json (`main`
  // is out/main/index.js) and names the app, and its userData folder, after it.
  const child = track(spawn(binary, [root], { cwd: root, env, stdio: 'inherit' }));
  child.on('exit', (code, signal) => {
    if (stopping) return;
    say(`Bullpen app closed${code ? ` (exit code ${code})` : signal ? ` (${signal})` : ''}; stopping the server.`);
    void shutdown(code ?? 0);
  });
}

async function main(): Promise<void> {
  await build();
  let server: { url: string };
  try {
    const args = process.argv.slice(2);
    server = await startServer(args[0] === '--' ? args.slice(1) : args);
  } catch (error) {
    say(`Bullpen: ${(error as Error).message}.`);
    return void (await shutdown(1));
  }
  const electron = await electronBinary();
  if (stopping) return;
  if (electron.ok) {
    say(`Opening the Bullpen app on ${server.url}`);
    launchElectron(electron.path, server.url);
  } else {
    say(`Electron is not available on this machine (${electron.reason}); Bullpen is running in your browser at ${server.url} — press Ctrl+C to stop.`);
  }
}

main().catch(async (error: unknown) => {
  say(`Bullpen: could not start: ${(error as Error).message}`);
  await shutdown(1);
});
