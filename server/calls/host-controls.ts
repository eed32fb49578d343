import { BullpenError, can, REMOVED_BY_HOST_MESSAGE, type CallSummary, type ClientPayload } from '../../contract';
import type { Caller } from '../auth/auth-service';
import type { RecordingService } from '../clips/recording-service';
import type { Logger } from '../logger';
import type { CallStore } from '../store/call-store';
import type { HostControlsStore } from '../store/host-controls-store';
import type { Call } from './call';
import type { CallRegistry } from './call-registry';

export interface HostControlsDeps {
  registry: CallRegistry;
  calls: CallStore;
  settings: HostControlsStore;
  /** Absent when this server cannot record. */
  recordings?: RecordingService;
  log: Logger;
  /**
   * Cluster mode: tells every node (this one included) that a team setting changed, so each
   * applies it to the calls it carries. Absent on a single server (applied here directly).
   */
  announceManagersAlwaysJoin?(teamId: string, on: boolean): void;
}

/**
 * The host's controls during a live call: pause and resume sharing, remove a listener, change
 * who may listen, start recording. Every one is for the call's host at the moment of acting
 * (checked on the authenticated caller of each event, within the caller's team); anyone else
 * is refused with NOT_HOST and nothing changes. Also the team setting that lets managers join
 * every call whatever its host chose.
 */
export class HostControls {
  readonly #deps: HostControlsDeps;
  /** Calls whose recording is being started (a double click must not begin it twice). */
  readonly #startingRecording = new Set<string>();

  constructor(deps: HostControlsDeps) {
    this.#deps = deps;
  }

  /**
   * Pauses (`true`) or resumes sharing. While paused the forwarder withholds the host's audio
   * from every listener and from the recorder; see Forwarder.setPaused for how streams and the
   * recording carry on across the pause.
   */
  async setPaused(caller: Caller, callId: string, paused: boolean): Promise<void> {
    const call = await this.#hostCall(caller, callId, paused ? 'pause sharing' : 'resume sharing');
    call.setPaused(paused);
  }

  /** Drops a listener; they are told why and may not join this call again. */
  async removeListener(caller: Caller, input: ClientPayload<'call:remove-listener'>): Promise<void> {
    const call = await this.#hostCall(caller, input.callId, 'remove listeners');
    const listener = call.currentListeners().find((l) => l.userId === input.userId);
    if (!listener) throw new BullpenError('NOT_LISTENING', 'That person is not listening to this call.');
    this.#deps.registry.revoke(call, listener, { reason: 'removed-by-host', message: REMOVED_BY_HOST_MESSAGE });
  }

  /** Changes who may listen; listeners the new policy keeps out are dropped with the reason. */
  async setPolicy(caller: Caller, input: ClientPayload<'call:set-policy'>): Promise<CallSummary> {
    const call = await this.#hostCall(caller, input.callId, 'change who may listen');
    await this.#deps.registry.changeAccess(call, () => call.setAccess(input.policy, input.managersMayJoin), 'The host changed who may listen.');
    // Ended meanwhile: setAccess refused, nothing to store.
    if (call.ended) throw new BullpenError('CALL_ENDED', 'This call has ended.');
    this.#write(this.#deps.calls.setAccess(call.id, call.policy, call.boardEntry().managersMayJoin ?? true), call.id);
    return call.summary(false);
  }

  /** Starts recording mid-call (the payload's schema requires the consent confirmation). */
  async startRecording(caller: Caller, input: ClientPayload<'call:start-recording'>): Promise<CallSummary> {
    const call = await this.#hostCall(caller, input.callId, 'start recording');
    const recordings = this.#deps.recordings;
    if (!recordings) throw new BullpenError('UNAVAILABLE', 'This server cannot record calls.');
    if (call.recording || this.#startingRecording.has(call.id)) throw new BullpenError('CONFLICT', 'This call is already being recorded.');
    this.#startingRecording.add(call.id);
    try {
      await recordings.begin(call, caller.user.id, (onPacket) => call.onPacket(onPacket));
      if (call.ended) {
        // The call ended while the recording row was written: close what was begun, as go-live does.
        await recordings.finish(call.id, true);
        throw new BullpenError('CALL_ENDED', 'This call has ended.');
      }
      call.markRecording();
    } finally {
      this.#startingRecording.delete(call.id);
    }
    this.#deps.log.info('recording started mid-call', { callId: call.id, consentBy: caller.user.id });
    return call.summary(false);
  }

  /** The team setting "Managers can always join calls". */
  managersAlwaysJoin(teamId: string): Promise<boolean> {
    return this.#deps.settings.managersAlwaysJoin(teamId);
  }

  /**
   * An admin changes "Managers can always join calls". Turned off, managers and admins
   * listening to calls whose host kept them out are dropped at once, told why.
   */
  async setManagersAlwaysJoin(caller: Caller, on: boolean): Promise<void> {
    if (!can.manageTeam(caller.user.role)) throw new BullpenError('FORBIDDEN', 'Only admins can do that.');
    await this.#deps.settings.setManagersAlwaysJoin(caller.team.id, on);
    if (this.#deps.announceManagersAlwaysJoin) this.#deps.announceManagersAlwaysJoin(caller.team.id, on);
    else await this.#deps.registry.managersAlwaysJoinChanged(caller.team.id, on);
  }

  /** The live call `callId` of the caller's team, if the caller hosts it now; NOT_HOST otherwise. */
  async #hostCall(caller: Caller, callId: string, what: string): Promise<Call> {
    const call = await this.#deps.registry.liveCall(caller, callId);
    if (call.hostId !== caller.user.id) throw new BullpenError('NOT_HOST', `Only the host can ${what}.`);
    return call;
  }

  #write(work: Promise<void>, callId: string): void {
    work.catch((error: unknown) => this.#deps.log.error('could not save call history', { callId, error }));
  }
}
