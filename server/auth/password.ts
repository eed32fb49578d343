import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Password hashing with scrypt, a memory-hard KDF (N = 2^15, r = 8: 32 MiB per hash).
 * Stored as `scrypt$N$r$p$salt$hash` so parameters can be raised later: verifying reads them
 * from the stored hash, so an account hashed at any cost signs in.
 */
export const DEFAULT_PASSWORD_COST = 1 << 15;
const R = 8;
const P = 1;
const KEY_LEN = 32;

function scrypt(password: string, salt: Buffer, keyLen: number, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(password, salt, keyLen, opts, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/**
 * Hashes a password with scrypt cost `cost` (N, a power of two). Only tests pass a lower cost
 * than the default (through the server's `passwordCost` hook, which no setting reaches), so that
 * hashing does not dominate their time.
 */
export async function hashPassword(password: string, cost = DEFAULT_PASSWORD_COST): Promise<string> {
  if (!Number.isInteger(Math.log2(cost)) || cost < 2) throw new Error(`scrypt cost must be a power of two, got ${cost}`);
  const salt = randomBytes(16);
  const key = await scrypt(password.normalize('NFKC'), salt, KEY_LEN, { N: cost, r: R, p: P, maxmem: 256 * cost * R });
  return ['scrypt', cost, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, saltText, keyText] = stored.split('$');
  if (kind !== 'scrypt' || !n || !r || !p || !saltText || !keyText) return false;
  const expected = Buffer.from(keyText, 'base64url');
  const cost = Number(n);
  const blockSize = Number(r);
  const key = await scrypt(password.normalize('NFKC'), Buffer.from(saltText, 'base64url'), expected.length, {
    N: cost,
    r: blockSize,
    p: Number(p),
    maxmem: 256 * cost * blockSize,
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

const dummies = new Map<number, Promise<string>>();

/** A hash of a random password at `cost`, to spend the same time when the email is unknown. */
export function dummyHash(cost = DEFAULT_PASSWORD_COST): Promise<string> {
  let dummy = dummies.get(cost);
  if (!dummy) dummies.set(cost, (dummy = hashPassword(randomBytes(16).toString('hex'), cost)));
  return dummy;
}
