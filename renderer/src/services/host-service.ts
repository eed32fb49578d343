import {
  openCall,
  type AppError,
  type BoardCall,
  type CallEndReason,
  type CallKind,
  type CallSummary,
  type ClientPayload,
  type IceCandidate,
  type ListenerInfo,
  type ListenPolicy,
  type RecordingChoice,
  type Result,
  type QuestionsMode,
} from '../../../contract';
import { mediaError } from '../api/errors';
import type { SocketClient } from '../api/socket-client';
import { resumeAudio } from '../media/audio-context';
import { openCallAudioDevice, openMicrophone } from '../media/capture';
import { HostMix, type MixInput } from '../media/host-mix';
import { fetchIceServers } from '../media/ice-servers';
import type { LevelReader } from '../media/level';
import { Publisher, type SendStats } from '../media/publisher';
import type { DevicePrefs, Platform } from '../platform/platform';
import { initialHost, initialHostAsks, notify, store } from '../state/store';
import { clientError } from '../api/errors';

export interface GoLiveInput {
  title: string;
  account: string;
  /** The kind of call (default 'other'). */
  kind?: CallKind;
  policy: ListenPolicy;
  /** Record the call (clips need it); on requires confirming the customer was told. */
  recording: RecordingChoice;
  /** Questions live (a quiet counter) or after the call; whispers from managers allowed. */
  questions?: QuestionsMode;
  whispers?: boolean;
  /** Managers and admins may join (default yes; the team setting may require it anyway). */
  managersMayJoin?: boolean;
}

/**
 * Going live: the audio preview (mic + call audio with meters), publishing, the host's
 * reconnects and ending the call. Owns the HostMix and Publisher; reports into the store.
 */
export class HostService {
  readonly #platform: Platform;
  readonly #socket: () => SocketClient | null;
  /** The board's calls as cached (the query cache owns server data). */
  readonly #board: () => BoardCall[];
  #mix: HostMix | null = null;
  #publisher: Publisher | null = null;
  /** Bumped whenever the sources are reopened, so a slow older open cannot win. */
  #sourceGeneration = 0;
  /** The device choice the open sources were opened for. */
  #openKey: string | null = null;
  /** Why the call may have ended while this machine was away (asleep, offline), in words; null when it was not. */
  readonly #awayNote: () => string | null;

  constructor(platform: Platform, socket: () => SocketClient | null, board: () => BoardCall[], awayNote: () => string | null = () => null) {
    this.#board = board;
    this.#awayNote = awayNote;
    this.#platform = platform;
    this.#socket = socket;
  }

  /** Meter readers (0..1) for each side of the mix; silent while nothing is open. */
  readonly micLevel: LevelReader = () => this.#mix?.read('mic') ?? 0;
  readonly callLevel: LevelReader = () => this.#mix?.read('call') ?? 0;

  /**
   * Opens (or reopens) the audio sources for `prefs`: the microphone, and the call audio
   * when it is an input device. Tab and system audio are captured by `captureDisplayAudio`
   * from a click. Returns an error to show, or null.
   */
  async openSources(prefs: DevicePrefs): Promise<{ mic: AppError | null; call: AppError | null }> {
    const key = `${prefs.micDeviceId}|${prefs.callAudioMode}|${prefs.callAudioDeviceId}`;
    if (this.#mix?.has('mic') && this.#openKey === key) return { mic: null, call: null };
    const generation = ++this.#sourceGeneration;
    const mix = this.#ensureMix();
    this.#openKey = null;
    let micError: AppError | null = null;
    let callError: AppError | null = null;
    try {
      const { stream, fellBack } = await openMicrophone(prefs.micDeviceId);
      if (generation !== this.#sourceGeneration || mix !== this.#mix) {
        stream.getTracks().forEach((t) => t.stop());
      } else {
        mix.set('mic', stream);
        if (fellBack) notify('Your saved microphone is not connected; using the default microphone.');
      }
    } catch (error) {
      micError = mediaError(error, 'your microphone');
    }
    if (generation !== this.#sourceGeneration) return { mic: micError, call: null };
    if (prefs.callAudioMode === 'device' && prefs.callAudioDeviceId) {
      try {
        const stream = await openCallAudioDevice(prefs.callAudioDeviceId);
        if (generation !== this.#sourceGeneration || mix !== this.#mix) stream.getTracks().forEach((t) => t.stop());
        else mix.set('call', stream);
      } catch (error) {
        callError = mediaError(error, 'the call-audio device');
      }
    } else if (prefs.callAudioMode === 'none' || prefs.callAudioMode === 'device') {
      mix.set('call', null);
    }
    if (!micError && !callError && generation === this.#sourceGeneration) this.#openKey = key;
    return { mic: micError, call: callError };
  }

  /** Captures tab or system audio as the call's side (run from a click). */
  async captureDisplayAudio(mode: 'system' | 'tab'): Promise<AppError | null> {
    try {
      const stream = await this.#platform.captureDisplayAudio(mode);
      this.#ensureMix().set('call', stream);
      return null;
    } catch (error) {
      return mediaError(error, mode === 'tab' ? 'the tab’s audio' : 'the system audio');
    }
  }

  hasSource(input: MixInput): boolean {
    return this.#mix?.has(input) ?? false;
  }

  /** Releases the microphone and call audio, unless a call is live. */
  closeSources(): void {
    const phase = store.get().host.phase;
    if (phase === 'live' || phase === 'starting' || phase === 'ending') return;
    this.#sourceGeneration++;
    this.#openKey = null;
    this.#mix?.close();
    this.#mix = null;
  }

  /** Starts the call: publishes the mix through `call:start`. */
  async goLive(input: GoLiveInput): Promise<Result<null>> {
    const socket = this.#socket();
    const mix = this.#mix;
    if (!socket) return { ok: false, error: clientError('UNAVAILABLE', 'Not connected to the server yet.') };
    if (!mix || !mix.has('mic')) {
      return { ok: false, error: clientError('MEDIA_FAILED', 'Your microphone is not on. Pick a microphone and allow access first.') };
    }
    await resumeAudio();
    store.set({ host: { ...initialHost, phase: 'starting' }, hostAsks: initialHostAsks });
    const publisher = this.#createPublisher(mix);
    const payload: Omit<ClientPayload<'call:start'>, 'offer'> = {
      title: input.title,
      kind: input.kind ?? 'other',
      policy: input.policy,
      recording: input.recording,
      questions: input.questions ?? 'after-call',
      whispers: input.whispers ?? false,
      managersMayJoin: input.managersMayJoin ?? true,
      ...(input.account.trim() ? { account: input.account } : {}),
    };
    const reply = await publisher.publish((offer) => socket.request('call:start', { ...payload, offer }));
    if (this.#publisher !== publisher) return { ok: true, value: null }; // ended meanwhile
    if (!reply.ok) return this.#publishFailed(publisher, reply.error);
    store.host({ phase: 'live', call: reply.value.call, listeners: reply.value.call.listeners });
    return { ok: true, value: null };
  }

  /**
   * Takes over a call of ours that this window is not sending (after a reload or a crash,
   * within the server's reconnect grace): opens the sources and publishes into it again.
   * Listeners stay joined and simply hear the host again.
   */
  async resume(call: CallSummary): Promise<Result<null>> {
    const socket = this.#socket();
    if (!socket) return { ok: false, error: clientError('UNAVAILABLE', 'Not connected to the server yet.') };
    const opened = await this.openSources(store.get().prefs);
    const mix = this.#mix;
    if (opened.mic || !mix) return { ok: false, error: opened.mic ?? clientError('MEDIA_FAILED', 'Your microphone could not be started.') };
    await resumeAudio();
    store.set({ host: { ...initialHost, phase: 'starting', call } });
    const publisher = this.#createPublisher(mix);
    const reply = await publisher.publish((offer) => socket.request('call:publish', { callId: call.id, offer }), call.id);
    if (this.#publisher !== publisher) return { ok: true, value: null };
    if (!reply.ok) return this.#publishFailed(publisher, reply.error);
    const fresh = openCall(this.#board().find((c) => c.id === call.id)) ?? call;
    // The host state pushed while publishing (`call:host-state`) is newer than the board's copy,
    // which the server sends at most every 100 ms: keep it.
    const hostState = store.get().host.call?.hostState ?? fresh.hostState;
    store.host({ phase: 'live', call: { ...fresh, hostState }, listeners: fresh.listeners });
    return { ok: true, value: null };
  }

  #createPublisher(mix: HostMix): Publisher {
    const publisher: Publisher = new Publisher({
      track: mix.track,
      stream: mix.stream,
      iceServers: () => fetchIceServers(this.#socket()),
      onState: (media) => {
        if (this.#publisher === publisher) store.host({ media });
      },
      republish: (offer) => {
        const callId = store.get().host.call?.id;
        const current = this.#socket();
        if (!callId || !current) return Promise.resolve({ ok: false, error: clientError('UNAVAILABLE', 'Not connected.') });
        return current.request('call:publish', { callId, offer });
      },
      sendCandidate: (callId, candidate) => {
        // Answered or not, a candidate lost with the signalling connection is replaced by the
        // next publish's own.
        void this.#socket()?.request('media:candidate', { callId, role: 'host', candidate });
      },
      onGone: (error) => {
        if (this.#publisher !== publisher) return;
        // Republishing after a sleep or an outage found the call gone: the grace period passed.
        const note = ['MEDIA_FAILED', 'CALL_ENDED', 'CALL_NOT_FOUND'].includes(error.code) ? this.#awayNote() : null;
        this.#ended(error.code === 'MEDIA_FAILED' || note ? 'host-timeout' : null, note ? null : error);
        if (note) store.host({ awayNote: note });
      },
    });
    this.#publisher = publisher;
    return publisher;
  }

  #publishFailed(publisher: Publisher, error: AppError): Result<null> {
    publisher.close();
    if (this.#publisher === publisher) this.#publisher = null;
    store.set({ host: { ...initialHost, error } });
    return { ok: false, error };
  }

  /**
   * Ends the call for everyone. `keepRecording: false` discards the full recording of a
   * recorded call (its clips stay).
   */
  async end(opts: { keepRecording?: boolean } = {}): Promise<Result<null>> {
    const { call } = store.get().host;
    const socket = this.#socket();
    if (!call) return { ok: true, value: null };
    store.host({ phase: 'ending' });
    const reply = socket
      ? await socket.request('call:end', { callId: call.id, keepRecording: opts.keepRecording ?? true })
      : { ok: false as const, error: clientError('UNAVAILABLE', 'Not connected to the server.') };
    if (!reply.ok && reply.error.code !== 'CALL_ENDED' && reply.error.code !== 'CALL_NOT_FOUND') {
      store.host({ phase: 'live', error: reply.error });
      return reply;
    }
    this.#ended('host-ended', null);
    return { ok: true, value: null };
  }

  /**
   * Ends a call of ours this window is not running (left open by another window, or by a
   * start whose reply never arrived).
   */
  async endById(callId: string): Promise<Result<null>> {
    if (store.get().host.call?.id === callId) return this.end();
    const socket = this.#socket();
    if (!socket) return { ok: false, error: clientError('UNAVAILABLE', 'Not connected to the server.') };
    const reply = await socket.request('call:end', { callId });
    return reply.ok ? { ok: true, value: null } : reply;
  }

  /** Back to the Go live panel after a call ended. */
  dismissEnded(): void {
    if (store.get().host.phase === 'ended') store.set({ host: initialHost });
  }

  async sendStats(): Promise<SendStats | null> {
    return (await this.#publisher?.sendStats()) ?? null;
  }

  // --- pushes from the server, wired by the session ---

  onCallEnded(callId: string, reason: CallEndReason): void {
    if (store.get().host.call?.id === callId) this.#ended(reason, null);
  }

  onListeners(callId: string, listeners: ListenerInfo[]): void {
    if (store.get().host.call?.id === callId) store.host({ listeners });
  }

  onHostState(callId: string, hostState: 'connecting' | 'live' | 'reconnecting'): void {
    const { call } = store.get().host;
    if (call?.id === callId) store.host({ call: { ...call, hostState } });
  }

  /** Cluster mode: the server carrying the call died; publish again now (another node adopts it). */
  /** The server's ICE candidate for this window's publish (trickle ICE). */
  onCandidate(callId: string, candidate: IceCandidate | null): void {
    this.#publisher?.remoteCandidate(callId, candidate);
  }

  onMediaLost(callId: string): void {
    const { call, phase } = store.get().host;
    if (phase === 'live' && call?.id === callId) this.#publisher?.reconnectNow();
  }

  /** The signalling connection came back: publish again so media surely flows. */
  onSocketReconnected(): void {
    if (store.get().host.phase === 'live') this.#publisher?.reconnectNow();
  }

  /**
   * The link came back and the server's board no longer has our call: it ended while this
   * machine was away (past the grace period). Stop publishing and say so; nothing is sent.
   */
  endedWhileAway(callId: string, message: string): void {
    const { call, phase } = store.get().host;
    if (call?.id !== callId || phase !== 'live') return;
    this.#ended('host-timeout', null);
    store.host({ awayNote: message });
  }

  /** Signing out or switching servers: stop everything. */
  shutdown(): void {
    this.#openKey = null;
    this.#publisher?.close();
    this.#publisher = null;
    this.#mix?.close();
    this.#mix = null;
    store.set({ host: initialHost });
  }

  #ensureMix(): HostMix {
    this.#mix ??= new HostMix((input) => this.#sourceEnded(input));
    return this.#mix;
  }

  #sourceEnded(input: MixInput): void {
    const live = store.get().host.phase === 'live';
    const what = input === 'mic' ? 'Your microphone' : 'The call audio source';
    notify(`${what} stopped (unplugged or stopped sharing).${live ? ' Listeners hear silence on that side.' : ''}`, 'error');
  }

  #ended(reason: CallEndReason | null, error: AppError | null): void {
    this.#openKey = null;
    this.#publisher?.close();
    this.#publisher = null;
    this.#mix?.close();
    this.#mix = null;
    const { host } = store.get();
    if (host.phase === 'idle') return;
    store.host({ phase: 'ended', endedReason: reason, endedAt: Date.now(), error, media: 'connecting' });
  }
}
