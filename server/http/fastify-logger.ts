import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { LogController, type FastifyBaseLogger, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger, LogLevel } from '../logger';

type Level = 'debug' | 'info' | 'warn' | 'error';

/**
 * Keeps what is safe and small from the object Fastify passes with a log call. Fastify hands
 * over whole requests and replies (`req`, `res`): those carry headers with tokens and are
 * circular, so they are dropped; the request line (see `logRequestCompleted`) says what matters.
 */
function safeFields(obj: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(obj)) {
    if (key === 'err' || key === 'error') out.error = value;
    else if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) out[key] = value;
  }
  return out;
}

function logFn(log: Logger, level: Level) {
  return (first: unknown, msg?: unknown): void => {
    if (typeof first === 'string') return log[level](first);
    if (first instanceof Error) return log[level](typeof msg === 'string' ? msg : first.message, { error: first });
    if (typeof first === 'object' && first !== null) return log[level](typeof msg === 'string' ? msg : '', safeFields(first));
    log[level](String(first));
  };
}

/**
 * Fastify's logger interface over our one Logger, so Fastify's own lines (and `request.log`,
 * which carries the request id) come out in the same JSON-lines format as the rest of the
 * server (contract/log.ts). An adapter, not a second logging library: one format, one writer.
 */
export function fastifyLogger(log: Logger, level: LogLevel): FastifyBaseLogger {
  const error = logFn(log, 'error');
  return {
    level,
    fatal: error,
    error,
    warn: logFn(log, 'warn'),
    info: logFn(log, 'info'),
    debug: logFn(log, 'debug'),
    trace: logFn(log, 'debug'),
    silent: () => undefined,
    child: (bindings) => fastifyLogger(log.child(safeFields(bindings)), level),
  } as FastifyBaseLogger;
}

const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** The request id: the caller's `X-Request-Id` when it looks like one (a proxy's), else new. */
export function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && SANE_REQUEST_ID.test(given) ? given : randomUUID();
}

/** Route config flag: the path holds a secret (an invite code), so log the route pattern. */
export interface LogConfig {
  secretPath?: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** See `LogConfig`. */
    secretPath?: boolean;
  }
}

/** Path of a request for the log: never the query string (it may hold search text). */
function logPath(request: FastifyRequest): string {
  // An invite code in the path is a credential: log the route pattern instead.
  return request.routeOptions.config.secretPath ? (request.routeOptions.url ?? '') : (request.url.split('?', 1)[0] ?? '');
}

/**
 * Fastify's request log lines, in our shape: nothing when a request comes in, one line when
 * it finishes (method, path, status, ms; the request id comes from `request.log`). Headers and
 * bodies are never logged, so neither are tokens or passwords. Failures the error handler
 * did not expect are logged there, once.
 */
export class RequestLogController extends LogController {
  override incomingRequest(): void {}

  override routeNotFound(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const fields = { method: request.method, path: logPath(request), status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 };
    // A response that broke off mid-stream (a client gone during an audio download).
    if (error) request.log.warn({ ...fields, error }, 'request aborted');
    else request.log.info(fields, 'request');
  }
}
