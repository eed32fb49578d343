/**
 * Bullpen desktop main process. Sandbox everything, allow one instance, then set up each
 * feature in order; every `setupX` lives in its own module.
 */
import { resolve } from 'node:path';
import { app } from 'electron';
import type { AppInfo } from '../../contract';
import { registerAppScheme, setupAppProtocol } from './app-protocol';
import { LoopbackCapture, prepareCapture, setupCapture } from './capture';
import { openExternalLink } from './external-links';
import { setupIpcHandlers } from './ipc';
import { createLogger } from './logger';
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

async function main(): Promise<void> {
  await app.whenReady();
  const settings = setupSettings(log);
  const tokens = setupTokenStore(log);
  const capture = new LoopbackCapture({ log });
  const openExternal = (url: string) => openExternalLink(url, log);
  setupIpcHandlers({
    log,
    settings,
    tokens,
    capture,
    openExternal,
    appInfo: () => ({ platform: platformOf(process.platform), version: app.getVersion(), systemLoopback: capture.supported }),
  });
  setupAppProtocol({ log, serverUrl: () => settings.get().serverUrl });
  setupCapture(capture);
  const mainWindow = setupWindow({ log, openExternal });

  // A second launch focuses the running app instead of opening another one.
  app.on('second-instance', () => mainWindow.show());
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
  main().catch((error: unknown) => {
    log.error('Bullpen could not start', { error });
    app.exit(1);
  });
}
