import { io, type Socket } from 'socket.io-client';
import {
  clientEvents,
  parse,
  resultSchema,
  serverEvents,
  type ClientEventName,
  type ClientInput,
  type ClientReply,
  type ClientToServerEvents,
  type Result,
  type ServerEventName,
  type ServerPayload,
  type ServerToClientEvents,
} from '../../../contract';
import { clientError } from './errors';

type BullpenSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** `refused`: the server turned this connection away because the person has too many open; it keeps trying. */
export type ConnectionStatus = 'connecting' | 'online' | 'reconnecting' | 'refused';

export interface SocketCallbacks {
  onStatus(status: ConnectionStatus): void;
  /** The connection came back after a drop (not the first connect). */
  onReconnected(): void;
  /** The server refused the token: the session is gone (the server's words say why). */
  onUnauthenticated(error: { message: string }): void;
}

/** How long a connection refused for too many open windows waits before asking again. */
export const REFUSED_RETRY_MS = 5_000;

/** How long to wait for an ack before telling the person the server did not answer. */
export const ACK_TIMEOUT_MS = 15_000;

/**
 * socket.io client typed by the contract. Payloads are validated before sending, acks are
 * parsed with the event's reply schema, pushes with the server event schemas. Requests fail
 * fast while disconnected rather than being buffered: a buffered `call:start` delivered
 * after its timeout would create a call the UI believes failed.
 */
export class SocketClient {
  readonly #socket: BullpenSocket;
  #everConnected = false;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(url: string, token: string, callbacks: SocketCallbacks) {
    this.#socket = io(url, {
      auth: { token },
      // WebSocket only, no HTTP long-polling first: one connection that stays on whichever
      // node it reached, so several nodes behind a proxy need no sticky sessions.
      transports: ['websocket'],
      autoConnect: false,
      reconnectionDelay: 500,
      reconnectionDelayMax: 5_000,
      timeout: 10_000,
      withCredentials: false,
    });
    this.#socket.on('connect', () => {
      callbacks.onStatus('online');
      if (this.#everConnected) callbacks.onReconnected();
      this.#everConnected = true;
    });
    this.#socket.on('disconnect', (reason) => {
      callbacks.onStatus('reconnecting');
      // A server-side disconnect is not retried by socket.io: it is a revoked session or a
      // shutdown. Reconnect once; the handshake tells us which (401 → signed out).
      if (reason === 'io server disconnect') this.#socket.connect();
    });
    this.#socket.on('connect_error', (error: Error & { data?: { code?: unknown } }) => {
      if (error.data?.code === 'UNAUTHENTICATED') {
        callbacks.onUnauthenticated({ message: error.message });
        return;
      }
      // Too many windows open for this person. socket.io does not retry a connection the server
      // refused, so ask again now and then: one closing elsewhere lets this one in.
      if (error.data?.code === 'RATE_LIMITED') {
        callbacks.onStatus('refused');
        clearTimeout(this.#retryTimer);
        this.#retryTimer = setTimeout(() => this.#socket.connect(), REFUSED_RETRY_MS);
        return;
      }
      callbacks.onStatus(this.#everConnected ? 'reconnecting' : 'connecting');
    });
    callbacks.onStatus('connecting');
    this.#socket.connect();
  }

  get connected(): boolean {
    return this.#socket.connected;
  }

  /**
   * Connects again now instead of waiting out socket.io's backoff (after a wake-up or the
   * network coming back). `force` also replaces a connection that claims to be up (one that
   * failed {@link verify}). Closing the manager and opening it anew is socket.io's own path:
   * the pending backoff timer goes with the old attempt.
   */
  reconnectNow(opts: { force?: boolean } = {}): void {
    if (this.#socket.connected && !opts.force) return;
    clearTimeout(this.#retryTimer);
    this.#socket.disconnect();
    this.#socket.connect();
  }

  /**
   * Whether the connection still answers: a socket whose machine slept (or whose network
   * changed) can look connected while its TCP connection is gone. Asks for the board (cheap,
   * read-only) and waits at most `timeoutMs`.
   */
  async verify(timeoutMs: number): Promise<boolean> {
    if (!this.#socket.connected) return false;
    try {
      const emitter = this.#socket.timeout(timeoutMs) as unknown as { emitWithAck(event: string, payload: unknown): Promise<unknown> };
      await emitter.emitWithAck('board:get', {});
      return true;
    } catch {
      return false;
    }
  }

  /** Sends a contract event and resolves with its parsed `Result` ack. Never throws. */
  async request<E extends ClientEventName>(event: E, payload: ClientInput<E>): Promise<Result<ClientReply<E>>> {
    const checked = parse(clientEvents[event].payload, payload);
    if (!checked.ok) return checked;
    if (!this.#socket.connected) {
      return {
        ok: false,
        error: clientError('UNAVAILABLE', 'Not connected to the Bullpen server. Reconnecting… try again in a moment.'),
      };
    }
    let reply: unknown;
    try {
      // socket.io's typings cannot follow a generic event name through emitWithAck.
      const emitter = this.#socket.timeout(ACK_TIMEOUT_MS) as unknown as {
        emitWithAck(event: string, payload: unknown): Promise<unknown>;
      };
      reply = await emitter.emitWithAck(event, checked.value);
    } catch {
      return {
        ok: false,
        error: clientError('UNAVAILABLE', 'The server did not answer in time. Check your connection and try again.'),
      };
    }
    const parsed = resultSchema(clientEvents[event].reply).safeParse(reply);
    if (!parsed.success) {
      return { ok: false, error: clientError('INTERNAL', 'The server sent a reply this version of Bullpen does not understand.') };
    }
    return parsed.data as Result<ClientReply<E>>;
  }

  /** Subscribes to a server push, validated with its schema. Returns an unsubscribe function. */
  on<E extends ServerEventName>(event: E, listener: (payload: ServerPayload<E>) => void): () => void {
    const handler = (raw: unknown) => {
      const parsed = serverEvents[event].safeParse(raw);
      if (parsed.success) listener(parsed.data as ServerPayload<E>);
      else console.warn(`Ignored a malformed "${event}" message from the server`);
    };
    const socket = this.#socket as unknown as { on(e: string, h: (raw: unknown) => void): void; off(e: string, h: (raw: unknown) => void): void };
    socket.on(event, handler);
    return () => socket.off(event, handler);
  }

  /** Closes the connection for good (sign-out). Idempotent. */
  close(): void {
    clearTimeout(this.#retryTimer);
    this.#socket.removeAllListeners();
    this.#socket.disconnect();
  }
}
