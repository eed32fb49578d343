import { beforeEach, describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => {
  /** Chromium's command line: one value per switch, a later append replaces it. */
  function fakeCommandLine() {
    const switches = new Map<string, string>();
    return {
      switches,
      hasSwitch: vi.fn((name: string) => switches.has(name)),
      getSwitchValue: vi.fn((name: string) => switches.get(name) ?? ''),
      removeSwitch: vi.fn((name: string) => void switches.delete(name)),
      appendSwitch: vi.fn((name: string, value = '') => void switches.set(name, value)),
    };
  }
  const contentsByFrame = new Map<object, { id: number }>();
  return {
    contentsByFrame,
    desktopCapturer: { getSources: vi.fn(async () => [{ id: 'screen:0:0', name: 'Entire screen' }]) },
    webContents: { fromFrame: vi.fn((frame: object) => contentsByFrame.get(frame)) },
    app: { commandLine: fakeCommandLine() },
  };
});
vi.mock('electron', () => electron);

import type { DisplayMediaRequestHandlerHandlerRequest, Streams, WebContents } from 'electron';
import { BullpenError } from '../../../../contract';
import { ARM_TIMEOUT_MS, LoopbackCapture, prepareCapture, systemLoopbackSupported } from '../../../../electron/main/capture';
import { createLogger } from '../../../../electron/main/logger';

const log = createLogger({ write: () => {} });
const ourContents = { id: 7 } as WebContents;
const appFrame = { url: 'bullpen-app://app/index.html', isDestroyed: () => false };

function request(frame: object | null = appFrame): DisplayMediaRequestHandlerHandlerRequest {
  return {
    frame,
    securityOrigin: 'bullpen-app://app',
    videoRequested: true,
    audioRequested: true,
    userGesture: true,
  } as unknown as DisplayMediaRequestHandlerHandlerRequest;
}

async function answer(capture: LoopbackCapture, req = request()): Promise<Streams | null> {
  const callback = vi.fn();
  await capture.handleRequest(req, callback);
  expect(callback).toHaveBeenCalledTimes(1);
  return callback.mock.calls[0]![0] as Streams | null;
}

beforeEach(() => {
  vi.clearAllMocks();
  electron.app.commandLine.switches.clear();
  electron.contentsByFrame.clear();
  electron.contentsByFrame.set(appFrame, ourContents);
});

describe('systemLoopbackSupported', () => {
  it('is true on Windows and macOS 13+, false on Linux and older macOS', () => {
    expect(systemLoopbackSupported('win32', '10.0.22631')).toBe(true);
    expect(systemLoopbackSupported('darwin', '22.1.0')).toBe(true);
    expect(systemLoopbackSupported('darwin', '21.6.0')).toBe(false);
    expect(systemLoopbackSupported('linux', '6.8.0')).toBe(false);
  });

  it('enables Chromium’s macOS loopback features before startup, only on macOS', () => {
    prepareCapture('linux');
    expect(electron.app.commandLine.appendSwitch).not.toHaveBeenCalled();
    prepareCapture('darwin');
    expect(electron.app.commandLine.switches.get('enable-features')).toBe('MacLoopbackAudioForScreenShare,MacSckSystemAudioLoopbackOverride');
  });

  it('keeps features enabled before in the one --enable-features switch, without repeating any', () => {
    electron.app.commandLine.switches.set('enable-features', 'WebRtcHideLocalIpsWithMdns,MacLoopbackAudioForScreenShare');
    prepareCapture('darwin');
    expect(electron.app.commandLine.switches.get('enable-features')).toBe(
      'WebRtcHideLocalIpsWithMdns,MacLoopbackAudioForScreenShare,MacSckSystemAudioLoopbackOverride',
    );
  });
});

describe('LoopbackCapture', () => {
  it('answers an armed request with the first screen and loopback audio', async () => {
    const capture = new LoopbackCapture({ log, supported: true });
    capture.arm(ourContents);
    expect(await answer(capture)).toEqual({ video: { id: 'screen:0:0', name: 'Entire screen' }, audio: 'loopback' });
  });

  it('denies (with null, not {}) requests that were not armed', async () => {
    const capture = new LoopbackCapture({ log, supported: true });
    expect(await answer(capture)).toBeNull();
    expect(electron.desktopCapturer.getSources).not.toHaveBeenCalled();
  });

  it('arms one request only', async () => {
    const capture = new LoopbackCapture({ log, supported: true });
    capture.arm(ourContents);
    await answer(capture);
    expect(await answer(capture)).toBeNull();
  });

  it('expires an arming that was not used in time', async () => {
    let now = 1_000;
    const capture = new LoopbackCapture({ log, supported: true, now: () => now });
    capture.arm(ourContents);
    now += ARM_TIMEOUT_MS + 1;
    expect(await answer(capture)).toBeNull();
  });

  it('denies requests from another webContents, another origin or a destroyed frame', async () => {
    const capture = new LoopbackCapture({ log, supported: true });
    const otherFrame = { url: 'bullpen-app://app/index.html', isDestroyed: () => false };
    electron.contentsByFrame.set(otherFrame, { id: 8 });
    capture.arm(ourContents);
    expect(await answer(capture, request(otherFrame))).toBeNull();

    const foreignFrame = { url: 'https://evil.example.com/', isDestroyed: () => false };
    electron.contentsByFrame.set(foreignFrame, ourContents);
    capture.arm(ourContents);
    expect(await answer(capture, request(foreignFrame))).toBeNull();

    capture.arm(ourContents);
    expect(await answer(capture, request({ ...appFrame, isDestroyed: () => true }))).toBeNull();
    capture.arm(ourContents);
    expect(await answer(capture, request(null))).toBeNull();
  });

  it('denies when there is no screen to attach the audio to', async () => {
    electron.desktopCapturer.getSources.mockResolvedValueOnce([]);
    const capture = new LoopbackCapture({ log, supported: true });
    capture.arm(ourContents);
    expect(await answer(capture)).toBeNull();
  });

  it('cannot be armed where the OS has no system loopback', () => {
    const capture = new LoopbackCapture({ log, supported: false });
    expect(() => capture.arm(ourContents)).toThrow(BullpenError);
    expect(() => capture.arm(ourContents)).toThrow(/input device/);
  });
});
