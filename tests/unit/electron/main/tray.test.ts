import { beforeEach, describe, expect, it, vi } from 'vitest';

type Invoke = (event: unknown, payload?: unknown) => Promise<unknown>;
const electron = await vi.hoisted(async () => {
  const { Emitter, FakeWindow } = await import('../electron-fakes');
  const handlers = new Map<string, Invoke>();
  const windowContents = new Set<object>();
  /** A nativeImage that records its representations. */
  class FakeImage {
    representations: { scaleFactor: number; width: number; height: number; buffer: Buffer }[] = [];
    template = false;
    addRepresentation(rep: { scaleFactor: number; width: number; height: number; buffer: Buffer }) {
      this.representations.push(rep);
    }
    setTemplateImage(on: boolean) {
      this.template = on;
    }
  }
  const trays: FakeTray[] = [];
  class FakeTray extends Emitter {
    image: FakeImage;
    tooltip = '';
    menu: { id?: string; click?: () => void; type?: string; enabled?: boolean }[] = [];
    destroy = vi.fn();
    setImage = vi.fn((image: FakeImage) => void (this.image = image));
    constructor(image: FakeImage) {
      super();
      this.image = image;
      trays.push(this);
    }
    setToolTip(text: string) {
      this.tooltip = text;
    }
    setContextMenu(menu: FakeTray['menu']) {
      this.menu = menu;
    }
  }
  return {
    FakeWindow,
    trays,
    handlers,
    windowContents,
    Tray: FakeTray,
    // The built menu is its template, so a spec can read and click its items.
    Menu: { buildFromTemplate: (template: unknown) => template },
    nativeImage: { createEmpty: () => new FakeImage() },
    app: { quit: vi.fn() },
    ipcMain: { handle: vi.fn((channel: string, fn: Invoke) => void handlers.set(channel, fn)) },
    BrowserWindow: {
      fromWebContents: vi.fn((contents: object) => (windowContents.has(contents) ? { isDestroyed: () => false } : null)),
    },
  };
});
vi.mock('electron', () => ({
  Tray: electron.Tray,
  Menu: electron.Menu,
  nativeImage: electron.nativeImage,
  app: electron.app,
  ipcMain: electron.ipcMain,
  BrowserWindow: electron.BrowserWindow,
}));

import type { BrowserWindow } from 'electron';
import { ActivityTracker } from '../../../../electron/main/activity';
import { setupIpcHandlers, type IpcHandlerDeps } from '../../../../electron/main/ipc';
import { createLogger } from '../../../../electron/main/logger';
import { AppTray, setupTray } from '../../../../electron/main/tray';

const log = createLogger({ write: () => {} });
const ours = { id: 1 };
const fromUs = { sender: ours, senderFrame: { url: 'bullpen-app://app/index.html' } };

let window: InstanceType<typeof electron.FakeWindow>;
let activity: ActivityTracker;
let showWindow: ReturnType<typeof vi.fn<() => BrowserWindow>>;

/** The tray's items a person can click, by id. */
const items = () => electron.trays.at(-1)!.menu.filter((item) => item.type !== 'separator' && item.enabled !== false).map((item) => item.id);
const click = (id: string) => electron.trays.at(-1)!.menu.find((item) => item.id === id)!.click!();
const report = (payload: unknown) => electron.handlers.get('app:activity')!(fromUs, payload);
const commands = () => window.webContents.send.mock.calls.filter(([event]) => event === 'tray:command').map(([, payload]) => payload as unknown);

function create(platform: NodeJS.Platform = 'linux') {
  return AppTray.create({ log, activity, platform, showWindow, getWindow: () => window as unknown as BrowserWindow });
}

beforeEach(() => {
  electron.trays.length = 0;
  electron.handlers.clear();
  electron.windowContents.clear();
  electron.windowContents.add(ours);
  vi.clearAllMocks();
  window = new electron.FakeWindow();
  activity = new ActivityTracker(log);
  showWindow = vi.fn(() => window as unknown as BrowserWindow);
  // The renderer's reports arrive through the real, validating IPC handler.
  setupIpcHandlers({ log, activity } as unknown as IpcHandlerDeps);
});

describe('AppTray', () => {
  it('starts signed out, then follows the renderer’s reports: image, tooltip and menu', async () => {
    create();
    const tray = electron.trays[0]!;
    expect(tray.tooltip).toBe('Bullpen — signed out');
    expect(items()).toEqual(['open', 'quit']);
    const signedOutImage = tray.image;

    await expect(report({ state: 'idle' })).resolves.toEqual({ ok: true, value: null });
    expect(items()).toEqual(['go-live', 'open', 'quit']);
    expect(tray.tooltip).toBe('Bullpen');

    await report({ state: 'recording', callTitle: 'Renewal with Globex' });
    expect(items()).toEqual(['end-call', 'open', 'quit']);
    expect(tray.tooltip).toBe('Bullpen — you’re live and recording: Renewal with Globex');
    expect(tray.image).not.toBe(signedOutImage);

    await report({ state: 'listening', callTitle: 'Max · Discovery' });
    expect(items()).toEqual(['leave', 'open', 'quit']);
    expect(tray.tooltip).toBe('Bullpen — listening: Max · Discovery');
  });

  it('refuses a bad report (unknown state, long title, extra fields) and changes nothing', async () => {
    create();
    await report({ state: 'live', callTitle: 'Renewal' });
    const tray = electron.trays[0]!;
    tray.setImage.mockClear();
    for (const bad of [{ state: 'hacking' }, { state: 'idle', callTitle: 'x'.repeat(201) }, { state: 'idle', extra: 1 }, { state: 'idle', callTitle: '  ' }, 'idle', undefined]) {
      await expect(report(bad)).resolves.toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    }
    expect(tray.setImage).not.toHaveBeenCalled();
    expect(activity.current).toEqual({ state: 'live', callTitle: 'Renewal' });
    expect(items()).toEqual(['end-call', 'open', 'quit']);
  });

  it('drops reports from a sender that is not our window', async () => {
    create();
    await expect(electron.handlers.get('app:activity')!({ sender: { id: 2 }, senderFrame: fromUs.senderFrame }, { state: 'live' })).resolves.toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(activity.current.state).toBe('signed-out');
  });

  it('End call and Leave reach the renderer at once, without bringing the window forward', () => {
    create();
    activity.set({ state: 'live' });
    click('end-call');
    activity.set({ state: 'listening' });
    click('leave');
    expect(commands()).toEqual([{ command: 'end-call' }, { command: 'leave' }]);
    expect(showWindow).not.toHaveBeenCalled();
  });

  it('Go live shows the window and sends the command once its renderer has loaded', () => {
    create();
    activity.set({ state: 'idle' });
    window.webContents.loading = true;
    click('go-live');
    expect(showWindow).toHaveBeenCalledTimes(1);
    expect(commands()).toEqual([]);
    window.webContents.loading = false;
    window.webContents.emit('did-finish-load');
    expect(commands()).toEqual([{ command: 'go-live' }]);
  });

  it('Open shows the window; Quit asks the app to quit (which confirms during a call)', () => {
    create();
    click('open');
    expect(showWindow).toHaveBeenCalledTimes(1);
    click('quit');
    expect(electron.app.quit).toHaveBeenCalledTimes(1);
    expect(commands()).toEqual([]);
  });

  it('a command with no window left is logged, not thrown', () => {
    AppTray.create({ log, activity, platform: 'linux', showWindow, getWindow: () => null });
    activity.set({ state: 'live' });
    expect(() => click('end-call')).not.toThrow();
  });

  it('Windows: clicking the icon opens the window', () => {
    create('win32');
    electron.trays[0]!.emit('click');
    expect(showWindow).toHaveBeenCalledTimes(1);
  });

  it('macOS gets template images; Windows and Linux coloured ones, at 1× and 2×', () => {
    create('darwin');
    create('win32');
    const [mac, windows] = electron.trays.map((tray) => tray.image as unknown as { template: boolean; representations: { scaleFactor: number; width: number }[] });
    expect(mac!.template).toBe(true);
    expect(windows!.template).toBe(false);
    expect(windows!.representations.map((r) => [r.scaleFactor, r.width])).toEqual([
      [1, 16],
      [2, 32],
    ]);
  });

  it('a desktop without a tray leaves the app running, with no icon', () => {
    const failing = vi.spyOn(electron.nativeImage, 'createEmpty').mockImplementationOnce(() => {
      throw new Error('no tray here');
    });
    expect(setupTray({ log, activity, platform: 'linux', showWindow, getWindow: () => null })).toBeNull();
    expect(failing).toHaveBeenCalled();
    expect(electron.trays).toHaveLength(0);
  });

  it('close() removes the icon once and stops following the activity', () => {
    const tray = create();
    tray.close();
    tray.close();
    expect(electron.trays[0]!.destroy).toHaveBeenCalledTimes(1);
    electron.trays[0]!.setImage.mockClear();
    activity.set({ state: 'live' });
    expect(electron.trays[0]!.setImage).not.toHaveBeenCalled();
  });
});
