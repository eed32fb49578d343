import type { AppLink, BullpenBridge, PowerState, Result, Settings } from '../../../contract';
import { onWindowSignals } from './window-signals';
import { audioOnly, DEFAULT_CLIP_PREFS, DEFAULT_DEVICE_PREFS, type CallAudioMode, type DevicePrefs, type Platform, type SystemSignal } from './platform';

/** Unwraps a bridge reply, turning a failure into an exception with the main process's message. */
function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

function toPrefs(settings: Settings): DevicePrefs {
  return {
    micDeviceId: settings.micDeviceId,
    callAudioMode: settings.callAudioMode,
    callAudioDeviceId: settings.callAudioDeviceId,
  };
}

/** `powerMonitor`'s names, as the renderer's signals call them. */
function powerSignal(state: PowerState): SystemSignal {
  switch (state) {
    case 'suspend':
      return 'suspend';
    case 'resume':
      return 'resume';
    case 'lock-screen':
      return 'lock';
    case 'unlock-screen':
      return 'unlock';
  }
}

/**
 * The desktop shell: settings (server URL, devices) and the session token live in the main
 * process behind `window.bullpen`; call audio can be the whole system's output (loopback).
 */
export function createElectronPlatform(bridge: BullpenBridge): Platform {
  // The main process sends the launch link once the page has loaded, which can be before the
  // screens subscribe (the app boots first): hold links until someone listens.
  const heldLinks: AppLink[] = [];
  const linkListeners = new Set<(link: AppLink) => void>();
  bridge.events.onOpenLink((link) => {
    if (linkListeners.size === 0) heldLinks.push(link);
    for (const listener of linkListeners) listener(link);
  });
  return {
    kind: 'electron',
    async serverUrl() {
      return value(await bridge.settings.get()).serverUrl.replace(/\/+$/, '');
    },
    async setServerUrl(url) {
      const result = await bridge.settings.set({ serverUrl: url.trim() });
      return result.ok ? null : result.error.message;
    },
    async loadToken() {
      const result = await bridge.token.get();
      return result.ok ? result.value : null;
    },
    async saveToken(token) {
      value(await bridge.token.set(token));
    },
    async loadDevicePrefs() {
      const result = await bridge.settings.get();
      return result.ok ? toPrefs(result.value) : DEFAULT_DEVICE_PREFS;
    },
    async saveDevicePrefs(patch) {
      const { callAudioMode, ...rest } = patch;
      // The desktop app has no tab sharing; `tab` is a browser-only mode and never stored here.
      const mode = callAudioMode === 'tab' ? undefined : callAudioMode;
      value(await bridge.settings.set({ ...rest, ...(mode ? { callAudioMode: mode } : {}) }));
    },
    async callAudioModes() {
      const info = await bridge.app.info();
      const modes: CallAudioMode[] = info.ok && info.value.systemLoopback ? ['system'] : [];
      return modes;
    },
    async os() {
      const info = await bridge.app.info();
      return info.ok ? info.value.platform : 'other';
    },
    async captureDisplayAudio(mode) {
      if (mode !== 'system') throw new DOMException('Tab sharing is only available in the browser.', 'NotSupportedError');
      value(await bridge.capture.armLoopback());
      const stream = await navigator.mediaDevices.getDisplayMedia({ audio: true, video: true });
      return audioOnly(stream, 'The system did not share its audio. Check screen-recording permission for Bullpen.');
    },
    openExternal(url) {
      void bridge.shell.openExternal(url);
    },
    async describe() {
      const info = await bridge.app.info();
      return info.ok ? `Bullpen for desktop ${info.value.version}` : 'Bullpen for desktop';
    },
    async loadClipPrefs() {
      const result = await bridge.settings.get();
      if (!result.ok) return DEFAULT_CLIP_PREFS;
      const { preRollSec, postRollSec, clipHotkey } = result.value;
      return { preRollSec, postRollSec, hotkey: clipHotkey };
    },
    async saveClipPrefs(patch) {
      const { hotkey, ...rest } = patch;
      const result = await bridge.settings.set({ ...rest, ...(hotkey !== undefined ? { clipHotkey: hotkey } : {}) });
      return result.ok ? null : result.error.message;
    },
    globalClipHotkey: true,
    onClipHotkey: (listener) => bridge.events.onClipHotkey(listener),
    onClipHotkeyError: (listener) => bridge.events.onClipHotkeyError((e) => listener(e.message)),
    onOpenLink(listener) {
      linkListeners.add(listener);
      for (const link of heldLinks.splice(0)) listener(link);
      return () => linkListeners.delete(listener);
    },
    showNotification(notification) {
      void bridge.notifications.show(notification);
    },
    // The OS decides (Focus, Do not disturb); the app itself may always ask it to show one.
    notificationPermission: () => 'granted',
    requestNotificationPermission: () => Promise.resolve('granted'),
    onNotificationOpen: (listener) => bridge.events.onNotificationOpen(listener),
    onUpdateReady(listener) {
      let active = true;
      const unsubscribe = bridge.events.onUpdateReady((version) => {
        if (active) listener(version);
      });
      // The push may have come before this window loaded (or before a reload): ask too.
      void bridge.updates.status().then((result) => {
        if (active && result.ok && result.value.state === 'ready') listener(result.value.version);
      });
      return () => {
        active = false;
        unsubscribe();
      };
    },
    async installUpdate() {
      const result = await bridge.updates.install();
      return result.ok ? null : result.error.message;
    },
    reportActivity(activity) {
      void bridge.tray.reportActivity(activity);
    },
    onTrayCommand: (listener) => bridge.events.onTrayCommand(listener),
    async loadStartupPrefs() {
      const [settings, info] = await Promise.all([bridge.settings.get(), bridge.app.info()]);
      if (!settings.ok) return null;
      const { startAtLogin, keepRunningInTray } = settings.value;
      return { startAtLogin, keepRunningInTray, closeQuits: !info.ok || info.value.platform !== 'darwin' };
    },
    async saveStartupPrefs(patch) {
      const result = await bridge.settings.set(patch);
      return result.ok ? null : result.error.message;
    },
    onSystemSignal(listener) {
      const offPower = bridge.events.onPowerChange((state) => listener(powerSignal(state)));
      const offWindow = onWindowSignals(listener);
      return () => {
        offPower();
        offWindow();
      };
    },
  };
}
