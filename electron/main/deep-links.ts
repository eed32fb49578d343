import { resolve } from 'node:path';
import { app, type BrowserWindow } from 'electron';
import { parseAppLink, type AppLink } from '../../contract';
import type { Logger } from './logger';
import { sendEventWhenLoaded } from './renderer-events';

/** The URL scheme of Bullpen links (`bullpen://clip/<id>`). */
export const LINK_SCHEME = 'bullpen';

/** Anything on a command line that looks like a URL (`scheme://…`), as opposed to a flag or path. */
const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\//i;

export interface DeepLinkOptions {
  log: Logger;
  /** This launch's command line; `process.argv` in the app. */
  argv?: readonly string[];
  /** Whether Electron runs the app from source (`electron .`); `process.defaultApp` in the app. */
  defaultApp?: boolean;
  /** The Electron binary; `process.execPath` in the app. */
  execPath?: string;
}

/**
 * Parses a Bullpen link, refusing one with `.` or `..` path segments (also percent-encoded):
 * URL parsing resolves those away (`bullpen://clip/../x` reads as `bullpen://clip/x`), so such
 * a link does not say what it seems to and is not taken at face value.
 */
export function parseLink(url: string): AppLink | null {
  const path = url.split(/[?#]/, 1)[0] ?? '';
  if (path.split(/[/\\]/).some((segment) => /^(?:\.|%2e){1,2}$/i.test(segment))) return null;
  return parseAppLink(url);
}

/** Routes `bullpen://` links from the OS to the renderer. */
export interface DeepLinks {
  /**
   * Starts delivering links, to the window `showWindow` shows (creating it if needed) and
   * focuses; links received before are delivered now. Call once the main window is set up.
   */
  attach(showWindow: () => BrowserWindow): void;
}

/**
 * Makes Bullpen the OS handler of `bullpen://` links and listens for them: in this launch's
 * command line (Windows, Linux), in a second launch's command line (`second-instance`, which
 * also brings the running app to the front) and from macOS `open-url`. Each link is parsed
 * with {@link parseLink}; anything else is logged at debug and dropped. A valid
 * link shows the main window and is sent as `link:open` once its renderer has loaded.
 *
 * Must run before the app is ready: macOS delivers the link that launched the app through
 * `open-url` before `ready`, so the listener goes on at `will-finish-launching`. Links that
 * arrive before {@link DeepLinks.attach} are queued.
 */
export function setupDeepLinks(opts: DeepLinkOptions): DeepLinks {
  const log = opts.log.child({ module: 'deep-links' });
  const argv = opts.argv ?? process.argv;
  const defaultApp = opts.defaultApp ?? process.defaultApp === true;
  let showWindow: (() => BrowserWindow) | null = null;
  const pending: AppLink[] = [];

  const deliver = (link: AppLink) => {
    if (!showWindow) {
      pending.push(link);
      return;
    }
    log.info('opening link', { ...link });
    sendEventWhenLoaded(showWindow(), 'link:open', link, log);
  };
  const receive = (url: string, source: string) => {
    const link = parseLink(url);
    if (link) deliver(link);
    else log.debug('ignored a link that is not a Bullpen link', { source, url: url.slice(0, 200) });
  };
  const receiveArgv = (args: readonly string[], source: string) => {
    for (const arg of args) if (URL_LIKE.test(arg)) receive(arg, source);
  };

  // Run from source, the OS must start Electron with the app's path for the link to reach us.
  const registered = defaultApp
    ? argv.length >= 2 && app.setAsDefaultProtocolClient(LINK_SCHEME, opts.execPath ?? process.execPath, [resolve(argv[1]!)])
    : app.setAsDefaultProtocolClient(LINK_SCHEME);
  if (!registered) log.warn('could not register as the handler of bullpen:// links');

  receiveArgv(argv.slice(1), 'launch');
  app.on('will-finish-launching', () => {
    app.on('open-url', (event, url) => {
      event.preventDefault();
      receive(url, 'open-url');
    });
  });
  // A second launch (e.g. a clicked link on Windows or Linux) focuses this app instead, even
  // when its window is hidden in the tray; a login launch (`--hidden`) leaves it where it is.
  app.on('second-instance', (_event, secondArgv) => {
    if (!secondArgv.includes('--hidden')) showWindow?.();
    receiveArgv(secondArgv, 'second-instance');
  });

  return {
    attach(show) {
      showWindow = show;
      for (const link of pending.splice(0)) deliver(link);
    },
  };
}
