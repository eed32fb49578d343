/**
 * Join-to-first-audio with real browser listeners: Debian's Chromium does what the renderer does
 * (a receive-only RTCPeerConnection, complete offer, `listen:join`, the server's answer) and the
 * clock stops when the first RTP packet unmutes the received track.
 */
import { chromium } from '@playwright/test';
import { chromiumPath } from '../tests/helpers/test-tools';
import { request, unwrap, type ClientSocket } from '../tests/helpers/test-server';

const CHROMIUM = chromiumPath() ?? '/usr/bin/chromium';

/** The few browser WebRTC members used here (this file is type-checked without the DOM lib). */
interface PagePc {
  addTransceiver(kind: 'audio', init: { direction: 'recvonly' }): unknown;
  setLocalDescription(): Promise<void>;
  setRemoteDescription(d: { type: 'answer'; sdp: string }): Promise<void>;
  readonly localDescription: { sdp: string } | null;
  readonly iceGatheringState: string;
  onicegatheringstatechange: (() => void) | null;
  ontrack: ((e: { track: { muted: boolean; onunmute: (() => void) | null } }) => void) | null;
  close(): void;
}
interface PageGlobals {
  RTCPeerConnection: new () => PagePc;
  pc: PagePc;
  firstAudio: Promise<void>;
}

/** Joins `callId` once per socket, one after another; returns each join's time in ms. */
export async function chromiumJoinTimes(sockets: ClientSocket[], callId: string): Promise<number[]> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage();
    const times: number[] = [];
    for (const socket of sockets) {
      const t0 = performance.now();
      const offer = await page.evaluate(async () => {
        const g = globalThis as unknown as PageGlobals;
        const pc = new g.RTCPeerConnection();
        g.pc = pc;
        pc.addTransceiver('audio', { direction: 'recvonly' });
        g.firstAudio = new Promise<void>((resolve) => {
          pc.ontrack = (e) => {
            if (!e.track.muted) resolve();
            e.track.onunmute = () => resolve();
          };
        });
        await pc.setLocalDescription();
        await new Promise<void>((resolve) => {
          if (pc.iceGatheringState === 'complete') return resolve();
          pc.onicegatheringstatechange = () => {
            if (pc.iceGatheringState === 'complete') resolve();
          };
        });
        return pc.localDescription!.sdp;
      });
      const joined = unwrap(await request(socket, 'listen:join', { callId, offer }));
      await page.evaluate(async (answer) => {
        const g = globalThis as unknown as PageGlobals;
        await g.pc.setRemoteDescription({ type: 'answer', sdp: answer });
        await g.firstAudio;
      }, joined.answer);
      times.push(performance.now() - t0);
      await page.evaluate(() => (globalThis as unknown as PageGlobals).pc.close());
      // Chromium's close reaches the server (DTLS close_notify), which may already have ended
      // the listen: then the leave finds nothing, as in the renderer.
      const left = await request(socket, 'listen:leave', { callId });
      if (!left.ok && left.error.code !== 'NOT_LISTENING') unwrap(left);
    }
    return times;
  } finally {
    await browser.close();
  }
}
