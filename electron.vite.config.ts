/**
 * electron-vite build of the desktop app:
 *   out/main/index.js      main process (ESM, self-contained: its dependencies are bundled, so the
 *                          installers ship no node_modules at all; see electron-builder.config.ts)
 *   out/preload/index.cjs  preload (CommonJS and self-contained: sandboxed preloads cannot load ESM or node_modules)
 *   out/renderer/          the React renderer (also what the Bullpen server serves to browsers)
 */
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';

const path = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));
const root = path('.');

/** Native modules of the server, which is a separate process: never bundled into the app. */
const serverNativeModules = ['better-sqlite3', 'node-datachannel'];

/** Fails the build when anything imports a server native module, naming the importer. */
function noServerNativeModules(): Plugin {
  return {
    name: 'bullpen:no-server-native-modules',
    enforce: 'pre',
    resolveId(source, importer) {
      if (serverNativeModules.some((name) => source === name || source.startsWith(`${name}/`))) {
        this.error(`"${source}" imported by ${importer ?? 'an entry'}: native server modules belong to the Bullpen server, not the Electron app`);
      }
      return null;
    },
  };
}

/**
 * A sandboxed preload can `require` only `electron` (plus a few polyfilled modules we do not
 * use): fail the build if the bundled preload would require anything else.
 */
function sandboxedPreload(): Plugin {
  return {
    name: 'bullpen:sandboxed-preload',
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk') continue;
        const extra = chunk.imports.filter((id) => id !== 'electron');
        if (extra.length > 0) {
          this.error(`the sandboxed preload may only require "electron", but ${chunk.fileName} requires ${extra.join(', ')}`);
        }
      }
    },
  };
}

/** What a bundled main process may still import at run time: Electron and Node's own modules. */
export function isRuntimeProvided(id: string): boolean {
  return id === 'electron' || id.startsWith('node:') || builtinModules.includes(id);
}

/**
 * What a bundle loads at run time: its imports, and the modules its CommonJS parts `require`
 * (rolldown leaves those as `__require("…")` calls on a createRequire, not as imports).
 */
export function runtimeLoads(chunk: { imports: string[]; dynamicImports: string[]; code: string }): string[] {
  const required = [...chunk.code.matchAll(/\b__require\(\s*["']([^"']+)["']\s*\)/g)].map((match) => match[1]!);
  return [...new Set([...chunk.imports, ...chunk.dynamicImports, ...required])];
}

/**
 * The installers carry out/ and nothing from node_modules (the package's `dependencies` are
 * mostly the server's): fail the build if the main bundle would load anything at run time
 * that Electron does not provide, naming it.
 */
function selfContainedMain(): Plugin {
  return {
    name: 'bullpen:self-contained-main',
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk') continue;
        const extra = runtimeLoads(chunk).filter((id) => !isRuntimeProvided(id) && !(id in bundle));
        if (extra.length > 0) {
          this.error(`the main process must be self-contained (installers ship no node_modules), but ${chunk.fileName} loads ${extra.join(', ')}`);
        }
      }
    },
  };
}

export default defineConfig({
  main: {
    root,
    build: {
      outDir: path('out/main'),
      // Bundle every dependency (electron-store, electron-updater, zod): the installers ship
      // out/ only, never node_modules. Only `electron` and Node's modules stay external.
      externalizeDeps: false,
      rolldownOptions: { input: { index: path('electron/main/index.ts') } },
    },
    plugins: [noServerNativeModules(), selfContainedMain()],
  },
  preload: {
    root,
    build: {
      outDir: path('out/preload'),
      // A sandboxed preload cannot load node_modules: bundle everything except `electron`.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: path('electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
    plugins: [noServerNativeModules(), sandboxedPreload()],
  },
  renderer: {
    root: path('renderer'),
    base: './',
    build: {
      outDir: path('out/renderer'),
      // The same bundle is served to browsers over the network: keep it small.
      minify: true,
      rolldownOptions: { input: path('renderer/index.html') },
    },
    plugins: [react(), noServerNativeModules()],
  },
});
