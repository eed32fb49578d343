import type { BoardCall, ListenPolicy, Result } from '../../../contract';
import { clientError } from '../api/errors';
import type { SocketClient } from '../api/socket-client';
import { boardEntryOf, policyChangeMessage, withControlledFields } from '../host-controls/host-controls-state';
import { store } from '../state/store';

/**
 * The host's controls during a call: pause and resume sharing, remove a listener, change who
 * may listen, start recording. The server checks the caller hosts the call; this keeps the
 * host's copy of the call (in the store) in step with the replies and pushes.
 */
export class HostControlsService {
  readonly #socket: () => SocketClient | null;

  constructor(socket: () => SocketClient | null) {
    this.#socket = socket;
  }

  /** Pauses (listeners hear silence, nothing is recorded) or resumes sharing. */
  async setPaused(paused: boolean): Promise<Result<null>> {
    const callId = store.get().host.call?.id;
    const socket = this.#socket();
    if (!callId || !socket) return notLive();
    const reply = await socket.request(paused ? 'call:pause' : 'call:resume', { callId });
    if (!reply.ok) return reply;
    this.onSharing(callId, paused);
    return { ok: true, value: null };
  }

  /** Removes a listener, who is told why and cannot rejoin this call. */
  async removeListener(userId: string): Promise<Result<null>> {
    const callId = store.get().host.call?.id;
    const socket = this.#socket();
    if (!callId || !socket) return notLive();
    const reply = await socket.request('call:remove-listener', { callId, userId });
    if (!reply.ok) return reply;
    const { host } = store.get();
    store.host({ listeners: host.listeners.filter((l) => l.userId !== userId) });
    return { ok: true, value: null };
  }

  /** Changes who may listen; resolves with a message saying who was dropped. */
  async setPolicy(policy: ListenPolicy, managersMayJoin: boolean): Promise<Result<string>> {
    const { call, listeners } = store.get().host;
    const socket = this.#socket();
    if (!call || !socket) return notLive();
    const reply = await socket.request('call:set-policy', { callId: call.id, policy, managersMayJoin });
    if (!reply.ok) return reply;
    this.#apply(call.id, reply.value.call);
    store.host({ listeners: reply.value.call.listeners });
    return { ok: true, value: policyChangeMessage(policy, listeners, reply.value.call.listeners) };
  }

  /** Starts recording now; `customerInformed` is the host's confirmation (the server requires it). */
  async startRecording(customerInformed: boolean): Promise<Result<null>> {
    const callId = store.get().host.call?.id;
    const socket = this.#socket();
    if (!callId || !socket) return notLive();
    const reply = await socket.request('call:start-recording', { callId, recording: { enabled: true, customerInformed } });
    if (!reply.ok) return reply;
    this.#apply(callId, reply.value.call);
    return { ok: true, value: null };
  }

  // --- pushes from the server, wired by the session ---

  onSharing(callId: string, paused: boolean): void {
    this.#apply(callId, { paused });
  }

  /** Board pushes carry what changed elsewhere (the team's manager setting). */
  onBoard(calls: BoardCall[]): void {
    const callId = store.get().host.call?.id;
    const fresh = callId ? boardEntryOf(calls, callId) : null;
    if (fresh) this.#apply(fresh.id, fresh);
  }

  #apply(callId: string, fresh: Parameters<typeof withControlledFields>[1]): void {
    const { call } = store.get().host;
    if (call?.id !== callId) return;
    const next = withControlledFields(call, fresh);
    if (next !== call) store.host({ call: next });
  }
}

function notLive<T>(): Result<T> {
  return { ok: false, error: clientError('UNAVAILABLE', 'You are not live on a call, or not connected to the server.') };
}
