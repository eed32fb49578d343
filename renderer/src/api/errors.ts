import {
  ACCOUNT_DEACTIVATED_MESSAGE,
  PASSWORD_RESET_SIGNED_OUT_MESSAGE,
  SESSION_EXPIRED_MESSAGE,
  waitInWords,
  type AppError,
  type ErrorCode,
} from '../../../contract';

/**
 * What a person sees for each error code. `server: true` means the server's own message is
 * written for people and more specific (e.g. the reason a call is closed to you), so it wins.
 */
const messages = {
  BAD_REQUEST: { text: 'Some details are not valid. Check the form and try again.', server: false },
  UNAUTHENTICATED: { text: 'Your session has ended. Sign in again to continue.', server: false },
  FORBIDDEN: { text: 'You do not have permission to do that. Ask a team admin.', server: true },
  NOT_FOUND: { text: 'That no longer exists. It may have been removed by someone else.', server: false },
  CONFLICT: { text: 'That clashes with a change someone just made. Refresh and try again.', server: true },
  PAYLOAD_TOO_LARGE: { text: 'That is too much to send at once. Shorten it and try again.', server: false },
  // The wait is added from `retryAfterSec` (see rateLimitedText).
  RATE_LIMITED: { text: 'Too many attempts in a short time.', server: true },
  SETUP_DONE: { text: 'This Bullpen server already has a team. Sign in, or ask your admin for an invite.', server: false },
  INVITE_INVALID: {
    text: 'This invite is not valid any more: it expired, was revoked or was already used. Ask your admin for a new one.',
    // The server says which (used, expired, or void because its creator may no longer invite).
    server: true,
  },
  EMAIL_TAKEN: {
    text: 'This account could not be created with this email. If you already have a Bullpen account, sign in with it; otherwise use another email.',
    server: false,
  },
  BAD_CREDENTIALS: { text: 'That email and password do not match. Check both and try again.', server: false },
  CALL_NOT_FOUND: { text: 'That call is not live any more.', server: false },
  CALL_ENDED: { text: 'That call has already ended.', server: false },
  NOT_ALLOWED: { text: 'The host limited who can listen to this call.', server: true },
  ALREADY_JOINED: { text: 'You are already listening to this call, maybe in another window. Leave it there first.', server: false },
  ALREADY_LIVE: { text: 'You are already live on another call. End that call first.', server: false },
  NOT_HOST: { text: 'Only the host of the call can do that.', server: false },
  NOT_LISTENING: { text: 'You are not listening to this call.', server: false },
  NOT_RECORDED: { text: 'This call is not recorded, so there is nothing to clip.', server: true },
  MEDIA_FAILED: { text: 'The audio connection could not be set up. Check your network and try again.', server: false },
  UNAVAILABLE: { text: 'Bullpen cannot reach the server right now. Check your connection and try again.', server: false },
  INTERNAL: { text: 'Something went wrong on the server. Try again in a moment.', server: false },
} satisfies Record<ErrorCode, { text: string; server: boolean }>;

/** Errors this app wrote itself for people: their messages are shown as they are. */
const clientAuthored = new WeakSet<AppError>();

/** An error raised by the renderer itself (network, media, validation), worded for people. */
export function clientError(code: ErrorCode, message: string): AppError {
  const error: AppError = { code, message };
  clientAuthored.add(error);
  return error;
}

/** The sentence to show a person for an error from any boundary. */
export function describeError(error: AppError): string {
  if (clientAuthored.has(error)) return error.message;
  const entry = messages[error.code];
  if (error.code === 'BAD_REQUEST') return describeBadRequest(error.message) ?? entry.text;
  if (error.code === 'RATE_LIMITED') return rateLimitedText(error, entry.text);
  return entry.server && error.message.trim() !== '' ? sentence(capitalize(error.message)) : entry.text;
}

/** What the sign-in screen says after the server refused the session (expired, revoked, unknown). */
export function signedOutReason(error: Pick<AppError, 'message'>): string {
  // Only the server's own known sentences are shown as they are; anything else gets ours.
  const known = [SESSION_EXPIRED_MESSAGE, ACCOUNT_DEACTIVATED_MESSAGE, PASSWORD_RESET_SIGNED_OUT_MESSAGE];
  return known.includes(error.message) ? error.message : messages.UNAUTHENTICATED.text;
}

/**
 * The form field a server's BAD_REQUEST is about (`Invalid request: password: is too easy to
 * guess…`), when it is one of `fields`, with its message worded with the field's label; else null.
 */
export function serverFieldError(
  error: AppError,
  fields: readonly string[],
  labels: Readonly<Record<string, string>> = {},
): { field: string; message: string } | null {
  if (error.code !== 'BAD_REQUEST' || clientAuthored.has(error)) return null;
  const match = /^Invalid request: ([\w]+): (.+)$/s.exec(error.message);
  if (!match?.[1] || !match[2] || !fields.includes(match[1])) return null;
  return { field: match[1], message: fieldMessage(match[1], match[2], labels) };
}

/** What was refused (the server's words) and how long to wait before trying again. */
function rateLimitedText(error: AppError, fallback: string): string {
  const what = error.message.trim() !== '' ? sentence(capitalize(error.message)) : fallback;
  const wait = error.retryAfterSec === undefined ? 'Wait a minute, then try again.' : `Try again in ${waitInWords(error.retryAfterSec)}.`;
  return `${what} ${wait}`;
}

/** Turns `Invalid request: email: must be an email address` into `Email must be an email address.` */
function describeBadRequest(message: string): string | null {
  const match = /^Invalid request: (?:([\w.]+): )?(.+)$/.exec(message);
  if (!match?.[2]) return null;
  const field = match[1] ? humanField(match[1]) : null;
  return sentence(field ? `${field} ${match[2]}` : capitalize(match[2]));
}

function humanField(path: string): string {
  const last = path.split('.').pop() ?? path;
  const words = last.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/**
 * A field's validation message worded with its label as shown ("Work email must be an email
 * address."); fields without a label get one made from their name (`teamName` → "Team name").
 */
export function fieldMessage(field: string, message: string, labels: Readonly<Record<string, string>> = {}): string {
  return sentence(`${labels[field] ?? humanField(field)} ${message}`);
}

/**
 * One message per top-level field from a form library's error tree (react-hook-form's
 * `FieldErrors`, where a list field such as tags nests its items' errors by index), worded with
 * the field's label. The first message found in a field's subtree wins.
 */
export function labelledFieldErrors(errors: Readonly<Record<string, unknown>>, labels: Readonly<Record<string, string>> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, tree] of Object.entries(errors)) {
    const message = firstMessage(tree);
    if (message !== null) out[field] = fieldMessage(field, message, labels);
  }
  return out;
}

function firstMessage(tree: unknown): string | null {
  if (tree === null || typeof tree !== 'object') return null;
  const { message } = tree as { message?: unknown };
  if (typeof message === 'string' && message !== '') return message;
  for (const [key, child] of Object.entries(tree)) {
    // `ref` is the input element react-hook-form keeps beside the message.
    if (key === 'ref' || key === 'types') continue;
    const found = firstMessage(child);
    if (found !== null) return found;
  }
  return null;
}

/**
 * Converts anything thrown by browser media APIs (getUserMedia, getDisplayMedia,
 * RTCPeerConnection) or the bridge into an `AppError` with a message a person can act on.
 */
export function mediaError(error: unknown, what = 'your microphone'): AppError {
  const described = describeMediaError(error, what);
  return clientError(described.code, described.message);
}

function describeMediaError(error: unknown, what: string): AppError {
  if (error instanceof DOMException || (error instanceof Error && 'name' in error)) {
    switch (error.name) {
      case 'NotAllowedError':
      case 'SecurityError':
        return {
          code: 'MEDIA_FAILED',
          message: `Bullpen is not allowed to use ${what}. Allow access in your browser’s site settings or your system’s privacy settings, then try again.`,
        };
      case 'NotFoundError':
        return { code: 'MEDIA_FAILED', message: error.message || `No ${what.replace(/^(your|the) /, '')} was found. Connect one, or pick another source.` };
      case 'NotReadableError':
      case 'AbortError':
        return { code: 'MEDIA_FAILED', message: `${capitalize(what)} could not be started. Another app may be using it; close it or pick another source.` };
      case 'OverconstrainedError':
        return { code: 'MEDIA_FAILED', message: `The device chosen for ${what} is no longer connected. Pick another one.` };
      case 'NotSupportedError':
        return { code: 'MEDIA_FAILED', message: error.message || 'This source is not supported here.' };
    }
  }
  const message = error instanceof Error && error.message ? error.message : 'Audio could not be started.';
  return { code: 'MEDIA_FAILED', message };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
