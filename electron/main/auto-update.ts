import type { BrowserWindow } from 'electron';
import { BullpenError, type UpdateStatus } from '../../contract';
import type { Logger } from './logger';
import { sendEventWhenLoaded } from './renderer-events';

/** How often a running app looks for a new version after the check at start. */
export const UPDATE_CHECK_INTERVAL_MS = 4 * 60 * 60 * 1000;

/**
 * The part of electron-updater's `autoUpdater` Bullpen uses. index.ts passes the real one;
 * nothing here imports electron-updater, so the decisions below are tested without it.
 */
export interface Updater {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  logger: { info(message?: unknown): void; warn(message?: unknown): void; error(message?: unknown): void; debug?(message: string): void } | null;
  on(event: 'update-available', listener: (info: { version: string }) => void): unknown;
  on(event: 'update-downloaded', listener: (info: { version: string }) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  checkForUpdates(): Promise<unknown>;
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void;
}

/** What decides whether this copy of the app may update itself. */
export interface UpdateEnvironment {
  /** `app.isPackaged`: false when run from source (`electron .`). */
  isPackaged: boolean;
  /** resources/app-update.yml exists: the build was made with BULLPEN_UPDATE_URL. */
  feedConfigured: boolean;
  platform: NodeJS.Platform;
  /** Linux: running from the AppImage (`APPIMAGE` is set by its runtime). */
  appImage: boolean;
  /** Linux: installed from the .deb (electron-builder writes resources/package-type). */
  linuxPackage: boolean;
}

/**
 * Whether to check for updates here: `idle` (on) or `off` with the reason. Off unless this is
 * an installed build that carries an update feed, on an OS electron-updater can update.
 */
export function planAutoUpdate(env: UpdateEnvironment): UpdateStatus {
  if (!env.isPackaged) return { state: 'off', reason: 'Bullpen is running from source; only installed copies update themselves.' };
  if (!env.feedConfigured) return { state: 'off', reason: 'This build has no update feed (it was built without BULLPEN_UPDATE_URL).' };
  if (env.platform !== 'darwin' && env.platform !== 'win32' && env.platform !== 'linux') {
    return { state: 'off', reason: `Bullpen cannot update itself on ${env.platform}.` };
  }
  if (env.platform === 'linux' && !env.appImage && !env.linuxPackage) {
    return { state: 'off', reason: 'This copy was not installed from the AppImage or the .deb, so it cannot update itself.' };
  }
  return { state: 'idle' };
}

export interface AutoUpdateDeps {
  log: Logger;
  environment: UpdateEnvironment;
  /** electron-updater's `autoUpdater`, asked for only when updates are on (it reads app-update.yml). */
  updater: () => Updater;
  /** The app's window now (it may be closed to the tray, or reopened). */
  getWindow(): BrowserWindow | null;
  intervalMs?: number;
}

/**
 * Self-update from the build's feed: checks at start and every few hours, downloads in the
 * background, tells the renderer once a version is ready, and installs it when the app quits
 * or at once when the person asks (`install`). Does nothing at all when {@link planAutoUpdate}
 * says off.
 */
export class AutoUpdate {
  readonly #log: Logger;
  readonly #deps: AutoUpdateDeps;
  #status: UpdateStatus;
  #updater: Updater | null = null;
  #timer: ReturnType<typeof setInterval> | null = null;
  #closed = false;

  private constructor(deps: AutoUpdateDeps) {
    this.#deps = deps;
    this.#log = deps.log.child({ module: 'auto-update' });
    this.#status = planAutoUpdate(deps.environment);
  }

  /** Starts checking when updates are on (see {@link planAutoUpdate}). */
  static start(deps: AutoUpdateDeps): AutoUpdate {
    const self = new AutoUpdate(deps);
    self.#begin();
    return self;
  }

  #begin(): void {
    if (this.#status.state === 'off') {
      this.#log.info('updates are off', { reason: this.#status.reason });
      return;
    }
    const updater = this.#deps.updater();
    this.#updater = updater;
    updater.autoDownload = true;
    updater.autoInstallOnAppQuit = true;
    // electron-updater narrates every step; keep that at debug. Failures arrive once, as 'error'.
    updater.logger = {
      info: (message) => this.#log.debug('updater', { message: String(message) }),
      debug: (message) => this.#log.debug('updater', { message }),
      warn: (message) => this.#log.warn('updater', { message: String(message) }),
      error: (message) => this.#log.debug('updater error', { message: String(message) }),
    };
    updater.on('update-available', (info) => this.#log.info('update available, downloading', { version: info.version }));
    updater.on('update-downloaded', (info) => this.#ready(info.version));
    updater.on('error', (error) => this.#log.warn('update check or download failed', { error: error.message.slice(0, 300) }));
    const intervalMs = this.#deps.intervalMs ?? UPDATE_CHECK_INTERVAL_MS;
    this.#log.info('updates are on', { everyHours: Math.round((intervalMs / 3_600_000) * 10) / 10 });
    this.#check();
    this.#timer = setInterval(() => this.#check(), intervalMs);
  }

  #check(): void {
    if (this.#closed || !this.#updater) return;
    // A failure is also emitted as 'error' (logged there): the rejection itself adds nothing.
    this.#updater.checkForUpdates().catch(() => {});
  }

  #ready(version: string): void {
    if (this.#closed) return;
    if (this.#status.state === 'ready' && this.#status.version === version) return;
    this.#status = { state: 'ready', version };
    this.#log.info('update ready; installs on quit', { version });
    const window = this.#deps.getWindow();
    if (window && !window.isDestroyed()) sendEventWhenLoaded(window, 'update:ready', { version }, this.#log);
  }

  /** What the renderer shows (`update:status`). */
  status(): UpdateStatus {
    return this.#status;
  }

  /** Quits, installs the ready update and starts the new version (the person clicked restart). */
  install(): void {
    if (this.#status.state !== 'ready' || !this.#updater) {
      throw new BullpenError('CONFLICT', 'No update is ready to install yet. Bullpen installs it when one has downloaded.');
    }
    this.#log.info('installing update now', { version: this.#status.version });
    // Silent (no installer window on Windows) and run again afterwards.
    this.#updater.quitAndInstall(true, true);
  }

  /** Stops the periodic checks; a downloaded update still installs on quit. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }
}

/** Starts self-update (see {@link AutoUpdate}); call once the window is set up. */
export function setupAutoUpdate(deps: AutoUpdateDeps): AutoUpdate {
  return AutoUpdate.start(deps);
}
