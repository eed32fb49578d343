import { EventEmitter } from 'node:events';
import {
  BullpenError,
  type CallEndReason,
  type CallSummary,
  type ListenerInfo,
  type ListenPolicy,
} from '../../contract';
import type { Logger } from '../logger';

/** What a call needs from the media layer (the `Forwarder`). */
export interface CallMedia {
  publish(offerSdp: string): Promise<string>;
  /** Adds a listener from its receive-only offer; resolves with the server's answer. */
  addListener(listenerId: string, offerSdp: string): Promise<string>;
  removeListener(listenerId: string): void;
  onPublisherState(cb: (state: 'connected' | 'disconnected') => void): void;
  /** Subscribes to every host packet (for the recorder); returns the unsubscribe function. */
  onPacket(cb: (packet: Buffer, arrivalMs: number) => void): () => void;
  close(): void;
}

interface ListenerEntry extends ListenerInfo {
  /** The media-layer id of this listener's peer (one per join). */
  mediaId: string;
  socketId: string;
}

export interface CallInit {
  id: string;
  teamId: string;
  hostId: string;
  hostName: string;
  title: string;
  account: string | null;
  policy: ListenPolicy;
  /** Whether the host chose to record (with the customer informed). */
  recording: boolean;
  media: CallMedia;
  log: Logger;
  graceMs: number;
}

export type HostState = CallSummary['hostState'];

interface CallEvents {
  /** Listeners, host state or anything else the board shows changed. */
  changed: [];
  ended: [reason: CallEndReason];
}

/**
 * One live call: its host, its listeners and its media. The host may be away (socket or
 * media connection dropped) for `graceMs`; after that the call ends with `host-timeout`.
 */
export class Call {
  readonly id: string;
  readonly teamId: string;
  readonly hostId: string;
  readonly hostName: string;
  readonly title: string;
  readonly account: string | null;
  readonly policy: ListenPolicy;
  readonly recording: boolean;
  readonly startedAt: number;
  readonly #media: CallMedia;
  readonly #log: Logger;
  readonly #graceMs: number;
  readonly #events = new EventEmitter<CallEvents>();
  readonly #listeners = new Map<string, ListenerEntry>();
  #everConnected = false;
  #mediaAway = true;
  #socketAway = false;
  #graceTimer: NodeJS.Timeout | undefined;
  #endedReason: CallEndReason | undefined;

  private constructor(init: CallInit) {
    this.id = init.id;
    this.teamId = init.teamId;
    this.hostId = init.hostId;
    this.hostName = init.hostName;
    this.title = init.title;
    this.account = init.account;
    this.policy = init.policy;
    this.recording = init.recording;
    this.startedAt = Date.now();
    this.#media = init.media;
    this.#log = init.log;
    this.#graceMs = init.graceMs;
    this.#media.onPublisherState((state) => this.#onPublisherState(state));
    // A host whose media never connects is "away" from the start.
    this.#armGraceTimer();
  }

  static create(init: CallInit): Call {
    return new Call(init);
  }

  on<E extends keyof CallEvents>(event: E, listener: (...args: CallEvents[E]) => void): void {
    this.#events.on(event, listener as never);
  }

  get ended(): boolean {
    return this.#endedReason !== undefined;
  }

  get hostState(): HostState {
    if (!this.#everConnected) return 'connecting';
    return this.#mediaAway || this.#socketAway ? 'reconnecting' : 'live';
  }

  listeners(): ListenerInfo[] {
    return [...this.#listeners.values()].map(({ userId, name, joinedAt }) => ({ userId, name, joinedAt }));
  }

  hasListener(userId: string): boolean {
    return this.#listeners.has(userId);
  }

  listenerUserIdsOnSocket(socketId: string): string[] {
    return [...this.#listeners.values()].filter((l) => l.socketId === socketId).map((l) => l.userId);
  }

  summary(canListen: boolean): CallSummary {
    return {
      id: this.id,
      hostId: this.hostId,
      hostName: this.hostName,
      title: this.title,
      account: this.account,
      policy: this.policy,
      startedAt: this.startedAt,
      hostState: this.hostState,
      listeners: this.listeners(),
      recording: this.recording,
      canListen,
    };
  }

  /** The host publishes (first time or after a reconnect); returns the SDP answer. */
  async publish(offerSdp: string): Promise<string> {
    this.#assertLive();
    const answer = await this.#media.publish(offerSdp);
    this.#assertLive();
    return answer;
  }

  /** Adds a listener from its receive-only offer; returns the server's SDP answer. */
  async addListener(
    listener: { userId: string; name: string; socketId: string },
    mediaId: string,
    offerSdp: string,
  ): Promise<string> {
    this.#assertLive();
    if (this.#listeners.has(listener.userId)) {
      throw new BullpenError('ALREADY_JOINED', 'You are already listening to this call (maybe in another window).');
    }
    const entry: ListenerEntry = { ...listener, joinedAt: Date.now(), mediaId };
    this.#listeners.set(listener.userId, entry);
    try {
      const answer = await this.#media.addListener(mediaId, offerSdp);
      this.#assertLive();
      this.#log.info('listener joined', { callId: this.id, userId: listener.userId, listeners: this.#listeners.size });
      this.#events.emit('changed');
      return answer;
    } catch (error) {
      if (this.#listeners.get(listener.userId) === entry) this.#listeners.delete(listener.userId);
      this.#media.removeListener(mediaId);
      throw error;
    }
  }

  /** Removes a listener; returns whether it was there. Idempotent. */
  removeListener(userId: string): boolean {
    const entry = this.#listeners.get(userId);
    if (!entry) return false;
    this.#listeners.delete(userId);
    this.#media.removeListener(entry.mediaId);
    this.#log.info('listener left', { callId: this.id, userId, listeners: this.#listeners.size });
    this.#events.emit('changed');
    return true;
  }

  /** The host's signalling connection went away or came back. */
  setHostSocketPresent(present: boolean): void {
    if (this.ended || this.#socketAway === !present) return;
    this.#socketAway = !present;
    this.#hostPresenceChanged();
  }

  #onPublisherState(state: 'connected' | 'disconnected'): void {
    if (this.ended) return;
    const away = state === 'disconnected';
    if (state === 'connected') this.#everConnected = true;
    if (this.#mediaAway === away) return;
    this.#mediaAway = away;
    this.#hostPresenceChanged();
  }

  #hostPresenceChanged(): void {
    const away = this.#mediaAway || this.#socketAway;
    if (away) {
      this.#armGraceTimer();
    } else if (this.#graceTimer) {
      clearTimeout(this.#graceTimer);
      this.#graceTimer = undefined;
    }
    this.#log.info('host state', { callId: this.id, hostState: this.hostState });
    this.#events.emit('changed');
  }

  #armGraceTimer(): void {
    if (this.#graceTimer) return;
    this.#graceTimer = setTimeout(() => this.end('host-timeout'), this.#graceMs);
    this.#graceTimer.unref();
  }

  /** Ends the call for everyone. Idempotent. */
  end(reason: CallEndReason): void {
    if (this.#endedReason) return;
    this.#endedReason = reason;
    clearTimeout(this.#graceTimer);
    this.#listeners.clear();
    this.#media.close();
    this.#log.info('call ended', { callId: this.id, reason });
    this.#events.emit('ended', reason);
  }

  #assertLive(): void {
    if (this.#endedReason) throw new BullpenError('CALL_ENDED', 'This call has ended.');
  }
}
