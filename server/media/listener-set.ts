/**
 * One call's listeners in one process: their SubscriberPeers, their per-listener rewrite (payload
 * type, SSRC, sequence and timestamp offsets) and the send loop. The Forwarder keeps one for the
 * listeners in the server process; a media worker process keeps one per call for the listeners
 * placed on it (media-worker-main.ts). Both feed it packets already mapped into the call's
 * continuous output space (continuity.ts), so the two paths cannot drift apart.
 *
 * The send loop is the hot path: one buffer is rewritten in place for every listener and handed to
 * `sendMessageBinary`, which copies and encrypts synchronously; nothing is allocated per listener.
 */
import { EventEmitter } from 'node:events';
import type { IceCandidate } from '../../contract/media';
import { BullpenError } from '../../contract/result';
import type { Logger } from '../logger';
import type { CandidateSink } from './ice-trickle';
import type { PeerNetworkOptions, PeerState } from './peer-connection';
import { writeSeq, writeSsrc, writeTimestamp } from './rtp';
import { SubscriberPeer } from './subscriber-peer';
import { peerTeardown } from './teardown-queue';

/** What the call's owner chose for a listener: its SSRC and its random offsets. */
export interface ListenerSeed {
  ssrc: number;
  seqOffset: number;
  tsOffset: number;
}

export type ListenerOutcome = 'connected' | 'failed' | 'closed';

export interface ListenerSetEvents {
  /**
   * `connected`: the listener's track is open. `failed` / `closed`: its connection failed or was
   * closed from its side; it has already been removed. `remove` and `close` emit nothing.
   */
  'listener-state': [listenerId: string, state: ListenerOutcome];
}

export interface ListenerSetOptions {
  callId: string;
  log: Logger;
  network: PeerNetworkOptions;
}

interface Slot extends ListenerSeed {
  readonly id: string;
  /** null while the answer is being made. */
  peer: SubscriberPeer | null;
  payloadType: number;
  active: boolean;
  onState: ((state: PeerState) => void) | null;
}

export class ListenerSet {
  readonly #callId: string;
  readonly #log: Logger;
  readonly #network: PeerNetworkOptions;
  readonly #events = new EventEmitter<ListenerSetEvents>();
  readonly #slots = new Map<string, Slot>();
  /** Listeners to send to, a plain array for the hot path, rebuilt by the next packet after a change. */
  #active: Slot[] = [];
  #activeStale = false;
  #closed = false;
  /** Dropped inbound packets of listeners already removed. */
  #droppedFromGone = 0;

  private constructor(opts: ListenerSetOptions) {
    this.#callId = opts.callId;
    this.#log = opts.log;
    this.#network = opts.network;
  }

  static create(opts: ListenerSetOptions): ListenerSet {
    return new ListenerSet(opts);
  }

  /**
   * Adds a listener from its receive-only offer and resolves with the server's answer. Throws
   * ALREADY_JOINED if the id is here, BAD_REQUEST for an unusable offer, NOT_LISTENING if it was
   * removed while joining, CALL_ENDED once closed.
   */
  async add(listenerId: string, offerSdp: string, seed: ListenerSeed, onCandidate?: CandidateSink): Promise<string> {
    if (this.#closed) throw new BullpenError('CALL_ENDED', 'the call has ended');
    if (this.#slots.has(listenerId)) throw new BullpenError('ALREADY_JOINED', 'already listening to this call');
    const slot: Slot = { id: listenerId, peer: null, ...seed, payloadType: 111, active: false, onState: null };
    // Reserved before the first await, so a concurrent join with the same id is refused.
    this.#slots.set(listenerId, slot);
    let peer: SubscriberPeer;
    try {
      peer = await SubscriberPeer.create({
        offerSdp,
        log: this.#log.child({ listenerId }),
        ssrc: seed.ssrc,
        msid: { stream: `bullpen-${this.#callId}`, track: 'call-audio' },
        ...this.#network,
        ...(onCandidate ? { onCandidate } : {}),
      });
    } catch (err) {
      if (this.#slots.get(listenerId) === slot) this.#slots.delete(listenerId);
      throw err;
    }
    if (this.#closed || this.#slots.get(listenerId) !== slot) {
      peer.close();
      throw this.#closed ? new BullpenError('CALL_ENDED', 'the call ended while joining') : new BullpenError('NOT_LISTENING', 'left the call while joining');
    }
    slot.peer = peer;
    slot.payloadType = peer.payloadType;
    slot.onState = (state) => this.#onState(slot, state);
    peer.on('state', slot.onState);
    this.#log.debug('listener slot added', { listenerId, listeners: this.#slots.size });
    return peer.answerSdp;
  }

  /** Removes a listener and closes its connection; returns whether it was here. Emits nothing. */
  remove(listenerId: string): boolean {
    const slot = this.#slots.get(listenerId);
    if (!slot) return false;
    this.#slots.delete(listenerId);
    this.#closeSlot(slot);
    this.#log.debug('listener slot removed', { listenerId, listeners: this.#slots.size });
    return true;
  }

  /** A client's trickled candidate for a listener's connection: MEDIA_FAILED when it is not (yet) here. */
  addCandidate(listenerId: string, candidate: IceCandidate | null): void {
    const peer = this.#slots.get(listenerId)?.peer;
    if (!peer) throw new BullpenError('MEDIA_FAILED', 'That media connection is not set up (yet): send candidates after the answer.');
    peer.addRemoteCandidate(candidate);
  }

  has(listenerId: string): boolean {
    return this.#slots.has(listenerId);
  }

  /** Whether a listener here already sends with this SSRC. */
  hasSsrc(ssrc: number): boolean {
    for (const slot of this.#slots.values()) if (slot.ssrc === ssrc) return true;
    return false;
  }

  get size(): number {
    return this.#slots.size;
  }

  /** Listeners whose track is open and which receive audio now. */
  get connected(): number {
    return this.#activeSlots().length;
  }

  /** RTP packets listeners sent that reached JavaScript, all dropped (listen-only). */
  get droppedInbound(): number {
    let dropped = this.#droppedFromGone;
    for (const slot of this.#slots.values()) dropped += slot.peer?.droppedInbound ?? 0;
    return dropped;
  }

  /**
   * The hot path: rewrites `packet` in place for each connected listener (payload type with
   * `marker`, which is 0x80 or 0; its SSRC; `seq` and `ts`, the call's output space, plus its
   * offsets) and sends it. Returns how many sends were accepted.
   */
  send(packet: Buffer, seq: number, ts: number, marker: number): number {
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
    return sent;
  }

  on<K extends keyof ListenerSetEvents>(event: K, fn: (...args: ListenerSetEvents[K]) => void): this {
    this.#events.on(event, fn as never);
    return this;
  }

  /** Closes every listener's connection. Idempotent; emits nothing. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const slot of this.#slots.values()) this.#closeSlot(slot);
    this.#slots.clear();
    this.#active = [];
    this.#activeStale = false;
    this.#events.removeAllListeners();
  }

  #onState(slot: Slot, state: PeerState): void {
    if (this.#slots.get(slot.id) !== slot) return;
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
        this.#slots.delete(slot.id);
        this.#closeSlot(slot);
        this.#log.debug(`listener ${state}`, { listenerId: slot.id, listeners: this.#slots.size });
        this.#events.emit('listener-state', slot.id, state);
        break;
    }
  }

  #closeSlot(slot: Slot): void {
    slot.active = false;
    this.#activeStale = true;
    const peer = slot.peer;
    if (!peer) return;
    if (slot.onState) peer.off('state', slot.onState);
    this.#droppedFromGone += peer.droppedInbound;
    slot.peer = null;
    // Already off the hot path; the native close waits its turn (see teardown-queue.ts).
    peerTeardown.enqueue(() => peer.close());
  }

  #activeSlots(): Slot[] {
    if (this.#activeStale) {
      const active: Slot[] = [];
      for (const slot of this.#slots.values()) if (slot.active && slot.peer) active.push(slot);
      this.#active = active;
      this.#activeStale = false;
    }
    return this.#active;
  }
}
