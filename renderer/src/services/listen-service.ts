import { openCall, type AppError, type IceCandidate, type BoardCall, type CallEndReason, type CallSummary, type Result } from '../../../contract';
import { mediaError } from '../api/errors';
import type { SocketClient } from '../api/socket-client';
import { resumeAudio } from '../media/audio-context';
import type { LevelReader } from '../media/level';
import { fetchIceServers } from '../media/ice-servers';
import { rejoinDelayMs } from '../media/failover-retry';
import { ListenerPlayback } from '../media/listener';
import { initialListen, store, type ListenState } from '../state/store';
import { clientError } from '../api/errors';
import { playoutDelayMs, playoutPositionMs } from '../questions/moment';

const STATS_INTERVAL_MS = 1_000;
/** A connection that is not up by then is rejoined. */
const CONNECT_TIMEOUT_MS = 15_000;

/**
 * Listening to a call: joining (recv-only offer → server answer), playback settings, the
 * connection details line, leaving, and rejoining after a dropped connection. Owns the
 * ListenerPlayback; reports into the store.
 */
export class ListenService {
  readonly #socket: () => SocketClient | null;
  /** The board's calls as cached (the query cache owns server data). */
  readonly #board: () => BoardCall[];
  #playback: ListenerPlayback | null = null;
  #statsTimer: ReturnType<typeof setInterval> | undefined;
  #connectTimer: ReturnType<typeof setTimeout> | undefined;
  /** Since when joins have been refused as UNAVAILABLE (the call's node died), while retrying. */
  #awaySince: number | null = null;
  /** Bumped by every join and leave so late replies of an older attempt are ignored. */
  #attempt = 0;

  constructor(socket: () => SocketClient | null, board: () => BoardCall[]) {
    this.#board = board;
    this.#socket = socket;
  }

  /** Meter reader (0..1) of what the listener hears. */
  readonly level: LevelReader = () => this.#playback?.read() ?? 0;
  /** Meter readers of each side as sent: left = rep, right = customer. */
  readonly repLevel: LevelReader = () => this.#playback?.readSide('rep') ?? 0;
  readonly customerLevel: LevelReader = () => this.#playback?.readSide('customer') ?? 0;

  /**
   * Where the listener is in the call now (ms since it started, as heard here): elapsed time
   * minus the audio still waiting in the jitter buffer. Null when not listening.
   */
  async playoutPosition(): Promise<number | null> {
    const { call, phase } = store.get().listen;
    if (!call || !isActive(phase)) return null;
    const now = Date.now();
    const buffer = (await this.#playback?.jitterBuffer()) ?? null;
    return playoutPositionMs({ now, startedAt: call.startedAt, delayMs: playoutDelayMs(buffer) });
  }

  /** Joins `callId` (leaving any other call first). Run from a click: it starts audio. */
  async join(callId: string): Promise<Result<null>> {
    const current = store.get().listen;
    if (current.callId && current.callId !== callId && isActive(current.phase)) await this.leave();
    await resumeAudio();
    const attempt = ++this.#attempt;
    const { stereo, balance, volume } = store.get().listen;
    const call = openCall(this.#board().find((c) => c.id === callId)) ?? null;
    store.set({
      listen: { ...initialListen, stereo, balance, volume, phase: 'joining', callId, call, hostState: call?.hostState ?? 'live' },
    });
    return this.#connect(callId, attempt);
  }

  /** Leaves the call (or clears an ended/failed one). */
  async leave(): Promise<void> {
    const { callId, phase } = store.get().listen;
    this.#attempt++;
    this.#teardown();
    const { stereo, balance, volume } = store.get().listen;
    store.set({ listen: { ...initialListen, stereo, balance, volume } });
    const socket = this.#socket();
    if (callId && socket && isActive(phase)) {
      const reply = await socket.request('listen:leave', { callId });
      if (!reply.ok && !['NOT_LISTENING', 'CALL_ENDED', 'CALL_NOT_FOUND', 'UNAVAILABLE'].includes(reply.error.code)) {
        console.warn('listen:leave failed', reply.error);
      }
    }
  }

  setMix(patch: Partial<Pick<ListenState, 'stereo' | 'balance' | 'volume'>>): void {
    store.listen(patch);
    const { stereo, balance, volume } = store.get().listen;
    this.#playback?.setMix({ stereo, balance, volume });
  }

  // --- pushes from the server, wired by the session ---

  onCallEnded(callId: string, reason: CallEndReason): void {
    const { listen } = store.get();
    if (listen.callId !== callId || !isActive(listen.phase)) return;
    this.#attempt++;
    this.#teardown();
    store.listen({ phase: 'ended', endedReason: reason, stats: null });
  }

  onHostState(callId: string, hostState: CallSummary['hostState']): void {
    if (store.get().listen.callId === callId) store.listen({ hostState });
  }

  /** The host paused or resumed sharing: the listen view says so at once (the board follows). */
  onSharing(callId: string, paused: boolean): void {
    const { listen } = store.get();
    if (listen.callId === callId && listen.call) store.listen({ call: { ...listen.call, paused } });
  }

  /**
   * The server stopped this person's audio because their rights to the call ended: show why
   * (as an ended listen with a NOT_ALLOWED error) instead of rejoining.
   */
  onRevoked(callId: string, message: string): void {
    const { listen } = store.get();
    if (listen.callId !== callId || !isActive(listen.phase)) return;
    this.#attempt++;
    this.#teardown();
    store.listen({ phase: 'ended', endedReason: null, error: clientError('NOT_ALLOWED', message), stats: null });
  }

  onBoard(calls: BoardCall[]): void {
    const { listen } = store.get();
    if (!listen.callId || !isActive(listen.phase)) return;
    const call = openCall(calls.find((c) => c.id === listen.callId));
    if (call) store.listen({ call, hostState: call.hostState });
  }

  /** Cluster mode: the server carrying the call died; join again now (another node adopts it). */
  onMediaLost(callId: string): void {
    const { listen } = store.get();
    if (listen.callId === callId && isActive(listen.phase)) void this.#rejoin(callId);
  }

  /** The server drops a listener whose signalling connection closed: join again. */
  onSocketReconnected(): void {
    const { listen } = store.get();
    if (listen.callId && isActive(listen.phase)) void this.#rejoin(listen.callId);
  }

  /** The link came back and the call is no longer on the board: it ended while this machine was away. */
  endedWhileAway(callId: string, message: string): void {
    const { listen } = store.get();
    if (listen.callId !== callId || !isActive(listen.phase)) return;
    this.#attempt++;
    this.#teardown();
    store.listen({ phase: 'ended', endedReason: null, error: clientError('CALL_ENDED', message), stats: null });
  }

  /** The server's ICE candidate for this window's join of `callId` (trickle ICE). */
  onCandidate(callId: string, candidate: IceCandidate | null): void {
    if (store.get().listen.callId === callId) this.#playback?.remoteCandidate(candidate);
  }

  shutdown(): void {
    this.#attempt++;
    this.#teardown();
    store.set({ listen: initialListen });
  }

  async #connect(callId: string, attempt: number, retriesLeft = 2): Promise<Result<null>> {
    const socket = this.#socket();
    if (!socket) return this.#fail(attempt, clientError('UNAVAILABLE', 'Not connected to the server yet.'));

    // Fresh TURN credentials for every join (none without TURN: the direct path, as before).
    const iceServers = await fetchIceServers(socket);
    if (attempt !== this.#attempt) return { ok: true, value: null };
    const playback = new ListenerPlayback({
      iceServers,
      sendCandidate: (candidate) => {
        if (attempt === this.#attempt) void socket.request('media:candidate', { callId, role: 'listener', candidate });
      },
      onState: (state) => {
        if (attempt !== this.#attempt) return;
        if (state === 'connected') {
          clearTimeout(this.#connectTimer);
          store.listen({ phase: 'playing', error: null });
        } else if (state === 'failed') {
          void this.#rejoin(callId);
        }
      },
    });
    this.#playback?.close();
    this.#playback = playback;
    const { stereo, balance, volume } = store.get().listen;
    playback.setMix({ stereo, balance, volume });

    let offer: string;
    try {
      offer = await playback.offer();
    } catch (error) {
      return this.#fail(attempt, mediaError(error, 'audio playback'));
    }
    if (attempt !== this.#attempt) return { ok: true, value: null };

    const joined = await socket.request('listen:join', { callId, offer });
    if (attempt !== this.#attempt) return { ok: true, value: null };
    if (!joined.ok && joined.error.code === 'MEDIA_FAILED' && retriesLeft > 0) {
      // The server could not set this connection up (joining again works): retry quietly
      // before bothering the person.
      this.#teardown();
      await new Promise((resolve) => setTimeout(resolve, 300));
      if (attempt !== this.#attempt) return { ok: true, value: null };
      return this.#connect(callId, attempt, retriesLeft - 1);
    }
    if (!joined.ok) {
      if (joined.error.code === 'CALL_ENDED' || joined.error.code === 'CALL_NOT_FOUND') {
        this.#teardown();
        store.listen({ phase: 'ended', endedReason: null, error: joined.error });
        return joined;
      }
      // The call's node is gone and no node has adopted it yet: try again shortly, on our own.
      const retryIn = rejoinDelayMs(joined.error.code, Date.now() - (this.#awaySince ??= Date.now()));
      if (retryIn !== null) {
        this.#teardown();
        store.listen({ phase: 'rejoining' });
        clearTimeout(this.#connectTimer);
        this.#connectTimer = setTimeout(() => {
          if (attempt === this.#attempt) void this.#rejoin(callId);
        }, retryIn);
        return { ok: true, value: null };
      }
      return this.#fail(attempt, joined.error);
    }
    this.#awaySince = null;
    store.listen({ phase: 'connecting', call: joined.value.call, hostState: joined.value.call.hostState });

    try {
      await playback.accept(joined.value.answer);
    } catch (error) {
      if (attempt !== this.#attempt) return { ok: true, value: null };
      await socket.request('listen:leave', { callId });
      return this.#fail(attempt, mediaError(error, 'audio playback'));
    }
    if (attempt !== this.#attempt) return { ok: true, value: null };
    this.#startStats(playback);
    clearTimeout(this.#connectTimer);
    this.#connectTimer = setTimeout(() => {
      if (attempt === this.#attempt && store.get().listen.phase === 'connecting') void this.#rejoin(callId);
    }, CONNECT_TIMEOUT_MS);
    return { ok: true, value: null };
  }

  /** Fresh connection into the same call: leave (if the server still has us) and join. */
  async #rejoin(callId: string): Promise<void> {
    const attempt = ++this.#attempt;
    this.#teardown();
    // The old connection's counts are not this one's: the details line waits for the new stats.
    store.listen({ phase: 'rejoining', stats: null });
    const socket = this.#socket();
    if (!socket?.connected) return; // onSocketReconnected tries again
    await socket.request('listen:leave', { callId });
    if (attempt !== this.#attempt) return;
    await this.#connect(callId, attempt);
  }

  #fail(attempt: number, error: AppError): Result<null> {
    if (attempt === this.#attempt) {
      this.#teardown();
      store.listen({ phase: 'failed', error });
    }
    return { ok: false, error };
  }

  #startStats(playback: ListenerPlayback): void {
    clearInterval(this.#statsTimer);
    const tick = async () => {
      const stats = await playback.stats().catch(() => null);
      if (this.#playback === playback && stats) store.listen({ stats });
    };
    void tick();
    this.#statsTimer = setInterval(() => void tick(), STATS_INTERVAL_MS);
  }

  #teardown(): void {
    clearInterval(this.#statsTimer);
    clearTimeout(this.#connectTimer);
    this.#statsTimer = undefined;
    this.#playback?.close();
    this.#playback = null;
  }
}

/** Whether a listen is under way (joining, connecting, playing or rejoining). */
export function isActive(phase: ListenState['phase']): boolean {
  return phase === 'joining' || phase === 'connecting' || phase === 'playing' || phase === 'rejoining';
}
