import { describe, expect, it } from 'vitest';
import { callAudioHint, isPicked, monitorSources } from '../../../../renderer/src/media/call-audio-hint';
import { osFromNavigator } from '../../../../renderer/src/platform/host-os';

const mic = { deviceId: 'mic', label: 'Built-in Microphone' };
const speakersMonitor = { deviceId: 'mon-1', label: 'Monitor of Built-in Audio Analog Stereo' };
const headsetMonitor = { deviceId: 'mon-2', label: 'Monitor of Jabra Evolve2 USB Headset' };
const pipewireMonitor = { deviceId: 'mon-3', label: 'alsa_output.pci-0000_00_1f.3.analog-stereo.monitor' };
const blackHole = { deviceId: 'bh', label: 'BlackHole 2ch (Virtual)' };
const stereoMix = { deviceId: 'mix', label: 'Stereo Mix (Realtek(R) Audio)' };

describe('callAudioHint on Linux', () => {
  it('picks the monitor of the output the call plays on, a headset before the speakers', () => {
    const hint = callAudioHint({ os: 'linux', shell: 'electron', modes: [], inputs: [mic, speakersMonitor, headsetMonitor] });
    expect(hint.pick).toEqual({ mode: 'device', deviceId: 'mon-2', label: headsetMonitor.label });
    expect(hint.text).toContain('monitor of the output your call plays on');
    expect(hint.text).toContain(headsetMonitor.label);
  });

  it('knows PipeWire’s .monitor names too', () => {
    const hint = callAudioHint({ os: 'linux', shell: 'electron', modes: [], inputs: [mic, pipewireMonitor] });
    expect(hint.pick).toEqual({ mode: 'device', deviceId: 'mon-3', label: pipewireMonitor.label });
  });

  it('says how to make a monitor appear when none is offered', () => {
    const hint = callAudioHint({ os: 'linux', shell: 'electron', modes: [], inputs: [mic] });
    expect(hint.pick).toBeNull();
    expect(hint.text).toContain('No monitor source is offered');
    expect(hint.text).toContain('pavucontrol');
    expect(hint.text).not.toContain('browser tab');
  });

  it('in a browser without a monitor, offers the tab of a web dialer', () => {
    const hint = callAudioHint({ os: 'linux', shell: 'browser', modes: ['tab'], inputs: [mic] });
    expect(hint.pick).toEqual({ mode: 'tab' });
    expect(hint.text).toContain('For a dialer in a browser tab, pick that tab instead.');
  });

  it('in a browser with a monitor, still picks the monitor (desktop apps play there)', () => {
    expect(callAudioHint({ os: 'linux', shell: 'browser', modes: ['tab'], inputs: [speakersMonitor] }).pick).toEqual({
      mode: 'device',
      deviceId: 'mon-1',
      label: speakersMonitor.label,
    });
  });
});

describe('callAudioHint on Windows and macOS', () => {
  it('picks system audio where the desktop app has loopback, with the macOS permission on a Mac', () => {
    const windows = callAudioHint({ os: 'win32', shell: 'electron', modes: ['system'], inputs: [mic, stereoMix] });
    expect(windows.pick).toEqual({ mode: 'system' });
    expect(windows.text).toContain('pick System audio');
    expect(windows.text).not.toContain('Privacy');
    const mac = callAudioHint({ os: 'darwin', shell: 'electron', modes: ['system'], inputs: [mic] });
    expect(mac.pick).toEqual({ mode: 'system' });
    expect(mac.text).toContain('Screen & System Audio Recording');
  });

  it('on a Mac without loopback (macOS 12) picks an installed loopback device, or says how to get one', () => {
    const withDevice = callAudioHint({ os: 'darwin', shell: 'electron', modes: [], inputs: [mic, blackHole] });
    expect(withDevice.pick).toEqual({ mode: 'device', deviceId: 'bh', label: blackHole.label });
    expect(withDevice.text).toContain('macOS 13 or later');
    const without = callAudioHint({ os: 'darwin', shell: 'electron', modes: [], inputs: [mic] });
    expect(without.pick).toBeNull();
    expect(without.text).toContain('Install a loopback device (e.g. BlackHole on a Mac, VB-CABLE on Windows)');
  });

  it('in a browser, picks a tab and points desktop dialers to the desktop app', () => {
    const hint = callAudioHint({ os: 'win32', shell: 'browser', modes: ['tab'], inputs: [mic] });
    expect(hint.pick).toEqual({ mode: 'tab' });
    expect(hint.text).toContain('use the Bullpen desktop app');
  });

  it('in a browser that cannot share tabs, falls back to a loopback device, else picks nothing', () => {
    expect(callAudioHint({ os: 'darwin', shell: 'browser', modes: [], inputs: [mic, blackHole] }).pick).toEqual({
      mode: 'device',
      deviceId: 'bh',
      label: blackHole.label,
    });
    expect(callAudioHint({ os: 'other', shell: 'browser', modes: [], inputs: [mic] }).pick).toBeNull();
  });
});

describe('helpers', () => {
  it('monitorSources keeps only monitors', () => {
    expect(monitorSources([mic, blackHole, speakersMonitor]).map((m) => m.deviceId)).toEqual(['mon-1']);
  });

  it('isPicked compares the mode, and the device for devices', () => {
    expect(isPicked({ mode: 'system' }, 'system', null)).toBe(true);
    expect(isPicked({ mode: 'system' }, 'none', null)).toBe(false);
    expect(isPicked({ mode: 'device', deviceId: 'a', label: 'A' }, 'device', 'a')).toBe(true);
    expect(isPicked({ mode: 'device', deviceId: 'a', label: 'A' }, 'device', 'b')).toBe(false);
  });

  it('osFromNavigator reads the browser’s platform', () => {
    expect(osFromNavigator({ userAgentData: { platform: 'macOS' } })).toBe('darwin');
    expect(osFromNavigator({ platform: 'MacIntel', userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)' })).toBe('darwin');
    expect(osFromNavigator({ platform: 'Win32', userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)' })).toBe('win32');
    expect(osFromNavigator({ platform: 'Linux x86_64', userAgent: 'Mozilla/5.0 (X11; Linux x86_64)' })).toBe('linux');
    expect(osFromNavigator({ platform: 'Linux armv8l', userAgent: 'Mozilla/5.0 (Linux; Android 14)' })).toBe('other');
    expect(osFromNavigator({})).toBe('other');
  });
});
