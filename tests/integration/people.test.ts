/**
 * People's lifecycle over real HTTP and sockets: deactivate, reactivate, delete, admin-issued
 * password resets and renaming the team, and every rule that refuses them.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT_DEACTIVATED_MESSAGE, FORMER_MEMBER_NAME, PASSWORD_RESET_SIGNED_OUT_MESSAGE, routes, type AuthReply } from '../../contract';
import { rivalTeam } from '../helpers/live-call';
import { halfSentRequest } from '../helpers/raw-http';
import { addMember, api, connectSocket, nextEvent, setupTeam, startTestServer, unwrap, type TestServer } from '../helpers/test-server';

const PASSWORD = 'correct horse battery';
const NEW_PASSWORD = 'purple giraffe evening walk';
let now = Date.now();
let server: TestServer;
beforeEach(async () => {
  now = Date.now();
  server = await startTestServer({ now: () => now });
});
afterEach(async () => {
  await server.stop();
});

const members = async (token: string) => unwrap((await api(server.url, routes.members, { token })).result).members;
const deactivate = (token: string, id: string) => api(server.url, routes.deactivateMember, { token, params: { id } });
const reactivate = (token: string, id: string) => api(server.url, routes.reactivateMember, { token, params: { id } });
const login = (email: string, password = PASSWORD) => api(server.url, routes.login, { body: { email, password } });
const me = (token: string) => api(server.url, routes.me, { token });

async function team() {
  const admin = await setupTeam(server.url);
  const rep = await addMember(server.url, admin.token, 'Rita Rep', 'rep');
  const manager = await addMember(server.url, admin.token, 'Mona Manager', 'manager');
  return { admin, rep, manager };
}

describe('deactivating and reactivating a member', () => {
  it('ends their sessions at once (HTTP 401 and sockets closed with the reason), voids their invites, and refuses their sign-in', async () => {
    const { admin } = await team();
    const other = await addMember(server.url, admin.token, 'Otto Admin', 'admin');
    const invite = unwrap((await api(server.url, routes.createInvite, { token: other.token, body: { role: 'rep' } })).result).invite;
    const socket = await connectSocket(server.url, other.token);
    const revoked = nextEvent(socket, 'session:revoked');
    const closed = new Promise<string>((resolve) => socket.once('disconnect', resolve));

    const member = unwrap((await deactivate(admin.token, other.user.id)).result).member;
    expect(member.deactivatedAt).toEqual(expect.any(Number));
    expect(await revoked).toEqual({ reason: 'deactivated', message: ACCOUNT_DEACTIVATED_MESSAGE });
    expect(await closed).toBe('io server disconnect');

    const refused = await me(other.token);
    expect(refused.status).toBe(401);
    expect(refused.result).toEqual({ ok: false, error: { code: 'UNAUTHENTICATED', message: ACCOUNT_DEACTIVATED_MESSAGE } });
    await expect(connectSocket(server.url, other.token)).rejects.toThrow(ACCOUNT_DEACTIVATED_MESSAGE);
    const signIn = await login(other.user.email);
    expect(signIn.status).toBe(403);
    expect(signIn.result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: ACCOUNT_DEACTIVATED_MESSAGE } });
    // A wrong password still gets the ordinary answer: nobody learns the account exists and is off.
    expect((await login(other.user.email, 'wrong password here')).result).toMatchObject({ ok: false, error: { code: 'BAD_CREDENTIALS' } });

    // Their invite is void for good: gone from the list, refused at preview and sign-up.
    expect((await api(server.url, routes.invites, { token: admin.token })).result).toMatchObject({ ok: true });
    const listed = unwrap((await api(server.url, routes.invites, { token: admin.token })).result).invites;
    expect(listed.map((i) => i.id)).not.toContain(invite.id);
    expect((await api(server.url, routes.invitePreview, { params: { code: invite.code } })).result).toMatchObject({ ok: false, error: { code: 'INVITE_INVALID' } });

    // Still listed for admins (to reactivate), marked deactivated.
    expect((await members(admin.token)).find((m) => m.id === other.user.id)).toMatchObject({ name: 'Otto Admin', deactivatedAt: expect.any(Number) });

    // Reactivated: signing in works again, the old session stays ended, the old invite stays void.
    expect(unwrap((await reactivate(admin.token, other.user.id)).result).member.deactivatedAt).toBeNull();
    expect((await me(other.token)).status).toBe(401);
    const again = unwrap((await login(other.user.email)).result);
    expect(unwrap((await me(again.token)).result).user.id).toBe(other.user.id);
    expect((await api(server.url, routes.invitePreview, { params: { code: invite.code } })).result).toMatchObject({ ok: false });
  });

  it("keeps a deactivated member's clips and talk tracks with their name, marked (deactivated)", async () => {
    const { admin, manager } = await team();
    const track = unwrap(
      (await api(server.url, routes.createTalkTrack, {
        token: manager.token,
        body: { title: 'Price objection', situation: 'They say it costs too much', whatToSay: 'Ask what they compare it to', whyItWorks: 'Anchors value', tags: [], examples: [] },
      })).result,
    ).track;
    unwrap((await deactivate(admin.token, manager.user.id)).result);
    const shown = unwrap((await api(server.url, routes.talkTrack, { token: admin.token, params: { id: track.id } })).result).track;
    expect(shown.authorName).toBe('Mona Manager (deactivated)');
    unwrap((await reactivate(admin.token, manager.user.id)).result);
    const back = unwrap((await api(server.url, routes.talkTrack, { token: admin.token, params: { id: track.id } })).result).track;
    expect(back.authorName).toBe('Mona Manager');
  });

  it('refuses: a manager or a rep deactivating, reactivating, deleting or resetting anyone (nothing changes)', async () => {
    const { admin, rep, manager } = await team();
    for (const caller of [manager, rep]) {
      for (const res of [
        await deactivate(caller.token, rep.user.id === caller.user.id ? manager.user.id : rep.user.id),
        await reactivate(caller.token, rep.user.id),
        await api(server.url, routes.deleteMember, { token: caller.token, params: { id: rep.user.id }, body: { confirmName: 'Rita Rep', clips: 'keep' } }),
        await api(server.url, routes.issuePasswordReset, { token: caller.token, params: { id: admin.user.id } }),
        await api(server.url, routes.renameTeam, { token: caller.token, body: { name: 'Hijacked' } }),
      ]) {
        expect(res.status).toBe(403);
        expect(res.result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      }
    }
    expect((await members(admin.token)).every((m) => m.deactivatedAt === null)).toBe(true);
    expect(unwrap((await me(admin.token)).result).team.name).toBe('Acme Sales');
    expect((await me(rep.token)).status).toBe(200);
  });

  it('refuses: an admin deactivating or deleting themselves, or the last active admin', async () => {
    const { admin } = await team();
    const self = await deactivate(admin.token, admin.user.id);
    expect(self.result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const selfDelete = await api(server.url, routes.deleteMember, { token: admin.token, params: { id: admin.user.id }, body: { confirmName: 'Alice Admin', clips: 'keep' } });
    expect(selfDelete.result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    // Two admins: one deactivates the other; the one left is the last, and cannot be demoted or
    // deactivated by anyone (a deactivated admin does not count).
    const second = await addMember(server.url, admin.token, 'Sam Second', 'admin');
    unwrap((await deactivate(second.token, admin.user.id)).result);
    const demote = await api(server.url, routes.updateMember, { token: second.token, params: { id: second.user.id }, body: { role: 'rep' } });
    expect(demote.result).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    unwrap((await reactivate(second.token, admin.user.id)).result);
    expect((await members(second.token)).filter((m) => m.role === 'admin' && m.deactivatedAt === null)).toHaveLength(2);
  });

  it('refuses: an admin of another team deactivating, deleting or resetting a member here (NOT_FOUND, nothing changes)', async () => {
    const { admin, rep } = await team();
    const rex = await rivalTeam(server);
    for (const res of [
      await deactivate(rex.token, rep.user.id),
      await reactivate(rex.token, rep.user.id),
      await api(server.url, routes.issuePasswordReset, { token: rex.token, params: { id: rep.user.id } }),
      await api(server.url, routes.deleteMember, { token: rex.token, params: { id: rep.user.id }, body: { confirmName: 'Rita Rep', clips: 'delete' } }),
    ]) {
      expect(res.result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    }
    expect((await members(admin.token)).find((m) => m.id === rep.user.id)?.deactivatedAt).toBeNull();
    expect((await me(rep.token)).status).toBe(200);
  });

  it('attack: a request whose body arrives after its sender was deactivated is refused and creates nothing', async () => {
    const { admin } = await team();
    const insider = await addMember(server.url, admin.token, 'Ivan Insider', 'admin');
    const before = unwrap((await api(server.url, routes.invites, { token: admin.token })).result).invites;
    const pending = await halfSentRequest(server.url + routes.createInvite.path, {
      method: 'POST',
      headers: { authorization: `Bearer ${insider.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'admin', expiresInDays: 7 }),
    });
    unwrap((await deactivate(admin.token, insider.user.id)).result);
    const { status, json } = await pending.finish();
    expect(status).toBe(401);
    expect(json).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED', message: ACCOUNT_DEACTIVATED_MESSAGE } });
    const after = unwrap((await api(server.url, routes.invites, { token: admin.token })).result).invites;
    expect(after.map((i) => i.id)).toEqual(before.map((i) => i.id));
  });
});

describe('deleting a member', () => {
  it('refuses: deleting an active member, or with the wrong typed name (nothing changes)', async () => {
    const { admin, rep } = await team();
    const active = await api(server.url, routes.deleteMember, { token: admin.token, params: { id: rep.user.id }, body: { confirmName: 'Rita Rep', clips: 'keep' } });
    expect(active.result).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    unwrap((await deactivate(admin.token, rep.user.id)).result);
    const typo = await api(server.url, routes.deleteMember, { token: admin.token, params: { id: rep.user.id }, body: { confirmName: 'Rita', clips: 'keep' } });
    expect(typo.status).toBe(400);
    expect(typo.result).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect((await members(admin.token)).map((m) => m.name)).toContain('Rita Rep');
  });

  it('frees their email, removes them from the team and credits what they wrote to "Former member"', async () => {
    const { admin, manager } = await team();
    const track = unwrap(
      (await api(server.url, routes.createTalkTrack, {
        token: manager.token,
        body: { title: 'Opening', situation: 'Cold call', whatToSay: 'Lead with their problem', whyItWorks: 'Relevance', tags: [], examples: [] },
      })).result,
    ).track;
    unwrap((await deactivate(admin.token, manager.user.id)).result);
    const deleted = unwrap(
      (await api(server.url, routes.deleteMember, { token: admin.token, params: { id: manager.user.id }, body: { confirmName: ' mona  manager ', clips: 'keep' } })).result,
    );
    expect(deleted).toEqual({ deletedClips: 0, keptClips: 0 });
    expect((await members(admin.token)).map((m) => m.id)).not.toContain(manager.user.id);
    const shown = unwrap((await api(server.url, routes.talkTrack, { token: admin.token, params: { id: track.id } })).result).track;
    expect(shown.authorName).toBe(FORMER_MEMBER_NAME);
    expect((await login(manager.user.email)).result).toMatchObject({ ok: false, error: { code: 'BAD_CREDENTIALS' } });
    // The email can be used again by a new person.
    const invite = unwrap((await api(server.url, routes.createInvite, { token: admin.token, body: { role: 'rep' } })).result).invite;
    const signup = await api(server.url, routes.signup, { body: { inviteCode: invite.code, name: 'Mona Again', email: manager.user.email, password: PASSWORD } });
    expect(signup.result).toMatchObject({ ok: true });
  });
});

describe('admin-issued password reset', () => {
  async function issue(admin: AuthReply, id: string) {
    return unwrap((await api(server.url, routes.issuePasswordReset, { token: admin.token, params: { id } })).result);
  }
  const check = async (token: string) => unwrap((await api(server.url, routes.checkPasswordReset, { body: { token } })).result);
  const complete = (token: string, password = NEW_PASSWORD) => api(server.url, routes.completePasswordReset, { body: { token, password } });

  it('sets a new password with a one-time link, ends every session of the account, and says a used link is used', async () => {
    const { admin, rep } = await team();
    const second = unwrap((await login(rep.user.email)).result);
    const socket = await connectSocket(server.url, rep.token);
    const revoked = nextEvent(socket, 'session:revoked');
    const link = await issue(admin, rep.user.id);
    expect(link.expiresAt).toBe(now + 24 * 3_600_000);
    expect(await check(link.token)).toEqual({ status: 'valid', name: 'Rita Rep', email: rep.user.email, teamName: 'Acme Sales', expiresAt: link.expiresAt });

    // The sign-up policy applies: a weak password changes nothing and leaves the link usable.
    const weak = await complete(link.token, 'rita rep acme');
    expect(weak.result).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect((await check(link.token)).status).toBe('valid');

    expect(unwrap((await complete(link.token)).result)).toEqual({ email: rep.user.email });
    expect(await revoked).toEqual({ reason: 'password-reset', message: PASSWORD_RESET_SIGNED_OUT_MESSAGE });
    for (const token of [rep.token, second.token]) {
      expect((await me(token)).result).toEqual({ ok: false, error: { code: 'UNAUTHENTICATED', message: PASSWORD_RESET_SIGNED_OUT_MESSAGE } });
    }
    expect((await login(rep.user.email)).result).toMatchObject({ ok: false, error: { code: 'BAD_CREDENTIALS' } });
    expect((await login(rep.user.email, NEW_PASSWORD)).result).toMatchObject({ ok: true });

    expect(await check(link.token)).toEqual({ status: 'used' });
    const reused = await complete(link.token, 'another long new passphrase');
    expect(reused.result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: expect.stringContaining('already used') } });
    expect((await login(rep.user.email, NEW_PASSWORD)).result).toMatchObject({ ok: true });
  });

  it('refuses: an expired link, a link replaced by a newer one, and a link of a member deactivated since (nothing changes)', async () => {
    const { admin, rep, manager } = await team();
    const old = await issue(admin, rep.user.id);
    const newer = await issue(admin, rep.user.id);
    expect(await check(old.token)).toEqual({ status: 'invalid' });
    expect((await complete(old.token)).result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });

    now += 24 * 3_600_000 + 1;
    expect(await check(newer.token)).toEqual({ status: 'expired' });
    expect((await complete(newer.token)).result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: expect.stringContaining('expired') } });
    now = Date.now();

    const managers = await issue(admin, manager.user.id);
    unwrap((await deactivate(admin.token, manager.user.id)).result);
    expect(await check(managers.token)).toEqual({ status: 'invalid' });
    expect((await complete(managers.token)).result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    unwrap((await reactivate(admin.token, manager.user.id)).result);
    expect(await check(managers.token)).toEqual({ status: 'invalid' });
    expect((await login(manager.user.email)).result).toMatchObject({ ok: true });
    expect((await login(rep.user.email)).result).toMatchObject({ ok: true });
    expect(await check('x'.repeat(43))).toEqual({ status: 'invalid' });
  });
});

describe('renaming the team', () => {
  it('renames it for everyone on the team, and refuses a bad name', async () => {
    const { admin, rep } = await team();
    const repSocket = await connectSocket(server.url, rep.token);
    const pushed = nextEvent(repSocket, 'team:renamed');
    expect(unwrap((await api(server.url, routes.renameTeam, { token: admin.token, body: { name: '  West Coast Sales ' } })).result).team.name).toBe('West Coast Sales');
    expect(unwrap((await me(rep.token)).result).team.name).toBe('West Coast Sales');
    expect((await pushed).team).toEqual({ id: admin.team.id, name: 'West Coast Sales' });
    repSocket.disconnect();
    const blank = await api(server.url, routes.renameTeam, { token: admin.token, body: { name: '   ' } });
    expect(blank.status).toBe(400);
    expect(unwrap((await me(rep.token)).result).team.name).toBe('West Coast Sales');
  });
});
