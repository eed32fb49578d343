import { app, globalShortcut, type BrowserWindow } from 'electron';
import { describeAccelerator, keyboardOsOf } from '../../contract';
import type { Logger } from './logger';
import { sendEvent, sendEventWhenLoaded } from './renderer-events';
import type { SettingsStore } from './settings';

export interface ClipHotkeyOptions {
  log: Logger;
  settings: Pick<SettingsStore, 'get'>;
  /** The main window if there is one; a press never creates, shows or focuses a window. */
  getWindow: () => BrowserWindow | null;
  platform?: NodeJS.Platform;
}

/** The global clip shortcut, registered with the OS while the app runs. */
export interface ClipHotkey {
  /** The accelerator registered right now, or null when none is (registration failed). */
  readonly registered: string | null;
  /**
   * Moves the shortcut to `hotkey`: the old one is released, the new one registered. If the
   * new one cannot be registered the old one is registered again and the returned message
   * says why (a person can act on it); null on success.
   */
  update(hotkey: string): string | null;
  /** Releases the shortcut; idempotent. Also runs on app `will-quit`. */
  dispose(): void;
}

/**
 * Registers the clip shortcut from the settings with the OS (call once the app is ready:
 * `globalShortcut` throws before). A press sends `clip:hotkey` to the main window, even when
 * the app is in the background. When the shortcut cannot be registered — another app holds
 * it, or the OS refuses it — a warning is logged and the renderer gets `clip:hotkey-error`
 * with a message saying what to do; the app keeps running without a shortcut.
 */
export function setupClipHotkey(opts: ClipHotkeyOptions): ClipHotkey {
  const log = opts.log.child({ module: 'clip-hotkey' });
  const platform = opts.platform ?? process.platform;
  let registered: string | null = null;
  let disposed = false;

  const onPress = () => {
    log.debug('clip shortcut pressed');
    sendEvent(opts.getWindow(), 'clip:hotkey', {}, log);
  };

  /** Registers `hotkey`; null on success, else the message to show. */
  const register = (hotkey: string): string | null => {
    const label = describeAccelerator(hotkey, keyboardOsOf(platform));
    try {
      // The OS gives no reason: false means another app (or the desktop itself) holds it.
      if (globalShortcut.register(hotkey, onPress)) return null;
      log.warn('clip shortcut is taken', { hotkey });
      return `${label} is used by another app. Pick another clip shortcut in Settings.`;
    } catch (error) {
      // Electron throws for an accelerator it cannot parse or the platform cannot map.
      log.warn('clip shortcut was refused', { hotkey, error });
      return `${label} can't be used as a shortcut on this computer. Pick another clip shortcut in Settings.`;
    }
  };

  const dispose = () => {
    if (disposed) return;
    disposed = true;
    if (registered !== null) globalShortcut.unregister(registered);
    registered = null;
  };

  const initial = opts.settings.get().clipHotkey;
  const error = register(initial);
  if (error === null) {
    registered = initial;
    log.info('clip shortcut registered', { hotkey: initial });
  } else {
    const window = opts.getWindow();
    if (window) sendEventWhenLoaded(window, 'clip:hotkey-error', { hotkey: initial, message: error }, log);
  }
  app.on('will-quit', dispose);

  return {
    get registered() {
      return registered;
    },
    update(hotkey) {
      if (disposed) return 'Bullpen is quitting; the clip shortcut was not changed.';
      if (hotkey === registered) return null;
      const previous = registered;
      if (previous !== null) globalShortcut.unregister(previous);
      registered = null;
      const failure = register(hotkey);
      if (failure === null) {
        registered = hotkey;
        log.info('clip shortcut changed', { from: previous, to: hotkey });
        return null;
      }
      if (previous !== null) {
        if (register(previous) === null) registered = previous;
        else log.error('could not restore the previous clip shortcut', { hotkey: previous });
      }
      return failure;
    },
    dispose,
  };
}
