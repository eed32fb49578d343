/**
 * node-datachannel peers that stand in for browsers in tests and the benchmark. They speak plain
 * SDP (SDP in, SDP out), so they work against a Forwarder directly or through the real server.
 *
 * - A host peer offers one send-only Opus track the way Chrome does (PT 111, Chrome's fmtp
 *   without `stereo=1`, an `a=ssrc` line) and sends real Opus packets at real-time pace.
 * - A listener peer offers to receive Opus (recvonly, like the renderer; or, to test listen-only
 *   enforcement, a recvonly offer from a track that can send, with its own SSRC), takes the
 *   server's answer and records every RTP packet it receives.
 */
import { randomInt } from 'node:crypto';
import { createSocket } from 'node:dgram';
import nodeDataChannel from 'node-datachannel';
import type { IceServer, MediaHandler, PeerConnection, Track } from 'node-datachannel';
import { buildRtpPacket, isRtcp } from '../../server/media/rtp';
import { OPUS_FRAME_SAMPLES } from './opus';

/** Chrome's Opus fmtp in an offer: note the absence of stereo=1. */
export const CHROME_OPUS_FMTP = 'minptime=10;useinbandfec=1';

export interface PeerTestOptions {
  /** libdatachannel ICE servers: URLs, or objects (a TURN username with ':' cannot go in a URL). */
  iceServers?: (string | IceServer)[];
  /** Default 10 s. */
  timeoutMs?: number;
}

export interface HostPeerOptions extends PeerTestOptions {
  ssrc?: number;
  payloadType?: number;
  fmtp?: string;
  /** Attach libdatachannel's RTCP sender reporter, as a browser sends SRs (default true). */
  senderReports?: boolean;
}

export interface SendOpusOptions {
  /** Packets per second (default 50: 20 ms frames). */
  pps?: number;
  /** Called after each packet is sent. */
  onSent?: (packet: Buffer, index: number) => void;
}

export interface HostPeer {
  readonly offerSdp: string;
  /** The server's answer, once `setAnswer` was called. */
  readonly answerSdp: string | null;
  readonly ssrc: number;
  readonly payloadType: number;
  /** RTCP packets received from the server (receiver reports). */
  readonly rtcpIn: Buffer[];
  /** RTP packets received from the server (there should be none: the host only sends). */
  readonly rtpIn: Buffer[];
  /** Applies the server's answer and resolves once the track is open. */
  setAnswer(answerSdp: string): Promise<void>;
  /** Sends one raw packet as is. */
  sendRtp(packet: Buffer): boolean;
  /**
   * Packetizes Opus frames (consecutive seq, timestamp +960 per frame, marker on the first packet
   * ever) and sends them paced by a timer. Resolves with the RTP packets sent.
   */
  sendOpus(frames: readonly Buffer[], opts?: SendOpusOptions): Promise<Buffer[]>;
  state(): string;
  close(): void;
}

export interface ListenerPeerOptions extends PeerTestOptions {
  /**
   * A misbehaving client: its track can send and has an SSRC of our own, so `sendRtp` can try
   * to talk, while the offer it hands the server says recvonly (the server refuses sendrecv
   * offers outright; the renderer offers recvonly). Default false.
   */
  talk?: boolean;
  /** Opus fmtp to offer (default Chrome's, without stereo=1). */
  fmtp?: string;
  /**
   * Attach libdatachannel's RTCP receiving session, which answers sender reports with receiver
   * reports like a browser, and consumes incoming RTCP (then `rtcp` stays empty). Default true.
   */
  receiverReports?: boolean;
  /**
   * Keep every RTP packet in `packets` (default true). Long runs (the soak benchmark) pass false
   * and read each packet in `onRtp` instead, so memory stays flat.
   */
  keepPackets?: boolean;
  /** Called with each RTP packet as it arrives. */
  onRtp?: (packet: Buffer) => void;
  /** `relay`: reach the server only through the TURN server in `iceServers`, like a UDP-blocked client. */
  iceTransportPolicy?: 'all' | 'relay';
}

export interface ListenerPeer {
  /** This peer's complete offer (ICE gathering done). */
  readonly offerSdp: string;
  /** Applies the server's answer; then wait with `waitForOpen`. */
  setAnswer(answerSdp: string): void;
  /** The server's answer, once set. */
  readonly answerSdp: string | null;
  /** Every RTP packet received, in arrival order. */
  readonly packets: Buffer[];
  /** RTCP received (only when `receiverReports` is false). */
  readonly rtcp: Buffer[];
  /** Our own SSRC when talking, else null. */
  readonly ssrc: number | null;
  /** Resolves once the track is open. */
  waitForOpen(): Promise<void>;
  /** Resolves once at least `n` RTP packets have arrived in total. */
  waitForPackets(n: number, timeoutMs?: number): Promise<Buffer[]>;
  /** Resolves once an RTCP packet matching `predicate` has arrived (needs receiverReports false). */
  waitForRtcp(predicate: (packet: Buffer) => boolean, timeoutMs?: number): Promise<Buffer>;
  /** Tries to send an RTP packet to the server (works only with `talk`). */
  sendRtp(packet: Buffer): boolean;
  state(): string;
  /** The ICE candidate pair in use (local and remote address, port and type), once connected. */
  selectedCandidatePair(): ReturnType<PeerConnection['getSelectedCandidatePair']>;
  /**
   * When (performance.now(), ms) ICE connected and the track opened (DTLS done), or null: the
   * benchmark tells a DTLS handshake that needed a retransmission by the gap between them.
   */
  timeline(): { iceConnectedMs: number | null; openMs: number | null };
  close(): void;
}

/** Creates a host peer and its complete offer (ICE gathering done, no trickle). */
export async function createHostPeer(opts: HostPeerOptions = {}): Promise<HostPeer> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const ssrc = opts.ssrc ?? randomInt(1, 0xffff_ffff);
  const payloadType = opts.payloadType ?? 111;
  const cname = `host-${ssrc}`;
  const pc = new nodeDataChannel.PeerConnection('test-host', { iceServers: opts.iceServers ?? [] });
  const audio = new nodeDataChannel.Audio('0', 'SendOnly');
  audio.addOpusCodec(payloadType, opts.fmtp ?? CHROME_OPUS_FMTP);
  audio.addSSRC(ssrc, cname, 'host-stream', 'host-track');
  const track = pc.addTrack(audio);
  let handler: MediaHandler | null = null;
  if (opts.senderReports ?? true) {
    handler = new nodeDataChannel.RtcpSrReporter(
      new nodeDataChannel.RtpPacketizationConfig(ssrc, cname, payloadType, 48_000),
    );
    track.setMediaHandler(handler);
  }
  const rtcpIn: Buffer[] = [];
  const rtpIn: Buffer[] = [];
  track.onMessage((msg) => {
    (isRtcp(msg) ? rtcpIn : rtpIn).push(msg);
  });
  const waitOpen = trackOpen(pc, track);
  const gathered = gatheringComplete(pc, timeoutMs);
  pc.setLocalDescription();
  await gathered;
  const decoy = await decoyCandidate(pc.localDescription()!.sdp);
  const offerSdp = decoy.sdp;

  let seq = randomInt(0, 0x1_0000);
  let timestamp = randomInt(0, 0xffff_ffff);
  let first = true;
  let closed = false;
  let remoteAnswer: string | null = null;
  // Keeps the track (and its handler) reachable for as long as the peer is.
  const media = { track, handler };

  return {
    offerSdp,
    get answerSdp() {
      return remoteAnswer;
    },
    ssrc,
    payloadType,
    rtcpIn,
    rtpIn,
    async setAnswer(answerSdp) {
      pc.setRemoteDescription(answerSdp, 'answer');
      remoteAnswer = answerSdp;
      await waitOpen(timeoutMs);
    },
    sendRtp(packet) {
      return media.track.sendMessageBinary(packet);
    },
    async sendOpus(frames, sendOpts = {}) {
      const intervalMs = 1000 / (sendOpts.pps ?? 50);
      const sent: Buffer[] = [];
      const start = performance.now();
      for (let i = 0; i < frames.length; i++) {
        const due = start + i * intervalMs;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        if (closed) break;
        const packet = buildRtpPacket({ payloadType, seq, timestamp, ssrc, marker: first }, frames[i]!);
        first = false;
        seq = (seq + 1) & 0xffff;
        timestamp = (timestamp + OPUS_FRAME_SAMPLES) >>> 0;
        media.track.sendMessageBinary(packet);
        sent.push(packet);
        sendOpts.onSent?.(packet, i);
      }
      return sent;
    },
    state: () => pc.state(),
    close() {
      if (closed) return;
      closed = true;
      media.track.close();
      pc.close();
      decoy.close();
    },
  };
}

/** Answers a server offer like a listening browser; resolves with the complete answer. */
export async function createListenerPeer(opts: ListenerPeerOptions = {}): Promise<ListenerPeer> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const mid = '0';
  const pt = 111;

  const pc = new nodeDataChannel.PeerConnection('test-listener', {
    iceServers: opts.iceServers ?? [],
    ...(opts.iceTransportPolicy ? { iceTransportPolicy: opts.iceTransportPolicy } : {}),
  });
  const audio = new nodeDataChannel.Audio(mid, opts.talk ? 'SendRecv' : 'RecvOnly');
  audio.addOpusCodec(pt, opts.fmtp ?? CHROME_OPUS_FMTP);
  const ssrc = opts.talk ? randomInt(1, 0xffff_ffff) : null;
  if (ssrc !== null) audio.addSSRC(ssrc, `listener-${ssrc}`, 'listener-stream', 'listener-track');
  const track = pc.addTrack(audio);
  let handler: MediaHandler | null = null;
  if (opts.receiverReports ?? true) {
    handler = new nodeDataChannel.RtcpReceivingSession();
    track.setMediaHandler(handler);
  }

  const packets: Buffer[] = [];
  const rtcp: Buffer[] = [];
  const waiters = new Set<() => void>();
  const keep = opts.keepPackets ?? true;
  let received = 0;
  track.onMessage((msg) => {
    if (isRtcp(msg)) rtcp.push(msg);
    else {
      received++;
      opts.onRtp?.(msg);
      if (keep) packets.push(msg);
    }
    for (const check of [...waiters]) check();
  });
  const waitOpen = trackOpen(pc, track);
  const timeline = { iceConnectedMs: null as number | null, openMs: null as number | null };
  pc.onIceStateChange((state) => {
    if (state === 'connected' && timeline.iceConnectedMs === null) timeline.iceConnectedMs = performance.now();
  });
  void waitOpen(timeoutMs).then(
    () => (timeline.openMs = performance.now()),
    () => {},
  );
  const gathered = gatheringComplete(pc, timeoutMs);
  pc.setLocalDescription();
  await gathered;
  // Through TURN no decoy is needed: the relay drops the server's checks until this peer, holding
  // the answer, permits the server's address (see decoyCandidate for why that matters).
  const decoy = opts.iceTransportPolicy === 'relay' ? { sdp: pc.localDescription()!.sdp, close() {} } : await decoyCandidate(pc.localDescription()!.sdp);
  const localSdp = decoy.sdp;
  const offerSdp = opts.talk ? localSdp.replace(/^a=sendrecv(\r?)$/m, 'a=recvonly$1') : localSdp;
  const media = { track, handler };

  function waitFor<T>(ready: () => T | undefined, what: string, ms: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check = (): void => {
        const value = ready();
        if (value === undefined) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve(value);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`timed out after ${ms} ms waiting for ${what}`));
      }, ms);
      waiters.add(check);
      check();
    });
  }

  let closed = false;
  return {
    offerSdp,
    get answerSdp() {
      return pc.remoteDescription()?.sdp ?? null;
    },
    setAnswer: (answerSdp) => pc.setRemoteDescription(answerSdp, 'answer'),
    packets,
    rtcp,
    ssrc,
    waitForOpen: () => waitOpen(timeoutMs),
    waitForPackets: (n, ms = timeoutMs) =>
      waitFor(() => (received >= n ? packets : undefined), `${n} packets (have ${received})`, ms),
    waitForRtcp: (predicate, ms = timeoutMs) => waitFor(() => rtcp.find(predicate), 'an RTCP packet', ms),
    sendRtp: (packet) => media.track.sendMessageBinary(packet),
    state: () => pc.state(),
    selectedCandidatePair: () => pc.getSelectedCandidatePair(),
    timeline: () => ({ ...timeline }),
    close() {
      if (closed) return;
      closed = true;
      for (const check of waiters) waiters.delete(check);
      media.track.close();
      pc.close();
      decoy.close();
    },
  };
}

/**
 * Swaps the offer's ICE candidates for one at the peer's own first address whose port is a UDP
 * socket that never answers, so the server's connectivity checks go nowhere until this peer,
 * holding the answer, checks the server itself; the server then learns the peer's real address as
 * peer-reflexive, as it does for a trickle-ICE browser whose candidates have not arrived yet.
 *
 * Why: libdatachannel 0.24.5 (inside node-datachannel 0.33) hands the answer's ICE credentials to
 * its agent before it commits the answer's DTLS fingerprint, and starts DTLS the moment ICE
 * connects. An offerer whose candidates the server has already checked connects ICE at once, so
 * under CPU load DTLS checks the server's certificate against no fingerprint, the connection fails
 * inside `setRemoteDescription` ("Got a remote candidate without ICE transport"). Upstream fixed
 * it after that release ("Fix DTLS startup ordering", 93f4373a). Browsers, the real clients, are
 * not affected, and the server is always the answerer. Measured with the stand-in listener joining
 * one call 80 times in a row beside three busy loops on two cores: 30 failed without the decoy,
 * none with it.
 */
async function decoyCandidate(offer: string): Promise<{ sdp: string; close(): void }> {
  const first = /^a=candidate:\S+ 1 UDP \d+ (\S+) \d+ typ host/m.exec(offer);
  if (!first) throw new Error('the stand-in peer gathered no host candidate');
  const address = first[1]!;
  const socket = createSocket(address.includes(':') ? 'udp6' : 'udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, address, () => resolve());
  });
  socket.unref(); // never what keeps a test or the bench running
  const candidate = `a=candidate:1 1 UDP 2122317823 ${address} ${socket.address().port} typ host`;
  const sdp = offer.replace(/^a=candidate:.*\r?\n/gm, '').replace(/^a=end-of-candidates/m, `${candidate}\r\na=end-of-candidates`);
  let closed = false;
  return {
    sdp,
    close() {
      if (closed) return;
      closed = true;
      socket.close();
    },
  };
}

function gatheringComplete(pc: PeerConnection, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('ICE gathering timed out')), timeoutMs);
    pc.onGatheringStateChange((state) => {
      if (state === 'complete') {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}

/**
 * Subscribes to the track's open event and the connection's state now; the returned function
 * waits for the track to open, bounded, and fails early if the connection fails or closes first.
 * (node-datachannel releases a peer's native callbacks, which keep Node alive, only when it sees
 * the closed state and the track's closed event, and the track is closed explicitly: so both are
 * always registered.)
 */
function trackOpen(pc: PeerConnection, track: Track): (timeoutMs: number) => Promise<void> {
  let outcome: 'open' | Error | null = null;
  const waiters = new Set<() => void>();
  const settle = (value: 'open' | Error): void => {
    if (outcome !== null) return;
    outcome = value;
    for (const fn of waiters) fn();
  };
  track.onOpen(() => settle('open'));
  track.onClosed(() => settle(new Error('the track closed before it opened')));
  pc.onStateChange((state) => {
    if (state === 'failed' || state === 'closed') settle(new Error(`the connection ${state} before the track opened`));
  });
  return (timeoutMs) =>
    new Promise<void>((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        waiters.delete(done);
        if (outcome === 'open') resolve();
        else reject(outcome);
      };
      const timer = setTimeout(() => {
        waiters.delete(done);
        reject(new Error(`track did not open within ${timeoutMs} ms`));
      }, timeoutMs);
      waiters.add(done);
      if (outcome !== null) done();
    });
}

/**
 * Whether an error is a stand-in's media connection failing on its own: libdatachannel's
 * offer-side race (see {@link decoyCandidate}, which keeps the stand-ins out of it) or a
 * connection lost under CPU load. The stand-ins recover by publishing or joining again, like a
 * client would. A track lost that way shows as "the track closed before it opened", or, once
 * open, as libdatachannel's "Track is closed" on the next send.
 */
export function isTransientMediaFailure(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'MEDIA_FAILED') return true;
  const message = err instanceof Error ? err.message : String(err);
  return /without ICE transport|before the track opened|closed before it opened|connection failed|Track is closed|MEDIA_FAILED/.test(message);
}

/** Runs `attempt` up to five times while it fails with {@link isTransientMediaFailure}. */
export async function withRetry<T>(attempt: () => Promise<T>, onRetry: () => unknown = () => {}): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (err) {
      if (i >= 5 || !isTransientMediaFailure(err)) throw err;
      await onRetry();
    }
  }
}

/**
 * Streams the host's Opus `frames` (ten at a time, up to 30 rounds) until the listener has
 * received ten packets: the first packets may precede its track opening.
 */
export async function streamUntilHeard(host: HostPeer, peer: ListenerPeer, frames: Buffer[]): Promise<void> {
  const heard = peer.waitForPackets(10);
  let done = false;
  void heard.then(
    () => (done = true),
    () => {},
  );
  for (let i = 0; i < 30 && !done; i++) await host.sendOpus(frames.slice((i % 10) * 10, (i % 10) * 10 + 10));
  await heard;
}
