import { app, dialog, Notification, type BrowserWindow } from 'electron';
import { inCall, type ActivityState } from '../../contract';
import type { ActivityTracker } from './activity';
import type { Logger } from './logger';
import { sendEvent } from './renderer-events';
import type { SettingsStore } from './settings';

/** How long a quit waits for the renderer to end or leave its call before quitting anyway. */
export const QUIT_WAIT_MS = 5000;

/**
 * What closing the main window does. A call in progress lives in the window's renderer, so
 * closing never ends it: the window hides and the call goes on in the tray. Idle, macOS closes
 * the window (the app stays in the dock, as Mac apps do); Windows and Linux close it, which
 * quits, unless the person chose to keep Bullpen running in the tray.
 */
export function closeAction(opts: {
  platform: NodeJS.Platform;
  state: ActivityState;
  keepRunningInTray: boolean;
  quitting: boolean;
}): 'close' | 'hide' {
  if (opts.quitting) return 'close';
  if (inCall(opts.state)) return 'hide';
  if (opts.platform === 'darwin') return 'close';
  return opts.keepRunningInTray ? 'hide' : 'close';
}

/** The one-time notice's words for the platform and why the window went away. */
export function trayNotice(platform: NodeJS.Platform, state: ActivityState): { title: string; body: string } {
  const where = platform === 'darwin' ? 'the menu bar' : 'the system tray';
  const what = inCall(state) ? (state === 'listening' ? 'You are still listening. ' : 'Your call is still live. ') : '';
  return {
    title: 'Bullpen is still running',
    body: `${what}Open Bullpen again from its icon in ${where}, or by starting Bullpen. Quit it from that icon’s menu.`,
  };
}

export interface CloseToTrayDeps {
  log: Logger;
  settings: SettingsStore;
  activity: ActivityTracker;
  /** The main window now, if there is one. */
  getWindow(): BrowserWindow | null;
  platform?: NodeJS.Platform;
  /** How long a quit waits for the call to end; {@link QUIT_WAIT_MS} in the app. */
  quitWaitMs?: number;
}

/**
 * Closing the window while a call runs keeps the app (and the call) running in the tray, saying
 * so the first time; quitting during a call asks first and then ends or leaves the call through
 * the renderer (so listeners hear that it ended) before the app quits.
 */
export function setupCloseToTray(deps: CloseToTrayDeps): void {
  const log = deps.log.child({ module: 'close-to-tray' });
  const platform = deps.platform ?? process.platform;
  const quitWaitMs = deps.quitWaitMs ?? QUIT_WAIT_MS;
  let quitting = false;
  let confirming = false;

  const tellOnce = (state: ActivityState) => {
    try {
      if (deps.settings.get().trayNoticeShown) return;
      const { title, body } = trayNotice(platform, state);
      if (Notification.isSupported()) new Notification({ title, body }).show();
      else void dialog.showMessageBox({ type: 'info', message: title, detail: body, buttons: ['OK'] });
      deps.settings.set({ trayNoticeShown: true });
    } catch (error) {
      // A notice that cannot be shown or remembered must not stop the window from hiding.
      log.warn('could not show the tray notice', { error });
    }
  };

  app.on('browser-window-created', (_event, window) => {
    window.on('close', (event) => {
      const state = deps.activity.current.state;
      const action = closeAction({ platform, state, keepRunningInTray: deps.settings.get().keepRunningInTray, quitting });
      if (action === 'close') return;
      event.preventDefault();
      window.hide();
      log.info('window hidden to the tray', { state });
      tellOnce(state);
    });
    // Windows: logging off or shutting down closes windows for good.
    window.on('session-end', () => {
      quitting = true;
    });
    // Whatever the renderer was doing ended with it.
    window.on('closed', () => deps.activity.reset());
    window.webContents.on('render-process-gone', () => deps.activity.reset());
  });

  const quitNow = () => {
    quitting = true;
    app.quit();
  };

  const confirmQuit = async () => {
    confirming = true;
    try {
      const state = deps.activity.current.state;
      const hosting = state !== 'listening';
      const window = deps.getWindow();
      const options = {
        type: 'question' as const,
        buttons: [hosting ? 'End call and quit' : 'Leave and quit', 'Cancel'],
        defaultId: 1,
        cancelId: 1,
        message: hosting ? 'End your call and quit Bullpen?' : 'Stop listening and quit Bullpen?',
        detail: hosting ? 'The call ends for everyone listening; they are told you ended it.' : 'You leave the call; it goes on for everyone else.',
      };
      const visible = window && !window.isDestroyed() && window.isVisible() ? window : null;
      const { response } = await (visible ? dialog.showMessageBox(visible, options) : dialog.showMessageBox(options));
      if (response !== 0) {
        log.info('quit cancelled during a call');
        return;
      }
      if (!inCall(deps.activity.current.state)) return quitNow();
      const sent = sendEvent(window, 'tray:command', { command: hosting ? 'end-call' : 'leave' }, log);
      if (!sent) return quitNow();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          log.warn('the call did not end in time; quitting anyway', { waitedMs: quitWaitMs });
          stop();
          resolve();
        }, quitWaitMs);
        const stop = deps.activity.onChange((activity) => {
          if (inCall(activity.state)) return;
          clearTimeout(timer);
          stop();
          resolve();
        });
      });
      quitNow();
    } finally {
      confirming = false;
    }
  };

  app.on('before-quit', (event) => {
    if (quitting) return;
    if (!inCall(deps.activity.current.state)) {
      quitting = true;
      return;
    }
    event.preventDefault();
    if (!confirming) void confirmQuit().catch((error: unknown) => log.error('could not ask before quitting', { error }));
  });
}
