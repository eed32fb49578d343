import { afterEach, describe, expect, it } from 'vitest';
import { routes, type AppError } from '../../contract';
import { DEFAULT_PASSWORD_COST, hashPassword } from '../../server/auth/password';
import { SIGN_UP_LIMITS } from '../../server/auth/sign-up-limits';
import { TeamStore } from '../../server/store/team-store';
import { apiFrom } from '../helpers/from-address';
import { onCleanup, runCleanups } from '../helpers/live-call';
import { openTestStore } from '../helpers/test-database';
import { api, setupTeam, startTestServer, unwrap } from '../helpers/test-server';

afterEach(runCleanups);

const GOOD_PASSWORD = 'plum tractor velvet';

async function server(options: Parameters<typeof startTestServer>[0] = {}) {
  const s = await startTestServer(options);
  onCleanup(() => s.stop());
  return s;
}

function errorOf(result: { ok: boolean; error?: AppError }): AppError | undefined {
  return result.ok ? undefined : result.error;
}

describe('new passwords', () => {
  it('attack: a common or guessable password is refused at set-up with why and how to fix it, and nothing is created', async () => {
    const s = await server();
    const person = { teamName: 'Acme Sales', name: 'Alice Admin', email: 'alice@acme.test' };
    const common = await api(s.url, routes.setup, { body: { ...person, password: 'password123' } });
    expect(common.status).toBe(400);
    expect(errorOf(common.result)).toEqual({
      code: 'BAD_REQUEST',
      message:
        'Invalid request: password: is too easy to guess. This is a commonly used password. Add more words that are less common. A few unrelated words make a strong password.',
    });
    // Built from the person's own team name: the estimator is given their details.
    const personal = await api(s.url, routes.setup, { body: { ...person, password: 'acmesales2024' } });
    expect(errorOf(personal.result)?.message).toMatch(/^Invalid request: password: is too easy to guess\./);
    for (const password of ['qwertyuiop12', 'aaaaaaaaaaaa', 'alice@acme.test']) {
      expect(errorOf((await api(s.url, routes.setup, { body: { ...person, password } })).result)?.code, password).toBe('BAD_REQUEST');
    }
    const short = await api(s.url, routes.setup, { body: { ...person, password: 'Zq8#pL2' } });
    expect(errorOf(short.result)?.message).toBe('Invalid request: password: must be at least 10 characters');
    expect(unwrap((await api(s.url, routes.setupStatus)).result).needsSetup).toBe(true);

    expect(unwrap((await api(s.url, routes.setup, { body: { ...person, password: GOOD_PASSWORD } })).result).user.name).toBe('Alice Admin');
  });

  it('attack: a weak password is refused at sign-up and leaves the invite usable', async () => {
    const s = await server();
    const admin = await setupTeam(s.url);
    const invite = unwrap((await api(s.url, routes.createInvite, { token: admin.token, body: { role: 'rep' } })).result).invite;
    const body = { inviteCode: invite.code, name: 'Rita Rep', email: 'rita@acme.test' };
    const weak = await api(s.url, routes.signup, { body: { ...body, password: 'ritarep1234' } });
    expect(weak.status).toBe(400);
    expect(errorOf(weak.result)?.message).toMatch(/^Invalid request: password: is too easy to guess\. .+\.$/);
    expect(unwrap((await api(s.url, routes.members, { token: admin.token })).result).members).toHaveLength(1);
    expect(unwrap((await api(s.url, routes.signup, { body: { ...body, password: GOOD_PASSWORD } })).result).user.role).toBe('rep');
  });
});

describe('sign-up with an invite', () => {
  it('attack: an invite holder cannot tell whether an email has an account in another team', async () => {
    // Production's hashing cost: the timing below compares with it.
    const s = await server({ passwordCost: DEFAULT_PASSWORD_COST });
    const admin = await setupTeam(s.url);
    const store = await openTestStore(s);
    await new TeamStore(store).createTeamWithAdmin(
      { teamName: 'Rival Inc', name: 'Rex Rival', email: 'rex@rival.test', passwordHash: await hashPassword(GOOD_PASSWORD) },
      { onlyIfFirst: false },
    );
    await store.close();
    const invite = unwrap((await api(s.url, routes.createInvite, { token: admin.token, body: { role: 'rep' } })).result).invite;

    const attempt = async (email: string) => {
      const started = performance.now();
      const res = await api(s.url, routes.signup, { body: { inviteCode: invite.code, name: 'Mallory', email, password: GOOD_PASSWORD } });
      return { ...res, ms: performance.now() - started };
    };
    const otherTeam = await attempt('rex@rival.test');
    const ownTeam = await attempt(admin.user.email);
    // One answer whichever team holds the email: same status, code and words.
    expect(otherTeam.status).toBe(409);
    expect(ownTeam.status).toBe(otherTeam.status);
    expect(otherTeam.result).toEqual(ownTeam.result);
    expect(otherTeam.result).toEqual({
      ok: false,
      error: {
        code: 'EMAIL_TAKEN',
        message:
          'This account could not be created with this email. If you already have a Bullpen account, sign in with it; otherwise use another email.',
      },
    });
    // A taken email spends the password hash a real sign-up spends, so its reply comes no faster
    // than a hash (half the fastest of three, one at a time, leaves room for a busy machine).
    const hashTimes: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      await hashPassword(GOOD_PASSWORD);
      hashTimes.push(performance.now() - t);
    }
    expect(Math.min(otherTeam.ms, ownTeam.ms)).toBeGreaterThan(Math.min(...hashTimes) / 2);
    // The invite is still there for the person it was meant for.
    expect((await attempt('mallory@acme.test')).status).toBe(200);
  });

  it('attack: one invite answers "email taken" only a few times, then refuses to be used for probing', async () => {
    const s = await server();
    const admin = await setupTeam(s.url);
    const invite = unwrap((await api(s.url, routes.createInvite, { token: admin.token, body: { role: 'rep' } })).result).invite;
    const signup = (email: string) => api(s.url, routes.signup, { body: { inviteCode: invite.code, name: 'Mallory', email, password: GOOD_PASSWORD } });
    for (let i = 0; i < SIGN_UP_LIMITS.takenEmailsPerInvite.points; i++) {
      expect(errorOf((await signup(admin.user.email)).result)?.code).toBe('EMAIL_TAKEN');
    }
    const refused = await signup('free-email@acme.test');
    expect(refused.status).toBe(429);
    expect(errorOf(refused.result)).toMatchObject({ code: 'RATE_LIMITED' });
    expect(errorOf(refused.result)?.retryAfterSec).toBeGreaterThan(0);
    // Nothing was created by the refused attempt.
    expect(unwrap((await api(s.url, routes.members, { token: admin.token })).result).members).toHaveLength(1);
  });

  it('attack: invite look-ups from one address are rate-limited, so codes cannot be guessed in bulk', async () => {
    const s = await server();
    const admin = await setupTeam(s.url);
    const invite = unwrap((await api(s.url, routes.createInvite, { token: admin.token, body: { role: 'rep' } })).result).invite;
    const limit = SIGN_UP_LIMITS.previewsPerAddress.points;
    const guesses = await Promise.all(
      Array.from({ length: limit }, (_, i) => apiFrom(s.url, 'invitePreview', { from: '127.0.0.2' }, { params: { code: `GUESS${i}` } })),
    );
    expect(guesses.map((g) => errorOf(g.result)?.code)).toEqual(Array(limit).fill('INVITE_INVALID'));
    const over = await apiFrom(s.url, 'invitePreview', { from: '127.0.0.2' }, { params: { code: invite.code } });
    expect(over.status).toBe(429);
    expect(errorOf(over.result)?.code).toBe('RATE_LIMITED');
    expect(Number(over.retryAfter)).toBeGreaterThan(0);
    // Another address is not affected.
    expect(unwrap((await apiFrom(s.url, 'invitePreview', { from: '127.0.0.3' }, { params: { code: invite.code } })).result).role).toBe('rep');
  });

  it('attack: sign-ups from one address are rate-limited, whatever their outcome', async () => {
    const s = await server();
    const admin = await setupTeam(s.url);
    const invite = unwrap((await api(s.url, routes.createInvite, { token: admin.token, body: { role: 'rep' } })).result).invite;
    const body = (inviteCode: string, email: string) => ({ body: { inviteCode, name: 'Mallory', email, password: GOOD_PASSWORD } });
    const limit = SIGN_UP_LIMITS.signUpsPerAddress.points;
    for (let i = 0; i < limit; i++) {
      const res = await apiFrom(s.url, 'signup', { from: '127.0.0.2' }, body(`GUESS${i}`, `m${i}@evil.test`));
      expect(errorOf(res.result)?.code).toBe('INVITE_INVALID');
    }
    const over = await apiFrom(s.url, 'signup', { from: '127.0.0.2' }, body(invite.code, 'mallory@evil.test'));
    expect(over.status).toBe(429);
    expect(errorOf(over.result)?.code).toBe('RATE_LIMITED');
    expect(unwrap((await apiFrom(s.url, 'signup', { from: '127.0.0.3' }, body(invite.code, 'newbie@acme.test'))).result).user.role).toBe('rep');
  });
});
