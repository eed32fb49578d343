import { z } from 'zod';
import { DEFAULT_POST_ROLL_SEC, DEFAULT_PRE_ROLL_SEC, PostRollSec, PreRollSec } from './clips';
import type { Result } from './result';
import { Id } from './team';

/**
 * A keyboard shortcut as an Electron accelerator (`CommandOrControl+Shift+K`): modifiers and
 * one key joined by `+`, with at least one modifier so a global shortcut cannot eat a letter.
 */
export const ClipHotkey = z
  .string()
  .trim()
  .max(64)
  .regex(
    /^((CommandOrControl|CmdOrCtrl|Command|Cmd|Control|Ctrl|Alt|Option|AltGr|Shift|Super|Meta)\+)+([A-Z0-9]|F([1-9]|1[0-9]|2[0-4])|Space|Plus|Insert|Home|End|PageUp|PageDown)$/,
    'must be a modifier (Ctrl, Alt, Shift, Command) plus one key, e.g. CommandOrControl+Shift+K',
  );
export const DEFAULT_CLIP_HOTKEY = 'CommandOrControl+Shift+K';

/** Desktop settings kept by electron-store in the main process. */
export const SettingsSchema = z.object({
  /** Origin of the Bullpen server, e.g. `https://bullpen.example.com`. */
  serverUrl: z
    .string()
    .trim()
    .max(2000)
    .refine((s) => {
      try {
        const u = new URL(s);
        return (u.protocol === 'http:' || u.protocol === 'https:') && u.username === '' && u.password === '';
      } catch {
        return false;
      }
    }, 'must be an http(s) URL'),
  micDeviceId: z.string().max(500).nullable(),
  /** An input device carrying the call's audio (Linux monitor source), or null. */
  callAudioDeviceId: z.string().max(500).nullable(),
  /** `system` = loopback of the whole system output (Windows/macOS), `device` or `none`. */
  callAudioMode: z.enum(['system', 'device', 'none']),
  /** Global shortcut that marks a clip, as an Electron accelerator. */
  clipHotkey: ClipHotkey,
  /** Seconds before / after the moment a clip is marked. */
  preRollSec: PreRollSec,
  postRollSec: PostRollSec,
  /** Windows/Linux: closing the window while idle keeps Bullpen in the tray instead of quitting. */
  keepRunningInTray: z.boolean(),
  /** Start Bullpen quietly (in the tray, no window) when the person logs in to the computer. */
  startAtLogin: z.boolean(),
  /** Whether the one-time "Bullpen keeps running in the tray" notice was shown. */
  trayNoticeShown: z.boolean(),
});
export type Settings = z.infer<typeof SettingsSchema>;
export const SettingsPatch = SettingsSchema.partial();
export type SettingsPatch = z.infer<typeof SettingsPatch>;

export const DEFAULT_SETTINGS: Settings = {
  serverUrl: 'http://localhost:4280',
  micDeviceId: null,
  callAudioDeviceId: null,
  callAudioMode: 'none',
  clipHotkey: DEFAULT_CLIP_HOTKEY,
  preRollSec: DEFAULT_PRE_ROLL_SEC,
  postRollSec: DEFAULT_POST_ROLL_SEC,
  keepRunningInTray: false,
  startAtLogin: false,
  trayNoticeShown: false,
};

/**
 * The desktop app's id: macOS bundle id, Windows AppUserModelID (notifications, taskbar) and
 * the installers' identity (electron-builder.config.ts). Changing it makes a different app:
 * installed copies would no longer update.
 */
export const DESKTOP_APP_ID = 'app.bullpen.desktop';

export const AppInfo = z.object({
  platform: z.enum(['darwin', 'win32', 'linux', 'other']),
  version: z.string(),
  /** Whether whole-system loopback capture is available (Windows/macOS). */
  systemLoopback: z.boolean(),
});
export type AppInfo = z.infer<typeof AppInfo>;

/**
 * A route inside the app (`#/listen/<id>`, `#/clips/<id>`, `#/questions`): what clicking a
 * desktop notification opens. Only a hash route of plain segments, never a URL.
 */
export const AppRoute = z.string().max(300).regex(/^#\/[a-z-]*(\/[A-Za-z0-9_-]+)*$/, 'must be an app route like #/clips/<id>');

/** A desktop notification for one notification of the centre (shown once per id). */
export const DesktopNotification = z.object({
  id: Id,
  title: z.string().trim().min(1).max(200),
  body: z.string().max(500),
  route: AppRoute,
});
export type DesktopNotification = z.infer<typeof DesktopNotification>;

/**
 * The desktop app's self-update (electron-updater; electron/main/auto-update.ts) as the
 * renderer sees it: `off` with the reason (a build without an update feed, a run from
 * source), `idle` (checking now and then) or `ready` (downloaded: installs on quit, or at
 * once when the person restarts from the banner).
 */
export const UpdateStatus = z.discriminatedUnion('state', [
  z.object({ state: z.literal('off'), reason: z.string().max(300) }),
  z.object({ state: z.literal('idle') }),
  z.object({ state: z.literal('ready'), version: z.string().min(1).max(100) }),
]);
export type UpdateStatus = z.infer<typeof UpdateStatus>;

/**
 * What the person is doing, as the tray shows it: signed out, idle (signed in, no call),
 * hosting a call (`live`, or `recording` when the call is recorded) or listening to one.
 */
export const ActivityState = z.enum(['signed-out', 'idle', 'live', 'recording', 'listening']);
export type ActivityState = z.infer<typeof ActivityState>;

/** The renderer's activity report (`app:activity`); `callTitle` names the call in the tray's tooltip. */
export const Activity = z.strictObject({
  state: ActivityState,
  callTitle: z.string().trim().min(1).max(200).optional(),
});
export type Activity = z.infer<typeof Activity>;

/** Whether `state` is a call in progress (hosting or listening), which closing the window must not end. */
export function inCall(state: ActivityState): boolean {
  return state === 'live' || state === 'recording' || state === 'listening';
}

/** Tray menu commands the renderer carries out (Open and Quit are the main process's own). */
export const TrayCommand = z.enum(['go-live', 'end-call', 'leave']);
export type TrayCommand = z.infer<typeof TrayCommand>;

/** IPC channels: name, payload schema and reply schema (`invoke`/`handle`). */
export const ipcChannels = {
  'settings:get': { payload: z.undefined(), reply: SettingsSchema },
  'settings:set': { payload: SettingsPatch, reply: SettingsSchema },
  'token:get': { payload: z.undefined(), reply: z.string().nullable() },
  'token:set': { payload: z.object({ token: z.string().min(1).max(200).nullable() }), reply: z.null() },
  'app:info': { payload: z.undefined(), reply: AppInfo },
  /** Arms the next getDisplayMedia() call to return system loopback audio. */
  'capture:arm-loopback': { payload: z.undefined(), reply: z.null() },
  'shell:open-external': { payload: z.object({ url: z.string().max(2000) }), reply: z.null() },
  /** Shows a main-process `Notification`; clicking it focuses the window and opens its route. */
  'notification:show': { payload: DesktopNotification, reply: z.null() },
  /** Whether an update is ready (asked on load: the push below may have come before). */
  'update:status': { payload: z.undefined(), reply: UpdateStatus },
  /** Quits, installs the downloaded update and starts the new version; CONFLICT when none is ready. */
  'update:install': { payload: z.undefined(), reply: z.null() },
  /** The renderer's activity (idle, hosting, listening…), shown by the tray icon and menu. */
  'app:activity': { payload: Activity, reply: z.null() },
} as const;
export type IpcChannel = keyof typeof ipcChannels;

/** A `bullpen://` link the desktop app was opened with. */
export const AppLink = z.object({ kind: z.literal('clip'), id: Id });
export type AppLink = z.infer<typeof AppLink>;

/** Main → renderer pushes (`webContents.send`), each with its payload schema. */
export const ipcEvents = {
  /** The global clip shortcut was pressed (the app may be in the background). */
  'clip:hotkey': z.object({}),
  /** The app was opened with a `bullpen://` link. */
  'link:open': AppLink,
  /** The global clip shortcut could not be registered (taken by another app). */
  'clip:hotkey-error': z.object({ hotkey: z.string(), message: z.string() }),
  /** A desktop notification was clicked: the renderer opens its route. */
  'notification:open': z.object({ route: AppRoute }),
  /** An update was downloaded: the renderer offers "Update ready — restart". */
  'update:ready': z.object({ version: z.string().min(1).max(100) }),
  /** A tray menu item was chosen: the renderer acts as if its own button was clicked. */
  'tray:command': z.object({ command: TrayCommand }),
  /** The OS slept, woke, locked or unlocked the screen (`powerMonitor`); the renderer reconnects on wake. */
  'power:changed': z.object({ state: z.enum(['suspend', 'resume', 'lock-screen', 'unlock-screen']) }),
} as const;
export type IpcEventName = keyof typeof ipcEvents;
export type IpcEventPayload<E extends IpcEventName> = z.infer<(typeof ipcEvents)[E]>;
/** What `powerMonitor` reported: the machine suspended or resumed, the screen locked or unlocked. */
export type PowerState = IpcEventPayload<'power:changed'>['state'];

/**
 * Parses `bullpen://clip/<id>` (scheme and `clip` in any case, an optional trailing slash);
 * null for anything else. Matched on the raw text: URL parsing would resolve `..` segments.
 */
export function parseAppLink(url: string): AppLink | null {
  const match = /^bullpen:\/\/clip\/([A-Za-z0-9_-]{1,64})\/?$/i.exec(url.trim());
  return match ? { kind: 'clip', id: match[1]! } : null;
}
export type IpcPayload<C extends IpcChannel> = z.infer<(typeof ipcChannels)[C]['payload']>;
export type IpcReply<C extends IpcChannel> = z.infer<(typeof ipcChannels)[C]['reply']>;

/** The object the preload script exposes as `window.bullpen`. */
export interface BullpenBridge {
  settings: {
    get(): Promise<Result<Settings>>;
    set(patch: SettingsPatch): Promise<Result<Settings>>;
  };
  token: {
    get(): Promise<Result<string | null>>;
    set(token: string | null): Promise<Result<null>>;
  };
  app: { info(): Promise<Result<AppInfo>> };
  capture: { armLoopback(): Promise<Result<null>> };
  shell: { openExternal(url: string): Promise<Result<null>> };
  notifications: { show(notification: DesktopNotification): Promise<Result<null>> };
  updates: { status(): Promise<Result<UpdateStatus>>; install(): Promise<Result<null>> };
  /** The tray: the renderer reports what the person is doing; the menu's commands come back as events. */
  tray: { reportActivity(activity: Activity): Promise<Result<null>> };
  /** Subscriptions to main-process pushes; each returns its unsubscribe function. */
  events: {
    onClipHotkey(listener: () => void): () => void;
    onClipHotkeyError(listener: (error: IpcEventPayload<'clip:hotkey-error'>) => void): () => void;
    onOpenLink(listener: (link: AppLink) => void): () => void;
    onNotificationOpen(listener: (route: string) => void): () => void;
    onUpdateReady(listener: (version: string) => void): () => void;
    onTrayCommand(listener: (command: TrayCommand) => void): () => void;
    onPowerChange(listener: (state: PowerState) => void): () => void;
  };
}
