/**
 * `npm run dist`: builds the desktop installers for this OS (macOS dmg + zip, Windows NSIS,
 * Linux AppImage + deb) into dist/, from a fresh electron-vite build and the local Electron
 * binary. Where there is no binary (as on CI here) it builds nothing and exits 1 saying what
 * is missing and how to get it: electron-builder would otherwise download Electron itself.
 *
 *   npm run dist             installers for this OS
 *   npm run dist -- --dir    only the unpacked app (dist/<os>-unpacked), a quick check
 *
 * BULLPEN_UPDATE_URL (https) bakes an update feed into the build; signing and notarisation
 * read electron-builder's own variables (README, "Desktop installers").
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { build as buildInstallers, Platform } from 'electron-builder';
import { build as buildApp } from 'electron-vite';
import { builderConfig } from '../electron-builder.config';
import { electronDistDir, planDist } from './dist-plan';
import { findElectronBinary } from './electron-binary';

const require = createRequire(import.meta.url);
const root = join(import.meta.dirname, '..');

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

const args = process.argv.slice(2);
const unknown = args.filter((arg) => arg !== '--dir');
if (unknown.length > 0) fail(`npm run dist: unknown argument ${unknown.join(' ')}. Usage: npm run dist [-- --dir]`);

const electronVersion = (require('electron/package.json') as { version: string }).version;
const binary = findElectronBinary();
const plan = planDist({
  platform: process.platform,
  arch: process.arch,
  binary,
  electronVersion,
  binaryVersion: binary.ok ? readVersionFile(binary.path) : null,
  dirOnly: args.includes('--dir'),
});
if (!plan.ok) fail(plan.message);

let config;
try {
  config = builderConfig(process.env);
} catch (error) {
  fail(`npm run dist: ${(error as Error).message}`);
}

console.log(`dist: building ${plan.dirOnly ? 'the unpacked app' : plan.installers} with the local Electron ${plan.electronVersion} (${plan.electronDist})`);
console.log(config.publish ? `dist: update feed ${JSON.stringify(config.publish)}` : 'dist: no update feed (set BULLPEN_UPDATE_URL to bake one in); this build never checks for updates');

// A fresh bundle: the installers carry out/ exactly as this build writes it.
process.chdir(root);
await buildApp({ root });

const artifacts = await buildInstallers({
  projectDir: root,
  targets: Platform.current().createTarget(plan.dirOnly ? 'dir' : undefined),
  config: { ...config, electronDist: plan.electronDist, electronVersion: plan.electronVersion },
  // Publishing (uploading) is the owner's step: copy dist/'s files to the feed.
  publish: 'never',
});
const written = artifacts.length > 0 ? artifacts : [join(root, 'dist')];
console.log(`dist: done:\n${written.map((file) => `  ${file}`).join('\n')}`);

/** The `version` file Electron's distributions carry beside the executable (or Electron.app). */
function readVersionFile(binaryPath: string): string | null {
  const path = join(electronDistDir(binaryPath, process.platform), 'version');
  return existsSync(path) ? readFileSync(path, 'utf8') : null;
}
