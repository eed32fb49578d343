import { EventEmitter } from 'node:events';
import {
  BullpenError,
  type CallEndReason,
  type CallSummary,
  type ClientPayload,
  type ListenPolicy,
  type MediaRole,
  type Role,
  type ServerPayload,
  type User,
} from '../../contract';
import type { Caller } from '../auth/auth-service';
import { newId } from '../ids';
import type { Logger } from '../logger';
import type { RecordingService } from '../clips/recording-service';
import type { CallStore, OpenCallRow } from '../store/call-store';
import type { TeamStore } from '../store/team-store';
import { Call, type CallMedia, type CandidateSink } from './call';
import type { Listener } from './listener';
import { listenDecision } from './policy';

interface RegistryEvents {
  /** Something on this team's board changed. */
  'board-changed': [teamId: string];
  /** A listener joined or left a live call. */
  'listeners-changed': [call: Call];
  /** A live call's host went away or came back. */
  'host-state-changed': [call: Call];
  /** A live call's host paused or resumed sharing. */
  'sharing-changed': [call: Call];
  /** A call went live and its row is stored (followers are notified from this). */
  'call-started': [call: Call];
  'call-ended': [call: Call, reason: CallEndReason];
  /** Someone started listening to a call (their listens row is queued); the audit log hears it. */
  'listen-started': [call: Call, listener: Listener];
  /** A listen whose start was announced ended, for whatever reason. */
  'listen-ended': [call: Call, listener: Listener];
  /** The server's ICE candidate (or null: no more) for one socket's connection to a call. */
  'media-candidate': [socketId: string, payload: ServerPayload<'media:candidate'>];
  /** A listener's rights to a call ended; its audio has already stopped. */
  'listener-revoked': [call: Call, listener: Listener, why: RevokeWhy];
}

/** What re-checking listeners needs to know about a team's people now (a roster). */
export type TeamPeople = ReadonlyMap<string, { role: Role; mentorIds: ReadonlySet<string> }>;

export interface CallRegistryDeps {
  teams: TeamStore;
  calls: CallStore;
  log: Logger;
  createMedia(callId: string): CallMedia;
  graceMs: number;
  /** Records calls whose host chose recording (with the customer informed). */
  recordings?: RecordingService;
  /** The team setting "Managers can always join calls" (default: on). */
  managersAlwaysJoin?(teamId: string): Promise<boolean>;
  /** Cluster mode: which node owns which call (ClusterNodes); absent on a single server. */
  owners?: CallOwners;
}

/** Where a cluster records which node carries each live call (see ClusterNodes). */
export interface CallOwners {
  claimCall(callId: string): Promise<void>;
  releaseCall(callId: string): Promise<void>;
  /** The live node carrying `callId`, or undefined (none, or it died). */
  ownerOf(callId: string): Promise<string | undefined>;
}

/** Why a listener's rights ended, as `listen:revoked` tells them. */
export type RevokeWhy = Omit<ServerPayload<'listen:revoked'>, 'callId'>;

/**
 * The live calls of this server process: starting, publishing, joining, leaving and ending
 * them, with every team and policy check. Socket handlers call this and nothing deeper.
 */
export class CallRegistry {
  readonly #deps: CallRegistryDeps;
  readonly #calls = new Map<string, Call>();
  readonly #events = new EventEmitter<RegistryEvents>();
  /** Calls whose host chose to discard the full recording when ending. */
  readonly #discardRecording = new Set<string>();
  /** Hosts whose call:start is waiting for its media to be accepted (by user id). */
  readonly #starting = new Map<string, { cancelled: boolean }>();

  constructor(deps: CallRegistryDeps) {
    this.#deps = deps;
  }

  /**
   * Closes calls a previous process left open (it stopped abruptly). Call once, before serving.
   * In cluster mode only calls whose owner node is gone: the other nodes' live calls stay.
   */
  async closeOrphans(): Promise<void> {
    const owners = this.#deps.owners;
    const spare: string[] = [];
    if (owners) {
      for (const callId of await this.#deps.calls.openCallIds()) if (await owners.ownerOf(callId)) spare.push(callId);
    }
    const orphans = await this.#deps.calls.closeOrphans(Date.now(), spare);
    if (orphans > 0) this.#deps.log.warn('closed calls left open by a previous run', { calls: orphans });
  }

  on<E extends keyof RegistryEvents>(event: E, listener: (...args: RegistryEvents[E]) => void): void {
    this.#events.on(event, listener as never);
  }

  /** A team's live calls, newest first (boards are built from these, never from SQL). */
  callsOf(teamId: string): Call[] {
    return [...this.#calls.values()].filter((c) => c.teamId === teamId).sort((a, b) => b.startedAt - a.startedAt);
  }

  /** Whether `callId` is live on this node (cluster mode: this node carries its media). */
  owns(callId: string): boolean {
    return this.#calls.has(callId);
  }

  /** The live call a user hosts, if any. */
  hostedBy(userId: string): Call | undefined {
    for (const call of this.#calls.values()) if (call.hostId === userId) return call;
    return undefined;
  }

  /**
   * The host goes live. Nothing is stored or shown until the host's media is accepted (its offer
   * answered): an unusable offer gets its error and leaves no call row and no board entry.
   */
  async start(caller: Caller, input: ClientPayload<'call:start'>, socketId?: string): Promise<{ call: CallSummary; answer: string }> {
    const hostId = caller.user.id;
    // Read before the checks below, which run together with the reservation (no await between).
    const managersAlwaysJoin = (await this.#deps.managersAlwaysJoin?.(caller.team.id)) ?? true;
    if (this.hostedBy(hostId) || this.#starting.has(hostId)) {
      throw new BullpenError('ALREADY_LIVE', 'You are already live on another call. End it first.');
    }
    const recording = input.recording?.enabled ?? false;
    if (recording && !this.#deps.recordings) throw new BullpenError('UNAVAILABLE', 'This server cannot record calls.');
    // Reserved before the first await, so a second start by the same host is refused.
    const start = { cancelled: false };
    this.#starting.set(hostId, start);
    const id = newId();
    const media = this.#deps.createMedia(id);
    const call = Call.create({
      id,
      teamId: caller.team.id,
      hostId,
      hostName: caller.user.name,
      title: input.title,
      account: input.account ? input.account : null,
      kind: input.kind,
      policy: input.policy satisfies ListenPolicy,
      recording,
      questions: input.questions,
      whispers: input.whispers,
      managersMayJoin: input.managersMayJoin,
      managersAlwaysJoin,
      media,
      log: this.#deps.log,
      graceMs: this.#deps.graceMs,
    });
    let answer: string;
    try {
      answer = await call.publish(input.offer, this.#candidateSink(socketId, id, 'host'));
      if (start.cancelled) throw new BullpenError('UNAUTHENTICATED', 'You signed out while going live.');
    } catch (error) {
      // Never registered: ending it only closes its media (no row, no board change).
      call.end('host-ended');
      throw error;
    } finally {
      this.#starting.delete(hostId);
    }
    this.#register(call);
    // Claimed before the host has its answer: actions routed from other nodes find this one.
    await this.#claim(call);
    // The board shows the call at once; its row is written before anything refers to it.
    const inserted = this.#deps.calls.insertCall({
      id,
      teamId: call.teamId,
      hostId: call.hostId,
      title: call.title,
      account: call.account,
      kind: call.kind,
      policy: call.policy,
      startedAt: call.startedAt,
      questions: call.questions,
      whispers: call.whispers,
      managersMayJoin: input.managersMayJoin,
    });
    this.#deps.log.info('call started', { callId: id, hostId, policy: call.policy, recording: call.recording });
    this.#events.emit('board-changed', call.teamId);
    try {
      await inserted;
      this.#events.emit('call-started', call);
      // The host connects only once it has the answer: no packet is missed by starting here.
      if (call.recording) {
        await this.#deps.recordings!.begin(call, hostId, (onPacket) => media.onPacket(onPacket));
        // The call may have ended while its recording row was written.
        if (!this.#calls.has(id)) await this.#deps.recordings!.finish(id, true);
      }
      return { call: call.summary(false), answer };
    } catch (error) {
      call.end('host-ended');
      throw error;
    }
  }

  /** Makes a started call live in this registry: the board, history and events follow it. */
  #register(call: Call): void {
    this.#calls.set(call.id, call);
    call.on('listeners-changed', () => {
      this.#events.emit('listeners-changed', call);
      this.#events.emit('board-changed', call.teamId);
    });
    call.on('host-state-changed', () => {
      this.#events.emit('host-state-changed', call);
      this.#events.emit('board-changed', call.teamId);
    });
    call.on('sharing-changed', () => {
      this.#events.emit('sharing-changed', call);
      this.#events.emit('board-changed', call.teamId);
    });
    call.on('settings-changed', () => this.#events.emit('board-changed', call.teamId));
    call.on('listener-left', (listener) => {
      if (!listener.listenId) return;
      this.#write(this.#deps.calls.listenEnded(listener.listenId, Date.now()), call.id);
      this.#events.emit('listen-ended', call, listener);
    });
    call.on('ended', (reason) => this.#onEnded(call, reason));
  }

  /**
   * Cluster mode: the node carrying `row`'s call died and its host publishes again here. This
   * node rebuilds the call from its row (same id, start, settings and listen policy), takes the
   * host's media and claims it; listeners join again on their own. Only the host may adopt.
   */
  async adopt(caller: Caller, row: OpenCallRow, offer: string, socketId?: string): Promise<string> {
    if (row.teamId !== caller.team.id) throw new BullpenError('CALL_NOT_FOUND', 'There is no such call on your team.');
    if (row.hostId !== caller.user.id) {
      throw new BullpenError('NOT_HOST', 'Only the host can send audio into this call. Listeners are listen-only.');
    }
    if (this.#calls.has(row.id)) return this.publish(caller, row.id, offer, socketId);
    const managersAlwaysJoin = (await this.#deps.managersAlwaysJoin?.(row.teamId)) ?? true;
    const media = this.#deps.createMedia(row.id);
    const call = Call.create({
      id: row.id,
      teamId: row.teamId,
      hostId: row.hostId,
      hostName: caller.user.name,
      title: row.title,
      account: row.account,
      kind: row.kind,
      policy: row.policy,
      // A recorded call goes on recording here, into the same recording (see below).
      recording: row.recordingConsentBy !== null && this.#deps.recordings !== undefined,
      questions: row.questions,
      whispers: row.whispers,
      managersMayJoin: row.managersMayJoin,
      managersAlwaysJoin,
      media,
      log: this.#deps.log,
      graceMs: this.#deps.graceMs,
      startedAt: row.startedAt,
    });
    let answer: string;
    try {
      answer = await call.publish(offer, this.#candidateSink(socketId, row.id, 'host'));
    } catch (error) {
      call.end('host-ended');
      throw error;
    }
    if (this.#calls.has(row.id)) {
      // Adopted here twice at once (two publishes): keep the first.
      call.end('host-ended');
      return this.publish(caller, row.id, offer, socketId);
    }
    this.#register(call);
    await this.#claim(call);
    this.#deps.log.info('call adopted', { callId: call.id, hostId: call.hostId, recording: call.recording });
    if (call.recording) {
      // The same recording carries on from what the dead node uploaded, after a gap of silence.
      // A failure here leaves the call live (listening matters more) and is logged.
      await this.#deps.recordings!.continue(call, row.recordingConsentBy!, (onPacket) => media.onPacket(onPacket)).catch((error: unknown) =>
        this.#deps.log.error('could not continue the recording of an adopted call', { callId: call.id, error }),
      );
    }
    this.#events.emit('board-changed', call.teamId);
    return answer;
  }

  /** The host publishes again into its own call (after its media connection dropped). */
  async publish(caller: Caller, callId: string, offer: string, socketId?: string): Promise<string> {
    const call = await this.#find(caller, callId);
    if (call.hostId !== caller.user.id) {
      throw new BullpenError('NOT_HOST', 'Only the host can send audio into this call. Listeners are listen-only.');
    }
    return call.publish(offer, this.#candidateSink(socketId, call.id, 'host'));
  }

  /**
   * Trickle ICE: one of the caller's ICE candidates for its connection to a call of its team (the
   * one it hosts, or the one it listens to). Refused, changing nothing, for a call it has no such
   * connection to or a candidate the media layer refuses.
   */
  async addCandidate(caller: Caller, payload: ClientPayload<'media:candidate'>): Promise<void> {
    const call = await this.#find(caller, payload.callId);
    await call.addCandidate(caller.user.id, payload.role, payload.candidate);
  }

  /** The host ends the call, keeping or discarding the full recording (clips stay either way). */
  async end(caller: Caller, callId: string, keepRecording = true): Promise<void> {
    const call = await this.#find(caller, callId);
    if (call.hostId !== caller.user.id) throw new BullpenError('NOT_HOST', 'Only the host can end this call.');
    if (!keepRecording) this.#discardRecording.add(call.id);
    call.end('host-ended');
    // The host's reply means the recording is saved (or gone), as before the store was async.
    await this.#deps.recordings?.whenFinished(call.id);
  }

  /** A live call of the caller's team (for clip marks); CALL_NOT_FOUND / CALL_ENDED otherwise. */
  liveCall(caller: Caller, callId: string): Promise<Call> {
    return this.#find(caller, callId);
  }

  async join(caller: Caller, socketId: string, callId: string, offer: string): Promise<{ call: CallSummary; answer: string }> {
    const call = await this.#find(caller, callId);
    const decision = await this.#decide(caller.user, call);
    if (!decision.allowed) throw new BullpenError('NOT_ALLOWED', decision.reason);
    const { listener, answer } = await call.addListener(
      { userId: caller.user.id, name: caller.user.name, socketId },
      newId(),
      offer,
      this.#candidateSink(socketId, call.id, 'listener'),
    );
    // Rights may have changed while the media was negotiated (a demotion whose re-check ran
    // before this listener existed): decide again on what the store says now.
    const still = await this.#decide(await this.#current(caller.user), call);
    if (!still.allowed) {
      call.removeListener(caller.user.id, 'rights-ended');
      throw new BullpenError('NOT_ALLOWED', still.reason);
    }
    // The id is ours, so the row is queued at once; the call store writes history in order, so a
    // leave that follows can never overtake it.
    listener.listenId = newId();
    this.#write(this.#deps.calls.listenStarted(listener.listenId, call.id, caller.user.id, listener.joinedAt), call.id);
    this.#events.emit('listen-started', call, listener);
    if (listener.leftReason) {
      this.#write(this.#deps.calls.listenEnded(listener.listenId, Date.now()), call.id);
      this.#events.emit('listen-ended', call, listener);
    }
    return { call: call.summary(true), answer };
  }

  /**
   * Roles, mentorships or membership of a team changed: every listener of its live calls whose
   * rights ended (by the one listen policy, on `people` as they are now) is removed at once, so
   * its audio stops, and announced with `listener-revoked`.
   */
  revokeUnentitled(teamId: string, people: TeamPeople): void {
    for (const call of this.callsOf(teamId)) {
      for (const listener of call.currentListeners()) {
        const person = people.get(listener.userId);
        let why: Omit<ServerPayload<'listen:revoked'>, 'callId'> | null = null;
        if (!person) {
          why = { reason: 'removed-from-team', message: 'You are no longer on this team.' };
        } else {
          const viewer = { id: listener.userId, role: person.role };
          const decision = listenDecision(viewer, call.hostId, call.policy, {
            isMenteeOfHost: person.mentorIds.has(call.hostId),
            ...call.accessFacts(listener.userId),
          });
          if (!decision.allowed) why = { reason: 'not-allowed', message: `Your access changed. ${decision.reason}` };
        }
        if (why) this.revoke(call, listener, why);
      }
    }
  }

  /**
   * Changes who may listen to `call` (`change` runs synchronously, after the listeners' roles
   * and mentorships are read from the store) and drops every listener the call no longer admits,
   * telling them why. The change and the drops happen in one turn of the event loop, so the
   * coalesced board push shows both at once.
   */
  async changeAccess(call: Call, change: () => void, prefix: string): Promise<void> {
    const people = new Map<string, { user: User | undefined; isMentee: boolean }>();
    for (const listener of call.currentListeners()) {
      const user = await this.#deps.teams.userById(listener.userId);
      people.set(listener.userId, { user, isMentee: user ? await this.#deps.teams.isMentorOf(call.hostId, user.id) : false });
    }
    if (call.ended) return;
    change();
    for (const listener of call.currentListeners()) {
      const person = people.get(listener.userId);
      // Joined while the store was read: its join decides again on the new rules itself.
      if (!person) continue;
      let why: RevokeWhy | null = null;
      if (!person.user || person.user.teamId !== call.teamId) {
        why = { reason: 'removed-from-team', message: 'You are no longer on this team.' };
      } else {
        const decision = listenDecision(person.user, call.hostId, call.policy, {
          isMenteeOfHost: person.isMentee,
          ...call.accessFacts(listener.userId),
        });
        if (!decision.allowed) why = { reason: 'not-allowed', message: `${prefix} ${decision.reason}` };
      }
      if (why) this.revoke(call, listener, why);
    }
  }

  /**
   * Ends one listener's listen because their rights ended (`rights-ended`) or the host removed
   * them (`removed-by-host`): its audio stops at once and `listener-revoked` tells them why.
   * Returns whether they were still listening.
   */
  revoke(call: Call, listener: Listener, why: RevokeWhy): boolean {
    const removed =
      why.reason === 'removed-by-host' ? call.banListener(listener.userId) : call.removeListener(listener.userId, 'rights-ended');
    if (!removed) return false;
    this.#deps.log.info('listener rights ended', { callId: call.id, userId: listener.userId, reason: why.reason });
    this.#events.emit('listener-revoked', call, listener, why);
    return true;
  }

  /** The team's "Managers can always join calls" setting changed: live calls follow it at once. */
  async managersAlwaysJoinChanged(teamId: string, always: boolean): Promise<void> {
    for (const call of this.callsOf(teamId)) {
      await this.changeAccess(call, () => call.setManagersAlwaysJoin(always), 'Your access changed.');
    }
  }

  async leave(caller: Caller, callId: string): Promise<void> {
    const call = await this.#find(caller, callId);
    if (!call.hasListener(caller.user.id)) throw new BullpenError('NOT_LISTENING', 'You are not listening to this call.');
    call.removeListener(caller.user.id, 'left');
  }

  /** A signalling connection closed: its listens end; a host becomes "reconnecting". */
  socketClosed(userId: string, socketId: string, userStillConnected: boolean): void {
    for (const call of this.#calls.values()) {
      for (const listenerId of call.listenerUserIdsOnSocket(socketId)) call.removeListener(listenerId, 'socket-closed');
      if (call.hostId === userId && !userStillConnected) call.setHostSocketPresent(false);
    }
  }

  /** A user's signalling connection opened: if they host a call, they are back. */
  socketOpened(userId: string): void {
    this.hostedBy(userId)?.setHostSocketPresent(true);
  }

  /** A user signed out or lost their session: the call they host ends. */
  hostSignedOut(userId: string): void {
    const starting = this.#starting.get(userId);
    if (starting) starting.cancelled = true;
    this.hostedBy(userId)?.end('host-signed-out');
  }

  /** Ends every call (server shutting down). */
  closeAll(): void {
    for (const call of [...this.#calls.values()]) call.end('server-shutdown');
  }

  get size(): number {
    return this.#calls.size;
  }

  /** Cluster mode: records that this node carries `call`; a Redis failure is logged (the heartbeat re-asserts it). */
  async #claim(call: Call): Promise<void> {
    await this.#deps.owners?.claimCall(call.id).catch((error: unknown) => this.#deps.log.warn('could not claim call in the cluster', { callId: call.id, error }));
  }

  #onEnded(call: Call, reason: CallEndReason): void {
    if (!this.#calls.delete(call.id)) return;
    this.#deps.owners?.releaseCall(call.id).catch((error: unknown) => this.#deps.log.warn('could not release call in the cluster', { callId: call.id, error }));
    this.#write(this.#deps.calls.endCall(call.id, reason, Date.now()), call.id);
    void this.#deps.recordings?.finish(call.id, !this.#discardRecording.delete(call.id));
    this.#events.emit('call-ended', call, reason);
    this.#events.emit('board-changed', call.teamId);
  }

  /** The user as the store holds them now (role included); NOT_ALLOWED once they are gone. */
  async #current(user: User): Promise<User> {
    const now = await this.#deps.teams.userById(user.id);
    if (!now || now.teamId !== user.teamId) throw new BullpenError('NOT_ALLOWED', 'You are no longer on this team.');
    return now;
  }

  async #decide(viewer: Pick<User, 'id' | 'role'>, call: Call) {
    return listenDecision(viewer, call.hostId, call.policy, {
      isMenteeOfHost: await this.#deps.teams.isMentorOf(call.hostId, viewer.id),
      ...call.accessFacts(viewer.id),
    });
  }

  /** History writes are queued in order by the call store; a failure is logged, not thrown at media code. */
  #write(work: Promise<void>, callId: string): void {
    work.catch((error: unknown) => this.#deps.log.error('could not save call history', { callId, error }));
  }

  /** A live call of the caller's team; calls of other teams are indistinguishable from none. */
  /** Where the server's ICE candidates for one socket's connection go: that socket, on any node. */
  #candidateSink(socketId: string | undefined, callId: string, role: MediaRole): CandidateSink {
    if (!socketId) return () => {};
    return (candidate) => this.#events.emit('media-candidate', socketId, { callId, role, candidate });
  }

  async #find(caller: Caller, callId: string): Promise<Call> {
    const call = this.#calls.get(callId);
    if (call && call.teamId === caller.team.id) return call;
    if (await this.#deps.calls.endedCallOfTeam(caller.team.id, callId)) {
      throw new BullpenError('CALL_ENDED', 'This call has already ended.');
    }
    throw new BullpenError('CALL_NOT_FOUND', 'There is no such call on your team.');
  }
}
