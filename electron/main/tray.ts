import { app, Menu, nativeImage, Tray, type BrowserWindow, type NativeImage } from 'electron';
import type { Activity, ActivityState, TrayCommand } from '../../contract';
import type { ActivityTracker } from './activity';
import type { Logger } from './logger';
import { sendEvent, sendEventWhenLoaded } from './renderer-events';
import { trayIconPngs, trayIconStyle } from './tray-icons';
import { trayMenuTemplate, trayTooltip, type TrayAction } from './tray-menu';

export interface TrayDeps {
  log: Logger;
  activity: ActivityTracker;
  /** Shows and focuses the main window, creating it if needed. */
  showWindow(): BrowserWindow;
  /** The main window now, if there is one (it may be hidden). */
  getWindow(): BrowserWindow | null;
  /** `process.platform` in the app. */
  platform?: NodeJS.Platform;
}

/** The state's tray image: one representation per scale, a template image on macOS. */
export function trayImage(state: ActivityState, platform: NodeJS.Platform): NativeImage {
  const style = trayIconStyle(platform);
  const image = nativeImage.createEmpty();
  for (const { scaleFactor, size, png } of trayIconPngs(state, style)) {
    image.addRepresentation({ scaleFactor, width: size, height: size, buffer: png });
  }
  if (style === 'template') image.setTemplateImage(true);
  return image;
}

/**
 * The tray (menu-bar) icon: its image, tooltip and menu follow the renderer's activity. Go
 * live brings the window forward and opens the go-live form (it needs a title and consent);
 * End call and Leave go to the renderer at once, whether or not its window is shown; Open
 * shows the window; Quit quits (which asks first during a call, see close-to-tray.ts).
 */
export class AppTray {
  readonly #tray: Tray;
  readonly #deps: TrayDeps;
  readonly #log: Logger;
  readonly #platform: NodeJS.Platform;
  readonly #images = new Map<ActivityState, NativeImage>();
  readonly #unsubscribe: () => void;
  #closed = false;

  /** Puts the icon in the tray for the current activity and follows its changes. */
  static create(deps: TrayDeps): AppTray {
    return new AppTray(deps);
  }

  private constructor(deps: TrayDeps) {
    this.#deps = deps;
    this.#log = deps.log.child({ module: 'tray' });
    this.#platform = deps.platform ?? process.platform;
    this.#tray = new Tray(this.#image(deps.activity.current.state));
    // Windows: a click on the icon opens the app (the menu is on right click). macOS and
    // Linux (AppIndicator) open the menu on click and emit no click event.
    this.#tray.on('click', () => this.#act('open'));
    this.#apply(deps.activity.current);
    this.#unsubscribe = deps.activity.onChange((activity) => this.#apply(activity));
  }

  /** Removes the icon; idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#unsubscribe();
    this.#tray.destroy();
  }

  #image(state: ActivityState): NativeImage {
    let image = this.#images.get(state);
    if (!image) {
      image = trayImage(state, this.#platform);
      this.#images.set(state, image);
    }
    return image;
  }

  #apply(activity: Activity): void {
    if (this.#closed) return;
    this.#tray.setImage(this.#image(activity.state));
    this.#tray.setToolTip(trayTooltip(activity));
    this.#tray.setContextMenu(Menu.buildFromTemplate(trayMenuTemplate(activity, (action) => this.#act(action))));
    // One line per state the icon shows (never the call's title); the desktop smoke test waits for it.
    this.#log.info('tray shows', { state: activity.state });
  }

  #act(action: TrayAction): void {
    this.#log.info('tray menu used', { action });
    switch (action) {
      case 'open':
        this.#deps.showWindow();
        return;
      case 'quit':
        app.quit();
        return;
      case 'go-live':
        // The form needs the person (a title, recording consent): show it to them.
        sendEventWhenLoaded(this.#deps.showWindow(), 'tray:command', { command: 'go-live' }, this.#log);
        return;
      case 'end-call':
      case 'leave':
        this.#command(action);
        return;
    }
  }

  /** Sends a command that acts at once, without bringing the window forward. */
  #command(command: TrayCommand): void {
    if (!sendEvent(this.#deps.getWindow(), 'tray:command', { command }, this.#log)) {
      this.#log.warn('no window to carry out a tray command', { command });
    }
  }
}

/**
 * Puts Bullpen's icon in the tray (menu bar on macOS). A desktop without a tray must not stop
 * the app: then there is no icon (null), and launching Bullpen again brings its window back.
 */
export function setupTray(deps: TrayDeps): AppTray | null {
  try {
    return AppTray.create(deps);
  } catch (error) {
    deps.log.warn('could not put an icon in the tray', { error });
    return null;
  }
}
