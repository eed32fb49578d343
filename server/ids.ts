import { createHash, randomBytes } from 'node:crypto';

/** A new opaque id: 16 random bytes, base64url (22 characters). */
export function newId(): string {
  return randomBytes(16).toString('base64url');
}

/** A new secret token (32 random bytes) for sessions; only its hash is stored. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** A short, human-typeable invite code (no ambiguous characters). */
export function newInviteCode(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(10);
  let code = '';
  for (const b of bytes) code += alphabet[b % alphabet.length];
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}
