/**
 * How keyboard shortcuts read to a person, shared by the desktop main process (messages about
 * the global shortcut) and the renderer (hints, settings), so both name keys the same way.
 * Pure: the caller says which OS it runs on.
 */

/** The desktop OS families whose key names differ. */
export type KeyboardOs = 'mac' | 'windows' | 'linux';

/** Maps a Node `process.platform` or a browser platform string to the family whose key names apply. */
export function keyboardOsOf(platform: string): KeyboardOs {
  const p = platform.toLowerCase();
  if (p === 'darwin' || p.startsWith('mac') || p === 'iphone' || p === 'ipad' || p === 'ios') return 'mac';
  if (p === 'win32' || p.startsWith('win')) return 'windows';
  return 'linux';
}

/**
 * An Electron accelerator as a person reads it: `CommandOrControl+Shift+K` is `Ctrl+Shift+K` on
 * Windows and Linux and `Cmd+Shift+K` on macOS; `Alt` is `Option` on a Mac, `Super` is `Win` on
 * Windows. Unknown parts (keys) are kept as written.
 */
export function describeAccelerator(accelerator: string, os: KeyboardOs): string {
  const mac = os === 'mac';
  const superKey = mac ? 'Cmd' : os === 'windows' ? 'Win' : 'Super';
  const names: Record<string, string> = {
    CommandOrControl: mac ? 'Cmd' : 'Ctrl',
    CmdOrCtrl: mac ? 'Cmd' : 'Ctrl',
    Command: 'Cmd',
    Cmd: 'Cmd',
    Control: 'Ctrl',
    Ctrl: 'Ctrl',
    Alt: mac ? 'Option' : 'Alt',
    Option: mac ? 'Option' : 'Alt',
    Super: superKey,
    Meta: superKey,
  };
  return accelerator
    .split('+')
    .map((part) => names[part] ?? part)
    .join('+');
}

/** The accelerator of the in-window clip shortcut (always Ctrl/Cmd+Shift+K). */
export const WINDOW_CLIP_ACCELERATOR = 'CommandOrControl+Shift+K';

/**
 * The in-window clip shortcut as shown (`label`) and as `aria-keyshortcuts` spells it
 * (`aria`, which uses DOM key names: `Meta` for Cmd, `Control` for Ctrl).
 */
export function windowClipShortcut(os: KeyboardOs): { label: string; aria: string } {
  return {
    label: describeAccelerator(WINDOW_CLIP_ACCELERATOR, os),
    aria: os === 'mac' ? 'Meta+Shift+K' : 'Control+Shift+K',
  };
}
