import { afterEach, describe, expect, it } from 'vitest';
import type { AppError } from '../../contract';
import { SIGN_IN_LIMITS, type SignInLimits } from '../../server/auth/sign-in-throttle';
import { createLogger } from '../../server/logger';
import { apiFrom, type Source } from '../helpers/from-address';
import { onCleanup, runCleanups } from '../helpers/live-call';
import { setupTeam, startTestServer } from '../helpers/test-server';

afterEach(runCleanups);

const OWNER_PASSWORD = 'correct horse battery';
const OWNER = '127.0.0.1';
const STRANGER = '127.0.0.2';

/**
 * The default budgets, with waits long enough that none runs out between two requests of a
 * test on a busy machine (the default first wait is 1 s).
 */
const LIMITS: SignInLimits = { ...SIGN_IN_LIMITS, firstWaitSec: 60 };

async function serverWithOwner(opts: { trustProxy?: boolean; log?: ReturnType<typeof createLogger> } = {}) {
  const server = await startTestServer({ signInLimits: LIMITS, ...opts });
  onCleanup(() => server.stop());
  const owner = await setupTeam(server.url);
  return { server, email: owner.user.email };
}

function signIn(base: string, source: Source, email: string, password: string) {
  return apiFrom(base, 'login', source, { body: { email, password } });
}

function errorOf(result: { ok: boolean; error?: AppError }): AppError | undefined {
  return result.ok ? undefined : result.error;
}

describe('sign-in throttling', () => {
  it('attack: a stranger failing 30 times from another address cannot keep the owner out of sign-in', async () => {
    const { server, email } = await serverWithOwner();
    const codes: string[] = [];
    for (let i = 0; i < 30; i++) {
      const res = await signIn(server.url, { from: STRANGER }, email, `wrong guess number ${i}`);
      codes.push(errorOf(res.result)?.code ?? 'OK');
    }
    // The stranger's own (account, address) pair is slowed after its free failures…
    expect(codes.slice(0, SIGN_IN_LIMITS.pair.free + 1)).toEqual(Array(SIGN_IN_LIMITS.pair.free + 1).fill('BAD_CREDENTIALS'));
    expect(codes.slice(SIGN_IN_LIMITS.pair.free + 1)).toEqual(Array(30 - SIGN_IN_LIMITS.pair.free - 1).fill('RATE_LIMITED'));
    const limited = await signIn(server.url, { from: STRANGER }, email, OWNER_PASSWORD);
    expect(limited.status).toBe(429);
    expect(Number(limited.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(errorOf(limited.result)).toMatchObject({ code: 'RATE_LIMITED', retryAfterSec: Number(limited.retryAfter) });

    // …while the owner, from their own address, is not slowed at all: a typo, then the password.
    const typo = await signIn(server.url, { from: OWNER }, email, 'correct horse batery');
    expect(errorOf(typo.result)?.code).toBe('BAD_CREDENTIALS');
    const owner = await signIn(server.url, { from: OWNER }, email, OWNER_PASSWORD);
    expect(owner.status).toBe(200);
    expect(owner.result.ok).toBe(true);
  });

  it('attack: failures against other accounts from the owner\'s address block the owner only past the per-address budget', async () => {
    const { server, email } = await serverWithOwner();
    const budget = SIGN_IN_LIMITS.address.free;
    // Guesses spread over many accounts (real and unknown), each under its pair budget.
    await Promise.all(
      Array.from({ length: budget }, async (_, i) => {
        const res = await signIn(server.url, { from: OWNER }, `someone${i}@acme.test`, 'a wrong password');
        expect(errorOf(res.result)?.code).toBe('BAD_CREDENTIALS');
      }),
    );
    // Within the address budget the owner still signs in at once.
    expect((await signIn(server.url, { from: OWNER }, email, OWNER_PASSWORD)).status).toBe(200);

    // One failure past the budget makes the address wait, the owner included…
    const past = await signIn(server.url, { from: OWNER }, 'one-more@acme.test', 'a wrong password');
    expect(errorOf(past.result)?.code).toBe('BAD_CREDENTIALS');
    const waiting = await signIn(server.url, { from: OWNER }, email, OWNER_PASSWORD);
    expect(waiting.status).toBe(429);
    expect(errorOf(waiting.result)).toMatchObject({ code: 'RATE_LIMITED', retryAfterSec: LIMITS.firstWaitSec });
    expect(waiting.retryAfter).toBe(String(LIMITS.firstWaitSec));
    // …but it is the address that waits, never the account: from elsewhere the owner gets in.
    expect((await signIn(server.url, { from: '127.0.0.3' }, email, OWNER_PASSWORD)).status).toBe(200);
  });

  it('attack: without trust-proxy a forged X-Forwarded-For does not give each fake address a fresh budget', async () => {
    const { server } = await serverWithOwner();
    const codes: string[] = [];
    for (let i = 0; i <= SIGN_IN_LIMITS.address.free + 3; i++) {
      const res = await signIn(server.url, { forwardedFor: `203.0.113.${i + 1}` }, `nobody${i}@acme.test`, 'a wrong password');
      codes.push(errorOf(res.result)?.code ?? 'OK');
    }
    // The forged addresses count as the one real address: its budget, then waits.
    expect(codes.filter((c) => c === 'BAD_CREDENTIALS')).toHaveLength(SIGN_IN_LIMITS.address.free + 1);
    expect(codes.slice(SIGN_IN_LIMITS.address.free + 1)).toEqual(['RATE_LIMITED', 'RATE_LIMITED', 'RATE_LIMITED']);
  });

  it('with trust-proxy on, the forwarded address is the client: people behind one proxy are limited apart', async () => {
    const { server } = await serverWithOwner({ trustProxy: true });
    const results = await Promise.all(
      Array.from({ length: SIGN_IN_LIMITS.address.free + 3 }, (_, i) =>
        signIn(server.url, { forwardedFor: `203.0.113.${i + 1}` }, `nobody${i}@acme.test`, 'a wrong password'),
      ),
    );
    expect(results.map((r) => errorOf(r.result)?.code)).toEqual(Array(SIGN_IN_LIMITS.address.free + 3).fill('BAD_CREDENTIALS'));
  });

  it('attack: successful sign-ins do not count toward any limit', async () => {
    const { server, email } = await serverWithOwner();
    // More successes than either budget, all from one address.
    for (let i = 0; i <= SIGN_IN_LIMITS.address.free; i++) {
      expect((await signIn(server.url, { from: OWNER }, email, OWNER_PASSWORD)).status).toBe(200);
    }
    // The pair's free failures are all still there…
    for (let i = 0; i < SIGN_IN_LIMITS.pair.free; i++) {
      expect(errorOf((await signIn(server.url, { from: OWNER }, email, 'not the password')).result)?.code).toBe('BAD_CREDENTIALS');
    }
    // …and a success clears them: one more failure would otherwise start a wait.
    expect((await signIn(server.url, { from: OWNER }, email, OWNER_PASSWORD)).status).toBe(200);
    expect(errorOf((await signIn(server.url, { from: OWNER }, email, 'not the password')).result)?.code).toBe('BAD_CREDENTIALS');
    expect(errorOf((await signIn(server.url, { from: OWNER }, email, 'not the password')).result)?.code).toBe('BAD_CREDENTIALS');
  });

  it('logs failed and throttled sign-ins with email and address, never the password', async () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'info', write: (line) => lines.push(line) });
    const { server, email } = await serverWithOwner({ log });
    const secret = 'my secret guess';
    for (let i = 0; i <= SIGN_IN_LIMITS.pair.free + 2; i++) await signIn(server.url, { from: STRANGER }, email, `${secret} ${i}`);

    const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const failed = entries.filter((e) => e.msg === 'sign-in failed');
    expect(failed).toHaveLength(SIGN_IN_LIMITS.pair.free + 1);
    expect(failed.at(-1)).toMatchObject({ level: 'warn', email, address: STRANGER, failuresForAccountFromAddress: SIGN_IN_LIMITS.pair.free + 1 });
    expect(failed.at(-1)?.nextAttemptWaitSec).toBe(LIMITS.firstWaitSec);
    // Two attempts refused during one wait: one line, not one per attempt.
    const throttled = entries.filter((e) => e.msg === 'sign-in throttled');
    expect(throttled).toHaveLength(1);
    expect(throttled[0]).toMatchObject({ email, address: STRANGER, by: 'account-and-address' });
    expect(lines.join('\n')).not.toContain(secret);
  });
});
