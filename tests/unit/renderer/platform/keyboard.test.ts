import { describe, expect, it } from 'vitest';
import { describeAccelerator } from '../../../../contract';
import { keyboardOsFromBrowser } from '../../../../renderer/src/platform/keyboard';

const agents = {
  mac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36',
  ipad: 'Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
  windows: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36',
  linux: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36',
  electronLinux: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Bullpen/0.1.0 Chrome/142.0 Electron/39.8.10 Safari/537.36',
};

describe('keyboardOsFromBrowser', () => {
  it('recognises Apple, Windows and everything else from the user agent', () => {
    expect(keyboardOsFromBrowser(agents.mac)).toBe('mac');
    expect(keyboardOsFromBrowser(agents.ipad)).toBe('mac');
    expect(keyboardOsFromBrowser(agents.windows)).toBe('windows');
    expect(keyboardOsFromBrowser(agents.linux)).toBe('linux');
    expect(keyboardOsFromBrowser(agents.electronLinux)).toBe('linux');
  });

  it('uses navigator.platform when the user agent is reduced', () => {
    expect(keyboardOsFromBrowser('Mozilla/5.0', 'MacIntel')).toBe('mac');
    expect(keyboardOsFromBrowser('Mozilla/5.0', 'Win32')).toBe('windows');
    expect(keyboardOsFromBrowser('Mozilla/5.0', 'Linux x86_64')).toBe('linux');
  });

  it('gives the renderer the same labels the desktop main process shows', () => {
    // Main names by process.platform; the renderer by its browser: same machine, same words.
    expect(describeAccelerator('Alt+Super+K', keyboardOsFromBrowser(agents.windows))).toBe('Alt+Win+K');
    expect(describeAccelerator('CommandOrControl+Alt+K', keyboardOsFromBrowser(agents.mac))).toBe('Cmd+Option+K');
  });
});
