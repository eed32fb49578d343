import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.hoisted(() => {
  // electron-store is loaded by Node itself, outside vitest's module mocks, and imports the
  // real `electron` package, which throws without a binary unless told where one would be.
  // Its electron import is unused here because every store gets an explicit `cwd`.
  process.env.ELECTRON_OVERRIDE_DIST_PATH ??= `${process.cwd()}/no-electron-binary`;
});
vi.mock('electron', () => ({ app: { getPath: () => '/unused' }, ipcMain: { removeAllListeners: () => {} } }));

import { BullpenError, DEFAULT_SETTINGS } from '../../../../contract';
import { createLogger } from '../../../../electron/main/logger';
import { serverUrlOverrideFrom, SettingsStore } from '../../../../electron/main/settings';

afterAll(() => {
  delete process.env.ELECTRON_OVERRIDE_DIST_PATH;
});

let dir: string;
let lines: string[];
const log = createLogger({ write: (_level, line) => lines.push(line) });
const file = () => join(dir, 'settings.json');
const backups = () => readdirSync(dir).filter((name) => name.startsWith('settings.corrupt-'));

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bullpen-settings-'));
  lines = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('SettingsStore', () => {
  it('starts from the defaults and writes them to settings.json', () => {
    const settings = SettingsStore.open({ log, cwd: dir });
    expect(settings.get()).toEqual(DEFAULT_SETTINGS);
    expect(settings.path).toBe(file());
    expect(JSON.parse(readFileSync(file(), 'utf8'))).toMatchObject(DEFAULT_SETTINGS);
  });

  it('persists a valid patch across restarts', () => {
    const settings = SettingsStore.open({ log, cwd: dir });
    const next = settings.set({ serverUrl: 'https://bullpen.example.com', callAudioMode: 'device', callAudioDeviceId: 'monitor-1' });
    expect(next).toEqual({ ...DEFAULT_SETTINGS, serverUrl: 'https://bullpen.example.com', callAudioMode: 'device', callAudioDeviceId: 'monitor-1' });
    expect(SettingsStore.open({ log, cwd: dir }).get()).toEqual(next);
  });

  it('ignores fields a patch leaves undefined', () => {
    const settings = SettingsStore.open({ log, cwd: dir });
    settings.set({ micDeviceId: 'mic-1' });
    expect(settings.set({ micDeviceId: undefined, callAudioMode: 'system' })).toMatchObject({ micDeviceId: 'mic-1', callAudioMode: 'system' });
  });

  it('rejects an invalid patch with BAD_REQUEST and changes nothing', () => {
    const settings = SettingsStore.open({ log, cwd: dir });
    settings.set({ micDeviceId: 'mic-1' });
    const before = readFileSync(file(), 'utf8');
    for (const patch of [
      { serverUrl: 'ftp://files.example.com' },
      { serverUrl: 'https://user:pw@example.com' },
      { micDeviceId: 'mic-2', callAudioMode: 'loud' },
      { micDeviceId: 5 },
      'serverUrl=https://evil.example.com',
      null,
    ]) {
      let error: unknown;
      try {
        settings.set(patch);
      } catch (caught) {
        error = caught;
      }
      expect(error, JSON.stringify(patch)).toBeInstanceOf(BullpenError);
      expect((error as BullpenError).code).toBe('BAD_REQUEST');
    }
    expect(readFileSync(file(), 'utf8')).toBe(before);
    expect(settings.get().micDeviceId).toBe('mic-1');
  });

  it('names the offending field in the error', () => {
    const settings = SettingsStore.open({ log, cwd: dir });
    expect(() => settings.set({ serverUrl: 'nope' })).toThrow(/serverUrl/);
  });

  it('backs up a file that is not JSON and starts from defaults', () => {
    writeFileSync(file(), '{"serverUrl": "https://bullpen.example.com", oops');
    const settings = SettingsStore.open({ log, cwd: dir });
    expect(settings.get()).toEqual(DEFAULT_SETTINGS);
    expect(backups()).toHaveLength(1);
    expect(readFileSync(join(dir, backups()[0]!), 'utf8')).toBe('{"serverUrl": "https://bullpen.example.com", oops');
    expect(lines.some((line) => line.includes('not valid JSON') && line.includes('"level":"warn"'))).toBe(true);
  });

  it('replaces only the invalid fields with defaults, keeping a copy of the original', () => {
    const original = JSON.stringify({ serverUrl: 'https://bullpen.example.com', micDeviceId: 12, callAudioMode: 'loud', callAudioDeviceId: 'dev' });
    writeFileSync(file(), original);
    const settings = SettingsStore.open({ log, cwd: dir });
    expect(settings.get()).toEqual({
      ...DEFAULT_SETTINGS,
      serverUrl: 'https://bullpen.example.com',
      micDeviceId: DEFAULT_SETTINGS.micDeviceId,
      callAudioMode: DEFAULT_SETTINGS.callAudioMode,
      callAudioDeviceId: 'dev',
    });
    expect(backups()).toHaveLength(1);
    expect(readFileSync(join(dir, backups()[0]!), 'utf8')).toBe(original);
    // The repaired values are written back, so the next start needs no repair.
    expect(SettingsStore.open({ log, cwd: dir }).get()).toEqual(settings.get());
    expect(backups()).toHaveLength(1);
  });

  it('reads a file from before the tray settings as valid: they start off, with no backup', () => {
    const before = {
      serverUrl: 'https://bullpen.example.com',
      micDeviceId: null,
      callAudioDeviceId: null,
      callAudioMode: 'none',
      clipHotkey: 'CommandOrControl+Shift+K',
      preRollSec: 30,
      postRollSec: 10,
    };
    writeFileSync(file(), JSON.stringify(before));
    const settings = SettingsStore.open({ log, cwd: dir });
    expect(settings.get()).toEqual({ ...before, keepRunningInTray: false, startAtLogin: false, trayNoticeShown: false });
    expect(backups()).toHaveLength(0);
    // A hand-edited bad value is repaired like any other field.
    writeFileSync(file(), JSON.stringify({ ...before, startAtLogin: 'yes' }));
    expect(SettingsStore.open({ log, cwd: dir }).get().startAtLogin).toBe(false);
    expect(backups()).toHaveLength(1);
  });

  it('recovers when the file is corrupted while the app runs', () => {
    const settings = SettingsStore.open({ log, cwd: dir });
    settings.set({ micDeviceId: 'mic-1' });
    writeFileSync(file(), 'garbage');
    expect(settings.get()).toEqual(DEFAULT_SETTINGS);
    expect(backups()).toHaveLength(1);
    expect(readFileSync(join(dir, backups()[0]!), 'utf8')).toBe('garbage');
    expect(existsSync(file())).toBe(true);
  });

  describe('server URL override', () => {
    it('reads --server-url= before BULLPEN_SERVER_URL', () => {
      expect(serverUrlOverrideFrom(['electron', '.'], {})).toBeNull();
      expect(serverUrlOverrideFrom([], { BULLPEN_SERVER_URL: 'http://localhost:5000' })).toBe('http://localhost:5000');
      expect(serverUrlOverrideFrom(['--server-url=http://127.0.0.1:1'], { BULLPEN_SERVER_URL: 'http://localhost:5000' })).toBe('http://127.0.0.1:1');
      expect(serverUrlOverrideFrom([], { BULLPEN_SERVER_URL: '' })).toBeNull();
    });

    it('applies for this run without being saved', () => {
      SettingsStore.open({ log, cwd: dir }).set({ serverUrl: 'https://bullpen.example.com' });
      const settings = SettingsStore.open({ log, cwd: dir, serverUrlOverride: 'http://localhost:4280' });
      expect(settings.get().serverUrl).toBe('http://localhost:4280');
      settings.set({ micDeviceId: 'mic-1' });
      expect(settings.get()).toMatchObject({ serverUrl: 'http://localhost:4280', micDeviceId: 'mic-1' });
      expect(JSON.parse(readFileSync(file(), 'utf8')).serverUrl).toBe('https://bullpen.example.com');
    });

    it('gives way once the person saves a server URL', () => {
      const settings = SettingsStore.open({ log, cwd: dir, serverUrlOverride: 'http://localhost:4280' });
      expect(settings.set({ serverUrl: 'https://bullpen.example.com' }).serverUrl).toBe('https://bullpen.example.com');
      expect(settings.get().serverUrl).toBe('https://bullpen.example.com');
    });

    it('is ignored, with a warning, when it is not a usable URL', () => {
      const settings = SettingsStore.open({ log, cwd: dir, serverUrlOverride: 'file:///etc/passwd' });
      expect(settings.get().serverUrl).toBe(DEFAULT_SETTINGS.serverUrl);
      expect(lines.some((line) => line.includes('ignoring invalid server URL override'))).toBe(true);
    });
  });
});
