/**
 * A listener whose rights to a call end while listening (demoted, no longer a mentee, signed
 * out) stops receiving audio within 2 s and is told why. Real sockets, real WebRTC peers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { routes, type ListenPolicy } from '../../contract';
import { goLive, listen, runCleanups, serverWithTeam, socketFor } from '../helpers/live-call';
import { encodeSineOpus } from '../helpers/opus';
import type { HostPeer, ListenerPeer } from '../helpers/rtc-peers';
import { addMember, api, nextEvent, request, unwrap } from '../helpers/test-server';

afterEach(runCleanups);

const frames = encodeSineOpus({ frames: 150 });

/** Sends Opus from the host until `done` resolves (bounded by the frames available). */
async function streamUntil(host: HostPeer, done: Promise<unknown>): Promise<void> {
  let finished = false;
  void done.finally(() => (finished = true));
  for (let round = 0; round < 6 && !finished; round++) await host.sendOpus(frames);
  await done;
}

/**
 * A mentor live under `policy` with the target and the admin (a witness whose rights do not
 * change) listening and receiving audio; the host keeps streaming until `stop()`.
 */
async function targetListening(policy: ListenPolicy, targetRole: 'manager' | 'rep', mentee = false) {
  const { server, admin } = await serverWithTeam();
  const mentor = await addMember(server.url, admin.token, 'Max Mentor', 'mentor');
  const target = await addMember(server.url, admin.token, 'Tess Target', targetRole);
  if (mentee) {
    unwrap((await api(server.url, routes.setMentees, { token: admin.token, params: { id: mentor.user.id }, body: { menteeIds: [target.user.id] } })).result);
  }
  const hostSocket = await socketFor(server, mentor);
  const targetSocket = await socketFor(server, target);
  const adminSocket = await socketFor(server, admin);
  const { host, call } = await goLive(hostSocket, { policy });
  const targetPeer = await listen(targetSocket, call.id);
  const witness = await listen(adminSocket, call.id);
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const streaming = streamUntil(host, stopped);
  await Promise.all([targetPeer.waitForPackets(20), witness.waitForPackets(20)]);
  return { server, admin, target, targetSocket, hostSocket, call, targetPeer, witness, stop: () => (stop(), streaming) };
}

/**
 * The target's audio has stopped: while the witness receives 100 more packets (the host is
 * still sending), the target receives at most the two already in flight when it was cut off.
 */
async function audioStopped(targetPeer: ListenerPeer, witness: ListenerPeer) {
  const atCut = targetPeer.packets.length;
  await witness.waitForPackets(witness.packets.length + 100);
  expect(targetPeer.packets.length - atCut).toBeLessThanOrEqual(2);
}

describe('listeners whose rights end', () => {
  it('attack: a manager demoted to rep stops hearing a managers-only call within 2 s and is told why', async () => {
    const t = await targetListening('managers', 'manager');
    const revoked = nextEvent(t.targetSocket, 'listen:revoked');
    const hostList = nextEvent(t.hostSocket, 'call:listeners', (e) => e.listeners.length === 1);
    const demotedAt = performance.now();
    unwrap((await api(t.server.url, routes.updateMember, { token: t.admin.token, params: { id: t.target.user.id }, body: { role: 'rep' } })).result);
    const event = await revoked;
    expect(performance.now() - demotedAt).toBeLessThan(2000);
    expect(event).toEqual({ callId: t.call.id, reason: 'not-allowed', message: expect.stringContaining('Only managers can listen') });
    await audioStopped(t.targetPeer, t.witness);
    expect((await hostList).listeners.map((l) => l.name)).toEqual(['Alice Admin']);

    // Joining again is refused, and the board no longer shows the call's details.
    expect(await request(t.targetSocket, 'listen:join', { callId: t.call.id, offer: t.targetPeer.offerSdp })).toMatchObject({
      ok: false,
      error: { code: 'NOT_ALLOWED' },
    });
    expect(unwrap(await request(t.targetSocket, 'board:get', {})).calls).toEqual([expect.objectContaining({ id: t.call.id, restricted: true })]);
    await t.stop();
  });

  it('attack: a rep who is no longer the host’s mentee stops hearing a mentees-and-managers call within 2 s', async () => {
    const t = await targetListening('mentees-and-managers', 'rep', true);
    const revoked = nextEvent(t.targetSocket, 'listen:revoked');
    const changedAt = performance.now();
    unwrap((await api(t.server.url, routes.setMentees, { token: t.admin.token, params: { id: t.call.hostId }, body: { menteeIds: [] } })).result);
    expect(await revoked).toMatchObject({ callId: t.call.id, reason: 'not-allowed', message: expect.stringContaining('mentees') });
    expect(performance.now() - changedAt).toBeLessThan(2000);
    await audioStopped(t.targetPeer, t.witness);
    await t.stop();
  });

  it('attack: a listener whose session is signed out elsewhere stops hearing the call within 2 s and is told', async () => {
    const t = await targetListening('team', 'rep');
    const signedOut = nextEvent(t.targetSocket, 'session:revoked');
    const revokedAt = performance.now();
    unwrap((await api(t.server.url, routes.logout, { token: t.target.token })).result);
    await signedOut;
    expect(performance.now() - revokedAt).toBeLessThan(2000);
    await audioStopped(t.targetPeer, t.witness);
    await t.stop();
  });

  it('listeners whose rights still hold keep listening through a team change', async () => {
    const t = await targetListening('team', 'manager');
    const revoked: unknown[] = [];
    t.targetSocket.on('listen:revoked', (e) => revoked.push(e));
    const boardPushed = nextEvent(t.targetSocket, 'board:update');
    unwrap((await api(t.server.url, routes.updateMember, { token: t.admin.token, params: { id: t.target.user.id }, body: { role: 'rep' } })).result);
    await boardPushed;
    await t.targetPeer.waitForPackets(t.targetPeer.packets.length + 50);
    expect(revoked).toEqual([]);
    await t.stop();
  });
});
