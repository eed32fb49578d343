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
import { isValidRtp, readPayloadType, readSeq, readSsrc, readTimestamp, writeSeq, writeSsrc, writeTimestamp } from './rtp';
import type { RelayIngress } from './relay-ingress';
import { SubscriberPeer, randomSsrc } from './subscriber-peer';
import { peerTeardown } from './teardown-queue';

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
}

export interface ForwarderEvents {
  /** The host's media connection came up or went away (it may come back with a new publish). */
  'publisher-state': [state: 'connected' | 'disconnected'];
  /**
   * `connected`: the listener's track is open and receives audio. `failed` / `closed`: its
   * connection failed or was closed from its side; the forwarder has already removed it.
   * `removeListener` and `close` emit nothing.
   */
  'listener-state': [listenerId: string, state: 'connected' | 'failed' | 'closed'];
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
  /** Packets handed to listeners' transports (one per listener per host packet). */
  packetsForwarded: number;
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

interface ListenerSlot {
  readonly id: string;
  /** null while the offer is being created. */
  peer: SubscriberPeer | null;
  readonly ssrc: number;
  readonly seqOffset: number;
  readonly tsOffset: number;
  payloadType: number;
  active: boolean;
  onState: ((state: PeerState) => void) | null;
}

export class Forwarder {
  readonly callId: string;
  readonly #log: Logger;
  readonly #network: PeerNetworkOptions;
  readonly #events = new EventEmitter<ForwarderEvents>();
  readonly #continuity = new Continuity();
  readonly #listeners = new Map<string, ListenerSlot>();
  /**
   * Listeners to send to, a plain array for the hot path. Rebuilt lazily, by the next packet after
   * a change: 200 listeners leaving at once are then one O(n) rebuild, not 200.
   */
  #active: ListenerSlot[] = [];
  #activeStale = false;
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
  #packetsInvalid = 0;
  /** Dropped packets of listeners already removed. */
  #droppedFromGone = 0;

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
    if (this.#listeners.has(listenerId)) {
      throw new BullpenError('ALREADY_JOINED', 'already listening to this call');
    }
    const slot: ListenerSlot = {
      id: listenerId,
      peer: null,
      ssrc: this.#newListenerSsrc(),
      seqOffset: randomInt(0, 0x1_0000),
      tsOffset: randomInt(0, 0xffff_ffff),
      payloadType: 111,
      active: false,
      onState: null,
    };
    // Reserved before the first await, so a concurrent join with the same id is refused.
    this.#listeners.set(listenerId, slot);
    let peer: SubscriberPeer;
    try {
      peer = await SubscriberPeer.create({
        offerSdp,
        log: this.#log.child({ listenerId }),
        ssrc: slot.ssrc,
        msid: { stream: `bullpen-${this.callId}`, track: 'call-audio' },
        ...this.#network,
        ...(onCandidate ? { onCandidate } : {}),
      });
    } catch (err) {
      if (this.#listeners.get(listenerId) === slot) this.#listeners.delete(listenerId);
      throw err;
    }
    if (this.#closed || this.#listeners.get(listenerId) !== slot) {
      peer.close();
      throw this.#closed
        ? new BullpenError('CALL_ENDED', 'the call ended while joining')
        : new BullpenError('NOT_LISTENING', 'left the call while joining');
    }
    slot.peer = peer;
    slot.payloadType = peer.payloadType;
    slot.onState = (state) => this.#onListenerState(slot, state);
    peer.on('state', slot.onState);
    // Joins and leaves are logged once, by the call that owns the listener.
    this.#log.debug('listener slot added', { listenerId, listeners: this.#listeners.size });
    return peer.answerSdp;
  }

  /** Removes a listener and closes its connection. Idempotent; emits nothing. */
  removeListener(listenerId: string): void {
    const slot = this.#listeners.get(listenerId);
    if (!slot) return;
    this.#listeners.delete(listenerId);
    this.#closeSlot(slot);
    this.#activeStale = true;
    this.#log.debug('listener slot removed', { listenerId, listeners: this.#listeners.size });
  }

  /**
   * Adds a client's trickled ICE candidate to the publisher's connection (`listenerId` null) or a
   * listener's. Signalling, not the packet path. MEDIA_FAILED when that connection is not there
   * (yet, or any more); BAD_REQUEST for a refused candidate (ice-trickle.ts).
   */
  addCandidate(listenerId: string | null, candidate: IceCandidate | null): void {
    this.#assertOpen();
    const peer = listenerId === null ? this.#publisher : (this.#listeners.get(listenerId)?.peer ?? null);
    if (!peer) throw new BullpenError('MEDIA_FAILED', 'That media connection is not set up (yet): send candidates after the answer.');
    peer.addRemoteCandidate(candidate);
  }

  hasListener(listenerId: string): boolean {
    return this.#listeners.has(listenerId);
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
    let dropped = this.#droppedFromGone;
    for (const slot of this.#listeners.values()) dropped += slot.peer?.droppedInbound ?? 0;
    return {
      packetsIn: this.#packetsIn,
      packetsForwarded: this.#packetsForwarded,
      droppedFromListeners: dropped,
      listeners: this.#listeners.size,
      connectedListeners: this.#activeSlots().length,
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
    for (const slot of this.#listeners.values()) this.#closeSlot(slot);
    this.#listeners.clear();
    this.#active = [];
    this.#activeStale = false;
    this.#events.removeAllListeners();
    this.#rtpSubscribers = 0;
    this.#probe = null;
    this.#log.info('forwarder closed', {
      packetsIn: this.#packetsIn,
      packetsForwarded: this.#packetsForwarded,
      droppedFromListeners: this.#droppedFromGone,
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

    const active = this.#activeSlots();
    let sent = 0;
    for (let i = 0; i < active.length; i++) {
      const slot = active[i]!;
      packet[1] = marker | slot.payloadType;
      writeSeq(packet, (seq + slot.seqOffset) & 0xffff);
      writeTimestamp(packet, (ts + slot.tsOffset) >>> 0);
      writeSsrc(packet, slot.ssrc);
      if (slot.peer!.send(packet)) sent++;
    }
    this.#packetsForwarded += sent;
    if (startNs !== 0n) probe!(startNs, process.hrtime.bigint(), active.length, hostSeq);

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

  #onListenerState(slot: ListenerSlot, state: PeerState): void {
    if (this.#listeners.get(slot.id) !== slot) return;
    switch (state) {
      case 'connected':
        slot.active = true;
        this.#activeStale = true;
        this.#log.info('listener connected', { listenerId: slot.id });
        this.#events.emit('listener-state', slot.id, 'connected');
        break;
      case 'disconnected':
        // ICE may recover; stop spending encryption on it meanwhile.
        slot.active = false;
        this.#activeStale = true;
        this.#log.info('listener disconnected', { listenerId: slot.id });
        break;
      case 'failed':
      case 'closed':
        this.#listeners.delete(slot.id);
        this.#closeSlot(slot);
        this.#activeStale = true;
        this.#log.debug(`listener ${state}`, { listenerId: slot.id, listeners: this.#listeners.size });
        this.#events.emit('listener-state', slot.id, state);
        break;
    }
  }

  #closeSlot(slot: ListenerSlot): void {
    slot.active = false;
    const peer = slot.peer;
    if (!peer) return;
    if (slot.onState) peer.off('state', slot.onState);
    this.#droppedFromGone += peer.droppedInbound;
    slot.peer = null;
    // Already off the hot path; the native close waits its turn (see teardown-queue.ts).
    peerTeardown.enqueue(() => peer.close());
  }

  #activeSlots(): ListenerSlot[] {
    if (this.#activeStale) {
      const active: ListenerSlot[] = [];
      for (const slot of this.#listeners.values()) {
        if (slot.active && slot.peer) active.push(slot);
      }
      this.#active = active;
      this.#activeStale = false;
    }
    return this.#active;
  }

  /** A random SSRC used by no other listener of the call and not the host's current one. */
  #newListenerSsrc(): number {
    for (;;) {
      const ssrc = randomSsrc();
      if (ssrc === this.#continuity.sourceSsrc) continue;
      let taken = false;
      for (const slot of this.#listeners.values()) if (slot.ssrc === ssrc) taken = true;
      if (!taken) return ssrc;
    }
  }

  #assertOpen(): void {
    if (this.#closed) throw new BullpenError('CALL_ENDED', 'the call has ended');
  }
}
