/**
 * Bullpen desktop main process. Sandbox everything, allow one instance, then set up each
 * feature in order; every `setupX` lives in its own module.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { app, BrowserWindow } from 'electron';
import { autoUpdater } from 'electron-updater';
import { DESKTOP_APP_ID, type AppInfo } from '../../contract';
import { setupActivity } from './activity';
import { registerAppScheme, setupAppProtocol } from './app-protocol';
import { setupAutoUpdate } from './auto-update';
import { LoopbackCapture, prepareCapture, setupCapture } from './capture';
import { setupClipHotkey } from './clip-hotkey';
import { setupCloseToTray } from './close-to-tray';
import { setupDeepLinks, type DeepLinks } from './deep-links';
import { setupDesktopNotifications } from './desktop-notifications';
import { openExternalLink } from './external-links';
import { setupIpcHandlers } from './ipc';
import { launchedHidden, setupLoginItem } from './login-item';
import { createLogger } from './logger';
import { setupPower } from './power';
import { setupSettings } from './settings';
import { setupTokenStore } from './token-store';
import { setupTray } from './tray';
import { setupWindow } from './window';

const log = createLogger({ fields: { process: 'main' } });

// Everything below must happen before the app is ready.
app.enableSandbox();
registerAppScheme();
prepareCapture();
// A separate profile (settings, token, single-instance lock) e.g. for tests or a second account.
if (process.env.BULLPEN_USER_DATA_DIR) app.setPath('userData', resolve(process.env.BULLPEN_USER_DATA_DIR));
// Windows ties notifications and the taskbar to the id the installer's shortcut carries.
if (process.platform === 'win32') app.setAppUserModelId(DESKTOP_APP_ID);

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
  // Bullpen has one window (window.open is always denied); a hotkey press never opens one.
  const currentWindow = () => BrowserWindow.getAllWindows()[0] ?? null;
  const loginItem = setupLoginItem({ log, settings });
  const activity = setupActivity({ log });
  // Before the window, which it watches from its creation on.
  setupCloseToTray({ log, settings, activity, getWindow: currentWindow });
  // A login launch (or `--hidden`) starts quietly in the tray.
  const hidden = launchedHidden(process.argv, process.platform, () => app.getLoginItemSettings().wasOpenedAtLogin);
  const mainWindow = setupWindow({ log, openExternal, hidden });
  setupTray({ log, activity, showWindow: () => mainWindow.show(), getWindow: currentWindow });
  // After the window, so a shortcut that cannot be registered is reported to its renderer.
  const clipHotkey = setupClipHotkey({ log, settings, getWindow: currentWindow });
  const notifications = setupDesktopNotifications({ log, getWindow: currentWindow });
  // Off unless this is an installed build made with an update feed (resources/app-update.yml).
  const updates = setupAutoUpdate({
    log,
    getWindow: currentWindow,
    updater: () => autoUpdater,
    environment: {
      isPackaged: app.isPackaged,
      feedConfigured: existsSync(join(process.resourcesPath, 'app-update.yml')),
      platform: process.platform,
      appImage: Boolean(process.env.APPIMAGE),
      linuxPackage: existsSync(join(process.resourcesPath, 'package-type')),
    },
  });
  app.on('will-quit', () => updates.close());
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
    updates,
    loginItem,
    activity,
    appInfo: () => ({ platform: platformOf(process.platform), version: app.getVersion(), systemLoopback: capture.supported }),
  });
  // Links (and second launches, which focus this app) go to the main window from now on.
  deepLinks.attach(() => mainWindow.show());

  // macOS: apps stay alive without windows and reopen one from the dock.
  app.on('activate', () => mainWindow.show());
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  log.info('Bullpen started', { version: app.getVersion(), serverUrl: settings.get().serverUrl, hidden });
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
