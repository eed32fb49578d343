import { z } from 'zod';
import { PostRollSec, PreRollSec } from '../../../contract';
import { osFromNavigator } from './host-os';
import { onWindowSignals } from './window-signals';
import { audioOnly, DEFAULT_CLIP_PREFS, DEFAULT_DEVICE_PREFS, type CallAudioMode, type ClipPrefs, type DevicePrefs, type Platform } from './platform';

const TOKEN_KEY = 'bullpen.token';
const PREFS_KEY = 'bullpen.devices';
const CLIP_PREFS_KEY = 'bullpen.clips';

/** Each field on its own: one bad value (an older version, a hand edit) keeps the other. */
const StoredClipPrefs = z.object({ preRollSec: PreRollSec.catch(DEFAULT_CLIP_PREFS.preRollSec), postRollSec: PostRollSec.catch(DEFAULT_CLIP_PREFS.postRollSec) });
const noop = () => () => {};

const StoredPrefs = z.object({
  micDeviceId: z.string().max(500).nullable(),
  callAudioMode: z.enum(['none', 'device', 'tab']),
  callAudioDeviceId: z.string().max(500).nullable(),
});

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null; // storage disabled (private mode, policy): behave as a fresh browser
  }
}

function write(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // Storage unavailable: the session simply does not survive a reload.
  }
}

/**
 * The plain-browser shell: the server is the page's own origin, the session token lives in
 * localStorage, and call audio comes from a second input device or a shared tab.
 */
export function createBrowserPlatform(): Platform {
  const openListeners = new Set<(route: string) => void>();
  return {
    kind: 'browser',
    serverUrl: () => Promise.resolve(location.origin),
    setServerUrl: () => Promise.resolve('The browser app always talks to the server it was opened from.'),
    loadToken: () => Promise.resolve(read(TOKEN_KEY)),
    saveToken(token) {
      write(TOKEN_KEY, token);
      return Promise.resolve();
    },
    loadDevicePrefs() {
      const raw = read(PREFS_KEY);
      if (!raw) return Promise.resolve(DEFAULT_DEVICE_PREFS);
      try {
        const parsed = StoredPrefs.safeParse(JSON.parse(raw));
        return Promise.resolve(parsed.success ? parsed.data : DEFAULT_DEVICE_PREFS);
      } catch {
        return Promise.resolve(DEFAULT_DEVICE_PREFS);
      }
    },
    async saveDevicePrefs(patch) {
      const next: DevicePrefs = { ...(await this.loadDevicePrefs()), ...patch };
      write(PREFS_KEY, JSON.stringify(next));
    },
    callAudioModes() {
      const modes: CallAudioMode[] = typeof navigator.mediaDevices?.getDisplayMedia === 'function' ? ['tab'] : [];
      return Promise.resolve(modes);
    },
    os: () => Promise.resolve(osFromNavigator(navigator as Navigator & { userAgentData?: { platform?: string } })),
    async captureDisplayAudio(mode) {
      if (mode !== 'tab') throw new DOMException('System audio capture needs the desktop app.', 'NotSupportedError');
      const stream = await navigator.mediaDevices.getDisplayMedia({
        video: true,
        audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false },
      });
      return audioOnly(stream, 'The tab you picked shares no audio. Pick the tab of your call and tick “Share tab audio”.');
    },
    openExternal(url) {
      window.open(url, '_blank', 'noopener,noreferrer');
    },
    describe: () => Promise.resolve('Bullpen in the browser'),
    loadClipPrefs() {
      const raw = read(CLIP_PREFS_KEY);
      let stored: Partial<ClipPrefs> = {};
      try {
        const parsed = raw ? StoredClipPrefs.safeParse(JSON.parse(raw)) : undefined;
        if (parsed?.success) stored = parsed.data;
      } catch {
        // Unreadable: defaults.
      }
      // The browser has no global shortcut: the hotkey is always Ctrl/Cmd+Shift+K in the window.
      return Promise.resolve({ ...DEFAULT_CLIP_PREFS, ...stored });
    },
    async saveClipPrefs(patch) {
      const current = await this.loadClipPrefs();
      const preRollSec = patch.preRollSec ?? current.preRollSec;
      const postRollSec = patch.postRollSec ?? current.postRollSec;
      if (!PreRollSec.safeParse(preRollSec).success) return 'Pre-roll must be a whole number of seconds from 0 to 120.';
      if (!PostRollSec.safeParse(postRollSec).success) return 'Post-roll must be a whole number of seconds from 0 to 60.';
      write(CLIP_PREFS_KEY, JSON.stringify({ preRollSec, postRollSec }));
      return null;
    },
    globalClipHotkey: false,
    onClipHotkey: noop,
    onClipHotkeyError: noop,
    onOpenLink: noop,
    showNotification(notification) {
      if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
      // `tag` makes the browser replace rather than stack a notification shown again.
      const shown = new Notification(notification.title, { body: notification.body, tag: notification.id });
      shown.onclick = () => {
        window.focus();
        for (const listener of openListeners) listener(notification.route);
        shown.close();
      };
    },
    notificationPermission: () => (typeof Notification === 'undefined' ? 'unsupported' : Notification.permission),
    async requestNotificationPermission() {
      if (typeof Notification === 'undefined') return 'unsupported';
      return await Notification.requestPermission();
    },
    onNotificationOpen(listener) {
      openListeners.add(listener);
      return () => openListeners.delete(listener);
    },
    // The browser app is always the server's current one: a reload is its update.
    onUpdateReady: noop,
    installUpdate: () => Promise.resolve('Updates come with the desktop app; reload the page for the newest Bullpen.'),
    // A browser tab has no tray, login item or close-to-tray: nothing to report or offer.
    reportActivity: () => {},
    onTrayCommand: noop,
    loadStartupPrefs: () => Promise.resolve(null),
    saveStartupPrefs: () => Promise.resolve('Starting at login needs the desktop app.'),
    // No sleep or lock events reach a web page: a wake-up shows as `online` or `visible`.
    onSystemSignal: (listener) => onWindowSignals(listener),
  };
}
