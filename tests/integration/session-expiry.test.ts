import { afterEach, describe, expect, it } from 'vitest';
import { routes, SESSION_EXPIRED_MESSAGE } from '../../contract';
import { onCleanup, runCleanups } from '../helpers/live-call';
import { api, connectSocket, request, setupTeam, startTestServer, unwrap } from '../helpers/test-server';

afterEach(runCleanups);

const DAY = 86_400_000;

/** A server whose sessions expire by a clock the test moves. */
async function serverWithClock(options: { sessionIdleDays?: number; sessionMaxDays?: number } = {}) {
  const clock = { now: Date.now() };
  const server = await startTestServer({ ...options, now: () => clock.now });
  onCleanup(() => server.stop());
  const admin = await setupTeam(server.url);
  return { server, admin, clock };
}

async function expectExpired(base: string, token: string): Promise<void> {
  const me = await api(base, routes.me, { token });
  expect(me.status).toBe(401);
  expect(me.result).toEqual({ ok: false, error: { code: 'UNAUTHENTICATED', message: SESSION_EXPIRED_MESSAGE } });
  await expect(connectSocket(base, token)).rejects.toThrow(SESSION_EXPIRED_MESSAGE);
}

describe('session expiry', () => {
  it('attack: a token left unused past the idle timeout (30 days) is refused over HTTP and socket', async () => {
    const { server, admin, clock } = await serverWithClock();
    const socket = await connectSocket(server.url, admin.token);
    onCleanup(() => socket.disconnect());

    clock.now += 30 * DAY - 60_000;
    expect(unwrap((await api(server.url, routes.me, { token: admin.token })).result).user.id).toBe(admin.user.id);
    clock.now += 30 * DAY;
    await expectExpired(server.url, admin.token);
    // A socket opened before the expiry is refused on its next event, with the same words.
    expect(await request(socket, 'board:get', {})).toEqual({ ok: false, error: { code: 'UNAUTHENTICATED', message: SESSION_EXPIRED_MESSAGE } });
    // The expired session is gone from the list, like a revoked one.
    const fresh = unwrap((await api(server.url, routes.login, { body: { email: admin.user.email, password: 'correct horse battery' } })).result);
    const sessions = unwrap((await api(server.url, routes.sessions, { token: fresh.token })).result).sessions;
    expect(sessions).toHaveLength(1);
    expect(sessions[0]?.current).toBe(true);
  });

  it('attack: a token in daily use still ends at its absolute lifetime (90 days)', async () => {
    const { server, admin, clock } = await serverWithClock();
    const start = clock.now;
    // Used every 10 days: never idle, so only the lifetime can end it.
    while (clock.now + 10 * DAY < start + 90 * DAY) {
      clock.now += 10 * DAY;
      expect((await api(server.url, routes.me, { token: admin.token })).status).toBe(200);
    }
    clock.now = start + 90 * DAY;
    await expectExpired(server.url, admin.token);
  });

  it('takes its idle timeout and lifetime from the settings', async () => {
    const HOUR = 60 * 60_000;
    const { server, admin, clock } = await serverWithClock({ sessionIdleDays: 0.5, sessionMaxDays: 1 });
    const signIn = async () =>
      unwrap((await api(server.url, routes.login, { body: { email: admin.user.email, password: 'correct horse battery' } })).result).token;
    // Idle: 12 hours unused.
    clock.now += 12 * HOUR - 60_000;
    expect((await api(server.url, routes.me, { token: admin.token })).status).toBe(200);
    const idle = await signIn();
    clock.now += 12 * HOUR;
    await expectExpired(server.url, idle);
    // Lifetime: used every 8 hours, still over after 24.
    const used = await signIn();
    for (let i = 0; i < 2; i++) {
      clock.now += 8 * HOUR;
      expect((await api(server.url, routes.me, { token: used })).status).toBe(200);
    }
    clock.now += 8 * HOUR;
    await expectExpired(server.url, used);
  });

  it('attack: a socket left open past its session\'s lifetime is closed, and its reconnect is refused as expired', async () => {
    // The real clock and a 6-second lifetime (set-up spends a password hash on a busy machine
    // first): the server's own timer must end the socket.
    const server = await startTestServer({ sessionMaxDays: 6 / 86_400 });
    onCleanup(() => server.stop());
    const admin = await setupTeam(server.url);
    const socket = await connectSocket(server.url, admin.token);
    onCleanup(() => socket.disconnect());
    const reason = await new Promise<string>((resolve) => socket.once('disconnect', resolve));
    expect(reason).toBe('io server disconnect');
    await expect(connectSocket(server.url, admin.token)).rejects.toThrow(SESSION_EXPIRED_MESSAGE);
  });

  it('a revoked or unknown token still gets the generic "session has ended"', async () => {
    const { server, admin } = await serverWithClock();
    unwrap((await api(server.url, routes.logout, { token: admin.token })).result);
    for (const token of [admin.token, 'not-a-token']) {
      const me = await api(server.url, routes.me, { token });
      expect(me.result).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED', message: 'Your session has ended. Sign in again.' } });
    }
  });
});
