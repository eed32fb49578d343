import { fileURLToPath } from 'node:url';
import {
  app,
  BrowserWindow,
  session as electronSession,
  type MediaAccessPermissionRequest,
  type PermissionRequest,
  type Session,
  type WebContents,
  type WebPreferences,
} from 'electron';
import { APP_ENTRY_URL, isAppUrl } from './app-protocol';
import type { Logger } from './logger';

/** The bundled, CommonJS preload (`out/preload/index.cjs`) next to the bundled main. */
export const PRELOAD_PATH = fileURLToPath(new URL('../preload/index.cjs', import.meta.url));

/**
 * The only web preferences a Bullpen window gets: sandboxed, context-isolated renderer with
 * no Node.js, web security on, no `<webview>`, and our preload as the only bridge.
 */
export function secureWebPreferences(preload: string = PRELOAD_PATH): WebPreferences {
  return {
    preload,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
  };
}

export interface WindowOptions {
  log: Logger;
  /** Opens a link in the OS browser after sanitizing it; resolves false if refused. */
  openExternal: (url: string) => Promise<boolean>;
  preloadPath?: string;
  session?: Session;
  /** Quiet start (login launch, `--hidden`): create the window but leave it hidden in the tray. */
  hidden?: boolean;
}

/**
 * Locks down any webContents: new windows are always denied (http/https links go to the
 * OS browser instead), navigation and redirects leave only for our own origin, and
 * `<webview>` cannot be attached.
 */
export function lockDownWebContents(contents: WebContents, opts: Pick<WindowOptions, 'log' | 'openExternal'>): void {
  contents.setWindowOpenHandler(({ url }) => {
    if (/^https?:/i.test(url)) {
      void opts.openExternal(url).catch((error: unknown) => opts.log.warn('could not open link externally', { error }));
    } else {
      opts.log.warn('blocked window.open', { url: url.slice(0, 200) });
    }
    return { action: 'deny' };
  });
  const blockForeignNavigation = (kind: string) => (event: { url: string; preventDefault(): void }) => {
    if (isAppUrl(event.url)) return;
    event.preventDefault();
    opts.log.warn(`blocked ${kind}`, { url: event.url.slice(0, 200) });
  };
  contents.on('will-navigate', blockForeignNavigation('navigation'));
  contents.on('will-redirect', blockForeignNavigation('redirect'));
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    opts.log.warn('blocked <webview>');
  });
}

function onlyAudio(details: PermissionRequest | MediaAccessPermissionRequest): boolean {
  const types = 'mediaTypes' in details ? details.mediaTypes : undefined;
  return Array.isArray(types) && types.length > 0 && types.every((type) => type === 'audio');
}

/**
 * Permissions: the microphone (`media` with audio only) for our own origin; everything
 * else — camera, notifications, geolocation, HID/serial/USB, other origins — is denied.
 * Display capture is decided separately, by the armed handler in capture.ts.
 */
export function lockDownSession(ses: Session, log: Logger): void {
  ses.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const granted = permission === 'media' && isAppUrl(details.requestingUrl) && onlyAudio(details);
    if (!granted) log.warn('permission request denied', { permission, url: details.requestingUrl.slice(0, 200) });
    callback(granted);
  });
  ses.setPermissionCheckHandler(
    (_contents, permission, requestingOrigin, details) =>
      permission === 'media' && isAppUrl(requestingOrigin) && details.mediaType === 'audio',
  );
  ses.setDevicePermissionHandler(() => false);
}

/** Creates the main window and loads the renderer from the app protocol. */
export function createMainWindow(opts: WindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    title: 'Bullpen',
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    backgroundColor: '#101318',
    autoHideMenuBar: true,
    webPreferences: secureWebPreferences(opts.preloadPath),
  });
  if (!opts.hidden) window.once('ready-to-show', () => window.show());
  window.webContents.on('render-process-gone', (_event, details) => {
    opts.log.error('renderer process gone', { reason: details.reason, exitCode: details.exitCode });
  });
  window.webContents.on('did-fail-load', (_event, code, description, url) => {
    opts.log.error('renderer failed to load', { code, description, url });
  });
  window.loadURL(APP_ENTRY_URL).catch((error: unknown) => opts.log.error('could not load the renderer', { error }));
  return window;
}

/** The app's one main window: created on demand, brought to front when asked again. */
export interface MainWindow {
  /** Shows the main window, creating it if needed, and focuses it. */
  show(): BrowserWindow;
}

/**
 * Locks down the session and every webContents the app will ever create (the Electron
 * security checklist's catch-all), then opens the main window.
 */
export function setupWindow(opts: WindowOptions): MainWindow {
  const log = opts.log.child({ module: 'window' });
  const options = { ...opts, log };
  lockDownSession(opts.session ?? electronSession.defaultSession, log);
  app.on('web-contents-created', (_event, contents) => lockDownWebContents(contents, options));
  let current: BrowserWindow | null = null;
  const create = (hidden: boolean): BrowserWindow => {
    const created = createMainWindow({ ...options, hidden });
    created.on('closed', () => {
      if (current === created) current = null;
    });
    current = created;
    return created;
  };
  const show = (): BrowserWindow => {
    if (current && !current.isDestroyed()) {
      if (current.isMinimized()) current.restore();
      current.show();
      current.focus();
      return current;
    }
    return create(false);
  };
  // A quiet start loads the window without showing it: the renderer connects, and the tray's
  // Go live finds it ready. Whatever shows it later (tray, second launch, dock) calls show().
  if (opts.hidden) create(true);
  else show();
  return { show };
}
