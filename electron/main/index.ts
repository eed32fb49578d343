/**
 * Bullpen desktop main process. Sandbox everything, allow one instance, then set up each
 * feature in order; every `setupX` lives in its own module.
 */
import { resolve } from 'node:path';
import { app, BrowserWindow } from 'electron';
import type { AppInfo } from '../../contract';
import { registerAppScheme, setupAppProtocol } from './app-protocol';
import { LoopbackCapture, prepareCapture, setupCapture } from './capture';
import { setupClipHotkey } from './clip-hotkey';
import { setupDeepLinks, type DeepLinks } from './deep-links';
import { setupDesktopNotifications } from './desktop-notifications';
import { openExternalLink } from './external-links';
import { setupIpcHandlers } from './ipc';
import { createLogger } from './logger';
import { setupPower } from './power';
import { setupSettings } from './settings';
import { setupTokenStore } from './token-store';
import { setupWindow } from './window';

const log = createLogger({ fields: { process: 'main' } });

// Everything below must happen before the app is ready.
app.enableSandbox();
registerAppScheme();
prepareCapture();
// A separate profile (settings, token, single-instance lock) e.g. for tests or a second account.
if (process.env.BULLPEN_USER_DATA_DIR) app.setPath('userData', resolve(process.env.BULLPEN_USER_DATA_DIR));

function platformOf(platform: NodeJS.Platform): AppInfo['platform'] {
  return platform === 'darwin' || platform === 'win32' || platform === 'linux' ? platform : 'other';
}

async function main(deepLinks: DeepLinks): Promise<void> {
  await app.whenReady();
  const settings = setupSettings(log);
  const tokens = setupTokenStore(log);
  const capture = new LoopbackCapture({ log });
  const openExternal = (url: string) => openExternalLink(url, log);
  setupAppProtocol({ log, serverUrl: () => settings.get().serverUrl });
  setupCapture(capture);
  const mainWindow = setupWindow({ log, openExternal });
  // Bullpen has one window (window.open is always denied); a hotkey press never opens one.
  const currentWindow = () => BrowserWindow.getAllWindows()[0] ?? null;
  // After the window, so a shortcut that cannot be registered is reported to its renderer.
  const clipHotkey = setupClipHotkey({ log, settings, getWindow: currentWindow });
  const notifications = setupDesktopNotifications({ log, getWindow: currentWindow });
  // Sleep, wake and screen lock reach the renderer, which marks and restores its connection.
  setupPower({ log, getWindow: currentWindow });
  // The window's renderer loads asynchronously, so it cannot call before these exist.
  setupIpcHandlers({
    log,
    settings,
    tokens,
    capture,
    openExternal,
    clipHotkey,
    notifications,
    appInfo: () => ({ platform: platformOf(process.platform), version: app.getVersion(), systemLoopback: capture.supported }),
  });
  // Links (and second launches, which focus this app) go to the main window from now on.
  deepLinks.attach(() => mainWindow.show());

  // macOS: apps stay alive without windows and reopen one from the dock.
  app.on('activate', () => mainWindow.show());
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  log.info('Bullpen started', { version: app.getVersion(), serverUrl: settings.get().serverUrl });
}

if (!app.requestSingleInstanceLock()) {
  log.info('Bullpen is already running; focusing that window');
  app.quit();
} else {
  // Before ready: macOS hands over the link that launched the app before `ready`.
  const deepLinks = setupDeepLinks({ log });
  main(deepLinks).catch((error: unknown) => {
    log.error('Bullpen could not start', { error });
    app.exit(1);
  });
}
