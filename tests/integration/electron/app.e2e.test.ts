/**
 * The real desktop app, launched with Playwright's Electron driver against a real server on a
 * random port with a fresh profile. Skipped, with the reason in its title, where there is no
 * Electron binary (the npm package's install script is disabled; see scripts/electron-binary.ts)
 * or no display to open a window on. Among them the desktop smoke test: launch, sign in, see the
 * board, and the tray icon following (the main process logs what its icon shows).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron, type ElectronApplication, type Page } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BullpenBridge } from '../../../contract';
import { findElectronBinary } from '../../../scripts/electron-binary';
import type { TestServer } from '../../helpers/test-server';
import { PASSWORD, seedTeam } from '../../e2e/api';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const binary = findElectronBinary();
const noDisplay = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
const skipReason = !binary.ok
  ? 'Electron binary not installed on this machine'
  : noDisplay
    ? 'no display to open an Electron window on (run under xvfb-run)'
    : null;

/** Runs `fn` in the renderer with `window.bullpen` in scope. */
function inRenderer<T>(page: Page, fn: (bridge: BullpenBridge) => Promise<T> | T): Promise<T> {
  return page.evaluate(`(${fn.toString()})(globalThis.bullpen)`) as Promise<T>;
}

describe.skipIf(skipReason !== null)(`desktop app${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let server: TestServer;
  let app: ElectronApplication;
  let page: Page;
  let profile: string;

  beforeAll(async () => {
    if (!binary.ok) return;
    if (!['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'].every((f) => existsSync(join(root, f)))) {
      const bin = join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
      const built = spawnSync(process.execPath, [bin, 'build'], { cwd: root, stdio: 'inherit' });
      if (built.status !== 0) throw new Error('electron-vite build failed');
    }
    // Imported here so that a machine without Electron never loads the server at all.
    const { startTestServer } = await import('../../helpers/test-server');
    server = await startTestServer();
    profile = mkdtempSync(join(tmpdir(), 'bullpen-electron-profile-'));
    const env = { ...process.env, BULLPEN_SERVER_URL: server.url, BULLPEN_USER_DATA_DIR: profile } as Record<string, string>;
    delete env.ELECTRON_RUN_AS_NODE;
    app = await _electron.launch({
      executablePath: binary.path,
      // Chromium refuses its OS sandbox when run as root (CI containers); the renderer is still
      // sandboxed in the Electron sense (no Node, isolated preload).
      args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), root],
      cwd: root,
      env,
    });
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await server?.stop();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('loads the renderer from the app protocol', () => {
    expect(page.url()).toMatch(/^bullpen-app:\/\/app\//);
  });

  it('signs in, shows the board, and its tray icon follows', async () => {
    // The main process logs one JSON line per state its tray icon shows (electron/main/tray.ts).
    const trayShowsIdle = new Promise<void>((resolve) => {
      let buffered = '';
      app.process().stdout?.on('data', (chunk: Buffer) => {
        buffered += chunk.toString('utf8');
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        if (lines.some((line) => line.includes('"msg":"tray shows"') && line.includes('"state":"idle"'))) resolve();
      });
    });
    await seedTeam(server.url);
    await page.getByLabel('Email').fill('alice@acme.test');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Live now' }).waitFor();
    await trayShowsIdle;
  });

  it('exposes only the bridge, not Node', async () => {
    expect(await page.evaluate('typeof require')).toBe('undefined');
    expect(await page.evaluate('typeof process')).toBe('undefined');
    expect(await page.evaluate('Object.keys(globalThis.bullpen).sort()')).toEqual(['app', 'capture', 'events', 'notifications', 'settings', 'shell', 'token', 'tray', 'updates']);
  });

  it('points at the server given on launch and keeps a session token', async () => {
    const settings = await inRenderer(page, (bridge) => bridge.settings.get());
    expect(settings).toMatchObject({ ok: true, value: { serverUrl: server.url } });
    expect(await inRenderer(page, (bridge) => bridge.token.set('tok_e2e'))).toEqual({ ok: true, value: null });
    expect(await inRenderer(page, (bridge) => bridge.token.get())).toEqual({ ok: true, value: 'tok_e2e' });
    expect(await inRenderer(page, (bridge) => bridge.settings.set({ serverUrl: 'javascript:alert(1)' }))).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
  });

  it('may reach the configured server and nothing else', async () => {
    const status = await page.evaluate(`fetch(${JSON.stringify(`${server.url}/api/setup`)}).then((r) => r.status, () => 'blocked')`);
    expect(status).toBe(200);
    expect(await page.evaluate(`fetch('https://example.com/').then(() => 'allowed', () => 'blocked')`)).toBe('blocked');
  });

  it('opens no new windows and stays on its origin', async () => {
    expect(await page.evaluate(`window.open('bullpen-app://app/index.html') === null`)).toBe(true);
    await page.evaluate(`location.href = 'https://example.com/'`);
    // The blocked navigation never starts, so the next round trip still finds our page.
    expect(await page.evaluate('location.href')).toMatch(/^bullpen-app:\/\/app\//);
    expect(app.windows()).toHaveLength(1);
  });
});
