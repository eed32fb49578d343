import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
  const windowContents = new Set<object>();
  return {
    handlers,
    windowContents,
    ipcMain: {
      handle: vi.fn((channel: string, fn: Invoke) => void handlers.set(channel, fn)),
      removeAllListeners: vi.fn(),
    },
    BrowserWindow: {
      fromWebContents: vi.fn((contents: object) => (windowContents.has(contents) ? { isDestroyed: () => false } : null)),
    },
    app: { getPath: () => '/unused', getVersion: () => '0.1.0' },
    shell: { openExternal: vi.fn(async (_url: string) => {}) },
    safeStorage: {
      isEncryptionAvailable: () => true,
      getSelectedStorageBackend: () => 'gnome_libsecret',
      encryptString: (plain: string) => Buffer.from(`sealed:${plain}`),
      decryptString: (sealed: Buffer) => sealed.toString().slice('sealed:'.length),
    },
  };
});
vi.mock('electron', () => ({
  ipcMain: electron.ipcMain,
  BrowserWindow: electron.BrowserWindow,
  app: electron.app,
  shell: electron.shell,
  safeStorage: electron.safeStorage,
}));

import { BullpenError, DEFAULT_SETTINGS, ipcChannels, type IpcChannel } from '../../../../contract';
import { LoopbackCapture } from '../../../../electron/main/capture';
import { openExternalLink } from '../../../../electron/main/external-links';
import { handle, setupIpcHandlers } from '../../../../electron/main/ipc';
import { createLogger } from '../../../../electron/main/logger';
import { SettingsStore } from '../../../../electron/main/settings';
import { TokenStore } from '../../../../electron/main/token-store';

afterAll(() => {
  delete process.env.ELECTRON_OVERRIDE_DIST_PATH;
});

let lines: string[];
const log = createLogger({ write: (_level, line) => lines.push(line) });

/** Our window's webContents, showing our renderer. */
const ours = { id: 1 };
const appFrame = { url: 'bullpen-app://app/index.html' };
const fromUs = { sender: ours, senderFrame: appFrame };

function invoke(channel: IpcChannel, event: unknown, payload?: unknown): Promise<unknown> {
  const fn = electron.handlers.get(channel);
  if (!fn) throw new Error(`no handler for ${channel}`);
  return fn(event, payload);
}

beforeEach(() => {
  lines = [];
  electron.handlers.clear();
  electron.windowContents.clear();
  electron.windowContents.add(ours);
  vi.clearAllMocks();
});

describe('handle', () => {
  it('replies ok with the value for a trusted sender and a valid payload', async () => {
    const fn = vi.fn(() => null);
    handle('token:set', fn, log);
    await expect(invoke('token:set', fromUs, { token: 'abc' })).resolves.toEqual({ ok: true, value: null });
    expect(fn).toHaveBeenCalledExactlyOnceWith({ token: 'abc' }, fromUs);
  });

  it('drops messages from webContents that are not our windows', async () => {
    const fn = vi.fn(() => null);
    handle('token:set', fn, log);
    const foreign = { sender: { id: 99 }, senderFrame: appFrame };
    await expect(invoke('token:set', foreign, { token: 'abc' })).resolves.toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(fn).not.toHaveBeenCalled();
    expect(lines.some((line) => line.includes('untrusted sender'))).toBe(true);
  });

  it('drops messages from frames that are not on our origin', async () => {
    const fn = vi.fn(() => null);
    handle('token:get', fn, log);
    for (const senderFrame of [
      { url: 'https://evil.example.com/' },
      { url: 'file:///tmp/index.html' },
      { url: 'bullpen-app://other/index.html' },
      { url: 'devtools://devtools/bundled/inspector.html' },
      null,
    ]) {
      await expect(invoke('token:get', { sender: ours, senderFrame })).resolves.toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    expect(fn).not.toHaveBeenCalled();
  });

  it('answers BAD_REQUEST for payloads that break the contract, without calling the handler', async () => {
    const setToken = vi.fn(() => null);
    const getSettings = vi.fn(() => DEFAULT_SETTINGS);
    const open = vi.fn(() => null);
    handle('token:set', setToken, log);
    handle('settings:get', getSettings, log);
    handle('shell:open-external', open, log);
    for (const [channel, payload] of [
      ['token:set', undefined],
      ['token:set', { token: 5 }],
      ['token:set', { token: '' }],
      ['token:set', { token: 'x'.repeat(201) }],
      ['settings:get', { sneaky: true }],
      ['shell:open-external', { url: 'x'.repeat(2001) }],
      ['shell:open-external', 'https://example.com'],
    ] as const) {
      const reply = await invoke(channel, fromUs, payload);
      expect(reply, `${channel} ${JSON.stringify(payload)}`).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    }
    expect(setToken).not.toHaveBeenCalled();
    expect(getSettings).not.toHaveBeenCalled();
    expect(open).not.toHaveBeenCalled();
  });

  it('passes a BullpenError on as its code', async () => {
    handle('capture:arm-loopback', () => {
      throw new BullpenError('UNAVAILABLE', 'No loopback here');
    }, log);
    await expect(invoke('capture:arm-loopback', fromUs)).resolves.toEqual({
      ok: false,
      error: { code: 'UNAVAILABLE', message: 'No loopback here' },
    });
    expect(lines).toEqual([]);
  });

  it('turns an unexpected exception into INTERNAL, logged once, without leaking it', async () => {
    handle('token:get', () => {
      throw new Error('disk on fire at /home/rep/.config');
    }, log);
    const reply = (await invoke('token:get', fromUs)) as { ok: false; error: { code: string; message: string } };
    expect(reply).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(reply.error.message).not.toContain('disk on fire');
    expect(lines.filter((line) => line.includes('"level":"error"'))).toHaveLength(1);
    expect(lines[0]).toContain('disk on fire');
  });

  it('refuses to send a reply that breaks the contract', async () => {
    handle('token:get', () => 42 as unknown as string, log);
    await expect(invoke('token:get', fromUs)).resolves.toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });
});

describe('setupIpcHandlers', () => {
  let dir: string;
  let settings: SettingsStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bullpen-ipc-'));
    settings = SettingsStore.open({ log, cwd: dir });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function setup(loopback: boolean) {
    setupIpcHandlers({
      log,
      settings,
      tokens: TokenStore.open({ log, cwd: dir, platform: 'darwin' }),
      capture: new LoopbackCapture({ log, supported: loopback }),
      appInfo: () => ({ platform: 'darwin', version: '0.1.0', systemLoopback: loopback }),
      openExternal: (url) => openExternalLink(url, log),
    });
  }

  it('handles exactly the channels of the contract', () => {
    setup(true);
    expect([...electron.handlers.keys()].sort()).toEqual(Object.keys(ipcChannels).sort());
  });

  it('reads and writes settings, refusing an invalid patch without changing anything', async () => {
    setup(true);
    await expect(invoke('settings:get', fromUs)).resolves.toEqual({ ok: true, value: DEFAULT_SETTINGS });
    await expect(invoke('settings:set', fromUs, { micDeviceId: 'mic-1' })).resolves.toMatchObject({ ok: true, value: { micDeviceId: 'mic-1' } });
    const before = readFileSync(settings.path, 'utf8');
    await expect(invoke('settings:set', fromUs, { serverUrl: 'javascript:alert(1)' })).resolves.toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    expect(readFileSync(settings.path, 'utf8')).toBe(before);
  });

  it('keeps the session token', async () => {
    setup(true);
    await expect(invoke('token:set', fromUs, { token: 'tok_1' })).resolves.toEqual({ ok: true, value: null });
    await expect(invoke('token:get', fromUs)).resolves.toEqual({ ok: true, value: 'tok_1' });
    await expect(invoke('token:set', fromUs, { token: null })).resolves.toEqual({ ok: true, value: null });
    await expect(invoke('token:get', fromUs)).resolves.toEqual({ ok: true, value: null });
  });

  it('reports app info and arms loopback only where the OS has it', async () => {
    setup(true);
    await expect(invoke('app:info', fromUs)).resolves.toEqual({ ok: true, value: { platform: 'darwin', version: '0.1.0', systemLoopback: true } });
    await expect(invoke('capture:arm-loopback', fromUs)).resolves.toEqual({ ok: true, value: null });
    setup(false);
    await expect(invoke('capture:arm-loopback', fromUs)).resolves.toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
  });

  it('opens only safe links', async () => {
    setup(true);
    await expect(invoke('shell:open-external', fromUs, { url: 'https://example.com/help' })).resolves.toEqual({ ok: true, value: null });
    expect(electron.shell.openExternal).toHaveBeenCalledExactlyOnceWith('https://example.com/help');
    await expect(invoke('shell:open-external', fromUs, { url: 'file:///etc/passwd' })).resolves.toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    expect(electron.shell.openExternal).toHaveBeenCalledTimes(1);
  });
});
