/**
 * Short-lived TURN credentials in coturn's "TURN REST API" scheme (coturn `use-auth-secret` +
 * `static-auth-secret`; draft-uberti-behave-turn-rest): the username is
 * `<expiry-unix-seconds>:<userId>` and the password is base64(HMAC-SHA1(secret, username)).
 * coturn recomputes the HMAC from its own copy of the secret and refuses a username whose
 * expiry has passed, so the server never talks to coturn and nothing is stored: a credential
 * handed out is good until its expiry, for that person only (it names them in coturn's logs).
 *
 * Pure: the clock is an argument.
 */
import { createHmac } from 'node:crypto';
import type { IceServer } from '../../contract';

/** What the server knows about its TURN servers (from config.ts's turn* settings). */
export interface TurnSettings {
  /** `turn:` / `turns:` URLs handed to clients; none means no TURN (clients reach media directly). */
  urls: readonly string[];
  /** coturn's `static-auth-secret`. Required when `urls` is not empty. */
  secret: string | undefined;
  /** How long a credential stays valid, in seconds. */
  ttlSec: number;
}

/** One credential: `username` names its expiry and its holder, `credential` proves it. */
export interface TurnCredential {
  username: string;
  credential: string;
}

/**
 * The credential for `userId` valid until `nowMs + ttlSec` (rounded down to whole seconds, as
 * coturn compares seconds). `userId` must not contain ':', coturn's separator.
 */
export function turnCredential(secret: string, userId: string, ttlSec: number, nowMs: number): TurnCredential {
  if (userId.includes(':')) throw new Error('a TURN user id cannot contain ":" (coturn splits the username on it)');
  const expiry = Math.floor(nowMs / 1000) + ttlSec;
  const username = `${expiry}:${userId}`;
  const credential = createHmac('sha1', secret).update(username).digest('base64');
  return { username, credential };
}

/**
 * The ICE servers a client should use now: one entry with every TURN URL and a fresh credential
 * for `userId`, or none when no TURN server is configured (the client then connects directly,
 * exactly as without this feature).
 */
export function iceServersFor(settings: TurnSettings, userId: string, nowMs: number): IceServer[] {
  if (settings.urls.length === 0 || !settings.secret) return [];
  return [{ urls: [...settings.urls], ...turnCredential(settings.secret, userId, settings.ttlSec, nowMs) }];
}
