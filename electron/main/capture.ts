import { release } from 'node:os';
import {
  app,
  desktopCapturer,
  session as electronSession,
  type DisplayMediaRequestHandlerHandlerRequest,
  type Session,
  type Streams,
  webContents,
  type WebContents,
} from 'electron';
import { BullpenError } from '../../contract';
import { isAppUrl } from './app-protocol';
import type { Logger } from './logger';

/** How long an arming lasts: the renderer calls getDisplayMedia right after arming. */
export const ARM_TIMEOUT_MS = 10_000;

/**
 * Whether the OS can give us whole-system audio through getDisplayMedia: Windows always;
 * macOS from 13 (Darwin 22), through ScreenCaptureKit. macOS 12.3 has ScreenCaptureKit but
 * captures no audio with it (`SCStreamConfiguration.capturesAudio` is macOS 13+), so a Mac on
 * 12 picks a loopback input device instead, as the go-live form's hint says. Linux has no
 * system loopback here: the renderer captures a PulseAudio/PipeWire monitor source as an
 * ordinary input device.
 */
export function systemLoopbackSupported(platform: NodeJS.Platform = process.platform, osRelease = release()): boolean {
  if (platform === 'win32') return true;
  if (platform === 'darwin') return Number.parseInt(osRelease, 10) >= 22;
  return false;
}

/**
 * The Chromium features behind macOS system-audio loopback: ScreenCaptureKit audio for screen
 * share, and its override that macOS 15+ needs (Core Audio taps are the default there).
 * Electron's own `audio: 'loopback'` then works; no library is needed for it (see README,
 * "System audio").
 */
export const MAC_LOOPBACK_FEATURES = ['MacLoopbackAudioForScreenShare', 'MacSckSystemAudioLoopbackOverride'] as const;

/**
 * Turns on macOS loopback's Chromium features; must run before the app is ready. Chromium
 * keeps one value per switch, so a second `--enable-features` would replace features enabled
 * before (by a user's command line or another module): merge into the one switch instead.
 */
export function prepareCapture(platform: NodeJS.Platform = process.platform): void {
  if (platform !== 'darwin') return;
  const { commandLine } = app;
  const existing = commandLine.hasSwitch('enable-features') ? commandLine.getSwitchValue('enable-features').split(',').filter(Boolean) : [];
  if (existing.length > 0) commandLine.removeSwitch('enable-features');
  commandLine.appendSwitch('enable-features', [...new Set([...existing, ...MAC_LOOPBACK_FEATURES])].join(','));
}

/**
 * Call-audio capture. getDisplayMedia is answered only when the renderer armed it just
 * before through `capture:arm-loopback`, from the same window, and then with the first
 * screen plus system loopback audio (the renderer keeps the audio and stops the video).
 * Every other request — unarmed, expired, from another page — is denied.
 */
export class LoopbackCapture {
  readonly #log: Logger;
  readonly #supported: boolean;
  readonly #now: () => number;
  #armed: { webContentsId: number; expiresAt: number } | null = null;

  constructor(opts: { log: Logger; supported?: boolean; now?: () => number }) {
    this.#log = opts.log.child({ module: 'capture' });
    this.#supported = opts.supported ?? systemLoopbackSupported();
    this.#now = opts.now ?? Date.now;
  }

  get supported(): boolean {
    return this.#supported;
  }

  /** Arms the next getDisplayMedia of `sender`. Throws UNAVAILABLE where there is no loopback. */
  arm(sender: WebContents): void {
    if (!this.#supported) {
      throw new BullpenError(
        'UNAVAILABLE',
        'System audio capture is not available on this system; choose the call audio as an input device instead',
      );
    }
    this.#armed = { webContentsId: sender.id, expiresAt: this.#now() + ARM_TIMEOUT_MS };
  }

  /** The `setDisplayMediaRequestHandler` handler. */
  async handleRequest(request: DisplayMediaRequestHandlerHandlerRequest, callback: (streams: Streams) => void): Promise<void> {
    const armed = this.#armed;
    this.#armed = null; // one request per arming, whatever happens below
    const frame = request.frame;
    const senderId = frame && !frame.isDestroyed() ? (webContents.fromFrame(frame)?.id ?? null) : null;
    const ok =
      armed !== null &&
      armed.expiresAt >= this.#now() &&
      senderId === armed.webContentsId &&
      isAppUrl(frame?.url) &&
      request.audioRequested;
    if (!ok) {
      this.#log.warn('display media request denied', {
        armed: armed !== null,
        origin: request.securityOrigin,
        audioRequested: request.audioRequested,
      });
      deny(callback);
      return;
    }
    try {
      const [screen] = await desktopCapturer.getSources({ types: ['screen'], thumbnailSize: { width: 0, height: 0 } });
      if (!screen) {
        this.#log.warn('no screen source for loopback capture');
        deny(callback);
        return;
      }
      this.#log.info('granting system audio loopback');
      callback({ video: screen, audio: 'loopback' });
    } catch (error) {
      this.#log.error('could not list screen sources for loopback capture', { error });
      deny(callback);
    }
  }
}

/**
 * Refuses a display-media request (the renderer's getDisplayMedia rejects). Electron's typings
 * only allow a `Streams` object, but `{}` throws "Video was requested, but no video stream was
 * provided"; `null` is the documented-in-source way to fail the request cleanly.
 */
function deny(callback: (streams: Streams) => void): void {
  (callback as (streams: Streams | null) => void)(null);
}

/** Installs the display-media handler on the app's session. */
export function setupCapture(capture: LoopbackCapture, ses: Session = electronSession.defaultSession): void {
  ses.setDisplayMediaRequestHandler((request, callback) => void capture.handleRequest(request, callback));
}
