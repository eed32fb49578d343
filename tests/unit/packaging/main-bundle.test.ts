/**
 * The installers carry out/ and no node_modules (electron-builder.config.ts), so the main
 * process must be one self-contained bundle: built here with the project's own electron-vite
 * config (in memory), its run-time imports must be Electron and Node's modules only, with no
 * native module anywhere. The build's own guard is shown to refuse an import it cannot ship.
 */
import { join } from 'node:path';
import { resolveConfig } from 'electron-vite';
import { build, type Rolldown, type InlineConfig } from 'vite';
import { describe, expect, it } from 'vitest';
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

describe('the main-process bundle', () => {
  it('loads nothing at run time but Electron and Node’s own modules', async () => {
    const chunks = chunksOf(await build(await mainConfig()));
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
