/**
 * Host controls over real sockets and WebRTC: removing a listener, changing who may listen
 * mid-call, keeping managers out (and the team setting that overrides it), ending for everyone,
 * and every control refused to anyone but the call's host.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openCall, routes, type AuthReply, type ListenPolicy } from '../../contract';
import { goLive, listen, rivalTeam, runCleanups, serverWithTeam, socketFor } from '../helpers/live-call';
import { encodeSineOpus } from '../helpers/opus';
import type { HostPeer, ListenerPeer } from '../helpers/rtc-peers';
import { addMember, api, nextEvent, request, unwrap, type ClientSocket, type TestServer } from '../helpers/test-server';

afterEach(runCleanups);

const frames = encodeSineOpus({ frames: 150 });
/** A well-formed SDP for joins that must be refused before any media is negotiated. */
const PROBE_OFFER = 'v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n';

/** Streams from the host until stopped; resolves once it stopped. */
function stream(host: HostPeer) {
  let stopped = false;
  const running = (async () => {
    for (let round = 0; round < 20 && !stopped; round++) await host.sendOpus(frames);
  })();
  return () => ((stopped = true), running);
}

/** The peer's audio stopped: while `witness` receives 100 more packets, it gets at most two in flight. */
async function audioStopped(peer: ListenerPeer, witness: ListenerPeer) {
  const atCut = peer.packets.length;
  await witness.waitForPackets(witness.packets.length + 100);
  expect(peer.packets.length - atCut).toBeLessThanOrEqual(2);
}

interface Person {
  auth: AuthReply;
  socket: ClientSocket;
}

/** A mentor live under `policy` with a mentee, a rep (not a mentee), a manager and the admin connected. */
async function teamOnACall(server: TestServer, admin: AuthReply, opts: { policy?: ListenPolicy; managersMayJoin?: boolean } = {}) {
  const person = async (name: string, role: 'mentor' | 'rep' | 'manager'): Promise<Person> => {
    const auth = await addMember(server.url, admin.token, name, role);
    return { auth, socket: await socketFor(server, auth) };
  };
  const mentor = await person('Max Mentor', 'mentor');
  const mentee = await person('Mia Mentee', 'rep');
  const rep = await person('Rita Rep', 'rep');
  const manager = await person('Mo Manager', 'manager');
  unwrap((await api(server.url, routes.setMentees, { token: admin.token, params: { id: mentor.auth.user.id }, body: { menteeIds: [mentee.auth.user.id] } })).result);
  const adminPerson: Person = { auth: admin, socket: await socketFor(server, admin) };
  const { host, call } = await goLive(mentor.socket, { policy: opts.policy ?? 'team' });
  if (opts.managersMayJoin === false) {
    unwrap(await request(mentor.socket, 'call:set-policy', { callId: call.id, policy: opts.policy ?? 'team', managersMayJoin: false }));
  }
  return { mentor, mentee, rep, manager, admin: adminPerson, host, call };
}

async function boardCall(socket: ClientSocket, callId: string) {
  return unwrap(await request(socket, 'board:get', {})).calls.find((c) => c.id === callId);
}

describe('removing a listener', () => {
  it('drops their audio, tells them why, and they cannot join that call again', async () => {
    const { server, admin } = await serverWithTeam();
    const t = await teamOnACall(server, admin);
    const repPeer = await listen(t.rep.socket, t.call.id);
    const witness = await listen(t.mentee.socket, t.call.id);
    const stop = stream(t.host);
    await Promise.all([repPeer.waitForPackets(20), witness.waitForPackets(20)]);

    const revoked = nextEvent(t.rep.socket, 'listen:revoked');
    const hostList = nextEvent(t.mentor.socket, 'call:listeners', (e) => e.listeners.length === 1);
    unwrap(await request(t.mentor.socket, 'call:remove-listener', { callId: t.call.id, userId: t.rep.auth.user.id }));
    expect(await revoked).toEqual({ callId: t.call.id, reason: 'removed-by-host', message: 'The host removed you from this call.' });
    expect((await hostList).listeners.map((l) => l.name)).toEqual(['Mia Mentee']);
    await audioStopped(repPeer, witness);

    const again = await request(t.rep.socket, 'listen:join', { callId: t.call.id, offer: PROBE_OFFER });
    expect(again).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED', message: 'The host removed you from this call.' } });
    expect((await boardCall(t.rep.socket, t.call.id))?.restricted).toBe(true);
    // Removing someone who is not listening is refused and changes nothing.
    expect(await request(t.mentor.socket, 'call:remove-listener', { callId: t.call.id, userId: t.manager.auth.user.id })).toMatchObject({
      ok: false,
      error: { code: 'NOT_LISTENING' },
    });
    expect(openCall(await boardCall(t.mentee.socket, t.call.id))?.listeners.map((l) => l.name)).toEqual(['Mia Mentee']);
    await stop();
  });
});

describe('changing who may listen mid-call', () => {
  it('drops exactly the listeners the new policy keeps out, with a reason, and pushes the board', async () => {
    const { server, admin } = await serverWithTeam();
    const t = await teamOnACall(server, admin);
    const [repPeer, menteePeer, managerPeer] = await Promise.all([
      listen(t.rep.socket, t.call.id),
      listen(t.mentee.socket, t.call.id),
      listen(t.manager.socket, t.call.id),
    ]);
    const stop = stream(t.host);
    await Promise.all([repPeer, menteePeer, managerPeer].map((p) => p.waitForPackets(20)));

    const repRevoked = nextEvent(t.rep.socket, 'listen:revoked');
    const boardPush = nextEvent(t.admin.socket, 'board:update', (b) => openCall(b.calls[0])?.policy === 'mentees-and-managers');
    const changed = unwrap(await request(t.mentor.socket, 'call:set-policy', { callId: t.call.id, policy: 'mentees-and-managers' }));
    expect(changed.call.policy).toBe('mentees-and-managers');
    expect(await repRevoked).toEqual({
      callId: t.call.id,
      reason: 'not-allowed',
      message: 'The host changed who may listen. Only the host’s mentees and managers can listen to this call.',
    });
    expect(openCall((await boardPush).calls[0])!.listeners.map((l) => l.name).sort()).toEqual(['Mia Mentee', 'Mo Manager']);
    await audioStopped(repPeer, menteePeer);
    expect((await boardCall(t.rep.socket, t.call.id))?.restricted).toBe(true);

    // Keeping managers out drops the manager (the team setting is off here), not the mentee.
    unwrap(await api(server.url, routes.updateTeamSettings, { token: admin.token, body: { managersAlwaysJoin: false } }).then((r) => r.result));
    const managerRevoked = nextEvent(t.manager.socket, 'listen:revoked');
    unwrap(await request(t.mentor.socket, 'call:set-policy', { callId: t.call.id, policy: 'mentees-and-managers', managersMayJoin: false }));
    expect(await managerRevoked).toMatchObject({ reason: 'not-allowed', message: expect.stringMatching(/keeping managers out/) });
    await audioStopped(managerPeer, menteePeer);
    expect(openCall(await boardCall(t.mentee.socket, t.call.id))?.listeners.map((l) => l.name)).toEqual(['Mia Mentee']);
    await stop();
  });
});

describe('manager access', () => {
  it('lets managers join a call that keeps them out while the team setting is on (the default)', async () => {
    const { server, admin } = await serverWithTeam();
    const settings = unwrap((await api(server.url, routes.teamSettings, { token: admin.token })).result).settings;
    expect(settings.managersAlwaysJoin).toBe(true);
    const t = await teamOnACall(server, admin, { managersMayJoin: false });
    const board = openCall(await boardCall(t.manager.socket, t.call.id))!;
    expect(board).toMatchObject({ managersMayJoin: false, managersAlwaysJoin: true, canListen: true });
    await listen(t.manager.socket, t.call.id);
  });

  it('refuses managers at join once the setting is off, and drops those already listening when the admin turns it off', async () => {
    const { server, admin } = await serverWithTeam();
    const t = await teamOnACall(server, admin, { managersMayJoin: false });
    const managerPeer = await listen(t.manager.socket, t.call.id);
    const adminPeer = await listen(t.admin.socket, t.call.id);
    const witness = await listen(t.rep.socket, t.call.id);
    const stop = stream(t.host);
    await Promise.all([managerPeer, adminPeer, witness].map((p) => p.waitForPackets(20)));

    const revoked = nextEvent(t.manager.socket, 'listen:revoked');
    const adminRevoked = nextEvent(t.admin.socket, 'listen:revoked');
    const off = unwrap((await api(server.url, routes.updateTeamSettings, { token: admin.token, body: { managersAlwaysJoin: false } })).result);
    expect(off.settings.managersAlwaysJoin).toBe(false);
    expect(await revoked).toMatchObject({ reason: 'not-allowed', message: 'Your access changed. The host is keeping managers out of this call.' });
    await adminRevoked;
    await audioStopped(managerPeer, witness);
    expect(await request(t.manager.socket, 'listen:join', { callId: t.call.id, offer: PROBE_OFFER })).toMatchObject({
      ok: false,
      error: { code: 'NOT_ALLOWED', message: 'The host is keeping managers out of this call.' },
    });
    expect((await boardCall(t.manager.socket, t.call.id))?.restricted).toBe(true);
    await stop();

    // A host who lets managers in again (mid-call) admits them at once.
    unwrap(await request(t.mentor.socket, 'call:set-policy', { callId: t.call.id, policy: 'team', managersMayJoin: true }));
    await listen(t.manager.socket, t.call.id);
  });

  it('refuses: anyone but an admin changing "Managers can always join calls" (a manager, a mentor); nothing changes', async () => {
    const { server, admin } = await serverWithTeam();
    const manager = await addMember(server.url, admin.token, 'Mo Manager', 'manager');
    const mentor = await addMember(server.url, admin.token, 'Max Mentor', 'mentor');
    for (const who of [manager, mentor]) {
      const res = await api(server.url, routes.updateTeamSettings, { token: who.token, body: { managersAlwaysJoin: false } });
      expect(res.result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    expect(unwrap((await api(server.url, routes.teamSettings, { token: admin.token })).result).settings.managersAlwaysJoin).toBe(true);
  });
});

describe('ending for everyone', () => {
  it('tells every listener the host ended the call', async () => {
    const { server, admin } = await serverWithTeam();
    const t = await teamOnACall(server, admin);
    await listen(t.rep.socket, t.call.id);
    await listen(t.manager.socket, t.call.id);
    const ended = [t.rep, t.manager].map((p) => nextEvent(p.socket, 'call:ended'));
    unwrap(await request(t.mentor.socket, 'call:end', { callId: t.call.id }));
    for (const e of await Promise.all(ended)) expect(e).toEqual({ callId: t.call.id, reason: 'host-ended' });
  });
});

describe('only the host uses the controls', () => {
  const attempts = [
    ['pausing sharing', 'call:pause', () => ({})],
    ['resuming sharing', 'call:resume', () => ({})],
    ['removing a listener', 'call:remove-listener', (userId: string) => ({ userId })],
    ['changing who may listen', 'call:set-policy', () => ({ policy: 'managers', managersMayJoin: false })],
    ['starting the recording', 'call:start-recording', () => ({ recording: { enabled: true, customerInformed: true } })],
    ['ending the call', 'call:end', () => ({})],
  ] as const;
  it.each(attempts)('refuses: a listener, a manager, the admin, a mentee and another team %s; nothing changes', async (_what, event, extra) => {
    const { server, admin } = await serverWithTeam();
    const t = await teamOnACall(server, admin);
    await listen(t.rep.socket, t.call.id);
    await listen(t.manager.socket, t.call.id);
    const rex = await rivalTeam(server);
    const rexSocket = await socketFor(server, rex);
    const before = await boardCall(t.admin.socket, t.call.id);
    const payload = { callId: t.call.id, ...extra(t.manager.auth.user.id) };
    for (const who of [t.rep, t.manager, t.admin, t.mentee]) {
      expect(await request(who.socket, event, payload), who.auth.user.name).toMatchObject({ ok: false, error: { code: 'NOT_HOST' } });
    }
    expect(await request(rexSocket, event, payload)).toMatchObject({ ok: false, error: { code: 'CALL_NOT_FOUND' } });
    expect(await boardCall(t.admin.socket, t.call.id)).toEqual(before);
    expect(openCall(before)).toMatchObject({ paused: false, policy: 'team', recording: false });
    expect(openCall(before)!.listeners.map((l) => l.name).sort()).toEqual(['Mo Manager', 'Rita Rep']);
  });
});
