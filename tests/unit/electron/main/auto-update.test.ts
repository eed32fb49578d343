import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

type Invoke = (event: unknown, payload?: unknown) => Promise<unknown>;
const electron = await vi.hoisted(async () => {
  const { FakeWindow } = await import('../electron-fakes');
  const handlers = new Map<string, Invoke>();
  const windowContents = new Set<object>();
  return {
    handlers,
    windowContents,
    FakeWindow,
    ipcMain: { handle: vi.fn((channel: string, fn: Invoke) => void handlers.set(channel, fn)) },
    BrowserWindow: {
      fromWebContents: vi.fn((contents: object) => (windowContents.has(contents) ? { isDestroyed: () => false } : null)),
    },
  };
});
vi.mock('electron', () => ({ ipcMain: electron.ipcMain, BrowserWindow: electron.BrowserWindow }));

import { AutoUpdate, planAutoUpdate, setupAutoUpdate, UPDATE_CHECK_INTERVAL_MS, type Updater, type UpdateEnvironment } from '../../../../electron/main/auto-update';
import { setupIpcHandlers, type IpcHandlerDeps } from '../../../../electron/main/ipc';
import { createLogger } from '../../../../electron/main/logger';

/**
 * The updater object the module is handed (electron-updater's `autoUpdater` in the app): only
 * the members Bullpen's `Updater` interface names, recording what it is asked to do. Nothing
 * here reaches a network; electron-updater itself is never loaded.
 */
class RecordingUpdater implements Updater {
  autoDownload = false;
  autoInstallOnAppQuit = false;
  logger: Updater['logger'] = null;
  checks = 0;
  installs: [boolean | undefined, boolean | undefined][] = [];
  failNextCheck: Error | null = null;
  readonly #listeners = new Map<string, ((arg: never) => void)[]>();
  on(event: string, listener: (arg: never) => void): this {
    this.#listeners.set(event, [...(this.#listeners.get(event) ?? []), listener]);
    return this;
  }
  emit(event: 'update-available' | 'update-downloaded', info: { version: string }): void;
  emit(event: 'error', error: Error): void;
  emit(event: string, arg: unknown): void {
    for (const listener of this.#listeners.get(event) ?? []) (listener as (arg: unknown) => void)(arg);
  }
  checkForUpdates(): Promise<unknown> {
    this.checks += 1;
    const failure = this.failNextCheck;
    this.failNextCheck = null;
    if (failure) {
      this.emit('error', failure);
      return Promise.reject(failure);
    }
    return Promise.resolve(null);
  }
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void {
    this.installs.push([isSilent, isForceRunAfter]);
  }
}

const lines: { level: string; line: Record<string, unknown> }[] = [];
const log = createLogger({ level: 'debug', write: (level, line) => void lines.push({ level, line: JSON.parse(line) as Record<string, unknown> }) });
const installed: UpdateEnvironment = { isPackaged: true, feedConfigured: true, platform: 'win32', appImage: false, linuxPackage: false };
const ours = { id: 1 };
const fromUs = { sender: ours, senderFrame: { url: 'bullpen-app://app/index.html' } };

let updater: RecordingUpdater;
let window: InstanceType<typeof electron.FakeWindow>;
let started: AutoUpdate[];
function start(environment: UpdateEnvironment = installed): AutoUpdate {
  const updates = setupAutoUpdate({ log, environment, updater: () => updater, getWindow: () => window as never });
  started.push(updates);
  setupIpcHandlers({ log, updates } as unknown as IpcHandlerDeps);
  return updates;
}
const invoke = (channel: string) => electron.handlers.get(channel)!(fromUs);

beforeEach(() => {
  vi.useFakeTimers();
  lines.length = 0;
  electron.handlers.clear();
  electron.windowContents.clear();
  electron.windowContents.add(ours);
  updater = new RecordingUpdater();
  window = new electron.FakeWindow();
  started = [];
});
afterEach(() => {
  for (const updates of started) updates.close();
  vi.useRealTimers();
});

describe('planAutoUpdate', () => {
  it('is on only for an installed build that carries an update feed', () => {
    expect(planAutoUpdate(installed)).toEqual({ state: 'idle' });
    expect(planAutoUpdate({ ...installed, platform: 'darwin' })).toEqual({ state: 'idle' });
    expect(planAutoUpdate({ ...installed, feedConfigured: false })).toEqual({ state: 'off', reason: expect.stringMatching(/no update feed/) });
    expect(planAutoUpdate({ ...installed, isPackaged: false })).toEqual({ state: 'off', reason: expect.stringMatching(/running from source/) });
    expect(planAutoUpdate({ ...installed, platform: 'freebsd' }).state).toBe('off');
  });

  it('on Linux, only from the AppImage or the .deb', () => {
    const linux = { ...installed, platform: 'linux' as const };
    expect(planAutoUpdate(linux)).toEqual({ state: 'off', reason: expect.stringMatching(/AppImage or the \.deb/) });
    expect(planAutoUpdate({ ...linux, appImage: true })).toEqual({ state: 'idle' });
    expect(planAutoUpdate({ ...linux, linuxPackage: true })).toEqual({ state: 'idle' });
  });
});

describe('setupAutoUpdate', () => {
  it('is off by default: without a feed it never touches the updater and says why', async () => {
    const factory = vi.fn(() => updater);
    const updates = setupAutoUpdate({ log, environment: { ...installed, feedConfigured: false }, updater: factory, getWindow: () => null });
    started.push(updates);
    vi.advanceTimersByTime(UPDATE_CHECK_INTERVAL_MS * 3);
    expect(factory).not.toHaveBeenCalled();
    expect(updates.status()).toEqual({ state: 'off', reason: expect.stringMatching(/BULLPEN_UPDATE_URL/) });
    expect(lines.map((l) => l.line.msg)).toEqual(['updates are off']);
    setupIpcHandlers({ log, updates } as unknown as IpcHandlerDeps);
    await expect(invoke('update:status')).resolves.toEqual({ ok: true, value: updates.status() });
    await expect(invoke('update:install')).resolves.toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });

  it('with a feed, downloads in the background, installs on quit, and checks at start and every 4 hours', () => {
    start();
    expect(updater.autoDownload).toBe(true);
    expect(updater.autoInstallOnAppQuit).toBe(true);
    expect(updater.checks).toBe(1);
    vi.advanceTimersByTime(UPDATE_CHECK_INTERVAL_MS - 1);
    expect(updater.checks).toBe(1);
    vi.advanceTimersByTime(1);
    expect(updater.checks).toBe(2);
    vi.advanceTimersByTime(UPDATE_CHECK_INTERVAL_MS * 2);
    expect(updater.checks).toBe(4);
  });

  it('tells the renderer once when an update is ready, and answers update:status with it', async () => {
    const updates = start();
    await expect(invoke('update:status')).resolves.toEqual({ ok: true, value: { state: 'idle' } });
    updater.emit('update-available', { version: '0.2.0' });
    expect(window.webContents.send).not.toHaveBeenCalled();
    updater.emit('update-downloaded', { version: '0.2.0' });
    updater.emit('update-downloaded', { version: '0.2.0' }); // the next check finds the same one
    expect(window.webContents.send).toHaveBeenCalledExactlyOnceWith('update:ready', { version: '0.2.0' });
    expect(updates.status()).toEqual({ state: 'ready', version: '0.2.0' });
    await expect(invoke('update:status')).resolves.toEqual({ ok: true, value: { state: 'ready', version: '0.2.0' } });
    // A newer one downloaded later is announced too.
    updater.emit('update-downloaded', { version: '0.3.0' });
    expect(window.webContents.send).toHaveBeenLastCalledWith('update:ready', { version: '0.3.0' });
  });

  it('keeps the news for update:status when no window is open (closed to the tray)', async () => {
    const updates = setupAutoUpdate({ log, environment: installed, updater: () => updater, getWindow: () => null });
    started.push(updates);
    setupIpcHandlers({ log, updates } as unknown as IpcHandlerDeps);
    updater.emit('update-downloaded', { version: '0.2.0' });
    await expect(invoke('update:status')).resolves.toEqual({ ok: true, value: { state: 'ready', version: '0.2.0' } });
  });

  it('waits for a loading window before telling it', () => {
    start();
    window.webContents.loading = true;
    updater.emit('update-downloaded', { version: '0.2.0' });
    expect(window.webContents.send).not.toHaveBeenCalled();
    window.webContents.loading = false;
    window.webContents.emit('did-finish-load');
    expect(window.webContents.send).toHaveBeenCalledExactlyOnceWith('update:ready', { version: '0.2.0' });
  });

  it('installs at once (silently, then runs again) only when the person asks and one is ready', async () => {
    start();
    await expect(invoke('update:install')).resolves.toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringMatching(/No update is ready/) } });
    expect(updater.installs).toEqual([]);
    updater.emit('update-downloaded', { version: '0.2.0' });
    await expect(invoke('update:install')).resolves.toEqual({ ok: true, value: null });
    expect(updater.installs).toEqual([[true, true]]);
  });

  it('logs a failed check once as a warning and keeps checking', async () => {
    start();
    updater.failNextCheck = new Error('net::ERR_NAME_NOT_RESOLVED');
    vi.advanceTimersByTime(UPDATE_CHECK_INTERVAL_MS);
    await vi.runOnlyPendingTimersAsync();
    const warnings = lines.filter((l) => l.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.line).toMatchObject({ msg: 'update check or download failed', error: 'net::ERR_NAME_NOT_RESOLVED' });
    const before = updater.checks;
    vi.advanceTimersByTime(UPDATE_CHECK_INTERVAL_MS);
    expect(updater.checks).toBe(before + 1);
  });

  it('close() stops the checks and is idempotent', () => {
    const updates = start();
    updates.close();
    updates.close();
    vi.advanceTimersByTime(UPDATE_CHECK_INTERVAL_MS * 2);
    expect(updater.checks).toBe(1);
  });
});
