/**
 * Join-to-first-audio with real browser listeners: Debian's Chromium does what the renderer does
 * (a receive-only RTCPeerConnection, its offer sent at once with `listen:join`, the server's
 * answer, ICE candidates trickled after the reply) and the clock stops when the first RTP packet
 * unmutes the received track. Each join is also split into its steps, timed by the page itself, so
 * a slow tail can be put on the step that made it.
 */
import { chromium } from '@playwright/test';
import { chromiumPath } from '../tests/helpers/test-tools';
import { request, unwrap, type ClientSocket } from '../tests/helpers/test-server';

const CHROMIUM = chromiumPath() ?? '/usr/bin/chromium';

/** The few browser WebRTC members used here (this file is type-checked without the DOM lib). */
interface PageCandidate {
  candidate: string;
  sdpMid: string | null;
  usernameFragment?: string | null;
}
interface PagePc {
  addTransceiver(kind: 'audio', init: { direction: 'recvonly' }): unknown;
  setLocalDescription(): Promise<void>;
  setRemoteDescription(d: { type: 'answer'; sdp: string }): Promise<void>;
  addIceCandidate(c: PageCandidate): Promise<void>;
  readonly localDescription: { sdp: string } | null;
  readonly iceGatheringState: string;
  onicegatheringstatechange: (() => void) | null;
  onicecandidate: ((e: { candidate: PageCandidate | null }) => void) | null;
  oniceconnectionstatechange: (() => void) | null;
  onconnectionstatechange: (() => void) | null;
  readonly iceConnectionState: string;
  readonly connectionState: string;
  ontrack: ((e: { track: { muted: boolean; onunmute: (() => void) | null } }) => void) | null;
  close(): void;
}
interface PageGlobals {
  RTCPeerConnection: new () => PagePc;
  pc: PagePc;
  firstAudio: Promise<void>;
  /** Candidates gathered before the join reply (trickle), sent after it as the renderer does. */
  queued: (PageCandidate | null)[] | null;
  sendCandidate(c: PageCandidate | null): Promise<void>;
  /** Page-clock times (ms since the join began) of each step of the current join, first time only. */
  marks: Record<string, number>;
  mark(step: string): void;
}

/** One join, in ms from its start; the steps are page-clock times since the page began it. */
export interface ChromiumJoin {
  ms: number;
  /** Offer made (setLocalDescription done). */
  offerMs: number;
  /** The server's answer applied (after the `listen:join` round trip). */
  answerMs: number;
  /** ICE connected: a candidate pair works. */
  iceConnectedMs: number;
  /** DTLS done: the connection is `connected` (SRTP keys exist). */
  connectedMs: number;
  /** The first RTP packet unmuted the track. */
  firstAudioMs: number;
}

export interface ChromiumJoinOptions {
  /**
   * Trickle ICE as the renderer does it (default): the offer leaves at once, candidates follow
   * after the join reply. false: the old way, waiting for ICE gathering to complete first.
   */
  trickle?: boolean;
}

/** Joins `callId` once per socket, one after another; returns each join's time and steps. */
export async function chromiumJoins(sockets: ClientSocket[], callId: string, opts: ChromiumJoinOptions = {}): Promise<ChromiumJoin[]> {
  const trickle = opts.trickle ?? true;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage();
    // The page's candidates go out through whichever socket is joining now.
    let current: ClientSocket | null = null;
    await page.exposeFunction('sendCandidate', async (candidate: PageCandidate | null) => {
      const c = candidate && candidate.candidate ? { candidate: candidate.candidate, sdpMid: candidate.sdpMid, ...(candidate.usernameFragment ? { usernameFragment: candidate.usernameFragment } : {}) } : null;
      if (current) await request(current, 'media:candidate', { callId, role: 'listener', candidate: c });
    });
    const joins: ChromiumJoin[] = [];
    for (const socket of sockets) {
      current = socket;
      // The server's own candidates (none beyond its answer's on loopback, then its end).
      const onPush = (p: { callId: string; candidate: PageCandidate | null }): void => {
        if (p.callId !== callId || !p.candidate) return;
        void page.evaluate((c) => (globalThis as unknown as PageGlobals).pc.addIceCandidate(c).catch(() => undefined), p.candidate);
      };
      socket.on('media:candidate', onPush);
      const t0 = performance.now();
      const offer = await page.evaluate(async (trickle) => {
        const g = globalThis as unknown as PageGlobals;
        // No named function expressions in here: tsx would wrap them in a helper the page lacks.
        const start = performance.now();
        g.marks = {};
        g.mark = (step: string) => {
          g.marks[step] ??= performance.now() - start;
        };
        const pc = new g.RTCPeerConnection();
        g.pc = pc;
        g.queued = [];
        pc.addTransceiver('audio', { direction: 'recvonly' });
        pc.oniceconnectionstatechange = () => {
          if (pc.iceConnectionState === 'connected') g.mark('iceConnected');
        };
        pc.onconnectionstatechange = () => {
          if (pc.connectionState === 'connected') g.mark('connected');
        };
        g.firstAudio = new Promise<void>((resolve) => {
          pc.ontrack = (e) => {
            if (!e.track.muted) {
              g.mark('firstAudio');
              resolve();
            }
            e.track.onunmute = () => {
              g.mark('firstAudio');
              resolve();
            };
          };
        });
        if (trickle) {
          pc.onicecandidate = (e) => {
            if (g.queued) g.queued.push(e.candidate);
            else void g.sendCandidate(e.candidate);
          };
        }
        await pc.setLocalDescription();
        g.mark('offer');
        if (!trickle) {
          await new Promise<void>((resolve) => {
            if (pc.iceGatheringState === 'complete') return resolve();
            pc.onicegatheringstatechange = () => {
              if (pc.iceGatheringState === 'complete') resolve();
            };
          });
        }
        return pc.localDescription!.sdp;
      }, trickle);
      const joined = unwrap(await request(socket, 'listen:join', { callId, offer }));
      const marks = await page.evaluate(async (answer) => {
        const g = globalThis as unknown as PageGlobals;
        await g.pc.setRemoteDescription({ type: 'answer', sdp: answer });
        g.mark('answer');
        const queued = g.queued ?? [];
        g.queued = null;
        for (const c of queued) void g.sendCandidate(c);
        await g.firstAudio;
        return g.marks;
      }, joined.answer);
      const at = (step: string): number => marks[step] ?? Number.NaN;
      joins.push({ ms: performance.now() - t0, offerMs: at('offer'), answerMs: at('answer'), iceConnectedMs: at('iceConnected'), connectedMs: at('connected'), firstAudioMs: at('firstAudio') });
      socket.off('media:candidate', onPush);
      await page.evaluate(() => (globalThis as unknown as PageGlobals).pc.close());
      // Chromium's close reaches the server (DTLS close_notify), which may already have ended
      // the listen: then the leave finds nothing, as in the renderer.
      const left = await request(socket, 'listen:leave', { callId });
      if (!left.ok && left.error.code !== 'NOT_LISTENING') unwrap(left);
    }
    current = null;
    return joins;
  } finally {
    await browser.close();
  }
}
