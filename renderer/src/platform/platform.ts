/**
 * The one seam between the renderer and its shell. The same React app runs inside Electron
 * (desktop powers through the preload's `window.bullpen`) and in a plain browser served by
 * the Bullpen server; everything shell-specific sits behind this interface.
 */

import {
  DEFAULT_CLIP_HOTKEY,
  DEFAULT_POST_ROLL_SEC,
  DEFAULT_PRE_ROLL_SEC,
  type Activity,
  type AppLink,
  type DesktopNotification,
  type TrayCommand,
} from '../../../contract';

/** Whether this shell may show system notifications: asked (browser), allowed, refused, or not there at all. */
export type NotificationPermissionState = 'default' | 'granted' | 'denied' | 'unsupported';

/** Where the call's (customer's) audio comes from when going live. */
export type CallAudioMode = 'none' | 'device' | 'system' | 'tab';

/** The operating system the app runs on (the desktop app's `process.platform`; the browser's guess). */
export type HostOs = 'darwin' | 'win32' | 'linux' | 'other';

/** Audio sources a host chose; remembered between calls. */
export interface DevicePrefs {
  /** Microphone device id, or null for the system default. */
  micDeviceId: string | null;
  callAudioMode: CallAudioMode;
  /** Input device carrying the call audio when `callAudioMode` is `device`. */
  callAudioDeviceId: string | null;
}

export const DEFAULT_DEVICE_PREFS: DevicePrefs = { micDeviceId: null, callAudioMode: 'none', callAudioDeviceId: null };

/** How clips are made; per person (browser: this browser; desktop: the app's settings). */
export interface ClipPrefs {
  preRollSec: number;
  postRollSec: number;
  /** Desktop: the global shortcut (Electron accelerator). The browser uses Ctrl/Cmd+Shift+K in the window. */
  hotkey: string;
}

export const DEFAULT_CLIP_PREFS: ClipPrefs = {
  preRollSec: DEFAULT_PRE_ROLL_SEC,
  postRollSec: DEFAULT_POST_ROLL_SEC,
  hotkey: DEFAULT_CLIP_HOTKEY,
};

/**
 * What the shell noticed about the machine: sleep and wake (`suspend`/`resume`, desktop only),
 * the screen locking (`lock`/`unlock`, desktop only), the network going away and back
 * (`offline`/`online`) and the window being hidden or shown (`hidden`/`visible`).
 */
export type SystemSignal = 'suspend' | 'resume' | 'lock' | 'unlock' | 'offline' | 'online' | 'hidden' | 'visible';

export interface Platform {
  readonly kind: 'electron' | 'browser';
  /** Origin of the Bullpen server (no trailing slash). */
  serverUrl(): Promise<string>;
  /**
   * Changes the server URL (desktop only). Resolves with an error message when refused, or
   * null on success; the app reloads afterwards so the new server gets a fresh start.
   */
  setServerUrl(url: string): Promise<string | null>;
  loadToken(): Promise<string | null>;
  saveToken(token: string | null): Promise<void>;
  loadDevicePrefs(): Promise<DevicePrefs>;
  saveDevicePrefs(patch: Partial<DevicePrefs>): Promise<void>;
  /** The call-audio sources this shell can offer, besides input devices and none. */
  callAudioModes(): Promise<CallAudioMode[]>;
  /** The operating system, for hints such as which call-audio source to pick. */
  os(): Promise<HostOs>;
  /**
   * Captures the call audio for `mode` (`system` loopback or a shared `tab`); input devices
   * are captured by the media layer directly. Resolves with an audio-only stream.
   * Must run from a user gesture in browsers.
   */
  captureDisplayAudio(mode: 'system' | 'tab'): Promise<MediaStream>;
  /** Opens an http(s) link outside the app. */
  openExternal(url: string): void;
  /** Human label for the shell, e.g. "Bullpen for desktop 0.1.0". */
  describe(): Promise<string>;
  loadClipPrefs(): Promise<ClipPrefs>;
  /** Saves clip settings; resolves with an error message when refused (e.g. a shortcut taken), or null. */
  saveClipPrefs(patch: Partial<ClipPrefs>): Promise<string | null>;
  /** Whether the clip shortcut works while the app is in the background (desktop global shortcut). */
  readonly globalClipHotkey: boolean;
  /** The desktop global clip shortcut was pressed. Browser: never fires. Returns an unsubscribe. */
  onClipHotkey(listener: () => void): () => void;
  /** The global shortcut could not be registered (desktop). Returns an unsubscribe. */
  onClipHotkeyError(listener: (message: string) => void): () => void;
  /** The desktop app was opened with a `bullpen://` link. Browser: never fires. */
  onOpenLink(listener: (link: AppLink) => void): () => void;
  /**
   * Shows a system notification (desktop: main-process `Notification`; browser: the
   * Notification API when permitted). Clicking it fires `onNotificationOpen` with its route.
   */
  showNotification(notification: DesktopNotification): void;
  notificationPermission(): NotificationPermissionState;
  /** Browser: asks for permission (call from a click in Settings, never on load). Desktop: granted. */
  requestNotificationPermission(): Promise<NotificationPermissionState>;
  /** A system notification was clicked; `route` is its app route (`#/listen/<id>`). Returns an unsubscribe. */
  onNotificationOpen(listener: (route: string) => void): () => void;
  /**
   * A new version of the desktop app has downloaded: `listener` gets its version (at once when
   * one was ready before subscribing). Browser: never fires (the server serves the new app).
   * Returns an unsubscribe.
   */
  onUpdateReady(listener: (version: string) => void): () => void;
  /** Desktop: quits, installs the ready update and starts it again. Resolves with an error message, or null. */
  installUpdate(): Promise<string | null>;
  /** Desktop: tells the tray icon what the person is doing. Browser: there is no tray. */
  reportActivity(activity: Activity): void;
  /** A tray menu command (Go live, End call, Leave). Browser: never fires. Returns an unsubscribe. */
  onTrayCommand(listener: (command: TrayCommand) => void): () => void;
  /** How the desktop app starts and closes; null in the browser, which has neither. */
  loadStartupPrefs(): Promise<StartupPrefs | null>;
  /** Saves startup choices; resolves with an error message when refused (e.g. the OS said no), or null. */
  saveStartupPrefs(patch: Partial<Omit<StartupPrefs, 'closeQuits'>>): Promise<string | null>;
  /**
   * Sleep, lock, network and visibility changes (see {@link SystemSignal}). The browser has only
   * the window's `online`/`offline` and `visibilitychange`. Returns an unsubscribe.
   */
  onSystemSignal(listener: (signal: SystemSignal) => void): () => void;
}

/** Desktop: starting at login, and what closing the window does while no call runs. */
export interface StartupPrefs {
  /** Start Bullpen quietly in the tray when the person logs in. */
  startAtLogin: boolean;
  /** Closing the window while idle keeps Bullpen in the tray (Windows, Linux). */
  keepRunningInTray: boolean;
  /** Whether closing the idle window quits at all: false on macOS, where apps stay in the dock. */
  closeQuits: boolean;
}

/**
 * Keeps only the audio of a getDisplayMedia stream: Chromium requires video to be requested
 * to capture audio, but we never want the screen.
 */
export function audioOnly(stream: MediaStream, missingAudioMessage: string): MediaStream {
  for (const track of stream.getVideoTracks()) {
    track.stop();
    stream.removeTrack(track);
  }
  if (stream.getAudioTracks().length === 0) {
    throw new DOMException(missingAudioMessage, 'NotFoundError');
  }
  return stream;
}
