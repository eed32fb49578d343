/**
 * What `npm run dist` will do on this machine, decided before anything is built: which
 * installers this OS gets, which local Electron it packs, or why it cannot run (said so a
 * person knows what is missing and how to get it). Pure, so every refusal is unit-tested.
 */
import { dirname } from 'node:path';
import type { ElectronBinary } from './electron-binary';

/** The installers each OS gets (the targets in electron-builder.config.ts). */
export const INSTALLERS: Partial<Record<NodeJS.Platform, string>> = {
  darwin: 'a .dmg to install and a .zip for auto-update',
  win32: 'an NSIS installer (.exe)',
  linux: 'an AppImage and a .deb',
};

export interface DistInput {
  platform: NodeJS.Platform;
  arch: string;
  binary: ElectronBinary;
  /** The electron package's version (what electron-builder packs and names). */
  electronVersion: string;
  /** The `version` file of the binary's distribution, when it has one. */
  binaryVersion: string | null;
  /** `--dir`: an unpacked app only (quick check), no installers. */
  dirOnly: boolean;
}

export type DistPlan =
  | { ok: true; electronDist: string; electronVersion: string; installers: string; dirOnly: boolean }
  | { ok: false; message: string };

/**
 * The folder electron-builder copies Electron from (its `electronDist`), given the executable:
 * the executable's own folder on Windows and Linux, the folder holding Electron.app on macOS.
 */
export function electronDistDir(binaryPath: string, platform: NodeJS.Platform): string {
  if (platform === 'darwin') {
    // …/dist/Electron.app/Contents/MacOS/Electron
    const app = dirname(dirname(dirname(binaryPath)));
    return dirname(app);
  }
  return dirname(binaryPath);
}

/** How to get the Electron binary this project pins (`npm start` fetches it the same way). */
export function howToGetElectron(electronVersion: string, platform: NodeJS.Platform, arch: string): string {
  return [
    `Get Electron ${electronVersion} for ${platform}-${arch} with one of:`,
    '  node node_modules/electron/install.js   (downloads it from GitHub; set ELECTRON_MIRROR to use a mirror)',
    `  ELECTRON_OVERRIDE_DIST_PATH=/path/to/unpacked/electron-v${electronVersion}-${platform}-${arch} npm run dist   (Windows/Linux)`,
    'then run npm run dist again. Nothing was built.',
  ].join('\n');
}

/** Decides what `npm run dist` does here; see {@link DistPlan}. */
export function planDist(input: DistInput): DistPlan {
  const installers = INSTALLERS[input.platform];
  if (!installers) {
    return {
      ok: false,
      message: `npm run dist: Bullpen has installers for macOS, Windows and Linux, not ${input.platform}. Build on one of those.`,
    };
  }
  if (!input.binary.ok) {
    return {
      ok: false,
      message: `npm run dist: cannot build installers: ${input.binary.reason}. npm run dist packs a local Electron and never downloads one.\n${howToGetElectron(input.electronVersion, input.platform, input.arch)}`,
    };
  }
  const version = input.binaryVersion?.trim().replace(/^v/, '') ?? null;
  if (version !== null && version !== input.electronVersion) {
    return {
      ok: false,
      message: `npm run dist: the Electron binary is ${version} but package.json pins electron ${input.electronVersion}; installers must carry the version the app was built and tested with.\n${howToGetElectron(input.electronVersion, input.platform, input.arch)}`,
    };
  }
  return {
    ok: true,
    electronDist: electronDistDir(input.binary.path, input.platform),
    electronVersion: input.electronVersion,
    installers,
    dirOnly: input.dirOnly,
  };
}
