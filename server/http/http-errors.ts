import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { BullpenError, httpStatusFor, invalidRequestMessage, type AppError, type Result } from '../../contract';

/** What the server answers for one failure: the status, the envelope's error, extra headers. */
export interface ErrorReply {
  status: number;
  error: AppError;
  headers?: Record<string, string>;
  /** A failure the server did not expect (a bug, a disk error): logged with its stack. */
  unexpected?: boolean;
}

/** Messages for Fastify's own request errors, by its error code: what the caller should fix. */
const fastifyErrors: Record<string, Omit<ErrorReply, 'headers'>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, error: { code: 'PAYLOAD_TOO_LARGE', message: 'Request body is too large' } },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, error: { code: 'BAD_REQUEST', message: 'Request body is not valid JSON' } },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, error: { code: 'BAD_REQUEST', message: 'Request body is empty; send a JSON object' } },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, error: { code: 'BAD_REQUEST', message: 'Send the body as application/json' } },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, error: { code: 'BAD_REQUEST', message: 'Content-Length does not match the body' } },
  FST_ERR_BAD_URL: { status: 400, error: { code: 'BAD_REQUEST', message: 'Bad URL' } },
};

/** Headers an error may carry to the client (405's Allow, 416's Content-Range); nothing else. */
const PASSED_HEADERS = ['allow', 'content-range'];

/** The HTTP answer for a failure: every failure becomes a `Result` envelope with its status. */
export function errorReply(error: unknown): ErrorReply {
  if (error instanceof BullpenError) {
    const headers = error.retryAfterSec === undefined ? undefined : { 'retry-after': String(error.retryAfterSec) };
    return { status: httpStatusFor[error.code], error: error.toAppError(), ...(headers ? { headers } : {}) };
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    // The same message `parse()` gives, so clients and tests read one wording.
    const first = error.validation[0]!;
    const path = first.instancePath.split('/').filter(Boolean);
    return { status: 400, error: { code: 'BAD_REQUEST', message: invalidRequestMessage(path, first.message) } };
  }
  const fastify = error as Partial<FastifyError> & { status?: number; headers?: Record<string, string> };
  const known = fastify.code ? fastifyErrors[fastify.code] : undefined;
  if (known) return known;
  const status = fastify.statusCode ?? fastify.status;
  if (status && status >= 400 && status < 500) {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(fastify.headers ?? {})) {
      if (PASSED_HEADERS.includes(name.toLowerCase())) headers[name.toLowerCase()] = String(value);
    }
    const message = status === 416 ? 'The requested range is outside the file' : (fastify.message ?? 'Bad request');
    return { status, error: { code: status === 404 ? 'NOT_FOUND' : status === 403 ? 'FORBIDDEN' : 'BAD_REQUEST', message }, headers };
  }
  return { status: 500, error: { code: 'INTERNAL', message: 'Something went wrong on the server. Try again.' }, unexpected: true };
}

/** Sends `failure` as the envelope. */
export function sendError(reply: FastifyReply, failure: ErrorReply): FastifyReply {
  const body: Result<never> = { ok: false, error: failure.error };
  return reply
    .code(failure.status)
    .headers(failure.headers ?? {})
    .header('cache-control', 'no-store')
    .type('application/json; charset=utf-8')
    .send(body);
}

/** Fastify's one error handler: maps the failure, logs the unexpected ones once, replies. */
export function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const failure = errorReply(error);
  if (failure.unexpected) request.log.error({ error }, 'request failed');
  return sendError(reply, failure);
}
