import { EventEmitter } from 'node:events';
import {
  BullpenError,
  type CallEndReason,
  type CallKind,
  type CallSummary,
  type IceCandidate,
  type ListenerInfo,
  type MediaRole,
  type ListenPolicy,
  type QuestionsMode,
} from '../../contract';
import type { Logger } from '../logger';
import { Listener, type ListenerLeaveReason } from './listener';

/** Receives the server's ICE candidates for one connection, then null (trickle ICE). */
export type CandidateSink = (candidate: IceCandidate | null) => void;

/** What a call needs from the media layer (the `Forwarder`). */
export interface CallMedia {
  /** Sets the host's connection; the server's later ICE candidates go to `onCandidate`. */
  publish(offerSdp: string, onCandidate: CandidateSink): Promise<string>;
  /** Adds a listener from its receive-only offer; resolves with the server's answer. */
  addListener(listenerId: string, offerSdp: string, onCandidate: CandidateSink): Promise<string>;
  /**
   * A client's trickled ICE candidate for the host's connection (`listenerId` null) or a
   * listener's; a promise when the listener's connection is in a media worker process.
   */
  addCandidate(listenerId: string | null, candidate: IceCandidate | null): void | Promise<void>;
  removeListener(listenerId: string): void;
  onPublisherState(cb: (state: 'connected' | 'disconnected') => void): void;
  /**
   * A listener's media connection failed or was closed from its side; the media layer has
   * already stopped sending to it.
   */
  onListenerGone(cb: (listenerId: string, state: 'failed' | 'closed') => void): void;
  /** Subscribes to every host packet (for the recorder); returns the unsubscribe function. */
  onPacket(cb: (packet: Buffer, arrivalMs: number) => void): () => void;
  /** Withholds (or forwards again) the host's audio from listeners and the recorder. */
  setPaused(paused: boolean): void;
  close(): void;
}

export interface CallInit {
  id: string;
  teamId: string;
  hostId: string;
  hostName: string;
  title: string;
  account: string | null;
  /** The kind of call (default 'other'). */
  kind?: CallKind;
  policy: ListenPolicy;
  /** Whether the host chose to record (with the customer informed). */
  recording: boolean;
  /** The host's go-live choices: questions live or after the call; whispers allowed. */
  questions?: QuestionsMode;
  whispers?: boolean;
  /** The host's go-live choice: managers and admins may join (default yes). */
  managersMayJoin?: boolean;
  /** The team setting "Managers can always join calls" when the call started (default on). */
  managersAlwaysJoin?: boolean;
  media: CallMedia;
  log: Logger;
  graceMs: number;
  /** When the call went live (a call adopted from a dead node keeps its start); now by default. */
  startedAt?: number;
}

export type HostState = CallSummary['hostState'];

interface CallEvents {
  /** A listener joined or left (the board and the host's list show it). */
  'listeners-changed': [];
  /** The host went away or came back. */
  'host-state-changed': [];
  /** The host paused or resumed sharing. */
  'sharing-changed': [];
  /** Who may listen changed, or recording started (the board shows it). */
  'settings-changed': [];
  /** A listener's listen is over, for whatever reason (emitted once per listener). */
  'listener-left': [listener: Listener, reason: ListenerLeaveReason];
  ended: [reason: CallEndReason];
}

/**
 * One live call: its host, its listeners and its media. The call is the one owner of its
 * listeners: the media layer and the registry address them through it, and a listener whose
 * media fails is removed here like one that left. The host may be away (socket or
 * media connection dropped) for `graceMs`; after that the call ends with `host-timeout`.
 */
export class Call {
  readonly id: string;
  readonly teamId: string;
  readonly hostId: string;
  readonly hostName: string;
  readonly title: string;
  readonly account: string | null;
  readonly kind: CallKind;
  readonly questions: QuestionsMode;
  readonly whispers: boolean;
  readonly startedAt: number;
  readonly #media: CallMedia;
  readonly #log: Logger;
  readonly #graceMs: number;
  readonly #events = new EventEmitter<CallEvents>();
  /** By user id: a user listens to a call at most once. */
  readonly #listeners = new Map<string, Listener>();
  #everConnected = false;
  #mediaAway = true;
  #socketAway = false;
  #graceTimer: NodeJS.Timeout | undefined;
  #endedReason: CallEndReason | undefined;
  // What the host may change mid-call (host-controls.ts); the board reads them through getters.
  #policy: ListenPolicy;
  #recording: boolean;
  #paused = false;
  #managersMayJoin: boolean;
  #managersAlwaysJoin: boolean;
  /** People the host removed: they may not join this call again. */
  readonly #removed = new Set<string>();

  private constructor(init: CallInit) {
    this.id = init.id;
    this.teamId = init.teamId;
    this.hostId = init.hostId;
    this.hostName = init.hostName;
    this.title = init.title;
    this.account = init.account;
    this.kind = init.kind ?? 'other';
    this.#policy = init.policy;
    this.#recording = init.recording;
    this.#managersMayJoin = init.managersMayJoin ?? true;
    this.#managersAlwaysJoin = init.managersAlwaysJoin ?? true;
    this.questions = init.questions ?? 'after-call';
    this.whispers = init.whispers ?? false;
    this.startedAt = init.startedAt ?? Date.now();
    this.#media = init.media;
    this.#log = init.log;
    this.#graceMs = init.graceMs;
    this.#media.onPublisherState((state) => this.#onPublisherState(state));
    this.#media.onListenerGone((mediaId, state) => this.#onListenerMediaGone(mediaId, state));
    // A host whose media never connects is "away" from the start.
    this.#armGraceTimer();
  }

  static create(init: CallInit): Call {
    return new Call(init);
  }

  on<E extends keyof CallEvents>(event: E, listener: (...args: CallEvents[E]) => void): void {
    this.#events.on(event, listener as never);
  }

  get policy(): ListenPolicy {
    return this.#policy;
  }

  /** Whether the call is being recorded (from go-live, or since the host started it mid-call). */
  get recording(): boolean {
    return this.#recording;
  }

  /** Whether the host paused sharing. */
  get paused(): boolean {
    return this.#paused;
  }

  /**
   * What the listen policy needs to know about this call for `userId` beyond roles and
   * mentorships: whether managers may join it now and whether the host removed them.
   */
  accessFacts(userId: string): { managersMayJoin: boolean; removedByHost: boolean } {
    return { managersMayJoin: this.#managersMayJoin || this.#managersAlwaysJoin, removedByHost: this.#removed.has(userId) };
  }

  /** The people the host removed from this call (other nodes' boards apply the same rule). */
  removedUserIds(): string[] {
    return [...this.#removed];
  }

  /** Pauses or resumes sharing (host controls). Returns whether anything changed. */
  setPaused(paused: boolean): boolean {
    this.#assertLive();
    if (this.#paused === paused) return false;
    this.#paused = paused;
    this.#media.setPaused(paused);
    this.#log.info(paused ? 'sharing paused' : 'sharing resumed', { callId: this.id });
    this.#events.emit('sharing-changed');
    return true;
  }

  /** Changes who may listen (host controls); the caller drops listeners no longer allowed. */
  setAccess(policy: ListenPolicy, managersMayJoin: boolean | undefined): void {
    this.#assertLive();
    this.#policy = policy;
    if (managersMayJoin !== undefined) this.#managersMayJoin = managersMayJoin;
    this.#log.info('listen policy changed', { callId: this.id, policy, managersMayJoin: this.#managersMayJoin });
    this.#events.emit('settings-changed');
  }

  /** The team's "Managers can always join calls" setting changed. */
  setManagersAlwaysJoin(always: boolean): void {
    if (this.ended || this.#managersAlwaysJoin === always) return;
    this.#managersAlwaysJoin = always;
    this.#events.emit('settings-changed');
  }

  /** Recording started mid-call (host controls, after consent). */
  markRecording(): void {
    this.#assertLive();
    if (this.#recording) return;
    this.#recording = true;
    this.#events.emit('settings-changed');
  }

  /** Subscribes to every host packet the call forwards (a recording started mid-call); returns the unsubscribe function. */
  onPacket(cb: (packet: Buffer, arrivalMs: number) => void): () => void {
    return this.#media.onPacket(cb);
  }

  /** The host removes a listener for good; returns whether they were listening. */
  banListener(userId: string): boolean {
    this.#assertLive();
    this.#removed.add(userId);
    return this.removeListener(userId, 'removed-by-host');
  }

  get ended(): boolean {
    return this.#endedReason !== undefined;
  }

  get hostState(): HostState {
    if (!this.#everConnected) return 'connecting';
    return this.#mediaAway || this.#socketAway ? 'reconnecting' : 'live';
  }

  listeners(): ListenerInfo[] {
    return [...this.#listeners.values()].map((l) => l.info());
  }

  /** The people listening now (for re-checking their rights). */
  currentListeners(): Listener[] {
    return [...this.#listeners.values()];
  }

  hasListener(userId: string): boolean {
    return this.#listeners.has(userId);
  }

  listenerUserIdsOnSocket(socketId: string): string[] {
    // Called for every call on every socket close (200 at once in a burst): no copies.
    const ids: string[] = [];
    for (const listener of this.#listeners.values()) if (listener.socketId === socketId) ids.push(listener.userId);
    return ids;
  }

  /** What the board shows of this call, for a viewer who may or may not listen. */
  summary(canListen: boolean): CallSummary {
    return { ...this.boardEntry(), canListen };
  }

  /** The board's view of this call without the per-viewer `canListen` (built once per push). */
  boardEntry(): Omit<CallSummary, 'canListen'> {
    return {
      id: this.id,
      hostId: this.hostId,
      hostName: this.hostName,
      title: this.title,
      account: this.account,
      kind: this.kind,
      policy: this.#policy,
      startedAt: this.startedAt,
      hostState: this.hostState,
      listeners: this.listeners(),
      recording: this.#recording,
      questions: this.questions,
      whispers: this.whispers,
      paused: this.#paused,
      managersMayJoin: this.#managersMayJoin,
      managersAlwaysJoin: this.#managersAlwaysJoin,
    };
  }

  /**
   * The host publishes (first time or after a reconnect); returns the SDP answer. The server's
   * ICE candidates gathered after it go to `onCandidate`.
   */
  async publish(offerSdp: string, onCandidate: CandidateSink = () => {}): Promise<string> {
    this.#assertLive();
    const answer = await this.#media.publish(offerSdp, onCandidate);
    this.#assertLive();
    return answer;
  }

  /**
   * Adds a listener from its receive-only offer; returns it and the server's SDP answer.
   * ALREADY_JOINED while the same user still listens (a listener whose media died is gone).
   */
  async addListener(
    who: { userId: string; name: string; socketId: string },
    mediaId: string,
    offerSdp: string,
    onCandidate: CandidateSink = () => {},
  ): Promise<{ listener: Listener; answer: string }> {
    this.#assertLive();
    if (this.#listeners.has(who.userId)) {
      throw new BullpenError('ALREADY_JOINED', 'You are already listening to this call (maybe in another window).');
    }
    const listener = new Listener({ ...who, mediaId });
    // Reserved before the first await, so a concurrent join by the same user is refused.
    this.#listeners.set(who.userId, listener);
    try {
      const answer = await this.#media.addListener(mediaId, offerSdp, onCandidate);
      this.#assertLive();
      if (listener.leftReason) throw new BullpenError('NOT_LISTENING', 'You left the call while joining.');
      this.#log.info('listener joined', { callId: this.id, userId: who.userId, listeners: this.#listeners.size });
      this.#events.emit('listeners-changed');
      return { listener, answer };
    } catch (error) {
      // Not announced as joined, so its leaving is not announced either.
      if (this.#listeners.get(who.userId) === listener) this.#listeners.delete(who.userId);
      listener.markLeft('left');
      this.#media.removeListener(mediaId);
      throw error;
    }
  }

  /**
   * A client's trickled ICE candidate for its connection: the host's publish (`role: 'host'`,
   * `userId` must be the host) or `userId`'s listen. NOT_HOST / NOT_LISTENING otherwise; the
   * media layer refuses bad candidates. Changes nothing when refused.
   */
  addCandidate(userId: string, role: MediaRole, candidate: IceCandidate | null): void | Promise<void> {
    this.#assertLive();
    if (role === 'host') {
      if (userId !== this.hostId) throw new BullpenError('NOT_HOST', 'Only the host has a publishing connection in this call.');
      return this.#media.addCandidate(null, candidate);
    }
    const listener = this.#listeners.get(userId);
    if (!listener) throw new BullpenError('NOT_LISTENING', 'You are not listening to this call: join it before sending ICE candidates.');
    return this.#media.addCandidate(listener.mediaId, candidate);
  }

  /** Removes a listener; returns whether it was there. Idempotent. */
  removeListener(userId: string, reason: ListenerLeaveReason = 'left'): boolean {
    const listener = this.#listeners.get(userId);
    if (!listener) return false;
    this.#listeners.delete(userId);
    this.#media.removeListener(listener.mediaId);
    if (!listener.markLeft(reason)) return true;
    this.#log.info('listener left', { callId: this.id, userId, reason, listeners: this.#listeners.size });
    this.#events.emit('listener-left', listener, reason);
    this.#events.emit('listeners-changed');
    return true;
  }

  #onListenerMediaGone(mediaId: string, state: 'failed' | 'closed'): void {
    if (this.ended) return;
    for (const listener of this.#listeners.values()) {
      if (listener.mediaId !== mediaId) continue;
      this.removeListener(listener.userId, state === 'failed' ? 'media-failed' : 'media-closed');
      return;
    }
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
    if (this.#mediaAway === away) {
      // A new publisher connected while the old one was never seen going away (a reloaded
      // host's old connection can close after the new publish): still tell the host and its
      // listeners the state now, as the host's app may hold an older one from before it published.
      if (state === 'connected') this.#events.emit('host-state-changed');
      return;
    }
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
    this.#events.emit('host-state-changed');
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
    // The listens rows end with the call (one statement), so no listener-left per listener.
    for (const listener of this.#listeners.values()) listener.markLeft('call-ended');
    this.#listeners.clear();
    this.#media.close();
    this.#log.info('call ended', { callId: this.id, reason });
    this.#events.emit('ended', reason);
  }

  #assertLive(): void {
    if (this.#endedReason) throw new BullpenError('CALL_ENDED', 'This call has ended.');
  }
}
