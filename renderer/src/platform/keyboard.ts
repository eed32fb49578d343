import { describeAccelerator, keyboardOsOf, windowClipShortcut, type KeyboardOs } from '../../../contract';

/**
 * The keyboard family from a browser's user agent (and `navigator.platform` when given):
 * Apple devices name keys the Mac way, Windows has its own names for Super.
 */
export function keyboardOsFromBrowser(userAgent: string, platform = ''): KeyboardOs {
  if (/Mac|iPhone|iPad/.test(userAgent) || /^(Mac|iPhone|iPad)/.test(platform)) return 'mac';
  if (/Windows/.test(userAgent) || /^Win/.test(platform)) return 'windows';
  return keyboardOsOf(platform);
}

/** The keyboard family of the machine this page runs on. */
export function keyboardOs(): KeyboardOs {
  return keyboardOsFromBrowser(navigator.userAgent, navigator.platform);
}

/** An Electron accelerator as a person reads it here (`CommandOrControl+Shift+K` → `Ctrl+Shift+K`). */
export function hotkeyLabel(accelerator: string): string {
  return describeAccelerator(accelerator, keyboardOs());
}

/** The in-window clip shortcut as shown, and as `aria-keyshortcuts` spells it. */
export function windowShortcut(): { label: string; aria: string } {
  return windowClipShortcut(keyboardOs());
}
