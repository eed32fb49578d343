import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { app } from 'electron';
import { BullpenError } from '../../contract';
import type { Logger } from './logger';
import type { SettingsStore } from './settings';

/** The flag a login launch carries on Windows and Linux: start in the tray, no window. */
export const HIDDEN_FLAG = '--hidden';

/** The XDG autostart entry's file name. */
export const AUTOSTART_FILE = 'bullpen.desktop';

/**
 * Whether this launch should start quietly in the tray: launched with `--hidden` (our login
 * item on Windows and Linux, or by hand), or, on macOS, opened as a login item (macOS 13 and
 * later ignore `openAsHidden`, so the app asks how it was opened).
 */
export function launchedHidden(argv: readonly string[], platform: NodeJS.Platform, openedAtLogin: () => boolean): boolean {
  if (argv.includes(HIDDEN_FLAG)) return true;
  return platform === 'darwin' && openedAtLogin();
}

/**
 * Quotes one argument of a desktop entry's `Exec` key (freedesktop.org Desktop Entry spec,
 * "The Exec key"): inside double quotes `"`, `` ` ``, `$` and `\` are backslash-escaped, `%` is
 * doubled, and then the string escape rule doubles every backslash again.
 */
export function quoteExecArg(arg: string): string {
  if (/[\n\r\0]/.test(arg)) throw new BullpenError('BAD_REQUEST', 'The app’s path contains a line break, which an autostart entry cannot hold');
  const quoted = `"${arg.replace(/[\\"`$]/g, (c) => `\\${c}`).replace(/%/g, '%%')}"`;
  return quoted.replace(/\\/g, '\\\\');
}

/** The autostart desktop entry that starts `exec` hidden at login. */
export function autostartEntry(exec: string): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Bullpen',
    'Comment=Live call shadowing for sales teams',
    `Exec=${quoteExecArg(exec)} ${HIDDEN_FLAG}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/** `$XDG_CONFIG_HOME/autostart`, or `~/.config/autostart` when it is unset or not absolute. */
export function autostartDir(env: NodeJS.ProcessEnv, home: string = homedir()): string {
  const config = env.XDG_CONFIG_HOME;
  return join(config && config.startsWith('/') ? config : join(home, '.config'), 'autostart');
}

export interface LoginItemOptions {
  log: Logger;
  platform?: NodeJS.Platform;
  /** Linux: the autostart directory ({@link autostartDir} in the app). */
  autostartDir?: string;
  /**
   * Linux: what the entry starts. An AppImage runs from a temporary mount, so the entry starts
   * the AppImage file itself (`$APPIMAGE`); otherwise the executable.
   */
  executable?: string;
}

/** Starting Bullpen at login, per platform. */
export class LoginItem {
  readonly #log: Logger;
  readonly #platform: NodeJS.Platform;
  readonly #autostartDir: string;
  readonly #executable: string;

  constructor(opts: LoginItemOptions) {
    this.#log = opts.log.child({ module: 'login-item' });
    this.#platform = opts.platform ?? process.platform;
    this.#autostartDir = opts.autostartDir ?? autostartDir(process.env);
    this.#executable = opts.executable ?? (process.env.APPIMAGE || process.execPath);
  }

  /** Path of the Linux autostart entry. */
  get autostartFile(): string {
    return join(this.#autostartDir, AUTOSTART_FILE);
  }

  /**
   * Turns starting at login on or off with the OS. Throws a BullpenError the person can act on
   * when the OS refuses or this system has no login items.
   */
  set(enabled: boolean): void {
    switch (this.#platform) {
      case 'darwin':
        // openAsHidden only works before macOS 13; later, launchedHidden() asks how we were opened.
        app.setLoginItemSettings({ openAtLogin: enabled, openAsHidden: true });
        break;
      case 'win32':
        // The same args on and off: Windows keys the Run entry by the command it starts.
        app.setLoginItemSettings({ openAtLogin: enabled, path: process.execPath, args: [HIDDEN_FLAG] });
        break;
      case 'linux':
        this.#setAutostart(enabled);
        break;
      default:
        throw new BullpenError('UNAVAILABLE', 'Starting at login is not available on this system');
    }
    this.#log.info('start at login changed', { enabled });
  }

  /** Writes (temp file, then rename: never a half-written entry) or removes the autostart entry. */
  #setAutostart(enabled: boolean): void {
    const file = this.autostartFile;
    try {
      if (!enabled) {
        rmSync(file, { force: true });
        return;
      }
      const entry = autostartEntry(this.#executable);
      mkdirSync(this.#autostartDir, { recursive: true });
      const temp = `${file}.${process.pid}.tmp`;
      try {
        writeFileSync(temp, entry, { mode: 0o644 });
        renameSync(temp, file);
      } finally {
        rmSync(temp, { force: true });
      }
    } catch (error) {
      if (error instanceof BullpenError) throw error;
      this.#log.error('could not change the autostart entry', { file, error });
      throw new BullpenError('UNAVAILABLE', `Could not ${enabled ? 'write' : 'remove'} ${file}: check that folder’s permissions`);
    }
  }
}

/**
 * Start at login. When the setting is on, the login item is written again at every start, so
 * it follows the app when an update or a move changes its path.
 */
export function setupLoginItem(opts: LoginItemOptions & { settings: Pick<SettingsStore, 'get'> }): LoginItem {
  const loginItem = new LoginItem(opts);
  if (opts.settings.get().startAtLogin) {
    try {
      loginItem.set(true);
    } catch (error) {
      opts.log.warn('could not renew the login item', { error });
    }
  }
  return loginItem;
}
