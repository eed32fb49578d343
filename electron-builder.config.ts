/**
 * electron-builder configuration: the desktop installers (`npm run dist`, scripts/dist.ts).
 *
 * A typed TypeScript module rather than electron-builder.yml: `tsc` checks it against
 * electron-builder's own `Configuration` type, comments can say why each choice was made, the
 * update feed comes from the environment at build time ({@link builderConfig}), and tests
 * import the very object the build uses (tests/unit/build/electron-builder-config.test.ts
 * validates it against electron-builder's JSON schema). Outside `npm run dist`:
 * `npx electron-builder --config electron-builder.config.ts`.
 *
 * What goes in: out/ as electron-vite builds it and nothing else. The main process is bundled
 * self-contained (electron.vite.config.ts fails the build otherwise), so the package's
 * `dependencies` — the server's, native better-sqlite3 and node-datachannel among them — are
 * excluded whole and nothing is rebuilt against Electron's headers.
 */
import type { Configuration } from 'electron-builder';
import { DESKTOP_APP_ID } from './contract';

/** The scheme of Bullpen links (`bullpen://clip/<id>`; electron/main/deep-links.ts). */
export const LINK_SCHEMES = ['bullpen'];

/**
 * The app's files, relative to the project: electron-vite's output, minus source maps.
 * `!**\/node_modules/**` also keeps every production dependency out (electron-builder applies
 * these exclusions to the node_modules it would otherwise copy).
 */
export const PACKAGED_FILES = ['package.json', 'out/main/**/*', 'out/preload/**/*', 'out/renderer/**/*', '!**/*.map', '!**/node_modules/**/*'];

/** The environment variables the config reads at build time. */
export interface BuilderEnv {
  /**
   * An https URL of a generic update feed (a folder on any web server holding what
   * `npm run dist` wrote: latest*.yml and the installers). Without it the build carries no
   * update feed and the app never checks for updates.
   */
  BULLPEN_UPDATE_URL?: string;
}

/** The update feed from the environment, or null; throws on a URL that is not https. */
export function updateFeedUrl(env: BuilderEnv): string | null {
  const raw = env.BULLPEN_UPDATE_URL?.trim();
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`BULLPEN_UPDATE_URL is not a URL: "${raw}". Give the https address of the folder that holds latest.yml.`);
  }
  // The feed decides what code the app installs (Linux builds check no signature): https only.
  if (url.protocol !== 'https:' || url.username || url.password) {
    throw new Error(`BULLPEN_UPDATE_URL must be an https URL without credentials, e.g. https://downloads.example.com/bullpen/ (got "${raw}")`);
  }
  return url.href;
}

/** The configuration for one build; the feed comes from `env` (see {@link BuilderEnv}). */
export function builderConfig(env: BuilderEnv = process.env): Configuration {
  const feed = updateFeedUrl(env);
  return {
    appId: DESKTOP_APP_ID,
    productName: 'Bullpen',
    copyright: 'Copyright © Bullpen',
    directories: { output: 'dist', buildResources: 'build' },
    files: PACKAGED_FILES,
    artifactName: '${productName}-${version}-${os}-${arch}.${ext}',
    asar: true,
    // Nothing native is packed, so nothing is rebuilt (and no Electron headers are fetched).
    npmRebuild: false,
    nodeGypRebuild: false,
    buildDependenciesFromSource: false,
    // electron-builder writes app-update.yml only with a publish entry; the app checks for
    // updates only when that file is there (electron/main/auto-update.ts).
    publish: feed ? [{ provider: 'generic', url: feed }] : null,
    protocols: [{ name: 'Bullpen link', schemes: LINK_SCHEMES }],

    mac: {
      category: 'public.app-category.business',
      // Electron 39 runs on macOS 12 and newer.
      minimumSystemVersion: '12.0',
      // dmg to install, zip for electron-updater (Squirrel.Mac updates from the zip).
      target: ['dmg', 'zip'],
      hardenedRuntime: true,
      gatekeeperAssess: false,
      entitlements: 'build/entitlements.mac.plist',
      entitlementsInherit: 'build/entitlements.mac.plist',
      extendInfo: {
        NSMicrophoneUsageDescription: 'Bullpen sends your microphone to teammates you allow to listen while you are live.',
        // macOS 14.2+: capturing system audio (the customer's side of the call) asks with this text.
        NSAudioCaptureUsageDescription: 'Bullpen captures your call app’s audio (the customer’s side) while you are live, so teammates hear both sides.',
        // Read by the macOS versions that word the Screen Recording prompt themselves; older
        // ones use the system's text. Bullpen keeps only the audio of the capture, never the screen.
        NSScreenCaptureUsageDescription: 'Bullpen uses screen-capture access only to hear your call app’s audio; it never records or sends your screen.',
      },
    },

    win: { target: ['nsis'] },
    nsis: {
      // One click, per user, no admin rights: what a rep can install on a managed laptop.
      oneClick: true,
      perMachine: false,
      shortcutName: 'Bullpen',
      deleteAppDataOnUninstall: false,
    },

    linux: {
      target: ['AppImage', 'deb'],
      category: 'Office',
      executableName: 'bullpen',
      // The .desktop name matches package.json `desktopName`, which Electron uses as the window's
      // app id and as the handler `setAsDefaultProtocolClient` registers for bullpen:// links.
      syncDesktopName: true,
      synopsis: 'Live call shadowing, clips and coaching for sales teams',
      description: 'Bullpen lets sales reps listen in on teammates’ live calls, clip the best moments and coach each other.',
      maintainer: 'Bullpen <bullpen@example.com>',
    },
    deb: {
      // Electron's own needs (electron-builder's default list, with Debian 13's t64 names), plus
      // libsecret for the keychain the session token is encrypted with (safeStorage refuses a
      // plain-text store) and libpulse for call-audio monitor sources.
      depends: [
        'libgtk-3-0 | libgtk-3-0t64',
        'libnotify4',
        'libnss3',
        'libxss1',
        'libxtst6',
        'xdg-utils',
        'libatspi2.0-0 | libatspi2.0-0t64',
        'libuuid1',
        'libsecret-1-0',
        'libasound2 | libasound2t64',
        'libgbm1',
        'libpulse0',
      ],
      recommends: ['pipewire-pulse | pulseaudio', 'gnome-keyring | kwalletmanager'],
    },
  };
}

export default builderConfig();
