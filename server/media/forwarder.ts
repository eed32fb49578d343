/**
 * One live call's selective forwarding unit: the host's stereo Opus track in, one receive-only
 * track per listener out. Audio is never decoded; each packet's header is rewritten per listener.
 *
 * Per packet (the hot path): map (ssrc, seq, timestamp) once into the call's continuous output
 * space (see continuity.ts), then for each listener whose track is open write its payload type
 * (marker bit kept), SSRC, and its own random sequence/timestamp offsets into the packet and send
 * it. node-datachannel hands us a fresh Buffer per packet and `sendMessageBinary` copies and
 * encrypts synchronously, so that one buffer is rewritten and sent for every listener: nothing is
 * allocated per listener, nothing is logged per packet.
 *
 * With a media worker pool (`mediaWorkers` > 1) listeners are spread over this process
 * (listener-set.ts) and the worker processes (remote-listeners.ts): per host packet each worker
 * holding listeners of the call gets ONE frame, written before this process's own sends, so the
 * processes encrypt and send in parallel. Everything else (the host's peer, continuity, the
 * recorder's packets, pause) stays here. Without a pool nothing of that runs: the path is today's.
 */
import { randomInt } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { IceCandidate } from '../../contract/media';
import { BullpenError } from '../../contract/result';
import type { Logger } from '../logger';
import { Continuity } from './continuity';
import type { CandidatePolicy } from './ice-candidates';
import type { CandidateSink } from './ice-trickle';
import type { PeerNetworkOptions, PeerState } from './peer-connection';
import { PublisherPeer } from './publisher-peer';
import { ListenerSet, type ListenerOutcome } from './listener-set';
import type { MediaWorkerPool } from './media-worker-pool';
import { RemoteListeners } from './remote-listeners';
import { isValidRtp, readPayloadType, readSeq, readSsrc, readTimestamp, writeSeq, writeSsrc, writeTimestamp } from './rtp';
import type { RelayIngress } from './relay-ingress';
import { randomSsrc } from './subscriber-peer';

export interface ForwarderOptions {
  callId: string;
  log: Logger;
  /** ICE servers for every peer of the call (none on loopback). */
  iceServers?: string[];
  /** UDP port range for every peer of the call. */
  portRange?: { begin: number; end: number };
  /** One UDP port shared by every peer (ICE UDP mux); takes precedence over `portRange`. */
  udpMuxPort?: number;
  /** Which ICE candidates of the host's and listeners' offers are tried; default strict. */
  candidatePolicy?: CandidatePolicy;
  /** The address the answers announce for this node's media (`--announced-ip`); see announced-address.ts. */
  announcedIp?: string;
  /** The node's door for TURN-over-TCP clients, offered in every answer; see relay-ingress.ts. */
  relayIngress?: RelayIngress;
  /**
   * Media worker processes to spread listeners over (`mediaWorkers` > 1). Not used with a relay
   * ingress: the TURN-over-TCP door lives in this process, so its listeners stay here.
   */
  pool?: MediaWorkerPool;
}

export interface ForwarderEvents {
  /** The host's media connection came up or went away (it may come back with a new publish). */
  'publisher-state': [state: 'connected' | 'disconnected'];
  /**
   * `connected`: the listener's track is open and receives audio. `failed` / `closed`: its
   * connection failed or was closed from its side; the forwarder has already removed it.
   * `removeListener` and `close` emit nothing.
   */
  'listener-state': [listenerId: string, state: ListenerOutcome];
  /**
   * Every valid host packet, for the recorder, after forwarding: payload untouched, host SSRC
   * and payload type, sequence number and timestamp in the call's continuous output space (so
   * they stay monotonic across host reconnects). The buffer is not touched again; keep it if you
   * like. Emitted only while someone listens.
   */
  rtp: [packet: Buffer, arrivalMs: number];
}

export interface ForwarderStats {
  /** Host packets received (valid or not). */
  packetsIn: number;
  /**
   * Packets handed to listeners' transports in this process (one per listener per host packet);
   * media workers count their own (MediaWorkerPool.stats).
   */
  packetsForwarded: number;
  /** Frames handed to media workers (one per worker with listeners of the call per host packet). */
  framesToWorkers: number;
  /**
   * RTP packets from listeners that reached the forwarder, all dropped (listen-only). Normally 0:
   * libdatachannel discards RTP on the send-only listener tracks natively, before JavaScript.
   */
  droppedFromListeners: number;
  /** Listeners joined (offered), connected or not. */
  listeners: number;
  /** Listeners whose track is open and which receive audio now. */
  connectedListeners: number;
  /** Host packets dropped as malformed or not Opus. */
  packetsInvalid: number;
  /** Valid host packets withheld from listeners and the recorder while the host paused sharing. */
  packetsWithheld: number;
}

/**
 * Benchmark hook: called for 1 in N host packets with `process.hrtime.bigint()` at the packet's
 * entry and after its last send, the number of listeners it went to, and the packet's sequence
 * number as the host sent it (so a benchmark can match it to the host's own send time).
 */
export type LatencyProbe = (startNs: bigint, endNs: bigint, fanout: number, hostSeq: number) => void;

/** One probed packet's times while the workers' reports are awaited (benchmark only). */
interface ProbeTiming {
  startNs: bigint;
  hostSeq: number;
  localNs: bigint;
  /** -1 until this process's sends are done. */
  localSent: number;
  remote: { sent: number; lastNs: number } | null;
}

export class Forwarder {
  readonly callId: string;
  readonly #log: Logger;
  readonly #network: PeerNetworkOptions;
  readonly #events = new EventEmitter<ForwarderEvents>();
  readonly #continuity = new Continuity();
  /** Listeners in this process. */
  readonly #local: ListenerSet;
  /** Listeners on media workers; null without a pool (then nothing of it is on the hot path). */
  readonly #remote: RemoteListeners | null;
  readonly #pool: MediaWorkerPool | null;
  #publisher: PublisherPeer | null = null;
  #publisherPt = -1;
  #publisherState: 'connected' | 'disconnected' | null = null;
  #publishGeneration = 0;
  #rtpSubscribers = 0;
  #probe: LatencyProbe | null = null;
  #probeEvery = 50;
  #probeCountdown = 0;
  #closed = false;
  /** The host paused sharing: nothing is forwarded or recorded until resumed. */
  #paused = false;
  #packetsWithheld = 0;
  #packetsIn = 0;
  #packetsForwarded = 0;
  #framesToWorkers = 0;
  #packetsInvalid = 0;

  private constructor(opts: ForwarderOptions) {
    this.callId = opts.callId;
    this.#log = opts.log.child({ callId: opts.callId, component: 'forwarder' });
    this.#network = {
      ...(opts.iceServers ? { iceServers: opts.iceServers } : {}),
      ...(opts.portRange ? { portRange: opts.portRange } : {}),
      ...(opts.udpMuxPort ? { udpMuxPort: opts.udpMuxPort } : {}),
      ...(opts.candidatePolicy ? { candidatePolicy: opts.candidatePolicy } : {}),
      ...(opts.announcedIp ? { announcedIp: opts.announcedIp } : {}),
      ...(opts.relayIngress ? { relayIngress: opts.relayIngress } : {}),
    };
    this.#local = ListenerSet.create({ callId: opts.callId, log: this.#log, network: this.#network });
    this.#local.on('listener-state', (id, state) => this.#onListenerState(id, state, null));
    this.#pool = opts.pool && !opts.relayIngress ? opts.pool : null;
    this.#remote = this.#pool ? RemoteListeners.create(this.#pool, opts.callId, this.#log) : null;
    this.#remote?.on('listener-state', (id, state) => this.#onListenerState(id, state, this.#remote));
  }

  static create(opts: ForwarderOptions): Forwarder {
    return new Forwarder(opts);
  }

  /**
   * Sets (or replaces, when the host reconnects) the call's publisher from the host's offer and
   * returns the answer. The previous publisher is closed; listeners carry on seamlessly.
   * Throws BAD_REQUEST for an unusable offer, CONFLICT if a newer publish overtook this one,
   * CALL_ENDED once closed. The server's ICE candidates gathered after the answer go to
   * `onCandidate` (trickle ICE).
   */
  async publish(offerSdp: string, onCandidate?: CandidateSink): Promise<string> {
    this.#assertOpen();
    const generation = ++this.#publishGeneration;
    const peer = await PublisherPeer.create({
      offerSdp,
      log: this.#log.child({ role: 'publisher' }),
      ...this.#network,
      ...(onCandidate ? { onCandidate } : {}),
    });
    if (this.#closed) {
      peer.close();
      throw new BullpenError('CALL_ENDED', 'the call ended while publishing');
    }
    if (generation !== this.#publishGeneration) {
      peer.close();
      throw new BullpenError('CONFLICT', 'a newer publish replaced this one');
    }
    const replaced = this.#publisher !== null;
    this.#dropPublisher();
    // The new publisher's `connected` must be reported even if the old one never looked down.
    this.#publisherState = null;
    this.#publisher = peer;
    this.#publisherPt = peer.payloadType;
    this.#continuity.startNewSource();
    peer.on('rtp', this.#onRtp);
    peer.on('state', (state) => this.#onPublisherState(peer, state));
    this.#log.info(replaced ? 'publisher replaced' : 'publisher set', { payloadType: peer.payloadType });
    return peer.answerSdp;
  }

  /**
   * Adds a listener from its receive-only offer and returns the server's answer. Throws
   * ALREADY_JOINED if the id is present, BAD_REQUEST for an unusable offer, CALL_ENDED once closed.
   * The server's ICE candidates gathered after the answer go to `onCandidate` (trickle ICE).
   */
  async addListener(listenerId: string, offerSdp: string, onCandidate?: CandidateSink): Promise<string> {
    this.#assertOpen();
    if (this.hasListener(listenerId)) throw new BullpenError('ALREADY_JOINED', 'already listening to this call');
    const seed = { ssrc: this.#newListenerSsrc(), seqOffset: randomInt(0, 0x1_0000), tsOffset: randomInt(0, 0xffff_ffff) };
    // The least-loaded process takes it, this one included (none: this one).
    const worker = this.#pool?.place() ?? null;
    if (worker) return this.#remote!.add(worker, listenerId, offerSdp, seed, onCandidate);
    if (this.#pool) this.#pool.localListeners++;
    try {
      return await this.#local.add(listenerId, offerSdp, seed, onCandidate);
    } catch (err) {
      if (this.#pool && !this.#local.has(listenerId)) this.#pool.localListeners--;
      throw err;
    }
  }

  /** Removes a listener and closes its connection. Idempotent; emits nothing. */
  removeListener(listenerId: string): void {
    if (this.#local.remove(listenerId)) {
      if (this.#pool) this.#pool.localListeners--;
      return;
    }
    this.#remote?.remove(listenerId);
  }

  /**
   * Adds a client's trickled ICE candidate to the publisher's connection (`listenerId` null) or a
   * listener's. Signalling, not the packet path. MEDIA_FAILED when that connection is not there
   * (yet, or any more); BAD_REQUEST for a refused candidate (ice-trickle.ts). Synchronous for
   * connections in this process; a promise for listeners on a media worker (its answer).
   */
  addCandidate(listenerId: string | null, candidate: IceCandidate | null): void | Promise<void> {
    this.#assertOpen();
    if (listenerId === null) {
      if (!this.#publisher) throw new BullpenError('MEDIA_FAILED', 'That media connection is not set up (yet): send candidates after the answer.');
      this.#publisher.addRemoteCandidate(candidate);
      return;
    }
    const remote = this.#remote?.addCandidate(listenerId, candidate);
    if (remote) return remote;
    this.#local.addCandidate(listenerId, candidate);
  }

  hasListener(listenerId: string): boolean {
    return this.#local.has(listenerId) || (this.#remote?.has(listenerId) ?? false);
  }

  /** Where a listener's media goes out: 0 this process, i the media worker i; undefined if absent. */
  listenerProcess(listenerId: string): number | undefined {
    if (this.#local.has(listenerId)) return 0;
    return this.#remote?.workerOf(listenerId);
  }

  on<K extends keyof ForwarderEvents>(event: K, fn: (...args: ForwarderEvents[K]) => void): this {
    this.#events.on(event, fn as never);
    this.#rtpSubscribers = this.#events.listenerCount('rtp');
    return this;
  }

  off<K extends keyof ForwarderEvents>(event: K, fn: (...args: ForwarderEvents[K]) => void): this {
    this.#events.off(event, fn as never);
    this.#rtpSubscribers = this.#events.listenerCount('rtp');
    return this;
  }

  stats(): ForwarderStats {
    return {
      packetsIn: this.#packetsIn,
      packetsForwarded: this.#packetsForwarded,
      framesToWorkers: this.#framesToWorkers,
      droppedFromListeners: this.#local.droppedInbound,
      listeners: this.#local.size + (this.#remote?.size ?? 0),
      connectedListeners: this.#local.connected + (this.#remote?.connected ?? 0),
      packetsInvalid: this.#packetsInvalid,
      packetsWithheld: this.#packetsWithheld,
    };
  }

  /**
   * Pauses (or resumes) sharing: while paused, the host's packets reach neither listeners nor the
   * recorder. Resuming starts a new source in the continuity mapping, exactly as a host
   * reconnect does: each listener's sequence numbers go on at last+1 and its timestamps advance
   * by the time paused, so jitter buffers see a silence of the right length and the recorder
   * fills the same span with silence frames. Idempotent.
   */
  setPaused(paused: boolean): void {
    if (this.#paused === paused || this.#closed) return;
    this.#paused = paused;
    if (!paused) this.#continuity.startNewSource();
    this.#log.info(paused ? 'sharing paused' : 'sharing resumed', { withheld: this.#packetsWithheld });
  }

  /**
   * Installs (or with null removes) a latency probe called for 1 in `every` host packets. Costs
   * nothing when unset.
   */
  setLatencyProbe(probe: LatencyProbe | null, every = 50): void {
    this.#probe = probe;
    this.#probeEvery = Math.max(1, Math.floor(every));
    this.#probeCountdown = this.#probeEvery;
  }

  /** Closes the publisher and every listener. Idempotent; emits nothing. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#dropPublisher();
    if (this.#pool) this.#pool.localListeners -= this.#local.size;
    this.#local.close();
    this.#remote?.close();
    this.#events.removeAllListeners();
    this.#rtpSubscribers = 0;
    this.#probe = null;
    this.#log.info('forwarder closed', {
      packetsIn: this.#packetsIn,
      packetsForwarded: this.#packetsForwarded,
      droppedFromListeners: this.#local.droppedInbound,
    });
  }

  // The hot path. An arrow function so it can be registered and removed as is.
  readonly #onRtp = (packet: Buffer): void => {
    const probe = this.#probe;
    let startNs = 0n;
    if (probe !== null && --this.#probeCountdown <= 0) {
      this.#probeCountdown = this.#probeEvery;
      startNs = process.hrtime.bigint();
    }
    this.#packetsIn++;
    if (!isValidRtp(packet) || readPayloadType(packet) !== this.#publisherPt) {
      this.#packetsInvalid++;
      return;
    }
    // Paused by the host: withheld before the continuity mapping, so the output space resumes
    // right after the last packet anyone received (one boolean test; nothing allocated).
    if (this.#paused) {
      this.#packetsWithheld++;
      return;
    }
    const arrivalMs = Date.now();
    const hostSsrc = readSsrc(packet);
    const hostSeq = readSeq(packet);
    const continuity = this.#continuity;
    continuity.map(hostSsrc, hostSeq, readTimestamp(packet), arrivalMs);
    const seq = continuity.seq;
    const ts = continuity.timestamp;
    // The first packet of a new publisher starts a talkspurt for the listeners' jitter buffers.
    const marker = continuity.marker ? 0x80 : packet[1]! & 0x80;

    // Workers first: they send while this process does its own share.
    const remote = this.#remote;
    let timing: ProbeTiming | null = null;
    if (remote !== null && remote.workerCount > 0) {
      if (startNs !== 0n) timing = { startNs, hostSeq, localNs: 0n, localSent: -1, remote: null };
      this.#framesToWorkers += remote.forward(packet, seq, ts, marker, timing && this.#remoteProbe(timing));
    }
    const sent = this.#local.send(packet, seq, ts, marker);
    this.#packetsForwarded += sent;
    if (timing !== null) {
      timing.localNs = process.hrtime.bigint();
      timing.localSent = sent;
      this.#finishProbe(timing);
    } else if (startNs !== 0n) {
      probe!(startNs, process.hrtime.bigint(), sent, hostSeq);
    }

    if (this.#rtpSubscribers > 0) {
      packet[1] = marker | this.#publisherPt;
      writeSeq(packet, seq);
      writeTimestamp(packet, ts);
      writeSsrc(packet, hostSsrc);
      this.#events.emit('rtp', packet, arrivalMs);
    }
  };

  #onPublisherState(peer: PublisherPeer, state: PeerState): void {
    if (this.#publisher !== peer) return;
    if (state === 'connected') {
      this.#setPublisherState('connected');
      return;
    }
    if (state === 'failed' || state === 'closed') {
      this.#dropPublisher();
    }
    this.#setPublisherState('disconnected');
  }

  #setPublisherState(state: 'connected' | 'disconnected'): void {
    if (this.#publisherState === state) return;
    this.#publisherState = state;
    this.#log.info(`publisher ${state}`, {});
    this.#events.emit('publisher-state', state);
  }

  #dropPublisher(): void {
    const peer = this.#publisher;
    if (!peer) return;
    this.#publisher = null;
    peer.off('rtp', this.#onRtp);
    peer.close();
  }

  #onListenerState(listenerId: string, state: ListenerOutcome, where: RemoteListeners | null): void {
    if (state !== 'connected' && where === null && this.#pool) this.#pool.localListeners--;
    this.#events.emit('listener-state', listenerId, state);
  }

  /**
   * Benchmark probes with workers: a packet's latency runs to the last send of any process, so
   * the local part waits for the workers' reports (the same monotonic clock in every process).
   */
  #remoteProbe(timing: ProbeTiming): (sent: number, lastDoneNs: number) => void {
    return (sent, lastNs) => {
      timing.remote = { sent, lastNs };
      this.#finishProbe(timing);
    };
  }

  #finishProbe(p: ProbeTiming): void {
    if (p.localSent < 0 || p.remote === null) return;
    const remoteNs = BigInt(Math.round(p.remote.lastNs));
    this.#probe?.(p.startNs, remoteNs > p.localNs ? remoteNs : p.localNs, p.localSent + p.remote.sent, p.hostSeq);
  }

  /** A random SSRC used by no other listener of the call and not the host's current one. */
  #newListenerSsrc(): number {
    for (;;) {
      const ssrc = randomSsrc();
      if (ssrc === this.#continuity.sourceSsrc) continue;
      if (!this.#local.hasSsrc(ssrc) && !(this.#remote?.hasSsrc(ssrc) ?? false)) return ssrc;
    }
  }

  #assertOpen(): void {
    if (this.#closed) throw new BullpenError('CALL_ENDED', 'the call has ended');
  }
}
