/**
 * The outside programs the test suite drives, and where to find them. ffmpeg and ffprobe come
 * from npm packages that ship a binary per platform (Linux, macOS, Windows), so most machines
 * need only Chromium from outside npm. Each can be pointed elsewhere with an environment
 * variable (BULLPEN_FFMPEG, BULLPEN_FFPROBE, BULLPEN_CHROMIUM).
 */
import { accessSync, constants } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';

const require = createRequire(import.meta.url);

export interface TestTool {
  name: string;
  /** What the suite uses it for, in a few words. */
  purpose: string;
  /** Absolute path, or undefined when it cannot be found. */
  path: string | undefined;
  /** How to get it, per operating system. */
  install: { debian: string; macos: string };
}

function executable(path: string | undefined): path is string {
  if (!path) return false;
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first executable `name` on PATH. */
function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    if (executable(candidate)) return candidate;
  }
  return undefined;
}

/** The binary an npm installer package provides for this platform, if any. */
function fromPackage(pkg: string): string | undefined {
  try {
    return (require(pkg) as { path: string }).path;
  } catch {
    return undefined; // no binary package for this platform
  }
}

function find(envVar: string, pkg: string | undefined, ...fallbacks: string[]): string | undefined {
  const override = process.env[envVar];
  if (override) return executable(override) ? override : undefined;
  const packaged = pkg ? fromPackage(pkg) : undefined;
  if (executable(packaged)) return packaged;
  for (const fallback of fallbacks) {
    const found = fallback.includes('/') ? (executable(fallback) ? fallback : undefined) : onPath(fallback);
    if (found) return found;
  }
  return undefined;
}

/** ffmpeg: decodes recordings and clips to check what they sound like. */
export const ffmpegPath = (): string | undefined => find('BULLPEN_FFMPEG', '@ffmpeg-installer/ffmpeg', 'ffmpeg');
/** ffprobe: reads recordings' container durations. */
export const ffprobePath = (): string | undefined => find('BULLPEN_FFPROBE', '@ffprobe-installer/ffprobe', 'ffprobe');
/** Chromium: the end-to-end tests and the join benchmark drive the real UI in it. */
export const chromiumPath = (): string | undefined =>
  find(
    'BULLPEN_CHROMIUM',
    undefined,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/Applications/Chromium.app/Contents/MacOS/Chromium',
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  );

/** redis-server: the cluster tests run two nodes over a real Redis. */
export const redisServerPath = (): string | undefined => find('BULLPEN_REDIS_SERVER', undefined, 'redis-server', '/usr/bin/redis-server', '/opt/homebrew/bin/redis-server');
/** coturn's turnserver: a listener forced through TURN hears a live call. */
export const turnServerPath = (): string | undefined => find('BULLPEN_TURNSERVER', undefined, 'turnserver', '/usr/bin/turnserver', '/opt/homebrew/bin/turnserver');

/** Like `ffmpegPath()` but throws a message that says how to get it. */
export function requireTool(tool: TestTool): string {
  if (tool.path) return tool.path;
  throw new Error(`${tool.name} is missing (${tool.purpose}). ${tool.install.debian}; macOS: ${tool.install.macos}`);
}

/** Every tool `npm test` needs, found or not. */
export function testTools(): TestTool[] {
  return [
    {
      name: 'Chromium',
      purpose: 'end-to-end tests drive the real UI in it',
      path: chromiumPath(),
      install: {
        debian: 'Debian/Ubuntu: sudo apt-get install chromium (Ubuntu: chromium-browser)',
        macos: 'brew install --cask chromium, or set BULLPEN_CHROMIUM to a Chrome or Chromium binary',
      },
    },
    {
      name: 'ffmpeg',
      purpose: 'decodes recordings and clips to check their audio',
      path: ffmpegPath(),
      install: {
        debian: 'npm install (it ships in @ffmpeg-installer/ffmpeg); or sudo apt-get install ffmpeg and set BULLPEN_FFMPEG=$(command -v ffmpeg)',
        macos: 'npm install; or brew install ffmpeg and set BULLPEN_FFMPEG',
      },
    },
    {
      name: 'ffprobe',
      purpose: 'reads recordings’ container durations',
      path: ffprobePath(),
      install: {
        debian: 'npm install (it ships in @ffprobe-installer/ffprobe); or sudo apt-get install ffmpeg and set BULLPEN_FFPROBE=$(command -v ffprobe)',
        macos: 'npm install; or brew install ffmpeg and set BULLPEN_FFPROBE',
      },
    },
    {
      name: 'redis-server',
      purpose: 'the cluster tests share signalling, routing and limits through it',
      path: redisServerPath(),
      install: { debian: 'sudo apt-get install redis-server', macos: 'brew install redis' },
    },
    {
      name: 'turnserver (coturn)',
      purpose: 'a listener forced through TURN hears a live call',
      path: turnServerPath(),
      install: { debian: 'sudo apt-get install coturn', macos: 'brew install coturn' },
    },
  ];
}
