import { describe, expect, it } from 'vitest';
import { BullpenError } from '../../../../contract';
import { assertStrongPassword, personalWords } from '../../../../server/auth/password-policy';

describe('password policy', () => {
  it('gives the estimator the person’s details whole, word by word and run together', () => {
    expect(personalWords({ name: 'Ann Lee-Smith', email: 'ann.lee@acme-sales.test', teamName: 'Acme Sales' }).sort()).toEqual(
      ['acme', 'acme sales', 'acmesales', 'ann lee-smith', 'ann.lee@acme-sales.test', 'annleeacmesalestest', 'annleesmith', 'ann', 'lee', 'sales', 'smith', 'test'].sort(),
    );
  });

  it('accepts passphrases and refuses common, patterned or personal passwords with a reason', () => {
    const details = { name: 'Ann Lee', email: 'ann@acme.test', teamName: 'Acme Sales' };
    for (const good of ['correct horse battery', 'plum tractor velvet', 'Tr0ub4dor&3x-q']) expect(() => assertStrongPassword(good, details)).not.toThrow();
    for (const weak of ['password123', 'qwertyuiop12', '1234567890', 'acmesales2024', 'annlee12345']) {
      let error: unknown;
      try {
        assertStrongPassword(weak, details);
      } catch (e) {
        error = e;
      }
      expect(error, weak).toBeInstanceOf(BullpenError);
      expect((error as BullpenError).code).toBe('BAD_REQUEST');
      expect((error as BullpenError).message, weak).toMatch(/^Invalid request: password: is too easy to guess\. .+\. .+ A few unrelated words make a strong password\.$/);
    }
  });
});
