import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.hoisted(() => {
  // See settings.test.ts: lets Node load electron-store's own `electron` import outside the mocks.
  process.env.ELECTRON_OVERRIDE_DIST_PATH ??= `${process.cwd()}/no-electron-binary`;
});

const electron = await vi.hoisted(async () => {
  const { Emitter, FakeWebContents } = await import('../electron-fakes');
  /** A window that can be closed (an event its listeners may prevent) and hidden. */
  class FakeWindow extends Emitter {
    webContents = new FakeWebContents();
    destroyed = false;
    visible = true;
    hide = vi.fn(() => void (this.visible = false));
    isDestroyed() {
      return this.destroyed;
    }
    isVisible() {
      return this.visible;
    }
    /** Tries to close the window as the OS would; returns whether it closed. */
    close(): boolean {
      const event = { defaultPrevented: false, preventDefault: () => void (event.defaultPrevented = true) };
      this.emit('close', event);
      return !event.defaultPrevented;
    }
  }
  class FakeApp extends Emitter {
    quits = 0;
    /** Like Electron: `before-quit` first; the app quits unless a listener prevents it. */
    quit = vi.fn(() => {
      const event = { defaultPrevented: false, preventDefault: () => void (event.defaultPrevented = true) };
      this.emit('before-quit', event);
      if (!event.defaultPrevented) this.quits++;
    });
  }
  const notifications: { title: string; body: string }[] = [];
  class FakeNotification {
    static supported = true;
    static isSupported = () => FakeNotification.supported;
    constructor(readonly options: { title: string; body: string }) {}
    show() {
      notifications.push(this.options);
    }
  }
  return {
    FakeWindow,
    FakeNotification,
    notifications,
    app: new FakeApp(),
    dialog: { showMessageBox: vi.fn(async (..._args: unknown[]) => ({ response: 0, checkboxChecked: false })) },
  };
});
vi.mock('electron', () => ({
  app: electron.app,
  dialog: electron.dialog,
  Notification: electron.FakeNotification,
  ipcMain: { removeAllListeners: () => {} },
}));

import type { BrowserWindow } from 'electron';
import { ActivityState, type Activity } from '../../../../contract';
import { ActivityTracker } from '../../../../electron/main/activity';
import { closeAction, setupCloseToTray } from '../../../../electron/main/close-to-tray';
import { createLogger } from '../../../../electron/main/logger';
import { SettingsStore } from '../../../../electron/main/settings';

afterAll(() => {
  delete process.env.ELECTRON_OVERRIDE_DIST_PATH;
});

const log = createLogger({ write: () => {} });
let dir: string;
let settings: SettingsStore;
let activity: ActivityTracker;
let window: InstanceType<typeof electron.FakeWindow>;

function setup(platform: NodeJS.Platform = 'linux', quitWaitMs = 5000) {
  setupCloseToTray({ log, settings, activity, platform, quitWaitMs, getWindow: () => window as unknown as BrowserWindow });
  window = new electron.FakeWindow();
  electron.app.emit('browser-window-created', {}, window);
}
const storedNotice = () => (JSON.parse(readFileSync(settings.path, 'utf8')) as { trayNoticeShown: boolean }).trayNoticeShown;
const commands = () => window.webContents.send.mock.calls.filter(([event]) => event === 'tray:command').map(([, payload]) => payload as unknown);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bullpen-tray-'));
  settings = SettingsStore.open({ log, cwd: dir });
  activity = new ActivityTracker(log);
  electron.app.listeners.clear();
  electron.app.quits = 0;
  electron.notifications.length = 0;
  electron.FakeNotification.supported = true;
  vi.clearAllMocks();
});
afterEach(() => {
  vi.useRealTimers();
  rmSync(dir, { recursive: true, force: true });
});

describe('closeAction', () => {
  it('hides during any call, on every platform', () => {
    for (const platform of ['darwin', 'win32', 'linux'] as const) {
      for (const state of ['live', 'recording', 'listening'] as const) {
        expect(closeAction({ platform, state, keepRunningInTray: false, quitting: false }), `${platform} ${state}`).toBe('hide');
      }
    }
  });

  it('idle: macOS closes (the app stays in the dock); Windows and Linux close unless kept in the tray', () => {
    for (const state of ['idle', 'signed-out'] as const) {
      expect(closeAction({ platform: 'darwin', state, keepRunningInTray: true, quitting: false })).toBe('close');
      expect(closeAction({ platform: 'win32', state, keepRunningInTray: false, quitting: false })).toBe('close');
      expect(closeAction({ platform: 'linux', state, keepRunningInTray: true, quitting: false })).toBe('hide');
    }
  });

  it('always closes while quitting', () => {
    for (const state of ActivityState.options) expect(closeAction({ platform: 'linux', state, keepRunningInTray: true, quitting: true })).toBe('close');
  });
});

describe('closing the window', () => {
  it('during a call hides it to the tray and says so the first time only (remembered in settings)', () => {
    setup('win32');
    activity.set({ state: 'recording', callTitle: 'Renewal' });
    expect(window.close()).toBe(false);
    expect(window.hide).toHaveBeenCalledTimes(1);
    expect(electron.notifications).toEqual([{ title: 'Bullpen is still running', body: expect.stringContaining('Your call is still live.') as string }]);
    expect(electron.notifications[0]!.body).toContain('the system tray');
    expect(storedNotice()).toBe(true);

    window.visible = true;
    expect(window.close()).toBe(false);
    expect(window.hide).toHaveBeenCalledTimes(2);
    expect(electron.notifications).toHaveLength(1);
    // A restart remembers it too.
    expect(SettingsStore.open({ log, cwd: dir }).get().trayNoticeShown).toBe(true);
  });

  it('macOS: a listener’s window hides during the call and the notice points to the menu bar', () => {
    setup('darwin');
    activity.set({ state: 'listening', callTitle: 'Max · Discovery' });
    expect(window.close()).toBe(false);
    expect(electron.notifications[0]!.body).toMatch(/^You are still listening\. .*the menu bar/);
  });

  it('idle on Linux closes (and so quits) unless “keep running in tray” is on', () => {
    setup('linux');
    activity.set({ state: 'idle' });
    expect(window.close()).toBe(true);
    expect(electron.notifications).toHaveLength(0);
    settings.set({ keepRunningInTray: true });
    expect(window.close()).toBe(false);
    expect(window.hide).toHaveBeenCalledTimes(1);
    expect(electron.notifications[0]!.body).not.toContain('call');
  });

  it('idle on macOS closes the window', () => {
    setup('darwin');
    activity.set({ state: 'idle' });
    expect(window.close()).toBe(true);
    expect(window.hide).not.toHaveBeenCalled();
  });

  it('falls back to a dialog where notifications are not supported', () => {
    electron.FakeNotification.supported = false;
    setup('linux');
    activity.set({ state: 'live' });
    window.close();
    expect(electron.dialog.showMessageBox).toHaveBeenCalledExactlyOnceWith(expect.objectContaining({ message: 'Bullpen is still running' }));
    expect(storedNotice()).toBe(true);
  });

  it('forgets the activity when the window closes or its renderer dies', () => {
    setup('linux');
    activity.set({ state: 'live' });
    window.emit('closed');
    expect(activity.current).toEqual({ state: 'idle' });
    activity.set({ state: 'listening' });
    window.webContents.emit('render-process-gone', {}, { reason: 'crashed' });
    expect(activity.current).toEqual({ state: 'idle' });
  });

  it('Windows log-off closes the window even during a call', () => {
    setup('win32');
    activity.set({ state: 'live' });
    window.emit('session-end');
    expect(window.close()).toBe(true);
  });
});

describe('quitting', () => {
  it('idle quits at once, and the window then closes instead of hiding', () => {
    setup('linux');
    settings.set({ keepRunningInTray: true });
    activity.set({ state: 'idle' });
    electron.app.quit();
    expect(electron.app.quits).toBe(1);
    expect(electron.dialog.showMessageBox).not.toHaveBeenCalled();
    expect(window.close()).toBe(true);
  });

  it('during a call asks first; Cancel keeps the app and the call', async () => {
    setup('linux');
    activity.set({ state: 'live', callTitle: 'Renewal' });
    electron.dialog.showMessageBox.mockResolvedValueOnce({ response: 1, checkboxChecked: false });
    electron.app.quit();
    expect(electron.app.quits).toBe(0);
    await vi.waitFor(() => expect(electron.dialog.showMessageBox).toHaveBeenCalledTimes(1));
    // Shown over the visible window.
    expect(electron.dialog.showMessageBox.mock.calls[0]![0]).toBe(window);
    expect(electron.dialog.showMessageBox.mock.calls[0]![1]).toMatchObject({ message: 'End your call and quit Bullpen?', cancelId: 1 });
    await Promise.resolve();
    expect(commands()).toEqual([]);
    expect(electron.app.quits).toBe(0);
    expect(window.close()).toBe(false);
  });

  it('confirmed, ends the call through the renderer and quits once it has ended', async () => {
    setup('linux');
    activity.set({ state: 'recording', callTitle: 'Renewal' });
    electron.app.quit();
    // A second Quit while the question is open asks nothing more.
    electron.app.quit();
    await vi.waitFor(() => expect(commands()).toEqual([{ command: 'end-call' }]));
    expect(electron.dialog.showMessageBox).toHaveBeenCalledTimes(1);
    expect(electron.app.quits).toBe(0);
    activity.set({ state: 'idle' });
    await vi.waitFor(() => expect(electron.app.quits).toBe(1));
    expect(window.close()).toBe(true);
  });

  it('a listener confirmed leaves the call; the dialog stands alone when the window is hidden', async () => {
    setup('linux');
    activity.set({ state: 'listening' });
    window.visible = false;
    electron.app.quit();
    await vi.waitFor(() => expect(commands()).toEqual([{ command: 'leave' }]));
    expect(electron.dialog.showMessageBox.mock.calls[0]![0]).toMatchObject({ message: 'Stop listening and quit Bullpen?' });
    activity.set({ state: 'idle' });
    await vi.waitFor(() => expect(electron.app.quits).toBe(1));
  });

  it('quits anyway when the renderer does not end the call in time', async () => {
    vi.useFakeTimers();
    setup('linux', 5000);
    activity.set({ state: 'live' } satisfies Activity);
    electron.app.quit();
    // The answer to the dialog and the command are promise steps, not timers.
    await vi.advanceTimersByTimeAsync(0);
    expect(commands()).toEqual([{ command: 'end-call' }]);
    await vi.advanceTimersByTimeAsync(4999);
    expect(electron.app.quits).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(electron.app.quits).toBe(1);
  });
});
