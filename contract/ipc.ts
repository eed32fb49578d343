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
};

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
  /** Subscriptions to main-process pushes; each returns its unsubscribe function. */
  events: {
    onClipHotkey(listener: () => void): () => void;
    onClipHotkeyError(listener: (error: IpcEventPayload<'clip:hotkey-error'>) => void): () => void;
    onOpenLink(listener: (link: AppLink) => void): () => void;
    onNotificationOpen(listener: (route: string) => void): () => void;
    onPowerChange(listener: (state: PowerState) => void): () => void;
  };
}
