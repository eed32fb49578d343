/**
 * Finding (and, once, fetching) the Electron binary. The electron npm package's install
 * script is disabled in package.json `allowScripts`, so a fresh checkout has the package
 * (types, launcher) but no binary until `node node_modules/electron/install.js` has run.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export type ElectronBinary = { ok: true; path: string } | { ok: false; reason: string };

/** The Electron executable if it is installed, else why not. */
export function findElectronBinary(): ElectronBinary {
  let path: unknown;
  try {
    // The package's main module returns the executable's path, or throws without a binary.
    path = require('electron');
  } catch {
    return { ok: false, reason: 'the Electron binary is not installed' };
  }
  if (typeof path !== 'string') return { ok: false, reason: 'the electron package did not name a binary' };
  if (!existsSync(path)) return { ok: false, reason: `the Electron binary is missing at ${path}` };
  return { ok: true, path };
}

/**
 * Runs electron's own install script (which downloads the binary for this platform) with a
 * time limit. Resolves with the first line of its error when it fails.
 */
export function installElectronBinary(timeoutMs: number): Promise<{ ok: true } | { ok: false; reason: string }> {
  let script: string;
  try {
    script = require.resolve('electron/install.js');
  } catch {
    return Promise.resolve({ ok: false, reason: 'the electron package is not installed' });
  }
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      if (stderr.length < 10_000) stderr += chunk;
    });
    const timer = setTimeout(() => child.kill(), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ ok: false, reason: `download failed: ${error.message}` });
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve({ ok: true });
      else if (signal) resolve({ ok: false, reason: `download did not finish within ${Math.round(timeoutMs / 1000)} s` });
      else {
        const firstLine = stderr.split('\n').find((line) => line.trim() !== '') ?? `exit code ${code}`;
        resolve({ ok: false, reason: `download failed: ${firstLine.trim().slice(0, 200)}` });
      }
    });
  });
}
