import type { BrowserWindow } from 'electron';
import { ipcEvents, type IpcEventName, type IpcEventPayload } from '../../contract';
import type { Logger } from './logger';

/**
 * Sends one main → renderer push to `window` now. The payload is checked against the
 * contract's schema first (a payload that breaks it is a bug: logged, not sent). Returns
 * whether it was sent; a missing or destroyed window is skipped.
 */
export function sendEvent<E extends IpcEventName>(
  window: BrowserWindow | null,
  event: E,
  payload: IpcEventPayload<E>,
  log: Logger,
): boolean {
  const parsed = ipcEvents[event].safeParse(payload);
  if (!parsed.success) {
    log.error('refused to send a push that breaks the contract', { event, issues: parsed.error.issues.slice(0, 3) });
    return false;
  }
  if (!window || window.isDestroyed() || window.webContents.isDestroyed()) {
    log.debug('no window to send a push to', { event });
    return false;
  }
  window.webContents.send(event, parsed.data);
  return true;
}

/**
 * Like {@link sendEvent}, but while the window's renderer is still loading the push waits
 * for `did-finish-load`, so nothing sent during startup (or a reload) is lost: the
 * renderer has no listeners before its page has loaded.
 */
export function sendEventWhenLoaded<E extends IpcEventName>(
  window: BrowserWindow,
  event: E,
  payload: IpcEventPayload<E>,
  log: Logger,
): void {
  if (!window.isDestroyed() && !window.webContents.isDestroyed() && window.webContents.isLoading()) {
    window.webContents.once('did-finish-load', () => sendEvent(window, event, payload, log));
    return;
  }
  sendEvent(window, event, payload, log);
}
