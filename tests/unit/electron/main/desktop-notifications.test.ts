import { beforeEach, describe, expect, it, vi } from 'vitest';

type Invoke = (event: unknown, payload?: unknown) => Promise<unknown>;
const electron = await vi.hoisted(async () => {
  const { Emitter, FakeWindow } = await import('../electron-fakes');
  const handlers = new Map<string, Invoke>();
  const windowContents = new Set<object>();
  /** Each OS notification made, with what it was made with. */
  const made: FakeNotification[] = [];
  class FakeNotification extends Emitter {
    static isSupported = () => true;
    show = vi.fn();
    constructor(readonly options: { title: string; body: string }) {
      super();
      made.push(this);
    }
  }
  return {
    handlers,
    windowContents,
    made,
    FakeWindow,
    ipcMain: { handle: vi.fn((channel: string, fn: Invoke) => void handlers.set(channel, fn)) },
    BrowserWindow: {
      fromWebContents: vi.fn((contents: object) => (windowContents.has(contents) ? { isDestroyed: () => false } : null)),
    },
    Notification: FakeNotification,
  };
});
vi.mock('electron', () => ({ ipcMain: electron.ipcMain, BrowserWindow: electron.BrowserWindow, Notification: electron.Notification }));

import { setupDesktopNotifications } from '../../../../electron/main/desktop-notifications';
import { setupIpcHandlers, type IpcHandlerDeps } from '../../../../electron/main/ipc';
import { createLogger } from '../../../../electron/main/logger';

const log = createLogger({ write: () => {} });
const ours = { id: 1 };
const fromUs = { sender: ours, senderFrame: { url: 'bullpen-app://app/index.html' } };
const live = { id: 'n1', title: 'Max Mentor is live', body: 'Renewal with Globex', route: '#/listen/call_1' };

/** A window whose focus calls are recorded. */
function fakeWindow() {
  const window = Object.assign(new electron.FakeWindow(), {
    isMinimized: () => false,
    restore: vi.fn(),
    show: vi.fn(),
    focus: vi.fn(),
  });
  return window;
}

let window: ReturnType<typeof fakeWindow>;
beforeEach(() => {
  electron.handlers.clear();
  electron.made.length = 0;
  electron.windowContents.clear();
  electron.windowContents.add(ours);
  window = fakeWindow();
  const notifications = setupDesktopNotifications({ log, getWindow: () => window as never });
  // Only the notification channel is driven here; the other handlers never run.
  setupIpcHandlers({ log, notifications } as unknown as IpcHandlerDeps);
});

const show = (event: unknown, payload: unknown) => electron.handlers.get('notification:show')!(event, payload);

describe('notification:show', () => {
  it('shows one OS notification per id, and clicking it focuses the window and opens its route', async () => {
    await expect(show(fromUs, live)).resolves.toEqual({ ok: true, value: null });
    expect(electron.made).toHaveLength(1);
    expect(electron.made[0]!.options).toEqual({ title: live.title, body: live.body });
    expect(electron.made[0]!.show).toHaveBeenCalledTimes(1);
    // The renderer asks again for the same id (a reload, a reconnect's refetch): not shown twice.
    await expect(show(fromUs, live)).resolves.toEqual({ ok: true, value: null });
    expect(electron.made).toHaveLength(1);

    electron.made[0]!.emit('click');
    expect(window.show).toHaveBeenCalled();
    expect(window.focus).toHaveBeenCalled();
    expect(window.webContents.send).toHaveBeenCalledExactlyOnceWith('notification:open', { route: '#/listen/call_1' });
  });

  it('drops a request from a sender that is not our window, showing nothing', async () => {
    await expect(show({ sender: { id: 2 }, senderFrame: { url: 'bullpen-app://app/index.html' } }, live)).resolves.toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    await expect(show({ sender: ours, senderFrame: { url: 'https://evil.example/' } }, live)).resolves.toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(electron.made).toHaveLength(0);
  });

  it('refuses payloads that break the contract (a URL as route, no title, a bad id), showing nothing', async () => {
    for (const bad of [
      { ...live, route: 'https://evil.example/' },
      { ...live, route: 'javascript:alert(1)' },
      { ...live, route: '#/clips/../../etc' },
      { ...live, title: '' },
      { ...live, id: 'a b' },
      { ...live, body: 'x'.repeat(501) },
      undefined,
    ]) {
      await expect(show(fromUs, bad)).resolves.toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    }
    expect(electron.made).toHaveLength(0);
  });
});
