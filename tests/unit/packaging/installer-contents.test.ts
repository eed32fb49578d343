/**
 * What an installer would carry, found by running electron-builder itself with the project's
 * config: it packs the unpacked Linux app (`dir`, the step every installer starts from) from
 * the real out/ and the real project, node_modules and all. Then the app archive is read back.
 *
 * No Electron binary exists here, so `electronDist` points at a stand-in distribution (an
 * `electron` file and a `version`): the one stand-in the project allows is for Electron. Nothing
 * is downloaded: electron-builder copies Electron from electronDist and rebuilds nothing.
 * (About 30 s: here rather than in tests/integration, which runs twice, once per database.)
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { build as buildInstallers, Platform } from 'electron-builder';
import { build as buildApp } from 'electron-vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builderConfig } from '../../../electron-builder.config';

const require = createRequire(import.meta.url);
const root = join(import.meta.dirname, '../../..');
// @electron/asar comes with electron-builder (app-builder-lib packs with it): read with the same.
const builderLib = dirname(require.resolve('app-builder-lib/package.json', { paths: [dirname(require.resolve('electron-builder'))] }));
const asar = createRequire(join(builderLib, 'package.json'))('@electron/asar') as {
  listPackage(archive: string, options: { isPack: boolean }): string[];
  extractFile(archive: string, file: string): Buffer;
};
const electronVersion = (require('electron/package.json') as { version: string }).version;

let work: string;
let files: string[];
let resources: string;

beforeAll(async () => {
  // `npm test` builds before the tests; a lone run builds here.
  if (!existsSync(join(root, 'out/main/index.js')) || !existsSync(join(root, 'out/renderer/index.html'))) await buildApp({ root, logLevel: 'warn' });
  work = mkdtempSync(join(tmpdir(), 'bullpen-installer-'));
  const electronDist = join(work, 'electron-dist');
  mkdirSync(electronDist);
  writeFileSync(join(electronDist, 'electron'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  writeFileSync(join(electronDist, 'version'), electronVersion);
  const config = builderConfig({ BULLPEN_UPDATE_URL: 'https://downloads.example.com/bullpen/' });
  await buildInstallers({
    projectDir: root,
    targets: Platform.LINUX.createTarget('dir'),
    config: { ...config, electronDist, electronVersion, directories: { ...config.directories, output: join(work, 'dist') } },
    publish: 'never',
  });
  resources = join(work, 'dist/linux-unpacked/resources');
  files = asar.listPackage(join(resources, 'app.asar'), { isPack: false }).map((file) => file.replaceAll('\\', '/'));
}, 180_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packed app', () => {
  it('holds electron-vite’s output and package.json, and nothing from node_modules', () => {
    expect(files).toContain('/package.json');
    expect(files).toContain('/out/main/index.js');
    expect(files).toContain('/out/preload/index.cjs');
    expect(files).toContain('/out/renderer/index.html');
    expect(files.filter((file) => file !== '/out' && !file.startsWith('/out/') && file !== '/package.json')).toEqual([]);
    expect(files.filter((file) => file.includes('node_modules'))).toEqual([]);
  });

  it('carries no native module, in the archive or beside it', () => {
    expect(files.filter((file) => file.endsWith('.node'))).toEqual([]);
    expect(existsSync(join(resources, 'app.asar.unpacked'))).toBe(false);
    expect(files.filter((file) => /better-sqlite3|node-datachannel/.test(file))).toEqual([]);
  });

  it('starts the bundled main process', () => {
    const pkg = JSON.parse(asar.extractFile(join(resources, 'app.asar'), 'package.json').toString('utf8')) as { main: string; scripts?: unknown };
    expect(pkg.main).toBe('./out/main/index.js');
    expect(pkg.scripts).toBeUndefined();
  });

  it('carries the update feed it was built with (and only then: see the config tests)', () => {
    const feed = readFileSync(join(resources, 'app-update.yml'), 'utf8');
    expect(feed).toContain('provider: generic');
    expect(feed).toContain('url: https://downloads.example.com/bullpen/');
  });
});
