import { BullpenError } from '../../contract';

/** What a person is told while PostgreSQL cannot be reached (HTTP 503, socket replies alike). */
export const DATABASE_UNAVAILABLE = 'The database is not reachable right now. Try again in a moment.';

/**
 * How long opening a PostgreSQL connection may take before a request gives up with 503: a
 * database host that drops packets must not hang requests (a refused port fails at once).
 */
export const PG_CONNECT_TIMEOUT_MS = 5000;

/** SQLSTATEs meaning the server is going away or not up yet (class 08 is checked apart). */
const DOWN_STATES = new Set([
  '57P01', // admin_shutdown: the server is stopping or restarting
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or in recovery
]);

/** Socket-level failures of reaching the server. */
const NET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** node-postgres's own messages for a connection that ended or never opened. */
const PG_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
];

/**
 * Whether `error` says the database cannot be reached (down, restarting, cut off), as opposed
 * to a query's own failure (a constraint, a bug), which must stay what it is.
 */
export function isDatabaseUnreachable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (DOWN_STATES.has(code) || code.startsWith('08') || NET_CODES.has(code))) return true;
  if (error instanceof AggregateError) return error.errors.some(isDatabaseUnreachable);
  return PG_MESSAGES.some((m) => error.message.startsWith(m));
}

/**
 * Tracks whether PostgreSQL is reachable, from what connections and queries meet, and turns an
 * unreachable database into `BullpenError('UNAVAILABLE')` (503 over HTTP, the same code on
 * sockets). Reports each change once (`onChange`), never once per failed request.
 */
export class PgAvailability {
  #down = false;
  readonly #onChange: (down: boolean, error?: Error) => void;

  constructor(onChange: (down: boolean, error?: Error) => void = () => undefined) {
    this.#onChange = onChange;
  }

  /** A connection opened or a query ran: the database is reachable. */
  reached(): void {
    if (!this.#down) return;
    this.#down = false;
    this.#onChange(false);
  }

  /** Rethrows `error`, as UNAVAILABLE when it says the database cannot be reached. */
  fail(error: unknown): never {
    if (!isDatabaseUnreachable(error)) throw error;
    if (!this.#down) {
      this.#down = true;
      this.#onChange(true, error as Error);
    }
    throw new BullpenError('UNAVAILABLE', DATABASE_UNAVAILABLE);
  }
}
