/**
 * The installers carry out/ and no node_modules (electron-builder.config.ts), so the main
 * process must be one self-contained bundle: built here with the project's own electron-vite
 * config (in memory), its run-time imports must be Electron and Node's modules only, with no
 * native module anywhere, and it must start with nothing beside it but Electron (stood in by
 * electron-stand-in.cjs, as no Electron binary exists here). The build's own guard is shown to
 * refuse an import it cannot ship.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { resolveConfig } from 'electron-vite';
import { build, type Rolldown, type InlineConfig } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRuntimeProvided, runtimeLoads } from '../../../electron.vite.config';

const root = join(import.meta.dirname, '../../..');

/** The project's main-process build config, writing nothing to disk. */
async function mainConfig(): Promise<InlineConfig> {
  const resolved = await resolveConfig({ root, configFile: join(root, 'electron.vite.config.ts'), logLevel: 'silent' }, 'build', 'production');
  const main = resolved.config?.main as InlineConfig | undefined;
  if (!main) throw new Error('electron.vite.config.ts has no main build');
  return { ...main, configFile: false, logLevel: 'silent', build: { ...main.build, write: false, emptyOutDir: false } };
}

function chunksOf(output: Awaited<ReturnType<typeof build>>): Rolldown.OutputChunk[] {
  const outputs = (Array.isArray(output) ? output : [output]) as Rolldown.RolldownOutput[];
  return outputs.flatMap((o) => o.output.filter((item): item is Rolldown.OutputChunk => item.type === 'chunk'));
}

let chunks: Rolldown.OutputChunk[];
let work: string;
beforeAll(async () => {
  chunks = chunksOf(await build(await mainConfig()));
  work = mkdtempSync(join(tmpdir(), 'bullpen-main-bundle-'));
}, 120_000);
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/**
 * Runs the bundle in plain Node as an installed app would hold it (out/main/index.js and no
 * node_modules but Electron's stand-in), with a fresh user-data dir; returns its log lines,
 * the Electron calls it made, and what it wrote.
 */
function startBundle(name: string, opts: { packaged: boolean; feed: boolean; until?: string }) {
  const dir = join(work, name);
  for (const sub of ['out/main', 'node_modules/electron', 'user-data', 'resources']) mkdirSync(join(dir, sub), { recursive: true });
  for (const chunk of chunks) {
    mkdirSync(dirname(join(dir, 'out/main', chunk.fileName)), { recursive: true });
    writeFileSync(join(dir, 'out/main', chunk.fileName), chunk.code);
  }
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module', main: './out/main/index.js' }));
  copyFileSync(join(import.meta.dirname, 'electron-stand-in.cjs'), join(dir, 'node_modules/electron/index.js'));
  writeFileSync(join(dir, 'node_modules/electron/package.json'), JSON.stringify({ name: 'electron', main: 'index.js' }));
  if (opts.feed) writeFileSync(join(dir, 'resources/app-update.yml'), 'provider: generic\nurl: https://downloads.example.com/bullpen/\n');
  const run = spawnSync(process.execPath, ['out/main/index.js'], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 30_000,
    env: {
      PATH: process.env.PATH,
      HOME: dir,
      STAND_IN_USER_DATA: join(dir, 'user-data'),
      STAND_IN_RESOURCES: join(dir, 'resources'),
      STAND_IN_PACKAGED: opts.packaged ? '1' : '0',
      // Report only once this Electron call was made as well (see electron-stand-in.cjs).
      ...(opts.until ? { STAND_IN_UNTIL: opts.until } : {}),
      // As the AppImage runtime sets it: Linux updates need it (auto-update.ts).
      ...(opts.packaged ? { APPIMAGE: join(dir, 'Bullpen.AppImage') } : {}),
    },
  });
  const lines = `${run.stdout}\n${run.stderr}`.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
  const calls = (lines.find((line) => 'standInCalls' in line)?.standInCalls ?? []) as string[];
  return { status: run.status, lines, messages: lines.map((line) => line.msg).filter(Boolean), calls, settingsWritten: existsSync(join(dir, 'user-data/settings.json')) };
}

describe('the main-process bundle', () => {
  it('starts with nothing but Electron beside it: settings, window, IPC; updates off without a feed', () => {
    const app = startBundle('unpackaged', { packaged: false, feed: false });
    expect(app.status, JSON.stringify(app.lines.slice(-3))).toBe(0);
    expect(app.messages).toContain('Bullpen started');
    expect(app.messages).not.toContain('Bullpen could not start');
    expect(app.calls).not.toContain('app.exit(1)');
    expect(app.calls).toContain('new BrowserWindow');
    expect(app.settingsWritten).toBe(true); // the bundled electron-store
    expect(app.lines).toContainEqual(expect.objectContaining({ msg: 'updates are off', reason: expect.stringMatching(/running from source/) }));
    expect(app.calls.filter((call) => call.startsWith('net.'))).toEqual([]);
  }, 60_000);

  it('an installed build with a feed checks it through the bundled electron-updater (Electron’s net: stood in, no network)', () => {
    const app = startBundle('packaged', { packaged: true, feed: true, until: 'net.request' });
    expect(app.status, JSON.stringify(app.lines.slice(-3))).toBe(0);
    expect(app.messages).toContain('Bullpen started');
    expect(app.messages).toContain('updates are on');
    expect(app.calls).toContain('net.request');
  }, 60_000);

  it('loads nothing at run time but Electron and Node’s own modules', () => {
    expect(chunks.map((c) => c.fileName)).toContain('index.js');
    const fileNames = new Set(chunks.map((c) => c.fileName));
    const loads = chunks.flatMap(runtimeLoads).filter((id) => !fileNames.has(id));
    expect(loads).toContain('electron');
    expect(loads.filter((id) => !isRuntimeProvided(id))).toEqual([]);
    // What the app stores settings with and updates itself with is inside the bundle.
    const code = chunks.map((c) => c.code).join('\n');
    expect(code).toContain('electron-store');
    expect(code).toMatch(/app-update\.yml/);
    // No native addon is loaded (they would need node_modules and an Electron rebuild).
    expect(code).not.toMatch(/\.node["']/);
    expect(code).not.toMatch(/better-sqlite3|node-datachannel/);
  }, 120_000);

  it('fails the build when the main process would import a package at run time', async () => {
    const config = await mainConfig();
    // As if someone externalized a dependency again: the installers would lack it.
    const external = { ...config, build: { ...config.build, rolldownOptions: { ...config.build?.rolldownOptions, external: ['electron-store'] } } };
    await expect(build(external)).rejects.toThrow(/must be self-contained .* loads electron-store/);
  }, 120_000);

  it('also sees a package that bundled CommonJS code would require at run time', async () => {
    const config = await mainConfig();
    // electron-updater's CommonJS requires fs-extra: left external, it becomes a __require("fs-extra").
    const external = { ...config, build: { ...config.build, rolldownOptions: { ...config.build?.rolldownOptions, external: ['fs-extra'] } } };
    await expect(build(external)).rejects.toThrow(/must be self-contained .* loads fs-extra/);
  }, 120_000);

  it('reads run-time loads from imports and from CommonJS requires', () => {
    const chunk = { imports: ['electron'], dynamicImports: ['./lazy.js'], code: 'var a = __require("node:fs"); var b = __require( \'semver\' ); // require("x")' };
    expect(runtimeLoads(chunk)).toEqual(['electron', './lazy.js', 'node:fs', 'semver']);
  });

  it('knows what Electron provides', () => {
    expect(['electron', 'node:fs', 'fs', 'path'].every(isRuntimeProvided)).toBe(true);
    expect(['electron-store', 'better-sqlite3', 'electron-updater'].some(isRuntimeProvided)).toBe(false);
  });
});
