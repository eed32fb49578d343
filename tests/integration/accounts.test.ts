import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { routes } from '../../contract';
import { hashPassword } from '../../server/auth/password';
import { openTestStore } from '../helpers/test-database';
import { TeamStore } from '../../server/store/team-store';
import { addMember, api, connectSocket, nextEvent, setupTeam, startTestServer, unwrap, type TestServer } from '../helpers/test-server';
import { TEST_PASSWORD_COST } from '../helpers/test-password';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.stop();
});

describe('first-run set-up', () => {
  it('creates the team and its admin once, then refuses', async () => {
    expect(unwrap((await api(server.url, routes.setupStatus)).result)).toEqual({ needsSetup: true });
    const admin = await setupTeam(server.url);
    expect(admin.user.role).toBe('admin');
    expect(admin.team.name).toBe('Acme Sales');
    expect(unwrap((await api(server.url, routes.setupStatus)).result)).toEqual({ needsSetup: false });

    const again = await api(server.url, routes.setup, {
      body: { teamName: 'Evil', name: 'Mallory', email: 'm@evil.test', password: 'correct horse battery' },
    });
    expect(again.status).toBe(409);
    expect(again.result).toMatchObject({ ok: false, error: { code: 'SETUP_DONE' } });
    const members = unwrap((await api(server.url, routes.members, { token: admin.token })).result).members;
    expect(members.map((m) => m.name)).toEqual(['Alice Admin']);
  });

  it('rejects bad bodies with a clear error and creates nothing', async () => {
    const cases = [
      { rawBody: '{not json' },
      { body: { teamName: '', name: 'A', email: 'a@b.test', password: 'correct horse battery' } },
      { body: { teamName: 'T', name: 'A', email: 'not-an-email', password: 'correct horse battery' } },
      { body: { teamName: 'T', name: 'A', email: 'a@b.test', password: 'short' } },
      { body: [1, 2, 3] },
      { rawBody: JSON.stringify({ teamName: 'x'.repeat(70_000) }) },
    ];
    for (const c of cases) {
      const { status, result } = await api(server.url, routes.setup, c);
      expect(status, JSON.stringify(c).slice(0, 80)).toBeGreaterThanOrEqual(400);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(['BAD_REQUEST', 'PAYLOAD_TOO_LARGE']).toContain(result.error.code);
    }
    expect(unwrap((await api(server.url, routes.setupStatus)).result).needsSetup).toBe(true);
  });
});

describe('invites and sign-in', () => {
  it('signs up with an invite once, signs in, lists and revokes sessions', async () => {
    const admin = await setupTeam(server.url);
    const invite = unwrap((await api(server.url, routes.createInvite, { token: admin.token, body: { role: 'mentor' } })).result).invite;
    expect(unwrap((await api(server.url, routes.invitePreview, { params: { code: invite.code } })).result)).toEqual({
      teamName: 'Acme Sales',
      role: 'mentor',
    });
    const body = { inviteCode: invite.code, name: 'Sam Senior', email: 'Sam@Acme.test', password: 'correct horse battery' };
    const sam = unwrap((await api(server.url, routes.signup, { body })).result);
    expect(sam.user).toMatchObject({ role: 'mentor', email: 'sam@acme.test', teamId: admin.team.id });

    const reuse = await api(server.url, routes.signup, { body: { ...body, email: 'other@acme.test' } });
    expect(reuse.result).toMatchObject({ ok: false, error: { code: 'INVITE_INVALID' } });

    const wrong = await api(server.url, routes.login, { body: { email: 'sam@acme.test', password: 'wrong password!' } });
    expect(wrong.status).toBe(401);
    expect(wrong.result).toMatchObject({ ok: false, error: { code: 'BAD_CREDENTIALS' } });
    const unknown = await api(server.url, routes.login, { body: { email: 'nobody@acme.test', password: 'whatever it is' } });
    expect(unknown.result).toMatchObject({ ok: false, error: { code: 'BAD_CREDENTIALS' } });

    const second = unwrap((await api(server.url, routes.login, { body: { email: 'sam@acme.test', password: body.password } })).result);
    const sessions = unwrap((await api(server.url, routes.sessions, { token: second.token })).result).sessions;
    expect(sessions).toHaveLength(2);
    const other = sessions.find((s) => !s.current)!;

    // Revoking the first session closes its live socket and its token stops working.
    const socket = await connectSocket(server.url, sam.token);
    const revoked = nextEvent(socket, 'session:revoked');
    unwrap((await api(server.url, routes.revokeSession, { token: second.token, params: { id: other.id } })).result);
    await revoked;
    const me = await api(server.url, routes.me, { token: sam.token });
    expect(me.result).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect(unwrap((await api(server.url, routes.me, { token: second.token })).result).user.name).toBe('Sam Senior');

    unwrap((await api(server.url, routes.logout, { token: second.token })).result);
    expect((await api(server.url, routes.me, { token: second.token })).status).toBe(401);
  });

  it('refuses revoked and expired invites', async () => {
    const admin = await setupTeam(server.url);
    const invite = unwrap((await api(server.url, routes.createInvite, { token: admin.token, body: { role: 'rep' } })).result).invite;
    unwrap((await api(server.url, routes.revokeInvite, { token: admin.token, params: { id: invite.id } })).result);
    const preview = await api(server.url, routes.invitePreview, { params: { code: invite.code } });
    expect(preview.result).toMatchObject({ ok: false, error: { code: 'INVITE_INVALID' } });
    const invites = unwrap((await api(server.url, routes.invites, { token: admin.token })).result).invites;
    expect(invites).toHaveLength(0);
  });

  it('refuses sockets without a valid token', async () => {
    await expect(connectSocket(server.url, 'not-a-token')).rejects.toThrow(/Sign in again/);
  });
});

describe('roles', () => {
  it('only admins manage invites and roles; admins and managers assign mentees', async () => {
    const admin = await setupTeam(server.url);
    const rep = await addMember(server.url, admin.token, 'Rita Rep', 'rep');
    const mentor = await addMember(server.url, admin.token, 'Max Mentor', 'mentor');
    const manager = await addMember(server.url, admin.token, 'Mia Manager', 'manager');

    const denied = await api(server.url, routes.createInvite, { token: rep.token, body: { role: 'admin' } });
    expect(denied.status).toBe(403);
    expect(denied.result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect((await api(server.url, routes.updateMember, { token: manager.token, params: { id: rep.user.id }, body: { role: 'admin' } })).status).toBe(403);
    expect((await api(server.url, routes.setMentees, { token: rep.token, params: { id: mentor.user.id }, body: { menteeIds: [rep.user.id] } })).status).toBe(403);

    const assigned = unwrap(
      (await api(server.url, routes.setMentees, { token: manager.token, params: { id: mentor.user.id }, body: { menteeIds: [rep.user.id] } })).result,
    ).member;
    expect(assigned.menteeIds).toEqual([rep.user.id]);
    const self = await api(server.url, routes.setMentees, { token: admin.token, params: { id: mentor.user.id }, body: { menteeIds: [mentor.user.id] } });
    expect(self.result).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });

    const promoted = unwrap((await api(server.url, routes.updateMember, { token: admin.token, params: { id: rep.user.id }, body: { role: 'mentor' } })).result);
    expect(promoted.member.role).toBe('mentor');
    const lastAdmin = await api(server.url, routes.updateMember, { token: admin.token, params: { id: admin.user.id }, body: { role: 'rep' } });
    expect(lastAdmin.result).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });

  it('never shows or changes people of another team', async () => {
    const admin = await setupTeam(server.url);
    const store = await openTestStore(server);
    const other = await new TeamStore(store).createTeamWithAdmin(
      { teamName: 'Rival Inc', name: 'Rex Rival', email: 'rex@rival.test', passwordHash: await hashPassword('correct horse battery', TEST_PASSWORD_COST) },
      { onlyIfFirst: false },
    );
    await store.close();
    const rex = unwrap((await api(server.url, routes.login, { body: { email: 'rex@rival.test', password: 'correct horse battery' } })).result);
    const theirs = unwrap((await api(server.url, routes.members, { token: rex.token })).result).members;
    expect(theirs.map((m) => m.id)).toEqual([other.id]);
    const poke = await api(server.url, routes.updateMember, { token: rex.token, params: { id: admin.user.id }, body: { role: 'rep' } });
    expect(poke.result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const mentees = await api(server.url, routes.setMentees, { token: rex.token, params: { id: other.id }, body: { menteeIds: [admin.user.id] } });
    expect(mentees.result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});
