import { afterEach, describe, expect, it } from 'vitest';
import { openCall, routes, type BoardCall } from '../../contract';
import { goLive, listen, runCleanups, serverWithTeam, socketFor } from '../helpers/live-call';
import { addMember, api, nextEvent, request, unwrap, type ClientSocket } from '../helpers/test-server';

afterEach(runCleanups);

/** Records every board push a socket gets, with its arrival time. */
function recordBoards(socket: ClientSocket) {
  const pushes: { at: number; calls: BoardCall[] }[] = [];
  socket.on('board:update', ({ calls }) => pushes.push({ at: performance.now(), calls }));
  return pushes;
}

describe('board pushes', () => {
  it('coalesce a burst of listener changes into a few pushes, each right for its audience', async () => {
    const { server, admin } = await serverWithTeam();
    const mentor = await addMember(server.url, admin.token, 'Max Mentor', 'mentor');
    const mentee = await addMember(server.url, admin.token, 'Mo Mentee', 'rep');
    const otherRep = await addMember(server.url, admin.token, 'Olga Other', 'rep');
    unwrap((await api(server.url, routes.setMentees, { token: admin.token, params: { id: mentor.user.id }, body: { menteeIds: [mentee.user.id] } })).result);
    const hostSocket = await socketFor(server, mentor);
    const menteeSocket = await socketFor(server, mentee);
    const otherSocket = await socketFor(server, otherRep);
    const adminSocket = await socketFor(server, admin);
    const { call } = await goLive(hostSocket, { policy: 'mentees-and-managers' });

    const managers = await Promise.all(
      Array.from({ length: 6 }, async (_, i) => socketFor(server, await addMember(server.url, admin.token, `Manager ${i}`, 'manager'))),
    );
    const allIn = nextEvent(menteeSocket, 'board:update', (b) => openCall(b.calls[0])?.listeners.length === managers.length);
    for (const socket of managers) await listen(socket, call.id);
    await allIn;

    // Every listener's socket closes at once.
    const watchers = { mentee: recordBoards(menteeSocket), other: recordBoards(otherSocket), admin: recordBoards(adminSocket) };
    const hostLists: number[] = [];
    hostSocket.on('call:listeners', (e) => hostLists.push(e.listeners.length));
    const emptied = Promise.all([
      ...[menteeSocket, adminSocket].map((s) => nextEvent(s, 'board:update', (b) => openCall(b.calls[0])?.listeners.length === 0)),
      // The rep outside the policy sees no listeners; every push reaches them too, all alike.
      nextEvent(otherSocket, 'board:update'),
    ]);
    const hostEmptied = nextEvent(hostSocket, 'call:listeners', (e) => e.listeners.length === 0);
    const burstAt = performance.now();
    for (const socket of managers) socket.disconnect();
    await Promise.all([emptied, hostEmptied]);
    const burstMs = performance.now() - burstAt;

    for (const pushes of Object.values(watchers)) {
      // Six leaves, at most one push per ~100 ms (plus the first, at once).
      expect(pushes.length).toBeLessThanOrEqual(2 + Math.ceil(burstMs / 100));
      expect(pushes.length).toBeLessThan(managers.length);
      for (let i = 1; i < pushes.length; i++) expect(pushes[i]!.at - pushes[i - 1]!.at).toBeGreaterThan(80);
    }
    expect(hostLists.length).toBeLessThan(managers.length);
    // One board, seen by each audience as its policy allows: the rep it keeps out sees only the host.
    const last = (pushes: { calls: BoardCall[] }[]) => pushes.at(-1)!.calls;
    expect(last(watchers.mentee)).toEqual([expect.objectContaining({ id: call.id, listeners: [], canListen: true })]);
    expect(last(watchers.admin)).toEqual(last(watchers.mentee));
    expect(last(watchers.other)).toEqual([{ restricted: true, id: call.id, hostId: mentor.user.id, hostName: 'Max Mentor' }]);
  });

  it('move people between audiences when roles or mentorships change', async () => {
    const { server, admin } = await serverWithTeam();
    const mentor = await addMember(server.url, admin.token, 'Max Mentor', 'mentor');
    const rep = await addMember(server.url, admin.token, 'Rita Rep', 'rep');
    const hostSocket = await socketFor(server, mentor);
    const repSocket = await socketFor(server, rep);
    const { call } = await goLive(hostSocket, { policy: 'mentees-and-managers' });
    expect(unwrap(await request(repSocket, 'board:get', {})).calls[0]?.restricted).toBe(true);

    const mayListen = nextEvent(repSocket, 'board:update', (b) => openCall(b.calls[0])?.canListen === true);
    unwrap((await api(server.url, routes.setMentees, { token: admin.token, params: { id: mentor.user.id }, body: { menteeIds: [rep.user.id] } })).result);
    expect((await mayListen).calls[0]?.id).toBe(call.id);
    expect(openCall(unwrap(await request(repSocket, 'board:get', {})).calls[0])?.canListen).toBe(true);

    const mayNot = nextEvent(repSocket, 'board:update', (b) => b.calls[0]?.restricted === true);
    unwrap((await api(server.url, routes.setMentees, { token: admin.token, params: { id: mentor.user.id }, body: { menteeIds: [] } })).result);
    await mayNot;

    // A role change: the rep becomes a manager and may ride along again.
    const promoted = nextEvent(repSocket, 'board:update', (b) => openCall(b.calls[0])?.canListen === true);
    unwrap((await api(server.url, routes.updateMember, { token: admin.token, params: { id: rep.user.id }, body: { role: 'manager' } })).result);
    await promoted;

    // Someone who joins the team after the roster was loaded gets correct boards too.
    const late = await addMember(server.url, admin.token, 'Lou Late', 'rep');
    const lateSocket = await socketFor(server, late);
    expect(unwrap(await request(lateSocket, 'board:get', {})).calls).toEqual([expect.objectContaining({ id: call.id, restricted: true })]);
    const latePush = nextEvent(lateSocket, 'board:update', (b) => b.calls.length === 0);
    unwrap(await request(hostSocket, 'call:end', { callId: call.id }));
    await latePush;
  });

  it('attack: a rep’s board for a managers-only call has no title, account or listener names', async () => {
    const { server, admin } = await serverWithTeam();
    const mentor = await addMember(server.url, admin.token, 'Max Mentor', 'mentor');
    const rep = await addMember(server.url, admin.token, 'Rita Rep', 'rep');
    const manager = await addMember(server.url, admin.token, 'Mona Manager', 'manager');
    const hostSocket = await socketFor(server, mentor);
    const repSocket = await socketFor(server, rep);
    const managerSocket = await socketFor(server, manager);
    const pushes = recordBoards(repSocket);
    const { call } = await goLive(hostSocket, { policy: 'managers', title: 'Renewal with Globex' });
    const managerSees = nextEvent(repSocket, 'board:update', () => true);
    await listen(managerSocket, call.id);
    await managerSees;

    const restricted = { restricted: true, id: call.id, hostId: mentor.user.id, hostName: 'Max Mentor' };
    expect(unwrap(await request(repSocket, 'board:get', {})).calls).toEqual([restricted]);
    expect(pushes.length).toBeGreaterThan(0);
    for (const push of pushes) expect(push.calls).toEqual([restricted]);
    const wire = JSON.stringify(pushes);
    for (const secret of ['Renewal with Globex', 'Initech', 'Mona Manager']) expect(wire).not.toContain(secret);
    // The manager (inside the policy) still sees everything.
    expect(unwrap(await request(managerSocket, 'board:get', {})).calls).toEqual([
      expect.objectContaining({ restricted: false, title: 'Renewal with Globex', account: 'Initech', canListen: true }),
    ]);
  });
});
