import { describe, expect, it } from 'vitest';
import { DEFAULT_PASSWORD_COST, dummyHash, hashPassword, verifyPassword } from '../../../../server/auth/password';

describe('password hashing', () => {
  it('hashes with scrypt N = 2^15, r = 8 unless told otherwise', async () => {
    expect(DEFAULT_PASSWORD_COST).toBe(32_768);
    const stored = await hashPassword('plum tractor velvet');
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(await verifyPassword('plum tractor velvet', stored)).toBe(true);
    expect(await verifyPassword('plum tractor velvex', stored)).toBe(false);
    expect(await dummyHash()).toMatch(/^scrypt\$32768\$/);
  });

  it('verifies a hash made at another cost by the cost stored in it', async () => {
    const cheap = await hashPassword('plum tractor velvet', 1 << 10);
    expect(cheap).toMatch(/^scrypt\$1024\$8\$1\$/);
    expect(await verifyPassword('plum tractor velvet', cheap)).toBe(true);
    expect(await verifyPassword('plum tractor', cheap)).toBe(false);
  });

  it('refuses a cost that is not a power of two, and a stored hash it cannot read', async () => {
    await expect(hashPassword('plum tractor velvet', 1000)).rejects.toThrow(/power of two/);
    expect(await verifyPassword('x', 'bcrypt$12$abc')).toBe(false);
    expect(await verifyPassword('x', 'scrypt$1024$8$1$')).toBe(false);
  });
});
