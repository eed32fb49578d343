import { z } from 'zod';

/**
 * Every error that crosses a boundary (socket ack, HTTP body, IPC reply) carries one of
 * these codes. The UI maps codes to messages a person can act on.
 */
export const ErrorCode = z.enum([
  'BAD_REQUEST',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMITED',
  'SETUP_DONE',
  'INVITE_INVALID',
  'EMAIL_TAKEN',
  'BAD_CREDENTIALS',
  'CALL_NOT_FOUND',
  'CALL_ENDED',
  'NOT_ALLOWED',
  'ALREADY_JOINED',
  'ALREADY_LIVE',
  'NOT_HOST',
  'NOT_LISTENING',
  'NOT_RECORDED',
  'MEDIA_FAILED',
  'UNAVAILABLE',
  'INTERNAL',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const AppErrorSchema = z.object({
  code: ErrorCode,
  message: z.string(),
  /** With RATE_LIMITED: whole seconds until the same request may succeed. */
  retryAfterSec: z.number().int().nonnegative().optional(),
});
export type AppError = z.infer<typeof AppErrorSchema>;

/**
 * A RATE_LIMITED wait in words for people, rounded up to what a person can act on: "1 second",
 * "45 seconds", whole minutes past a minute and a half ("2 minutes"), whole hours past an hour
 * and a half ("5 hours"). The one wording for every wait the app shows.
 */
export function waitInWords(sec: number): string {
  const s = Math.max(1, Math.ceil(sec));
  if (s < 90) return `${s} second${s === 1 ? '' : 's'}`;
  if (s < 90 * 60) return `${Math.ceil(s / 60)} minutes`;
  return `${Math.ceil(s / 3600)} hours`;
}

/** The reply shape of every request across a boundary: a value, never a thrown error. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(code: ErrorCode, message: string, retryAfterSec?: number): Result<T> {
  return { ok: false, error: retryAfterSec === undefined ? { code, message } : { code, message, retryAfterSec } };
}

/** Builds the zod schema of `Result<T>` for a value schema, for parsing replies. */
export function resultSchema<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value }),
    z.object({ ok: z.literal(false), error: AppErrorSchema }),
  ]);
}

/** Exception carrying an error code; boundaries turn it into a `Result` failure. */
export class BullpenError extends Error {
  readonly code: ErrorCode;
  /** With RATE_LIMITED: whole seconds until the same request may succeed. */
  readonly retryAfterSec: number | undefined;
  constructor(code: ErrorCode, message: string, options?: { retryAfterSec?: number }) {
    super(message);
    this.name = 'BullpenError';
    this.code = code;
    this.retryAfterSec = options?.retryAfterSec === undefined ? undefined : Math.max(0, Math.ceil(options.retryAfterSec));
  }

  /** The error as it crosses a boundary. */
  toAppError(): AppError {
    return this.retryAfterSec === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, retryAfterSec: this.retryAfterSec };
  }
}

/**
 * Parses `input` with `schema`; on failure returns a BAD_REQUEST result whose message names
 * the first offending field, so a client developer can see what to fix.
 */
export function parse<T extends z.ZodType>(schema: T, input: unknown): Result<z.infer<T>> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return ok(parsed.data);
  const issue = parsed.error.issues[0];
  return fail('BAD_REQUEST', invalidRequestMessage(issue?.path ?? [], issue?.message));
}

/**
 * The message of a BAD_REQUEST for one failed check: `Invalid request: field.path: what is
 * wrong`. Shared by `parse()` and the HTTP server's validation errors, so both read the same.
 */
export function invalidRequestMessage(path: readonly PropertyKey[], message: string | undefined): string {
  const where = path.length > 0 ? `${path.map(String).join('.')}: ` : '';
  return `Invalid request: ${where}${message ?? 'malformed payload'}`;
}

/** Closes a switch over a discriminated union at compile time. */
export function assertUnreachable(value: never): never {
  throw new Error(`Unreachable case: ${JSON.stringify(value)}`);
}
