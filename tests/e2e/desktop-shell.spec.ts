import type { BrowserContext } from '@playwright/test';
import type { BullpenBridge } from '../../contract';
import { PASSWORD, seedTeam } from './api';
import { expect, numberAttribute, test } from './fixtures';

/** The page's storage, typed here because this file is type-checked without the DOM library. */
interface PageStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}
interface PageGlobals {
  sessionStorage: PageStorage;
  localStorage: PageStorage;
}

/**
 * Stands in for the Electron preload: a `window.bullpen` bridge whose settings and token live
 * in sessionStorage (so they survive reloads like the real main process's store).
 */
async function fakeDesktopBridge(context: BrowserContext, serverUrl: string): Promise<void> {
  await context.addInitScript((url: string) => {
    const { sessionStorage } = globalThis as unknown as PageGlobals;
    const ok = <T>(value: T) => Promise.resolve({ ok: true as const, value });
    const defaults = { serverUrl: url, micDeviceId: null, callAudioDeviceId: null, callAudioMode: 'none' as const, clipHotkey: 'CommandOrControl+Shift+K', preRollSec: 30, postRollSec: 10 };
    const settings = () => ({ ...defaults, ...JSON.parse(sessionStorage.getItem('fake-settings') ?? '{}') });
    const bridge: BullpenBridge = {
      settings: {
        get: () => ok(settings()),
        set: (patch) => {
          const next = { ...settings(), ...patch };
          sessionStorage.setItem('fake-settings', JSON.stringify(next));
          return ok(next);
        },
      },
      token: {
        get: () => ok(sessionStorage.getItem('fake-token')),
        set: (token) => {
          if (token) sessionStorage.setItem('fake-token', token);
          else sessionStorage.removeItem('fake-token');
          return ok(null);
        },
      },
      app: { info: () => ok({ platform: 'linux' as const, version: '0.1.0-test', systemLoopback: false }) },
      capture: {
        armLoopback: () => Promise.resolve({ ok: false as const, error: { code: 'UNAVAILABLE' as const, message: 'No loopback here' } }),
      },
      shell: { openExternal: () => ok(null) },
      notifications: { show: () => ok(null) },
      // An update "downloaded" before the page loaded is kept in sessionStorage; a later one is
      // pushed by the test through the listener kept on the page.
      updates: {
        status: () => {
          const version = sessionStorage.getItem('fake-update');
          return ok(version ? { state: 'ready' as const, version } : { state: 'idle' as const });
        },
        install: () => {
          sessionStorage.setItem('fake-update-installed', 'yes');
          return ok(null);
        },
      },
      tray: { reportActivity: () => ok(null) },
      events: {
        onClipHotkey: () => () => {},
        onClipHotkeyError: () => () => {},
        onOpenLink: () => () => {},
        onNotificationOpen: () => () => {},
        onTrayCommand: () => () => {},
        onPowerChange: () => () => {},
        onUpdateReady: (listener) => {
          Object.assign(globalThis, { fakeUpdateReady: listener });
          return () => {};
        },
      },
    };
    Object.defineProperty(globalThis, 'bullpen', { value: Object.freeze(bridge) });
  }, serverUrl);
}

test('in the desktop shell, settings and the session go through window.bullpen', async ({ server, openApp }) => {
  await seedTeam(server.url);
  const page = await openApp('/', (context) => fakeDesktopBridge(context, server.url));

  await page.getByLabel('Email').fill('alice@acme.test');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('board-empty')).toBeVisible();

  // The token went to the bridge, not to the page's storage, and survives a reload.
  const stored = await page.evaluate(() => {
    const { localStorage, sessionStorage } = globalThis as unknown as PageGlobals;
    return [localStorage.getItem('bullpen.token'), sessionStorage.getItem('fake-token') !== null];
  });
  expect(stored).toEqual([null, true]);
  await page.reload();
  await expect(page.getByTestId('board-empty')).toBeVisible();

  // Settings exist only on the desktop: the server address and default audio, with a live meter.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  await expect(page.getByText('Bullpen for desktop 0.1.0-test')).toBeVisible();
  await expect(page.getByLabel('Bullpen server address')).toHaveValue(server.url);
  await expect.poll(() => numberAttribute(page, 'mic-meter', 'data-level')).toBeGreaterThan(0.1);

  // A bad address is explained before anything is saved.
  await page.getByLabel('Bullpen server address').fill('ftp://example.com');
  await page.getByRole('button', { name: 'Save and reconnect' }).click();
  await expect(page.getByText('Server address must be an http(s) URL.')).toBeVisible();
  expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).sessionStorage.getItem('fake-settings'))).toBeNull();
});

test('in the desktop shell, a downloaded update offers a restart, and installs on click', async ({ server, openApp }) => {
  await seedTeam(server.url);
  const page = await openApp('/', (context) => fakeDesktopBridge(context, server.url));
  await page.getByLabel('Email').fill('alice@acme.test');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('board-empty')).toBeVisible();
  await expect(page.getByTestId('update-banner')).toHaveCount(0);

  // Main pushes update:ready while the app is open.
  await page.evaluate(() => (globalThis as unknown as { fakeUpdateReady: (version: string) => void }).fakeUpdateReady('0.2.0'));
  const banner = page.getByTestId('update-banner');
  await expect(banner).toContainText('Update ready — restart to use Bullpen 0.2.0.');

  // One that downloaded before the window loaded is asked for (update:status).
  await page.evaluate(() => (globalThis as unknown as PageGlobals).sessionStorage.setItem('fake-update', '0.3.0'));
  await page.reload();
  await expect(banner).toContainText('Bullpen 0.3.0');
  await banner.getByRole('button', { name: 'Restart' }).click();
  await expect(banner).toContainText('Restarting to install Bullpen 0.3.0…');
  expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).sessionStorage.getItem('fake-update-installed'))).toBe('yes');
});
