/**
 * electron-vite build of the desktop app:
 *   out/main/index.js      main process (ESM; dependencies stay external, loaded from node_modules)
 *   out/preload/index.cjs  preload (CommonJS and self-contained: sandboxed preloads cannot load ESM or node_modules)
 *   out/renderer/          the React renderer (also what the Bullpen server serves to browsers)
 */
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

export default defineConfig({
  main: {
    root,
    build: {
      outDir: path('out/main'),
      // Dependencies load from node_modules at run time. The server's native modules are kept
      // out of the external list so that noServerNativeModules sees (and rejects) any import.
      externalizeDeps: { exclude: serverNativeModules },
      rolldownOptions: { input: { index: path('electron/main/index.ts') } },
    },
    plugins: [noServerNativeModules()],
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
