import { resolve } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const electron = await vi.hoisted(async () => {
  const { Emitter, FakeWindow } = await import('../electron-fakes');
  class FakeApp extends Emitter {
    setAsDefaultProtocolClient = vi.fn((_protocol: string, _path?: string, _args?: string[]) => true);
  }
  return { FakeWindow, app: new FakeApp() };
});
vi.mock('electron', () => ({ app: electron.app }));

import type { BrowserWindow } from 'electron';
import { parseLink, setupDeepLinks } from '../../../../electron/main/deep-links';
import { createLogger } from '../../../../electron/main/logger';

let lines: string[];
const log = createLogger({ level: 'debug', write: (_level, line) => lines.push(line) });
let window: InstanceType<typeof electron.FakeWindow>;
let showWindow: ReturnType<typeof vi.fn<() => BrowserWindow>>;

const PACKAGED = ['/opt/Bullpen/bullpen'];

/** The links the renderer was sent. */
const sent = () => window.webContents.send.mock.calls.filter(([event]) => event === 'link:open').map(([, link]) => link as unknown);

function secondInstance(...args: string[]) {
  electron.app.emit('second-instance', { preventDefault: vi.fn() }, [...PACKAGED, ...args], '/home/rep', {});
}

beforeEach(() => {
  lines = [];
  electron.app.listeners.clear();
  electron.app.setAsDefaultProtocolClient.mockClear();
  window = new electron.FakeWindow();
  showWindow = vi.fn(() => window as unknown as BrowserWindow);
});

describe('setupDeepLinks', () => {
  it('registers the app as the bullpen:// handler', () => {
    setupDeepLinks({ log, argv: PACKAGED, defaultApp: false });
    expect(electron.app.setAsDefaultProtocolClient).toHaveBeenCalledExactlyOnceWith('bullpen');
  });

  it('run from source, registers Electron with the app path, as Electron documents', () => {
    setupDeepLinks({ log, argv: ['/dev/electron', '.'], defaultApp: true, execPath: '/dev/electron' });
    expect(electron.app.setAsDefaultProtocolClient).toHaveBeenCalledExactlyOnceWith('bullpen', '/dev/electron', [resolve('.')]);
  });

  it('sends a clip link from a second launch to the renderer and shows the window', () => {
    setupDeepLinks({ log, argv: PACKAGED, defaultApp: false }).attach(showWindow);
    secondInstance('--original-process-start-time=1', 'bullpen://clip/abc');
    expect(showWindow).toHaveBeenCalled();
    expect(sent()).toEqual([{ kind: 'clip', id: 'abc' }]);
  });

  it('shows the window for a second launch without a link, sending nothing', () => {
    setupDeepLinks({ log, argv: PACKAGED, defaultApp: false }).attach(showWindow);
    secondInstance();
    expect(showWindow).toHaveBeenCalledTimes(1);
    expect(window.webContents.send).not.toHaveBeenCalled();
  });

  it('ignores anything that is not a Bullpen clip link, logging it at debug', () => {
    setupDeepLinks({ log, argv: PACKAGED, defaultApp: false }).attach(showWindow);
    const bad = [
      'bullpen://evil/x',
      'https://bullpen.example.com/clip/abc',
      'bullpen://clip/../x',
      'bullpen://clip/%2e%2e/x',
      'bullpen://clip/./abc',
      'bullpen://clip/abc/def',
      'bullpen://clip/',
      'file:///etc/passwd',
    ];
    secondInstance(...bad);
    for (const url of bad) electron.app.emit('open-url', { preventDefault: vi.fn() }, url);
    electron.app.emit('will-finish-launching');
    for (const url of bad) electron.app.emit('open-url', { preventDefault: vi.fn() }, url);
    expect(window.webContents.send).not.toHaveBeenCalled();
    const ignored = lines.filter((line) => line.includes('"level":"debug"') && line.includes('not a Bullpen link'));
    expect(ignored).toHaveLength(bad.length * 2);
  });

  it('takes macOS open-url links once launching starts, handling the event itself', () => {
    setupDeepLinks({ log, argv: PACKAGED, defaultApp: false }).attach(showWindow);
    electron.app.emit('will-finish-launching');
    const event = { preventDefault: vi.fn() };
    electron.app.emit('open-url', event, 'bullpen://clip/abc');
    expect(event.preventDefault).toHaveBeenCalled();
    expect(sent()).toEqual([{ kind: 'clip', id: 'abc' }]);
  });

  it('keeps the launch link until there is a window and its renderer has loaded', () => {
    const links = setupDeepLinks({ log, argv: [...PACKAGED, 'bullpen://clip/abc'], defaultApp: false });
    // macOS: the launch link arrives before the app is ready.
    electron.app.emit('will-finish-launching');
    electron.app.emit('open-url', { preventDefault: vi.fn() }, 'bullpen://clip/def');
    window.webContents.loading = true;
    links.attach(showWindow);
    expect(showWindow).toHaveBeenCalled();
    expect(window.webContents.send).not.toHaveBeenCalled();
    window.webContents.loading = false;
    window.webContents.emit('did-finish-load');
    expect(sent()).toEqual([
      { kind: 'clip', id: 'abc' },
      { kind: 'clip', id: 'def' },
    ]);
    // A later load (a reload) does not deliver them again.
    window.webContents.emit('did-finish-load');
    expect(sent()).toHaveLength(2);
  });

  it('holds a link that arrives while the renderer is loading', () => {
    setupDeepLinks({ log, argv: PACKAGED, defaultApp: false }).attach(showWindow);
    window.webContents.loading = true;
    secondInstance('bullpen://clip/abc');
    expect(window.webContents.send).not.toHaveBeenCalled();
    window.webContents.loading = false;
    window.webContents.emit('did-finish-load');
    expect(sent()).toEqual([{ kind: 'clip', id: 'abc' }]);
  });
});

describe('parseLink', () => {
  it('reads clip links and refuses dot segments the URL parser would resolve away', () => {
    expect(parseLink('bullpen://clip/abc')).toEqual({ kind: 'clip', id: 'abc' });
    expect(parseLink('BULLPEN://Clip/abc')).toEqual({ kind: 'clip', id: 'abc' });
    for (const url of ['bullpen://clip/../x', 'bullpen://clip/%2E%2e/abc', 'bullpen://clip/./abc', 'bullpen://x/../clip/abc', 'bullpen://evil/x']) {
      expect(parseLink(url), url).toBeNull();
    }
  });
});
