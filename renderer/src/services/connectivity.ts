import type { BoardCall } from '../../../contract';
import type { ConnectionStatus, SocketClient } from '../api/socket-client';
import type { Platform } from '../platform/platform';
import { notify, store, type AppState } from '../state/store';
import type { HostService } from './host-service';
import type { ListenService } from './listen-service';
import {
  connectionView,
  hostAwayText,
  initialLink,
  onSignal,
  onSocketStatus,
  restoreStep,
  type Activity,
  type LinkState,
  type RestoreStep,
} from './reconnect-policy';

/** How long a socket that claims to be up may take to answer after a wake-up before it is replaced. */
export const VERIFY_TIMEOUT_MS = 3_000;

export interface ConnectivityDeps {
  platform: Pick<Platform, 'onSystemSignal'>;
  socket(): SocketClient | null;
  host: Pick<HostService, 'onSocketReconnected' | 'endedWhileAway'>;
  listen: Pick<ListenService, 'onSocketReconnected' | 'endedWhileAway'>;
  /** Whether the network is up now (`navigator.onLine`). */
  networkOnline(): boolean;
}

/**
 * The link to the server as the person sees it: follows the socket, the network and sleep
 * (reconnect-policy.ts decides), shows the result in the store's `connection`, reconnects
 * at once on wake-up or when the network returns, and once the socket is back restores what
 * the person was doing: republish a call still hosted, rejoin a call still listened to, or
 * say plainly that it ended meanwhile.
 */
export class Connectivity {
  readonly #deps: ConnectivityDeps;
  #link: LinkState = initialLink;
  #off: (() => void) | null = null;

  constructor(deps: ConnectivityDeps) {
    this.#deps = deps;
  }

  /** Starts listening to the shell's signals. Idempotent. */
  start(): void {
    if (this.#off) return;
    this.#link = { ...this.#link, network: this.#deps.networkOnline() ? 'online' : 'offline' };
    this.#off = this.#deps.platform.onSystemSignal((signal) => {
      const { link, socket } = onSignal(this.#link, signal);
      this.#update(link);
      const client = this.#deps.socket();
      if (!client) return;
      if (socket === 'reconnect-now') client.reconnectNow();
      else if (socket === 'verify') void this.#verify(client);
    });
  }

  /** The socket reported a status change. */
  onSocketStatus(status: ConnectionStatus): void {
    this.#update(onSocketStatus(this.#link, status));
  }

  /** The socket was closed for good (signed out): nothing to show or restore. */
  onSocketClosed(): void {
    this.#update({ ...this.#link, socket: null, away: null });
  }

  /**
   * The socket is back after a drop. `board` is the server's board as read on reconnecting
   * (null if it could not be read); from it and what the person was doing, restore.
   */
  async onReconnected(board: Promise<BoardCall[] | null>): Promise<RestoreStep> {
    const activity = activityOf(store.get());
    const away = this.#link.away;
    const calls = activity.kind === 'idle' ? null : await board;
    // What the person was doing may have changed while the board loaded (they left, it ended).
    const step = sameActivity(activity, activityOf(store.get())) ? restoreStep(activity, calls, away) : { kind: 'none' as const };
    this.#link = { ...this.#link, away: null };
    switch (step.kind) {
      case 'republish':
        this.#deps.host.onSocketReconnected();
        break;
      case 'rejoin':
        this.#deps.listen.onSocketReconnected();
        break;
      case 'host-call-ended':
        this.#deps.host.endedWhileAway(step.callId, step.message);
        notify(step.message, 'error');
        break;
      case 'listen-call-ended':
        this.#deps.listen.endedWhileAway(step.callId, step.message);
        break;
      case 'none':
        break;
    }
    return step;
  }

  /** While the link is away or being restored: why a hosted call ended meanwhile, in words. */
  hostAwayNote(): string | null {
    return this.#link.away ? hostAwayText(this.#link.away) : null;
  }

  /** Stops listening to the shell. Idempotent. */
  close(): void {
    this.#off?.();
    this.#off = null;
  }

  async #verify(client: SocketClient): Promise<void> {
    if (await client.verify(VERIFY_TIMEOUT_MS)) return;
    if (this.#deps.socket() === client) client.reconnectNow({ force: true });
  }

  #update(link: LinkState): void {
    this.#link = link;
    const connection = connectionView(link);
    if (store.get().connection !== connection) store.set({ connection });
  }
}

/** What the person is doing now, as far as reconnecting goes. */
export function activityOf(state: Pick<AppState, 'host' | 'listen'>): Activity {
  const { host, listen } = state;
  if (host.phase === 'live' && host.call) return { kind: 'hosting', callId: host.call.id };
  const listening = listen.phase === 'joining' || listen.phase === 'connecting' || listen.phase === 'playing' || listen.phase === 'rejoining';
  if (listening && listen.callId) return { kind: 'listening', callId: listen.callId };
  return { kind: 'idle' };
}

function sameActivity(a: Activity, b: Activity): boolean {
  return a.kind === b.kind && (a.kind === 'idle' || a.callId === (b as { callId: string }).callId);
}
