import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.hoisted(() => {
  // See settings.test.ts: lets Node load electron-store's own `electron` import outside the mocks.
  process.env.ELECTRON_OVERRIDE_DIST_PATH ??= `${process.cwd()}/no-electron-binary`;
});

type Invoke = (event: unknown, payload?: unknown) => Promise<unknown>;
const electron = vi.hoisted(() => {
  const handlers = new Map<string, Invoke>();
  const ours = { id: 1 };
  return {
    handlers,
    ours,
    app: { setLoginItemSettings: vi.fn(), getPath: () => '/unused' },
    ipcMain: { handle: vi.fn((channel: string, fn: Invoke) => void handlers.set(channel, fn)), removeAllListeners: vi.fn() },
    BrowserWindow: { fromWebContents: (contents: object) => (contents === ours ? { isDestroyed: () => false } : null) },
  };
});
vi.mock('electron', () => ({ app: electron.app, ipcMain: electron.ipcMain, BrowserWindow: electron.BrowserWindow }));

import { BullpenError } from '../../../../contract';
import { setupIpcHandlers, type IpcHandlerDeps } from '../../../../electron/main/ipc';
import { autostartDir, autostartEntry, launchedHidden, LoginItem, quoteExecArg, setupLoginItem } from '../../../../electron/main/login-item';
import { createLogger } from '../../../../electron/main/logger';
import { SettingsStore } from '../../../../electron/main/settings';

afterAll(() => {
  delete process.env.ELECTRON_OVERRIDE_DIST_PATH;
});

const log = createLogger({ write: () => {} });
const EXE = '/opt/Bullpen/bullpen';
let dir: string;
let autostart: string;
const entryFile = () => join(autostart, 'bullpen.desktop');

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bullpen-login-'));
  autostart = join(dir, 'config', 'autostart');
  electron.handlers.clear();
  vi.clearAllMocks();
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('launchedHidden', () => {
  it('is true for --hidden on every platform, and for a macOS login launch', () => {
    const never = () => false;
    for (const platform of ['win32', 'linux', 'darwin'] as const) {
      expect(launchedHidden([EXE, '--hidden'], platform, never)).toBe(true);
      expect(launchedHidden([EXE], platform, never)).toBe(false);
    }
    expect(launchedHidden([EXE], 'darwin', () => true)).toBe(true);
    // Only macOS is asked: elsewhere the login item carries the flag.
    expect(launchedHidden([EXE], 'linux', () => true)).toBe(false);
  });
});

describe('the Linux autostart entry', () => {
  it('quotes the Exec argument as the Desktop Entry spec says', () => {
    expect(quoteExecArg('/opt/Bullpen/bullpen')).toBe('"/opt/Bullpen/bullpen"');
    expect(quoteExecArg('/home/rep/My Apps/Bullpen.AppImage')).toBe('"/home/rep/My Apps/Bullpen.AppImage"');
    // `"`, `$`, backtick and `\` escaped inside quotes, `%` doubled; then every `\` doubled again.
    expect(quoteExecArg('/a"b$c`d\\e%f')).toBe('"/a\\\\"b\\\\$c\\\\`d\\\\\\\\e%%f"');
    expect(() => quoteExecArg('/a\nExec=evil')).toThrow(BullpenError);
  });

  it('starts Bullpen hidden', () => {
    const entry = autostartEntry('/home/rep/Bullpen.AppImage');
    expect(entry.split('\n')).toEqual([
      '[Desktop Entry]',
      'Type=Application',
      'Name=Bullpen',
      'Comment=Live call shadowing for sales teams',
      'Exec="/home/rep/Bullpen.AppImage" --hidden',
      'Terminal=false',
      'X-GNOME-Autostart-enabled=true',
      '',
    ]);
  });

  it('lives in $XDG_CONFIG_HOME/autostart, or ~/.config/autostart', () => {
    expect(autostartDir({ XDG_CONFIG_HOME: '/home/rep/.cfg' }, '/home/rep')).toBe('/home/rep/.cfg/autostart');
    expect(autostartDir({}, '/home/rep')).toBe('/home/rep/.config/autostart');
    // The spec says a relative value is invalid and to be ignored.
    expect(autostartDir({ XDG_CONFIG_HOME: 'cfg' }, '/home/rep')).toBe('/home/rep/.config/autostart');
  });
});

describe('LoginItem', () => {
  it('Linux: writes the autostart entry (creating the folder) and removes it', () => {
    const item = new LoginItem({ log, platform: 'linux', autostartDir: autostart, executable: EXE });
    item.set(true);
    expect(readFileSync(entryFile(), 'utf8')).toBe(autostartEntry(EXE));
    expect(statSync(entryFile()).mode & 0o777).toBe(0o644);
    // Written whole: no temp file is left beside it.
    expect(readdirSync(autostart)).toEqual(['bullpen.desktop']);
    item.set(false);
    expect(existsSync(entryFile())).toBe(false);
    // Turning off what is already off is fine.
    expect(() => item.set(false)).not.toThrow();
    expect(electron.app.setLoginItemSettings).not.toHaveBeenCalled();
  });

  it('Linux: an entry that cannot be written is an error the person can act on, leaving no temp file behind', () => {
    // Something that is not a file already sits where the entry goes (works as root too).
    mkdirSync(join(entryFile(), 'x'), { recursive: true });
    const item = new LoginItem({ log, platform: 'linux', autostartDir: autostart, executable: EXE });
    expect(() => item.set(true)).toThrow(expect.objectContaining({ code: 'UNAVAILABLE', message: expect.stringContaining(entryFile()) as string }));
    expect(readdirSync(autostart)).toEqual(['bullpen.desktop']);
    expect(statSync(entryFile()).isDirectory()).toBe(true);
  });

  it('macOS: a login item opened as hidden', () => {
    const item = new LoginItem({ log, platform: 'darwin' });
    item.set(true);
    item.set(false);
    expect(electron.app.setLoginItemSettings.mock.calls).toEqual([[{ openAtLogin: true, openAsHidden: true }], [{ openAtLogin: false, openAsHidden: true }]]);
  });

  it('Windows: a Run entry with --hidden, the same arguments to remove it', () => {
    const item = new LoginItem({ log, platform: 'win32' });
    item.set(true);
    item.set(false);
    expect(electron.app.setLoginItemSettings.mock.calls).toEqual([
      [{ openAtLogin: true, path: process.execPath, args: ['--hidden'] }],
      [{ openAtLogin: false, path: process.execPath, args: ['--hidden'] }],
    ]);
  });

  it('other systems say it is not available', () => {
    expect(() => new LoginItem({ log, platform: 'freebsd' }).set(true)).toThrow(expect.objectContaining({ code: 'UNAVAILABLE' }));
  });
});

describe('setupLoginItem', () => {
  it('renews the entry at start when the setting is on, and leaves the OS alone when it is off', () => {
    const opts = { log, platform: 'linux' as const, autostartDir: autostart, executable: EXE };
    setupLoginItem({ ...opts, settings: { get: () => ({ startAtLogin: false }) as never } });
    expect(existsSync(entryFile())).toBe(false);
    setupLoginItem({ ...opts, executable: '/new/place/bullpen', settings: { get: () => ({ startAtLogin: true }) as never } });
    expect(readFileSync(entryFile(), 'utf8')).toContain('Exec="/new/place/bullpen" --hidden');
  });
});

describe('settings:set startAtLogin', () => {
  const fromUs = { sender: electron.ours, senderFrame: { url: 'bullpen-app://app/index.html' } };
  const set = (patch: unknown) => electron.handlers.get('settings:set')!(fromUs, patch);

  function setup(autostartFolder: string) {
    const settings = SettingsStore.open({ log, cwd: join(dir, 'profile') });
    const loginItem = new LoginItem({ log, platform: 'linux', autostartDir: autostartFolder, executable: EXE });
    setupIpcHandlers({ log, settings, loginItem } as unknown as IpcHandlerDeps);
    return settings;
  }

  it('turns the login item on and off with the setting', async () => {
    const settings = setup(autostart);
    await expect(set({ startAtLogin: true })).resolves.toMatchObject({ ok: true, value: { startAtLogin: true } });
    expect(existsSync(entryFile())).toBe(true);
    expect(settings.get().startAtLogin).toBe(true);
    await expect(set({ startAtLogin: false })).resolves.toMatchObject({ ok: true, value: { startAtLogin: false } });
    expect(existsSync(entryFile())).toBe(false);
  });

  it('when the OS refuses, replies with why and saves nothing', async () => {
    // The autostart "folder" is a file: nothing can be written inside it.
    const blocked = join(dir, 'not-a-folder');
    writeFileSync(blocked, '');
    const settings = setup(blocked);
    const before = readFileSync(settings.path, 'utf8');
    await expect(set({ startAtLogin: true, keepRunningInTray: true })).resolves.toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    expect(readFileSync(settings.path, 'utf8')).toBe(before);
    expect(settings.get().startAtLogin).toBe(false);
  });

  it('a bad value is refused before the OS is touched', async () => {
    setup(autostart);
    await expect(set({ startAtLogin: 'yes' })).resolves.toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(existsSync(autostart)).toBe(false);
  });
});
