/**
 * The installers' configuration, checked the way electron-builder checks it: against the JSON
 * schema app-builder-lib ships (scheme.json), with ajv. A config electron-builder would refuse
 * fails here, on every machine, without an Electron binary.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import type { Configuration } from 'electron-builder';
import { describe, expect, it } from 'vitest';
import { DESKTOP_APP_ID } from '../../../contract';
import config, { builderConfig, PACKAGED_FILES, updateFeedUrl } from '../../../electron-builder.config';

const require = createRequire(import.meta.url);
const root = join(import.meta.dirname, '../../..');
// app-builder-lib is electron-builder's own dependency: resolve it from there.
const builderLib = dirname(require.resolve('app-builder-lib/package.json', { paths: [dirname(require.resolve('electron-builder'))] }));
const schema = JSON.parse(readFileSync(join(builderLib, 'scheme.json'), 'utf8')) as object;
// strict: false as electron-builder does: the schema carries its own keywords (e.g. `tsType`).
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

function errorsOf(candidate: unknown): ErrorObject[] {
  return validate(candidate) ? [] : (validate.errors ?? []);
}

describe('electron-builder configuration', () => {
  it('matches electron-builder’s configuration schema, with and without an update feed', () => {
    expect(errorsOf(config)).toEqual([]);
    expect(errorsOf(builderConfig({ BULLPEN_UPDATE_URL: 'https://downloads.example.com/bullpen/' }))).toEqual([]);
  });

  it('rejects a broken configuration (so the check above can fail)', () => {
    const typo = { ...config, productname: 'Bullpen' };
    expect(errorsOf(typo)).toContainEqual(expect.objectContaining({ keyword: 'additionalProperties', params: { additionalProperty: 'productname' } }));
    const badNsis = { ...config, nsis: { ...config.nsis, oneClick: 'sometimes' } };
    expect(errorsOf(badNsis)).toContainEqual(expect.objectContaining({ instancePath: '/nsis/oneClick' }));
    const badRuntime = { ...config, mac: { ...config.mac, hardenedRuntime: 'yes please' } };
    expect(errorsOf(badRuntime)).toContainEqual(expect.objectContaining({ instancePath: '/mac/hardenedRuntime' }));
  });

  it('names the app and registers bullpen:// on every OS', () => {
    expect(config.appId).toBe(DESKTOP_APP_ID);
    expect(config.productName).toBe('Bullpen');
    expect(config.protocols).toEqual([{ name: 'Bullpen link', schemes: ['bullpen'] }]);
    expect(config.win?.target).toEqual(['nsis']);
    expect(config.mac?.target).toEqual(['dmg', 'zip']);
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    // The Linux .desktop file Electron registers as the link handler is package.json's desktopName.
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { desktopName: string };
    expect(pkg.desktopName).toBe(`${config.linux?.executableName}.desktop`);
    expect(config.linux?.syncDesktopName).toBe(true);
  });

  it('asks macOS for the microphone and call audio with its own words, under the hardened runtime', () => {
    const info = config.mac?.extendInfo as Record<string, string>;
    for (const key of ['NSMicrophoneUsageDescription', 'NSAudioCaptureUsageDescription', 'NSScreenCaptureUsageDescription']) {
      expect(info[key]).toMatch(/Bullpen/);
    }
    expect(config.mac?.hardenedRuntime).toBe(true);
    const entitlements = readFileSync(join(root, config.mac!.entitlements!), 'utf8');
    expect(entitlements).toContain('<key>com.apple.security.cs.allow-jit</key>');
    expect(entitlements).toContain('<key>com.apple.security.device.audio-input</key>');
    expect(entitlements).not.toContain('disable-library-validation');
    expect(config.mac?.entitlementsInherit).toBe(config.mac?.entitlements);
  });

  it('has an icon electron-builder can make every size from', () => {
    const png = readFileSync(join(root, 'build/icon.png'));
    // PNG signature, then IHDR width and height (big-endian) at bytes 16 and 20.
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1024, 1024]);
    expect(existsSync(join(root, 'build/icon.svg'))).toBe(true);
  });
});

describe('what the installers carry', () => {
  it('packs electron-vite’s output and package.json only, never node_modules', () => {
    expect(config.files).toBe(PACKAGED_FILES);
    const includes = PACKAGED_FILES.filter((pattern) => !pattern.startsWith('!'));
    expect(includes).toEqual(['package.json', 'out/main/**/*', 'out/preload/**/*', 'out/renderer/**/*']);
    expect(PACKAGED_FILES).toContain('!**/node_modules/**/*');
    // Nothing reaches the app by the side doors either.
    for (const key of ['extraResources', 'extraFiles', 'asarUnpack', 'extraMetadata'] as const satisfies (keyof Configuration)[]) {
      expect(config[key]).toBeUndefined();
    }
  });

  it('rebuilds nothing against Electron (no native module is packed, no headers are fetched)', () => {
    expect(config.npmRebuild).toBe(false);
    expect(config.nodeGypRebuild).toBe(false);
    expect(config.buildDependenciesFromSource).toBe(false);
    expect(config.electronDist).toBeUndefined(); // set per build by scripts/dist.ts, from the local binary
  });
});

describe('the update feed', () => {
  it('is off unless BULLPEN_UPDATE_URL is set at build time', () => {
    expect(builderConfig({}).publish).toBeNull();
    expect(builderConfig({ BULLPEN_UPDATE_URL: '  ' }).publish).toBeNull();
    expect(builderConfig({ BULLPEN_UPDATE_URL: 'https://downloads.example.com/bullpen/' }).publish).toEqual([
      { provider: 'generic', url: 'https://downloads.example.com/bullpen/' },
    ]);
  });

  it('refuses a feed that is not plain https, saying what to give', () => {
    expect(() => updateFeedUrl({ BULLPEN_UPDATE_URL: 'http://downloads.example.com/' })).toThrow(/must be an https URL/);
    expect(() => updateFeedUrl({ BULLPEN_UPDATE_URL: 'https://user:pw@downloads.example.com/' })).toThrow(/without credentials/);
    expect(() => updateFeedUrl({ BULLPEN_UPDATE_URL: 'downloads' })).toThrow(/not a URL/);
  });
});
