import { z } from 'zod';
import type { Result } from './result';

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
});
export type Settings = z.infer<typeof SettingsSchema>;
export const SettingsPatch = SettingsSchema.partial();
export type SettingsPatch = z.infer<typeof SettingsPatch>;

export const DEFAULT_SETTINGS: Settings = {
  serverUrl: 'http://localhost:4280',
  micDeviceId: null,
  callAudioDeviceId: null,
  callAudioMode: 'none',
};

export const AppInfo = z.object({
  platform: z.enum(['darwin', 'win32', 'linux', 'other']),
  version: z.string(),
  /** Whether whole-system loopback capture is available (Windows/macOS). */
  systemLoopback: z.boolean(),
});
export type AppInfo = z.infer<typeof AppInfo>;

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
} as const;
export type IpcChannel = keyof typeof ipcChannels;
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
}
