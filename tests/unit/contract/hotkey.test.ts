import { describe, expect, it } from 'vitest';
import { ClipHotkey, DEFAULT_CLIP_HOTKEY, describeAccelerator, keyboardOsOf, windowClipShortcut } from '../../../contract';

describe('describeAccelerator', () => {
  it('names the default shortcut the way each OS does', () => {
    expect(describeAccelerator(DEFAULT_CLIP_HOTKEY, 'linux')).toBe('Ctrl+Shift+K');
    expect(describeAccelerator(DEFAULT_CLIP_HOTKEY, 'windows')).toBe('Ctrl+Shift+K');
    expect(describeAccelerator(DEFAULT_CLIP_HOTKEY, 'mac')).toBe('Cmd+Shift+K');
  });

  it('names Alt, Super and Meta per OS', () => {
    expect(describeAccelerator('Alt+Super+F5', 'mac')).toBe('Option+Cmd+F5');
    expect(describeAccelerator('Alt+Super+F5', 'windows')).toBe('Alt+Win+F5');
    expect(describeAccelerator('Alt+Meta+F5', 'linux')).toBe('Alt+Super+F5');
    expect(describeAccelerator('Option+Shift+C', 'windows')).toBe('Alt+Shift+C');
    expect(describeAccelerator('Option+Shift+C', 'mac')).toBe('Option+Shift+C');
  });

  it('labels every modifier the contract accepts, and keeps keys as written', () => {
    for (const modifier of ['CommandOrControl', 'CmdOrCtrl', 'Command', 'Cmd', 'Control', 'Ctrl', 'Alt', 'Option', 'AltGr', 'Shift', 'Super', 'Meta']) {
      const accelerator = `${modifier}+PageUp`;
      expect(ClipHotkey.safeParse(accelerator).success).toBe(true);
      for (const os of ['mac', 'windows', 'linux'] as const) {
        const label = describeAccelerator(accelerator, os);
        expect(label.endsWith('+PageUp')).toBe(true);
        expect(label).not.toMatch(/CommandOrControl|CmdOrCtrl|Command\b|Control\b/);
      }
    }
  });
});

describe('keyboardOsOf', () => {
  it('maps Node and browser platform names', () => {
    expect(keyboardOsOf('darwin')).toBe('mac');
    expect(keyboardOsOf('MacIntel')).toBe('mac');
    expect(keyboardOsOf('macOS')).toBe('mac');
    expect(keyboardOsOf('win32')).toBe('windows');
    expect(keyboardOsOf('Windows')).toBe('windows');
    expect(keyboardOsOf('linux')).toBe('linux');
    expect(keyboardOsOf('Linux x86_64')).toBe('linux');
    expect(keyboardOsOf('')).toBe('linux');
  });
});

describe('windowClipShortcut', () => {
  it('gives the label and the aria-keyshortcuts spelling', () => {
    expect(windowClipShortcut('mac')).toEqual({ label: 'Cmd+Shift+K', aria: 'Meta+Shift+K' });
    expect(windowClipShortcut('windows')).toEqual({ label: 'Ctrl+Shift+K', aria: 'Control+Shift+K' });
    expect(windowClipShortcut('linux')).toEqual({ label: 'Ctrl+Shift+K', aria: 'Control+Shift+K' });
  });
});
