import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.hoisted(() => {
  // See settings.test.ts: lets Node load electron-store's own `electron` import outside the mocks.
  process.env.ELECTRON_OVERRIDE_DIST_PATH ??= `${process.cwd()}/no-electron-binary`;
});

type Invoke = (event: unknown, payload?: unknown) => Promise<unknown>;

const electron = await vi.hoisted(async () => {
  const { Emitter, FakeWindow } = await import('../electron-fakes');
  /** The OS's shortcut table: accelerators other apps hold, and ours with their callbacks. */
  const taken = new Set<string>();
  const ours = new Map<string, () => void>();
  const globalShortcut = {
    register: vi.fn((accelerator: string, callback: () => void) => {
      if (taken.has(accelerator) || ours.has(accelerator)) return false;
      ours.set(accelerator, callback);
      return true;
    }),
    unregister: vi.fn((accelerator: string) => void ours.delete(accelerator)),
    isRegistered: (accelerator: string) => ours.has(accelerator),
  };
  const handlers = new Map<string, Invoke>();
  return {
    Emitter,
    FakeWindow,
    taken,
    ours,
    globalShortcut,
    handlers,
    app: new Emitter(),
    ipcMain: {
      handle: vi.fn((channel: string, fn: Invoke) => void handlers.set(channel, fn)),
      removeAllListeners: vi.fn(),
    },
    BrowserWindow: { fromWebContents: vi.fn(() => ({ isDestroyed: () => false })) },
  };
});
vi.mock('electron', () => ({
  app: electron.app,
  globalShortcut: electron.globalShortcut,
  ipcMain: electron.ipcMain,
  BrowserWindow: electron.BrowserWindow,
}));

import type { BrowserWindow } from 'electron';
import { DEFAULT_CLIP_HOTKEY, DEFAULT_SETTINGS } from '../../../../contract';
import { setupClipHotkey } from '../../../../electron/main/clip-hotkey';
import { setupIpcHandlers } from '../../../../electron/main/ipc';
import { createLogger } from '../../../../electron/main/logger';
import { SettingsStore } from '../../../../electron/main/settings';
import type { TokenStore } from '../../../../electron/main/token-store';

afterAll(() => {
  delete process.env.ELECTRON_OVERRIDE_DIST_PATH;
});

const TAKEN_MESSAGE = 'Ctrl+Shift+K is used by another app. Pick another clip shortcut in Settings.';

let lines: string[];
const log = createLogger({ write: (_level, line) => lines.push(line) });
let window: InstanceType<typeof electron.FakeWindow>;
let dir: string;
let settings: SettingsStore;

function press(accelerator: string) {
  const callback = electron.ours.get(accelerator);
  if (!callback) throw new Error(`${accelerator} is not registered by us`);
  callback();
}

function setup(getWindow: () => BrowserWindow | null = () => window as unknown as BrowserWindow) {
  return setupClipHotkey({ log, settings, getWindow, platform: 'linux' });
}

beforeEach(() => {
  lines = [];
  electron.taken.clear();
  electron.ours.clear();
  electron.handlers.clear();
  electron.app.listeners.clear();
  vi.clearAllMocks();
  window = new electron.FakeWindow();
  dir = mkdtempSync(join(tmpdir(), 'bullpen-hotkey-'));
  settings = SettingsStore.open({ log, cwd: dir });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('setupClipHotkey', () => {
  it('registers the shortcut from the settings and sends clip:hotkey to the window on a press', () => {
    const hotkey = setup();
    expect(hotkey.registered).toBe(DEFAULT_CLIP_HOTKEY);
    expect(electron.globalShortcut.isRegistered(DEFAULT_CLIP_HOTKEY)).toBe(true);
    press(DEFAULT_CLIP_HOTKEY);
    expect(window.webContents.send).toHaveBeenCalledExactlyOnceWith('clip:hotkey', {});
  });

  it('skips a press when there is no window or it is destroyed, without opening one', () => {
    let current: InstanceType<typeof electron.FakeWindow> | null = null;
    setup(() => current as unknown as BrowserWindow | null);
    expect(() => press(DEFAULT_CLIP_HOTKEY)).not.toThrow();
    current = window;
    window.destroyed = true;
    press(DEFAULT_CLIP_HOTKEY);
    expect(window.webContents.send).not.toHaveBeenCalled();
  });

  it('reports a shortcut another app holds to the renderer, with a message saying what to do', () => {
    electron.taken.add(DEFAULT_CLIP_HOTKEY);
    const hotkey = setup();
    expect(hotkey.registered).toBeNull();
    expect(window.webContents.send).toHaveBeenCalledExactlyOnceWith('clip:hotkey-error', {
      hotkey: DEFAULT_CLIP_HOTKEY,
      message: TAKEN_MESSAGE,
    });
    expect(lines.some((line) => line.includes('"level":"warn"') && line.includes('clip shortcut is taken'))).toBe(true);
  });

  it('holds that report until the renderer has loaded, so the startup error is not lost', () => {
    electron.taken.add(DEFAULT_CLIP_HOTKEY);
    window.webContents.loading = true;
    setup();
    expect(window.webContents.send).not.toHaveBeenCalled();
    window.webContents.loading = false;
    window.webContents.emit('did-finish-load');
    expect(window.webContents.send).toHaveBeenCalledExactlyOnceWith('clip:hotkey-error', {
      hotkey: DEFAULT_CLIP_HOTKEY,
      message: TAKEN_MESSAGE,
    });
  });

  it('reports an accelerator Electron refuses (throws) instead of crashing', () => {
    settings.set({ clipHotkey: 'Ctrl+Shift+K' });
    electron.globalShortcut.register.mockImplementationOnce(() => {
      throw new Error('conversion failure');
    });
    const hotkey = setup();
    expect(hotkey.registered).toBeNull();
    expect(window.webContents.send).toHaveBeenCalledExactlyOnceWith('clip:hotkey-error', {
      hotkey: 'Ctrl+Shift+K',
      message: "Ctrl+Shift+K can't be used as a shortcut on this computer. Pick another clip shortcut in Settings.",
    });
  });

  it('moves to a free shortcut, releasing the old one', () => {
    const hotkey = setup();
    expect(hotkey.update('Alt+Shift+C')).toBeNull();
    expect(hotkey.registered).toBe('Alt+Shift+C');
    expect(electron.globalShortcut.isRegistered(DEFAULT_CLIP_HOTKEY)).toBe(false);
    press('Alt+Shift+C');
    expect(window.webContents.send).toHaveBeenCalledExactlyOnceWith('clip:hotkey', {});
  });

  it('keeps the old shortcut when the new one is taken, and says why', () => {
    electron.taken.add('Alt+Shift+C');
    const hotkey = setup();
    expect(hotkey.update('Alt+Shift+C')).toBe('Alt+Shift+C is used by another app. Pick another clip shortcut in Settings.');
    expect(hotkey.registered).toBe(DEFAULT_CLIP_HOTKEY);
    expect(electron.globalShortcut.isRegistered(DEFAULT_CLIP_HOTKEY)).toBe(true);
    press(DEFAULT_CLIP_HOTKEY);
    expect(window.webContents.send).toHaveBeenCalledExactlyOnceWith('clip:hotkey', {});
  });

  it('can register a shortcut later when the one from the settings was taken', () => {
    electron.taken.add(DEFAULT_CLIP_HOTKEY);
    const hotkey = setup();
    expect(hotkey.update('Alt+Shift+C')).toBeNull();
    expect(hotkey.registered).toBe('Alt+Shift+C');
  });

  it('releases the shortcut on will-quit, once', () => {
    const hotkey = setup();
    electron.app.emit('will-quit');
    expect(electron.globalShortcut.isRegistered(DEFAULT_CLIP_HOTKEY)).toBe(false);
    expect(hotkey.registered).toBeNull();
    hotkey.dispose();
    expect(electron.globalShortcut.unregister).toHaveBeenCalledTimes(1);
    expect(hotkey.update('Alt+Shift+C')).toMatch(/quitting/);
    expect(electron.ours.size).toBe(0);
  });
});

describe('settings:set with a new clip shortcut', () => {
  const fromUs = { sender: { id: 1 }, senderFrame: { url: 'bullpen-app://app/index.html' } };
  function invoke(channel: string, payload?: unknown): Promise<unknown> {
    return electron.handlers.get(channel)!(fromUs, payload);
  }
  function setupIpc() {
    const clipHotkey = setup();
    setupIpcHandlers({
      log,
      settings,
      tokens: {} as TokenStore,
      capture: { arm: vi.fn() },
      appInfo: () => ({ platform: 'linux', version: '0.1.0', systemLoopback: false }),
      openExternal: async () => true,
      clipHotkey,
    });
    return clipHotkey;
  }

  it('replies BAD_REQUEST for a taken shortcut and changes nothing', async () => {
    electron.taken.add('Alt+Shift+C');
    const hotkey = setupIpc();
    const before = readFileSync(settings.path, 'utf8');
    await expect(invoke('settings:set', { clipHotkey: 'Alt+Shift+C', preRollSec: 20 })).resolves.toEqual({
      ok: false,
      error: { code: 'BAD_REQUEST', message: 'Alt+Shift+C is used by another app. Pick another clip shortcut in Settings.' },
    });
    expect(readFileSync(settings.path, 'utf8')).toBe(before);
    expect(settings.get()).toEqual(DEFAULT_SETTINGS);
    expect(hotkey.registered).toBe(DEFAULT_CLIP_HOTKEY);
  });

  it('registers a free shortcut before saving it', async () => {
    const hotkey = setupIpc();
    await expect(invoke('settings:set', { clipHotkey: 'Alt+Shift+C' })).resolves.toMatchObject({
      ok: true,
      value: { clipHotkey: 'Alt+Shift+C' },
    });
    expect(hotkey.registered).toBe('Alt+Shift+C');
    expect(settings.get().clipHotkey).toBe('Alt+Shift+C');
  });

  it('saves other settings when the stored shortcut could not be registered', async () => {
    electron.taken.add(DEFAULT_CLIP_HOTKEY);
    setupIpc();
    await expect(invoke('settings:set', { clipHotkey: DEFAULT_CLIP_HOTKEY, preRollSec: 20 })).resolves.toMatchObject({
      ok: true,
      value: { preRollSec: 20 },
    });
  });

  it('puts the shortcut back when saving fails after it moved', async () => {
    const hotkey = setupIpc();
    vi.spyOn(settings, 'set').mockImplementationOnce(() => {
      throw new Error('disk full');
    });
    await expect(invoke('settings:set', { clipHotkey: 'Alt+Shift+C' })).resolves.toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(hotkey.registered).toBe(DEFAULT_CLIP_HOTKEY);
    expect(settings.get().clipHotkey).toBe(DEFAULT_CLIP_HOTKEY);
  });
});
