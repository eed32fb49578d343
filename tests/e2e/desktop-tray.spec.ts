import type { BrowserContext, Page } from '@playwright/test';
import type { Activity, BullpenBridge, TrayCommand } from '../../contract';
import { PASSWORD, seedTeam } from './api';
import { expect, test } from './fixtures';

/** What the fake bridge keeps on the page, typed here because this file has no DOM library. */
interface TrayGlobals {
  sessionStorage: { getItem(key: string): string | null; setItem(key: string, value: string): void; removeItem(key: string): void };
  /** Every activity the renderer reported to the (fake) tray, in order. */
  trayReports: Activity[];
  /** The renderer's tray command listeners, as the preload would hold them. */
  trayListeners: ((command: TrayCommand) => void)[];
}

/**
 * Stands in for the Electron preload: settings live in sessionStorage, tray reports are
 * recorded and tray commands can be sent. With `refuse-login` set in sessionStorage, saving
 * startAtLogin fails the way the main process replies when the OS refuses.
 */
async function fakeDesktopBridge(context: BrowserContext, serverUrl: string): Promise<void> {
  await context.addInitScript((url: string) => {
    const page = globalThis as unknown as TrayGlobals;
    page.trayReports = [];
    page.trayListeners = [];
    const ok = <T>(value: T) => Promise.resolve({ ok: true as const, value });
    const defaults = {
      serverUrl: url,
      micDeviceId: null,
      callAudioDeviceId: null,
      callAudioMode: 'none' as const,
      clipHotkey: 'CommandOrControl+Shift+K',
      preRollSec: 30,
      postRollSec: 10,
      keepRunningInTray: false,
      startAtLogin: false,
      trayNoticeShown: false,
    };
    const settings = () => ({ ...defaults, ...JSON.parse(page.sessionStorage.getItem('fake-settings') ?? '{}') });
    const bridge: BullpenBridge = {
      settings: {
        get: () => ok(settings()),
        set: (patch) => {
          if (patch.startAtLogin !== undefined && page.sessionStorage.getItem('refuse-login')) {
            return Promise.resolve({ ok: false as const, error: { code: 'UNAVAILABLE' as const, message: 'Could not write the autostart entry: check that folder’s permissions' } });
          }
          const next = { ...settings(), ...patch };
          page.sessionStorage.setItem('fake-settings', JSON.stringify(next));
          return ok(next);
        },
      },
      token: {
        get: () => ok(page.sessionStorage.getItem('fake-token')),
        set: (token) => {
          if (token) page.sessionStorage.setItem('fake-token', token);
          else page.sessionStorage.removeItem('fake-token');
          return ok(null);
        },
      },
      app: { info: () => ok({ platform: 'linux' as const, version: '0.1.0-test', systemLoopback: false }) },
      capture: { armLoopback: () => Promise.resolve({ ok: false as const, error: { code: 'UNAVAILABLE' as const, message: 'No loopback here' } }) },
      shell: { openExternal: () => ok(null) },
      notifications: { show: () => ok(null) },
      updates: { status: () => ok({ state: 'off' as const, reason: 'not an installed build' }), install: () => ok(null) },
      tray: {
        reportActivity: (activity) => {
          page.trayReports.push(activity);
          return ok(null);
        },
      },
      events: {
        onClipHotkey: () => () => {},
        onClipHotkeyError: () => () => {},
        onOpenLink: () => () => {},
        onNotificationOpen: () => () => {},
        onTrayCommand: (listener) => {
          page.trayListeners.push(listener);
          return () => page.trayListeners.splice(page.trayListeners.indexOf(listener), 1);
        },
        onUpdateReady: () => () => {},
        onPowerChange: () => () => {},
      },
    };
    Object.defineProperty(globalThis, 'bullpen', { value: Object.freeze(bridge) });
  }, serverUrl);
}

const lastReport = (page: Page) => page.evaluate(() => (globalThis as unknown as TrayGlobals).trayReports.at(-1) ?? null);
const trayCommand = (page: Page, command: TrayCommand) =>
  page.evaluate((c) => {
    for (const listener of (globalThis as unknown as TrayGlobals).trayListeners) listener(c);
  }, command);

test('the tray follows the person and its Go live / End call act like the buttons', async ({ server, openApp }) => {
  await seedTeam(server.url);
  const page = await openApp('/', (context) => fakeDesktopBridge(context, server.url));
  await expect.poll(() => lastReport(page)).toEqual({ state: 'signed-out' });

  await page.getByLabel('Email').fill('alice@acme.test');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('board-empty')).toBeVisible();
  await expect.poll(() => lastReport(page)).toEqual({ state: 'idle' });

  // Go live from the tray opens the form: a title and the recording choice need the person.
  await trayCommand(page, 'go-live');
  await expect(page.getByLabel('Call title')).toBeVisible();
  await page.getByLabel('Call title').fill('Renewal with Globex');
  await page.getByRole('button', { name: 'Go live' }).click();
  await expect(page.getByTestId('host-live')).toContainText('Live');
  await expect.poll(() => lastReport(page)).toEqual({ state: 'live', callTitle: 'Renewal with Globex' });

  // End call from the tray ends it at once, for everyone.
  await trayCommand(page, 'end-call');
  await expect(page.getByTestId('host-ended')).toBeVisible();
  await expect.poll(() => lastReport(page)).toEqual({ state: 'idle' });
});

test('desktop settings: start at login and keep running in the tray, refused by the OS without saving', async ({ server, openApp }) => {
  await seedTeam(server.url);
  const page = await openApp('/', (context) => fakeDesktopBridge(context, server.url));
  await page.getByLabel('Email').fill('alice@acme.test');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('board-empty')).toBeVisible();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();

  const section = page.getByTestId('startup-settings');
  const login = section.getByRole('switch', { name: /Start Bullpen when I log in/ });
  const keep = section.getByRole('switch', { name: /Keep Bullpen running in the tray/ });
  await expect(login).not.toBeChecked();
  await expect(keep).not.toBeChecked();
  const stored = () => page.evaluate(() => JSON.parse((globalThis as unknown as TrayGlobals).sessionStorage.getItem('fake-settings') ?? '{}') as Record<string, unknown>);

  await login.click();
  await expect(login).toBeChecked();
  await expect(page.getByText('Bullpen will start in the tray when you log in.')).toBeVisible();
  await keep.click();
  await expect(keep).toBeChecked();
  expect(await stored()).toMatchObject({ startAtLogin: true, keepRunningInTray: true });

  // The OS refuses: the reason shows, the switch stays on, nothing changes.
  await page.evaluate(() => (globalThis as unknown as TrayGlobals).sessionStorage.setItem('refuse-login', '1'));
  await login.click();
  await expect(section.getByRole('alert')).toContainText('check that folder’s permissions');
  await expect(login).toBeChecked();
  expect(await stored()).toMatchObject({ startAtLogin: true });

  // The choices are read back after a reload.
  await page.evaluate(() => (globalThis as unknown as TrayGlobals).sessionStorage.removeItem('refuse-login'));
  await page.reload();
  await expect(page.getByTestId('startup-settings').getByRole('switch', { name: /Start Bullpen when I log in/ })).toBeChecked();
});
