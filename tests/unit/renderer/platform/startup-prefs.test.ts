import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_SETTINGS, type AppInfo, type BullpenBridge, type Result, type Settings, type SettingsPatch } from '../../../../contract';
import { createBrowserPlatform } from '../../../../renderer/src/platform/browser-platform';
import { createElectronPlatform } from '../../../../renderer/src/platform/electron-platform';

/** The preload's settings and app info, kept in memory; `refuse` makes the next save fail as the main process would. */
function bridge(platform: AppInfo['platform']) {
  let settings: Settings = { ...DEFAULT_SETTINGS };
  const state = { refuse: null as string | null };
  const set = vi.fn(async (patch: SettingsPatch): Promise<Result<Settings>> => {
    if (state.refuse) return { ok: false, error: { code: 'UNAVAILABLE', message: state.refuse } };
    settings = { ...settings, ...patch };
    return { ok: true, value: settings };
  });
  const fake = {
    settings: { get: async () => ({ ok: true, value: settings }), set },
    app: { info: async () => ({ ok: true, value: { platform, version: '0.1.0', systemLoopback: false } }) },
    events: { onOpenLink: () => () => {} },
  } as unknown as BullpenBridge;
  return { fake, set, state };
}

describe('desktop startup prefs', () => {
  it('read start at login and keep running in tray; only macOS keeps running without asking', async () => {
    for (const [os, closeQuits] of [
      ['linux', true],
      ['win32', true],
      ['darwin', false],
    ] as const) {
      const platform = createElectronPlatform(bridge(os).fake);
      await expect(platform.loadStartupPrefs()).resolves.toEqual({ startAtLogin: false, keepRunningInTray: false, closeQuits });
    }
  });

  it('save through settings:set, passing on the main process’s refusal', async () => {
    const { fake, set, state } = bridge('linux');
    const platform = createElectronPlatform(fake);
    await expect(platform.saveStartupPrefs({ startAtLogin: true })).resolves.toBeNull();
    expect(set).toHaveBeenLastCalledWith({ startAtLogin: true });
    await expect(platform.loadStartupPrefs()).resolves.toMatchObject({ startAtLogin: true });
    state.refuse = 'Could not write /home/rep/.config/autostart/bullpen.desktop: check that folder’s permissions';
    await expect(platform.saveStartupPrefs({ keepRunningInTray: true })).resolves.toBe(state.refuse);
    await expect(platform.loadStartupPrefs()).resolves.toMatchObject({ keepRunningInTray: false });
  });

  it('the browser has no tray or login item and says so politely', async () => {
    const platform = createBrowserPlatform();
    await expect(platform.loadStartupPrefs()).resolves.toBeNull();
    await expect(platform.saveStartupPrefs({ startAtLogin: true })).resolves.toBe('Starting at login needs the desktop app.');
    expect(() => platform.reportActivity({ state: 'live' })).not.toThrow();
    const listener = vi.fn();
    platform.onTrayCommand(listener)();
    expect(listener).not.toHaveBeenCalled();
  });
});
