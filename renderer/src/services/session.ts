import { skipToken, type QueryClient } from '@tanstack/react-query';
import type { AuthReply, BoardCall, ClipSummary, LoginBody, Result, SetupBody, SignupBody } from '../../../contract';
import { boardCalls, createQueryClient } from '../api/queries';
import { signedOutReason } from '../api/errors';
import { queryKeys } from '../api/query-keys';
import { RestClient, type ReplyOf } from '../api/rest-client';
import { SocketClient } from '../api/socket-client';
import type { DevicePrefs, Platform } from '../platform/platform';
import { initialState, notify, store } from '../state/store';
import { ClipService } from './clip-service';
import { HostService } from './host-service';
import { ListenService } from './listen-service';
import { HostControlsService } from './host-controls-service';
import { QuestionService } from './question-service';
import { NotificationFeed } from './notification-feed';
import { Connectivity } from './connectivity';

/**
 * The renderer's services, created once at start: boot (server reachable? set up? signed
 * in?), sign-in flows, the socket connection and its pushes, and the host, listener and
 * clip services. Screens call these; they report into the store. Server data lives in
 * `queries` (TanStack Query); the pushes update or invalidate it here, in one place.
 */
export class Session {
  readonly platform: Platform;
  readonly host: HostService;
  readonly listen: ListenService;
  readonly clips: ClipService;
  readonly questions: QuestionService;
  readonly hostControls: HostControlsService;
  /** The query cache of server data; cleared whenever the signed-in person changes. */
  readonly queries: QueryClient = createQueryClient();
  #rest: RestClient | null = null;
  #socket: SocketClient | null = null;
  #token: string | null = null;
  #unsubscribe: (() => void)[] = [];
  #signingOut = false;
  readonly #notifications: NotificationFeed;
  readonly #connectivity: Connectivity;
  /** The board as read when the socket last came online (what reconnecting restores from). */
  #boardRead: Promise<BoardCall[] | null> = Promise.resolve(null);

  constructor(platform: Platform) {
    this.platform = platform;
    const board = () => boardCalls(this.queries);
    this.host = new HostService(platform, () => this.#socket, board, () => this.#connectivity.hostAwayNote());
    this.listen = new ListenService(() => this.#socket, board);
    this.hostControls = new HostControlsService(() => this.#socket);
    // The board is fed by the socket (`board:get` on connect, then `board:update`), never
    // fetched by a screen, and kept while no screen shows it: the services read it too.
    this.queries.setQueryDefaults(queryKeys.board, { queryFn: skipToken, staleTime: Infinity, gcTime: Infinity });
    this.clips = new ClipService(platform, () => this.#socket, () => this.rest);
    this.questions = new QuestionService(() => this.#socket);
    this.#notifications = new NotificationFeed(platform, this.queries);
    this.#connectivity = new Connectivity({
      platform,
      socket: () => this.#socket,
      host: this.host,
      listen: this.listen,
      networkOnline: () => navigator.onLine,
    });
  }

  /** The REST client (available once booted). */
  get rest(): RestClient {
    if (!this.#rest) throw new Error('Session not booted');
    return this.#rest;
  }

  /** Finds the server, whether it needs setup, and restores a saved session. */
  async boot(): Promise<void> {
    store.set({ boot: { status: 'loading' }, platformKind: this.platform.kind });
    this.clips.start();
    this.#connectivity.start();
    let serverUrl: string;
    try {
      serverUrl = await this.platform.serverUrl();
    } catch (error) {
      store.set({ boot: { status: 'unreachable', message: error instanceof Error ? error.message : 'Settings could not be read.' } });
      return;
    }
    this.#rest = new RestClient({
      baseUrl: serverUrl,
      getToken: () => this.#token,
      onUnauthenticated: (error) => void this.signOut(signedOutReason(error), { local: true }),
    });
    try {
      const [prefs, modes, os] = await Promise.all([this.platform.loadDevicePrefs(), this.platform.callAudioModes(), this.platform.os()]);
      store.set({ serverUrl, prefs, callAudioModes: modes, os });
    } catch {
      // Device choices are a convenience: start with the defaults rather than not at all.
      store.set({ serverUrl });
    }
    await this.clips.loadPrefs();

    const status = await this.#rest.call('setupStatus');
    if (!status.ok) {
      store.set({ boot: { status: 'unreachable', message: status.error.message } });
      return;
    }
    store.set({ needsSetup: status.value.needsSetup });
    const token = status.value.needsSetup ? null : await this.platform.loadToken();
    if (token) {
      this.#token = token;
      const me = await this.#rest.call('me');
      if (me.ok) {
        this.#signedIn(token, me.value);
      } else {
        this.#token = null;
        if (me.error.code === 'UNAVAILABLE') {
          store.set({ boot: { status: 'unreachable', message: me.error.message } });
          return;
        }
        await this.platform.saveToken(null);
      }
    }
    store.set({ boot: { status: 'ready' } });
  }

  setup(body: SetupBody): Promise<Result<AuthReply>> {
    return this.#authenticate(this.rest.call('setup', { body }));
  }

  signup(body: SignupBody): Promise<Result<AuthReply>> {
    return this.#authenticate(this.rest.call('signup', { body }));
  }

  login(body: LoginBody): Promise<Result<AuthReply>> {
    return this.#authenticate(this.rest.call('login', { body }));
  }

  /**
   * Signs out: ends listening and hosting, revokes the session on the server (unless it is
   * already gone: `local`), forgets the token.
   */
  async signOut(reason: string | null = null, opts: { local?: boolean } = {}): Promise<void> {
    if (!this.#token || this.#signingOut) return;
    this.#signingOut = true;
    const wasLive = store.get().host.phase === 'live';
    await this.listen.leave().catch(() => undefined);
    if (!opts.local) await this.rest.call('logout');
    this.#token = null;
    this.#signingOut = false;
    this.host.shutdown();
    this.listen.shutdown();
    this.clips.shutdown();
    this.#closeSocket();
    this.queries.clear();
    await this.platform.saveToken(null).catch(() => undefined);
    const { boot, platformKind, serverUrl, needsSetup, prefs, callAudioModes, os, clipPrefs } = store.get();
    store.set({ ...initialState, boot, platformKind, serverUrl, needsSetup, prefs, callAudioModes, os, clipPrefs, signedOutReason: reason });
    if (wasLive && !reason) notify('You signed out, so your live call ended.');
  }

  /** Remembers device choices in the shell's settings. */
  async saveDevicePrefs(patch: Partial<DevicePrefs>): Promise<void> {
    store.set((s) => ({ prefs: { ...s.prefs, ...patch } }));
    await this.platform.saveDevicePrefs(patch).catch(() => notify('Your device choice could not be saved.', 'error'));
  }

  async #authenticate(request: Promise<Result<AuthReply>>): Promise<Result<AuthReply>> {
    const reply = await request;
    if (reply.ok) {
      await this.platform.saveToken(reply.value.token).catch(() => notify('You are signed in, but this device could not remember it.', 'error'));
      store.set({ needsSetup: false, signedOutReason: null });
      this.#signedIn(reply.value.token, reply.value);
    }
    return reply;
  }

  #signedIn(token: string, me: { user: AuthReply['user']; team: AuthReply['team'] }): void {
    this.#token = token;
    this.#closeSocket();
    // Nothing cached for whoever was signed in before may show for this person.
    this.queries.clear();
    store.set({ me: { user: me.user, team: me.team } });
    const socket = new SocketClient(store.get().serverUrl, token, {
      onStatus: (connection) => {
        this.#connectivity.onSocketStatus(connection);
        if (connection === 'online') this.#boardRead = this.#refreshBoard(socket);
      },
      onReconnected: () => {
        // Pushes may have been missed while the connection was down.
        void this.queries.invalidateQueries();
        // Republish, rejoin, or say the call ended meanwhile (connectivity.ts decides).
        void this.#connectivity.onReconnected(this.#boardRead);
      },
      onUnauthenticated: (error) => void this.signOut(signedOutReason(error), { local: true }),
    });
    this.#socket = socket;
    this.#unsubscribe = [
      socket.on('board:update', ({ calls }) => {
        this.queries.setQueryData<BoardCall[]>(queryKeys.board, calls);
        this.listen.onBoard(calls);
        this.hostControls.onBoard(calls);
      }),
      socket.on('call:sharing', ({ callId, paused }) => {
        this.hostControls.onSharing(callId, paused);
        this.listen.onSharing(callId, paused);
      }),
      socket.on('call:ended', ({ callId, reason }) => {
        this.host.onCallEnded(callId, reason);
        this.listen.onCallEnded(callId, reason);
      }),
      socket.on('call:media-lost', ({ callId }) => {
        this.host.onMediaLost(callId);
        this.listen.onMediaLost(callId);
      }),
      socket.on('listen:revoked', ({ callId, message }) => this.listen.onRevoked(callId, message)),
      socket.on('media:candidate', ({ callId, role, candidate }) => {
        if (role === 'host') this.host.onCandidate(callId, candidate);
        else this.listen.onCandidate(callId, candidate);
      }),
      socket.on('call:listeners', ({ callId, listeners }) => this.host.onListeners(callId, listeners)),
      socket.on('call:host-state', ({ callId, hostState }) => {
        this.host.onHostState(callId, hostState);
        this.listen.onHostState(callId, hostState);
      }),
      socket.on('clip:ready', ({ clip }) => {
        this.clips.onReady(clip);
        this.#clipReady(clip);
      }),
      socket.on('library:changed', ({ clipIds }) => this.#libraryChanged(clipIds)),
      // Every teammate may read every track: any change refreshes the talk track views.
      socket.on('talk-tracks:changed', () => void this.queries.invalidateQueries({ queryKey: queryKeys.talkTracks.all })),
      socket.on('onboarding:changed', () => void this.queries.invalidateQueries({ queryKey: queryKeys.onboarding.all })),
      socket.on('question:count', ({ callId, count }) => this.questions.onCount(callId, count)),
      socket.on('whisper:received', (whisper) => this.questions.onWhisper(whisper)),
      socket.on('questions:changed', () => void this.queries.invalidateQueries({ queryKey: queryKeys.questions.all })),
      socket.on('team:renamed', ({ team }) => {
        const me = store.get().me;
        if (me && me.team.id === team.id) store.set({ me: { ...me, team } });
      }),
      // The server says why when it ended the session (deactivated, password reset).
      socket.on('session:revoked', ({ message }) => void this.signOut(message ?? 'You were signed out of this device.', { local: true })),
      ...this.#notifications.attach(socket),
    ];
  }

  /** Reads the board from the server into the cache; resolves with it, or null when it could not be read. */
  async #refreshBoard(socket: SocketClient): Promise<BoardCall[] | null> {
    const reply = await socket.request('board:get', {});
    if (socket !== this.#socket || !reply.ok) return null;
    this.queries.setQueryData<BoardCall[]>(queryKeys.board, reply.value.calls);
    this.listen.onBoard(reply.value.calls);
    this.hostControls.onBoard(reply.value.calls);
    return reply.value.calls;
  }

  /** A clip finished cutting: its page shows it at once; lists that hold it load again. */
  #clipReady(clip: ClipSummary): void {
    this.queries.setQueryData<ReplyOf<'clip'>>(queryKeys.clips.detail(clip.id), (detail) => (detail ? { ...detail, clip } : detail));
    void this.queries.invalidateQueries({ queryKey: queryKeys.clips.lists });
  }

  /** Clips or recordings changed (a clip edited, commented, deleted; a recording discarded). */
  #libraryChanged(clipIds: string[] | null): void {
    void this.queries.invalidateQueries({ queryKey: queryKeys.clips.lists });
    if (clipIds === null) void this.queries.invalidateQueries({ queryKey: queryKeys.clips.details });
    else for (const id of clipIds) void this.queries.invalidateQueries({ queryKey: queryKeys.clips.detail(id) });
    void this.queries.invalidateQueries({ queryKey: queryKeys.recordings.all });
    // A track's example may have become (un)available to this reader.
    void this.queries.invalidateQueries({ queryKey: queryKeys.talkTracks.details });
  }

  #closeSocket(): void {
    for (const off of this.#unsubscribe) off();
    this.#unsubscribe = [];
    this.#socket?.close();
    this.#socket = null;
    this.#connectivity.onSocketClosed();
  }
}
