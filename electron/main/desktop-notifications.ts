import { Notification, type BrowserWindow } from 'electron';
import type { DesktopNotification } from '../../contract';
import type { Logger } from './logger';
import { sendEventWhenLoaded } from './renderer-events';

/** How many shown ids are remembered (a window's worth of notifications, not forever). */
const REMEMBERED_IDS = 500;

export interface DesktopNotificationDeps {
  log: Logger;
  /** The app's window now (it may have been closed and reopened). */
  getWindow(): BrowserWindow | null;
}

/**
 * Main-process notifications: one OS notification per notification id (a second `show` of
 * the same id, e.g. after the renderer reloaded, is ignored). Clicking one brings the window
 * forward and tells its renderer to open the notification's route.
 */
export function setupDesktopNotifications(deps: DesktopNotificationDeps): { show(notification: DesktopNotification): void } {
  const log = deps.log.child({ module: 'notifications' });
  const shown = new Set<string>();
  // Held until clicked or closed: a notification garbage-collected early loses its click handler.
  const open = new Map<string, Notification>();

  return {
    show(notification) {
      if (shown.has(notification.id)) return;
      if (!Notification.isSupported()) {
        log.debug('desktop notifications are not supported here');
        return;
      }
      shown.add(notification.id);
      if (shown.size > REMEMBERED_IDS) shown.delete(shown.values().next().value!);
      const os = new Notification({ title: notification.title, body: notification.body });
      open.set(notification.id, os);
      os.on('click', () => {
        open.delete(notification.id);
        const window = deps.getWindow();
        if (!window || window.isDestroyed()) return;
        if (window.isMinimized()) window.restore();
        window.show();
        window.focus();
        sendEventWhenLoaded(window, 'notification:open', { route: notification.route }, log);
      });
      os.on('close', () => open.delete(notification.id));
      os.show();
    },
  };
}
