/**
 * Rights change while a request is in flight: a request runs with the rights its caller holds
 * when it runs, and an invite grants no more than its creator may still grant.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { routes } from '../../contract';
import { halfSentRequest } from '../helpers/raw-http';
import { addMember, api, setupTeam, startTestServer, unwrap, type TestServer } from '../helpers/test-server';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.stop();
});

/** `POST /api/invites {"role":"admin"}` with its body held back halfway. */
function halfSentAdminInvite(token: string) {
  return halfSentRequest(server.url + routes.createInvite.path, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ role: 'admin', expiresInDays: 7 }),
  });
}

describe('authorization is checked once the body has arrived', () => {
  it('attack: an admin invite whose body arrives after its sender was demoted is refused and creates nothing', async () => {
    const admin = await setupTeam(server.url);
    const insider = await addMember(server.url, admin.token, 'Ivan Insider', 'admin');
    const before = unwrap((await api(server.url, routes.invites, { token: admin.token })).result).invites;

    const pending = await halfSentAdminInvite(insider.token);
    unwrap((await api(server.url, routes.updateMember, { token: admin.token, params: { id: insider.user.id }, body: { role: 'rep' } })).result);
    const { status, json } = await pending.finish();

    expect(status).toBe(403);
    expect(json).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const after = unwrap((await api(server.url, routes.invites, { token: admin.token })).result).invites;
    expect(after.map((i) => i.id)).toEqual(before.map((i) => i.id));
  });

  it('attack: a request whose body arrives after its session was signed out is refused and creates nothing', async () => {
    const admin = await setupTeam(server.url);
    const before = unwrap((await api(server.url, routes.invites, { token: admin.token })).result).invites;
    const second = unwrap(
      (await api(server.url, routes.login, { body: { email: admin.user.email, password: 'correct horse battery' } })).result,
    );

    const pending = await halfSentAdminInvite(second.token);
    unwrap((await api(server.url, routes.logout, { token: second.token })).result);
    const { status, json } = await pending.finish();

    expect(status).toBe(401);
    expect(json).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    const after = unwrap((await api(server.url, routes.invites, { token: admin.token })).result).invites;
    expect(after.map((i) => i.id)).toEqual(before.map((i) => i.id));
  });

  it('a request whose caller keeps their rights still goes through once its body arrives', async () => {
    const admin = await setupTeam(server.url);
    const pending = await halfSentAdminInvite(admin.token);
    const { status, json } = await pending.finish();
    expect(status).toBe(200);
    expect(json).toMatchObject({ ok: true, value: { invite: { role: 'admin' } } });
  });
});

describe('an invite grants no more than its creator holds when it is redeemed', () => {
  const signup = (code: string, name: string) =>
    api(server.url, routes.signup, {
      body: { inviteCode: code, name, email: `${name.split(' ')[0]!.toLowerCase()}@acme.test`, password: 'correct horse battery' },
    });

  it('attack: an admin invite made by an admin who was then demoted does not make an admin (it is void)', async () => {
    const admin = await setupTeam(server.url);
    const insider = await addMember(server.url, admin.token, 'Ivan Insider', 'admin');
    const invite = unwrap((await api(server.url, routes.createInvite, { token: insider.token, body: { role: 'admin' } })).result).invite;
    expect(invite.grants).toBe('admin');
    unwrap((await api(server.url, routes.updateMember, { token: admin.token, params: { id: insider.user.id }, body: { role: 'rep' } })).result);

    // The team page says the invite is void; its preview and sign-up refuse it.
    const listed = unwrap((await api(server.url, routes.invites, { token: admin.token })).result).invites.find((i) => i.id === invite.id);
    expect(listed).toMatchObject({ role: 'admin', grants: null });
    const preview = await api(server.url, routes.invitePreview, { params: { code: invite.code } });
    expect(preview.result).toMatchObject({ ok: false, error: { code: 'INVITE_INVALID' } });
    const { status, result } = await signup(invite.code, 'Mallory Mole');
    expect(status).toBe(404);
    expect(result).toMatchObject({ ok: false, error: { code: 'INVITE_INVALID' } });

    const members = unwrap((await api(server.url, routes.members, { token: admin.token })).result).members;
    expect(members.map((m) => m.name)).not.toContain('Mallory Mole');
    expect(members.filter((m) => m.role === 'admin').map((m) => m.name)).toEqual(['Alice Admin']);
  });

  it('invites of a creator who is still an admin keep working, and come back if they are promoted again', async () => {
    const admin = await setupTeam(server.url);
    const insider = await addMember(server.url, admin.token, 'Ivan Insider', 'admin');
    const invite = unwrap((await api(server.url, routes.createInvite, { token: insider.token, body: { role: 'manager' } })).result).invite;
    const setRole = (role: 'rep' | 'admin') =>
      api(server.url, routes.updateMember, { token: admin.token, params: { id: insider.user.id }, body: { role } });
    unwrap((await setRole('rep')).result);
    unwrap((await setRole('admin')).result);
    expect(unwrap((await api(server.url, routes.invitePreview, { params: { code: invite.code } })).result).role).toBe('manager');
    expect(unwrap((await signup(invite.code, 'Mia Manager')).result).user.role).toBe('manager');
  });
});
