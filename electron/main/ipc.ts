import { BrowserWindow, ipcMain, type IpcMainInvokeEvent } from 'electron';
import {
  BullpenError,
  fail,
  ipcChannels,
  ok,
  parse,
  type Activity,
  type AppInfo,
  type DesktopNotification,
  type IpcChannel,
  type IpcPayload,
  type IpcReply,
  type Result,
  type Settings,
  type SettingsPatch,
  type UpdateStatus,
} from '../../contract';
import { isAppUrl } from './app-protocol';
import type { LoopbackCapture } from './capture';
import type { Logger } from './logger';
import type { SettingsStore } from './settings';
import type { TokenStore } from './token-store';

/**
 * An IPC handler: receives the payload already parsed by the channel's schema, returns the
 * reply value, and throws a BullpenError for an expected failure (its code goes back to the
 * renderer). Any other exception is a bug: it is logged once and replied as INTERNAL.
 */
export type IpcHandler<C extends IpcChannel> = (
  payload: IpcPayload<C>,
  event: IpcMainInvokeEvent,
) => IpcReply<C> | Promise<IpcReply<C>>;

/**
 * Whether an IPC message comes from one of our windows showing our own renderer: the sender
 * must belong to a BrowserWindow and the sending frame must be on the `bullpen-app://app`
 * origin (not a page the window was somehow navigated to, nor a devtools or foreign frame).
 */
export function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  const window = BrowserWindow.fromWebContents(event.sender);
  if (!window || window.isDestroyed()) return false;
  const frame = event.senderFrame;
  return frame !== null && isAppUrl(frame.url);
}

/**
 * Registers `fn` for `channel` with `ipcMain.handle`. Messages from untrusted senders are
 * dropped (the handler never runs; they get FORBIDDEN); payloads are parsed with the
 * contract's schema (a bad one gets BAD_REQUEST and the handler never runs); the reply is
 * checked against the contract too and always sent as a `Result`.
 */
export function handle<C extends IpcChannel>(channel: C, fn: IpcHandler<C>, log: Logger): void {
  const spec = ipcChannels[channel];
  ipcMain.handle(channel, async (event, payload: unknown): Promise<Result<IpcReply<C>>> => {
    if (!isTrustedSender(event)) {
      log.warn('dropped IPC message from an untrusted sender', { channel, url: event.senderFrame?.url?.slice(0, 200) ?? null });
      return fail('FORBIDDEN', 'This page may not use the Bullpen desktop bridge');
    }
    const parsed = parse(spec.payload, payload);
    if (!parsed.ok) return fail(parsed.error.code, parsed.error.message);
    let value: IpcReply<C>;
    try {
      value = await fn(parsed.value as IpcPayload<C>, event);
    } catch (error) {
      if (error instanceof BullpenError) return fail(error.code, error.message);
      log.error('IPC handler failed', { channel, error });
      return fail('INTERNAL', 'Something went wrong in the Bullpen app');
    }
    const reply = spec.reply.safeParse(value);
    if (!reply.success) {
      log.error('IPC handler returned a reply that breaks the contract', { channel, issues: reply.error.issues.slice(0, 3) });
      return fail('INTERNAL', 'Something went wrong in the Bullpen app');
    }
    return ok(reply.data as IpcReply<C>);
  });
}

export interface IpcHandlerDeps {
  log: Logger;
  settings: SettingsStore;
  tokens: TokenStore;
  capture: Pick<LoopbackCapture, 'arm'>;
  appInfo: () => AppInfo;
  /** Opens a sanitized link; resolves false when the link was refused. */
  openExternal: (url: string) => Promise<boolean>;
  /** Desktop notifications (see desktop-notifications.ts). */
  notifications?: { show(notification: DesktopNotification): void };
  /** The global clip shortcut, moved before a new `clipHotkey` is saved (see clip-hotkey.ts). */
  clipHotkey?: { update(hotkey: string): string | null };
  /** Self-update (see auto-update.ts); without it updates read as off. */
  updates?: { status(): UpdateStatus; install(): void };
  /** Start at login, changed with the OS before `startAtLogin` is saved (see login-item.ts). */
  loginItem?: { set(enabled: boolean): void };
  /** Takes the renderer's activity reports for the tray (see activity.ts). */
  activity?: { set(activity: Activity): void };
}

/**
 * Saves a settings patch, first changing the OS login item when `startAtLogin` changes: if the
 * OS refuses, its BullpenError is the reply and nothing is saved; if saving fails after it
 * changed, the login item goes back.
 */
function setSettingsWithLoginItem(deps: Pick<IpcHandlerDeps, 'settings' | 'clipHotkey' | 'loginItem'>, patch: SettingsPatch): Settings {
  const stored = deps.settings.get().startAtLogin;
  const wanted = patch.startAtLogin;
  if (wanted === undefined || wanted === stored || !deps.loginItem) return setSettings(deps, patch);
  deps.loginItem.set(wanted);
  try {
    return setSettings(deps, patch);
  } catch (error) {
    try {
      deps.loginItem.set(stored);
    } catch {
      // The save's failure is the one to report; the login item's own is already logged.
    }
    throw error;
  }
}

/**
 * Saves a settings patch. A new `clipHotkey` is registered with the OS first: if that fails
 * (another app holds it) the patch is refused as BAD_REQUEST and nothing is saved, and if
 * saving fails after it moved, the shortcut goes back to the stored one.
 */
function setSettings(deps: Pick<IpcHandlerDeps, 'settings' | 'clipHotkey'>, patch: SettingsPatch): Settings {
  const stored = deps.settings.get().clipHotkey;
  const hotkey = patch.clipHotkey;
  if (hotkey === undefined || hotkey === stored || !deps.clipHotkey) return deps.settings.set(patch);
  const failure = deps.clipHotkey.update(hotkey);
  if (failure !== null) throw new BullpenError('BAD_REQUEST', failure);
  try {
    return deps.settings.set(patch);
  } catch (error) {
    deps.clipHotkey.update(stored);
    throw error;
  }
}

/** Registers a handler for every channel of the IPC contract. */
export function setupIpcHandlers(deps: IpcHandlerDeps): void {
  const log = deps.log.child({ module: 'ipc' });
  handle('settings:get', () => deps.settings.get(), log);
  handle('settings:set', (patch) => setSettingsWithLoginItem(deps, patch), log);
  handle('token:get', () => deps.tokens.get(), log);
  handle(
    'token:set',
    ({ token }) => {
      deps.tokens.set(token);
      return null;
    },
    log,
  );
  handle('app:info', () => deps.appInfo(), log);
  handle(
    'capture:arm-loopback',
    (_payload, event) => {
      deps.capture.arm(event.sender);
      return null;
    },
    log,
  );
  handle(
    'notification:show',
    (notification) => {
      if (!deps.notifications) throw new BullpenError('UNAVAILABLE', 'Desktop notifications are not available');
      deps.notifications.show(notification);
      return null;
    },
    log,
  );
  handle(
    'app:activity',
    (activity) => {
      if (!deps.activity) throw new BullpenError('UNAVAILABLE', 'The tray is not available');
      deps.activity.set(activity);
      return null;
    },
    log,
  );
  handle(
    'shell:open-external',
    async ({ url }) => {
      if (!(await deps.openExternal(url))) throw new BullpenError('BAD_REQUEST', 'Only http, https and mailto links can be opened');
      return null;
    },
    log,
  );
  handle('update:status', () => deps.updates?.status() ?? { state: 'off', reason: 'Updates are not set up in this app.' }, log);
  handle(
    'update:install',
    () => {
      if (!deps.updates) throw new BullpenError('CONFLICT', 'No update is ready to install.');
      deps.updates.install();
      return null;
    },
    log,
  );
}
