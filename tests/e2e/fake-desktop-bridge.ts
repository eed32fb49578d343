/**
 * Stands in for the Electron preload in the desktop-shell specs: a `window.bullpen` bridge as
 * the contract types it, whose settings, token and downloaded update live in sessionStorage (so
 * they survive reloads like the main process's store). It records what the renderer reports to
 * the tray and lets a test send tray commands and update pushes. With `refuse-login` set in
 * sessionStorage, saving startAtLogin fails the way main replies when the OS refuses.
 */
import type { BrowserContext, Page } from '@playwright/test';
import type { Activity, BullpenBridge, TrayCommand } from '../../contract';

interface PageStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** What the fake bridge keeps on the page, typed here because the specs have no DOM library. */
export interface FakeBridgeGlobals {
  sessionStorage: PageStorage;
  localStorage: PageStorage;
  /** Every activity the renderer reported to the tray, in order. */
  trayReports: Activity[];
  /** The renderer's tray command listeners, as the preload would hold them. */
  trayListeners: ((command: TrayCommand) => void)[];
  /** The renderer's update:ready listener: call it as main would push the event. */
  fakeUpdateReady?: (version: string) => void;
}

export async function fakeDesktopBridge(context: BrowserContext, serverUrl: string): Promise<void> {
  await context.addInitScript((url: string) => {
    const page = globalThis as unknown as FakeBridgeGlobals;
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
      // An update "downloaded" before the page loaded is kept in sessionStorage; a later one is
      // pushed by the test through the listener kept on the page.
      updates: {
        status: () => {
          const version = page.sessionStorage.getItem('fake-update');
          return ok(version ? { state: 'ready' as const, version } : { state: 'idle' as const });
        },
        install: () => {
          page.sessionStorage.setItem('fake-update-installed', 'yes');
          return ok(null);
        },
      },
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
        onPowerChange: () => () => {},
        onUpdateReady: (listener) => {
          page.fakeUpdateReady = listener;
          return () => {};
        },
      },
    };
    Object.defineProperty(globalThis, 'bullpen', { value: Object.freeze(bridge) });
  }, serverUrl);
}

/** The last activity the renderer reported to the tray, or null. */
export const lastTrayReport = (page: Page) => page.evaluate(() => (globalThis as unknown as FakeBridgeGlobals).trayReports.at(-1) ?? null);

/** Sends a tray menu command to the renderer, as the preload would. */
export const trayCommand = (page: Page, command: TrayCommand) =>
  page.evaluate((c) => {
    for (const listener of (globalThis as unknown as FakeBridgeGlobals).trayListeners) listener(c);
  }, command);
