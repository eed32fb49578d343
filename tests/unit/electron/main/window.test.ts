import { beforeEach, describe, expect, it, vi } from 'vitest';

type Listener = (...args: unknown[]) => void;

const electron = vi.hoisted(() => {
  /** A webContents stand-in that records what the app registers on it. */
  class FakeWebContents {
    listeners = new Map<string, Listener[]>();
    windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
    loadedUrl: string | null = null;
    on(event: string, listener: Listener) {
      this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
      return this;
    }
    emit(event: string, ...args: unknown[]) {
      for (const listener of this.listeners.get(event) ?? []) listener(...args);
    }
    setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
      this.windowOpenHandler = handler;
    }
  }
  const windows: FakeBrowserWindow[] = [];
  class FakeBrowserWindow {
    webContents = new FakeWebContents();
    options: Record<string, unknown>;
    destroyed = false;
    constructor(options: Record<string, unknown>) {
      this.options = options;
      windows.push(this);
    }
    onceListeners = new Map<string, Listener>();
    visible = false;
    once(event: string, listener: Listener) {
      this.onceListeners.set(event, listener);
    }
    on() {}
    isDestroyed() {
      return this.destroyed;
    }
    isMinimized() {
      return false;
    }
    restore() {}
    show = vi.fn(() => void (this.visible = true));
    focus = vi.fn();
    loadURL(url: string) {
      this.webContents.loadedUrl = url;
      return Promise.resolve();
    }
  }
  const session = {
    setPermissionRequestHandler: vi.fn(),
    setPermissionCheckHandler: vi.fn(),
    setDevicePermissionHandler: vi.fn(),
  };
  const appListeners = new Map<string, Listener>();
  return {
    FakeWebContents,
    FakeBrowserWindow,
    windows,
    session,
    appListeners,
    app: {
      on: vi.fn((event: string, listener: Listener) => void appListeners.set(event, listener)),
      setAsDefaultProtocolClient: vi.fn(() => true),
    },
  };
});
vi.mock('electron', () => ({
  app: electron.app,
  BrowserWindow: electron.FakeBrowserWindow,
  session: { defaultSession: electron.session },
}));

import type { WebContents } from 'electron';
import { APP_ENTRY_URL } from '../../../../electron/main/app-protocol';
import { createLogger } from '../../../../electron/main/logger';
import { setupDeepLinks } from '../../../../electron/main/deep-links';
import { createMainWindow, lockDownWebContents, secureWebPreferences, setupWindow } from '../../../../electron/main/window';

let lines: string[];
const log = createLogger({ write: (_level, line) => lines.push(line) });
const openExternal = vi.fn(async (_url: string) => true);

function navigationEvent(url: string) {
  return { url, preventDefault: vi.fn() };
}

beforeEach(() => {
  lines = [];
  electron.windows.length = 0;
  electron.appListeners.clear();
  vi.clearAllMocks();
});

describe('main window', () => {
  it('runs the renderer sandboxed, isolated, without Node and with web security', () => {
    const prefs = secureWebPreferences();
    expect(prefs).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(prefs.preload).toMatch(/[\\/]preload[\\/]index\.cjs$/);
  });

  it('is created with exactly those preferences and loads the app protocol', () => {
    const window = createMainWindow({ log, openExternal }) as unknown as InstanceType<typeof electron.FakeBrowserWindow>;
    expect(window.options.webPreferences).toEqual(secureWebPreferences());
    expect(window.webContents.loadedUrl).toBe(APP_ENTRY_URL);
    expect(window.options.show).toBe(false);
  });

  it('is reused and focused when shown again', () => {
    const main = setupWindow({ log, openExternal });
    expect(electron.windows).toHaveLength(1);
    main.show();
    expect(electron.windows).toHaveLength(1);
    expect(electron.windows[0]!.focus).toHaveBeenCalled();
  });
});

describe('quiet start and the single-instance hand-off', () => {
  const secondLaunch = (...args: string[]) => electron.appListeners.get('second-instance')!({}, ['/opt/Bullpen/bullpen', ...args], '/home/rep', {});

  it('shows a normal start once it is ready', () => {
    setupWindow({ log, openExternal });
    expect(electron.windows[0]!.visible).toBe(false);
    electron.windows[0]!.onceListeners.get('ready-to-show')!();
    expect(electron.windows[0]!.visible).toBe(true);
  });

  it('a quiet start loads the window but keeps it hidden', () => {
    setupWindow({ log, openExternal, hidden: true });
    expect(electron.windows).toHaveLength(1);
    expect(electron.windows[0]!.webContents.loadedUrl).toBe(APP_ENTRY_URL);
    expect(electron.windows[0]!.onceListeners.has('ready-to-show')).toBe(false);
    expect(electron.windows[0]!.show).not.toHaveBeenCalled();
  });

  it('a second launch shows and focuses the window hidden in the tray, without opening another', () => {
    const main = setupWindow({ log, openExternal, hidden: true });
    setupDeepLinks({ log, argv: ['/opt/Bullpen/bullpen', '--hidden'], defaultApp: false }).attach(() => main.show());
    expect(electron.windows[0]!.visible).toBe(false);
    secondLaunch();
    expect(electron.windows).toHaveLength(1);
    expect(electron.windows[0]!.visible).toBe(true);
    expect(electron.windows[0]!.focus).toHaveBeenCalled();
  });

  it('a second launch at login (--hidden) leaves the running app where it is', () => {
    const main = setupWindow({ log, openExternal, hidden: true });
    setupDeepLinks({ log, argv: ['/opt/Bullpen/bullpen'], defaultApp: false }).attach(() => main.show());
    secondLaunch('--hidden');
    expect(electron.windows[0]!.visible).toBe(false);
  });

  it('a second launch after the window was closed opens a new one, shown', () => {
    const main = setupWindow({ log, openExternal, hidden: true });
    setupDeepLinks({ log, argv: ['/opt/Bullpen/bullpen'], defaultApp: false }).attach(() => main.show());
    electron.windows[0]!.destroyed = true;
    secondLaunch();
    expect(electron.windows).toHaveLength(2);
    expect(electron.windows[1]!.onceListeners.has('ready-to-show')).toBe(true);
  });
});

describe('lockDownWebContents', () => {
  function lockedDown() {
    const contents = new electron.FakeWebContents();
    lockDownWebContents(contents as unknown as WebContents, { log, openExternal });
    return contents;
  }

  it('denies every new window, sending web links to the OS browser', () => {
    const contents = lockedDown();
    expect(contents.windowOpenHandler!({ url: 'https://example.com/docs' })).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledExactlyOnceWith('https://example.com/docs');
    for (const url of ['javascript:alert(1)', 'file:///etc/passwd', 'bullpen-app://app/index.html', 'about:blank']) {
      expect(contents.windowOpenHandler!({ url })).toEqual({ action: 'deny' });
    }
    expect(openExternal).toHaveBeenCalledTimes(1);
  });

  it('blocks navigation and redirects away from our origin', () => {
    const contents = lockedDown();
    for (const event of ['will-navigate', 'will-redirect']) {
      for (const url of ['https://evil.example.com/', 'file:///etc/passwd', 'bullpen-app://elsewhere/', 'http://localhost:4280/']) {
        const navigation = navigationEvent(url);
        contents.emit(event, navigation);
        expect(navigation.preventDefault, `${event} ${url}`).toHaveBeenCalled();
      }
      const inside = navigationEvent('bullpen-app://app/index.html#/board');
      contents.emit(event, inside);
      expect(inside.preventDefault).not.toHaveBeenCalled();
    }
    expect(lines.some((line) => line.includes('blocked navigation'))).toBe(true);
  });

  it('refuses <webview>', () => {
    const contents = lockedDown();
    const attach = navigationEvent('');
    contents.emit('will-attach-webview', attach);
    expect(attach.preventDefault).toHaveBeenCalled();
  });

  it('is applied to every webContents the app creates', () => {
    setupWindow({ log, openExternal });
    const contents = new electron.FakeWebContents();
    electron.appListeners.get('web-contents-created')!({}, contents);
    expect(contents.windowOpenHandler!({ url: 'https://example.com' })).toEqual({ action: 'deny' });
    const navigation = navigationEvent('https://evil.example.com');
    contents.emit('will-navigate', navigation);
    expect(navigation.preventDefault).toHaveBeenCalled();
  });
});

describe('permissions', () => {
  type RequestHandler = (contents: unknown, permission: string, callback: (granted: boolean) => void, details: object) => void;
  type CheckHandler = (contents: unknown, permission: string, origin: string, details: object) => boolean;

  function handlers() {
    setupWindow({ log, openExternal });
    const request = electron.session.setPermissionRequestHandler.mock.calls[0]![0] as RequestHandler;
    const check = electron.session.setPermissionCheckHandler.mock.calls[0]![0] as CheckHandler;
    const ask = (permission: string, details: object) => {
      let granted: boolean | undefined;
      request({}, permission, (g) => (granted = g), { isMainFrame: true, ...details });
      return granted;
    };
    return { ask, check };
  }

  it('grants the microphone to our own origin only', () => {
    const { ask, check } = handlers();
    const app = 'bullpen-app://app/index.html';
    expect(ask('media', { requestingUrl: app, mediaTypes: ['audio'] })).toBe(true);
    expect(ask('media', { requestingUrl: app, mediaTypes: ['audio', 'video'] })).toBe(false);
    expect(ask('media', { requestingUrl: app, mediaTypes: ['video'] })).toBe(false);
    expect(ask('media', { requestingUrl: app, mediaTypes: [] })).toBe(false);
    expect(ask('media', { requestingUrl: 'https://evil.example.com/', mediaTypes: ['audio'] })).toBe(false);
    expect(check({}, 'media', 'bullpen-app://app', { isMainFrame: true, mediaType: 'audio' })).toBe(true);
    expect(check({}, 'media', 'bullpen-app://app', { isMainFrame: true, mediaType: 'video' })).toBe(false);
    expect(check({}, 'media', 'https://evil.example.com', { isMainFrame: true, mediaType: 'audio' })).toBe(false);
  });

  it('denies everything else', () => {
    const { ask, check } = handlers();
    for (const permission of ['notifications', 'geolocation', 'display-capture', 'clipboard-read', 'openExternal', 'fullscreen']) {
      expect(ask(permission, { requestingUrl: 'bullpen-app://app/index.html' }), permission).toBe(false);
    }
    for (const permission of ['notifications', 'geolocation', 'hid', 'serial', 'usb']) {
      expect(check({}, permission, 'bullpen-app://app', { isMainFrame: true }), permission).toBe(false);
    }
    const devices = electron.session.setDevicePermissionHandler.mock.calls[0]![0] as () => boolean;
    expect(devices()).toBe(false);
  });
});
