/**
 * Pushes that used to read one process's rooms reach every node: a sign-out or a revoked session
 * closes the person's sockets wherever they landed (and ends the call they host on its node), a
 * team change made on one node re-checks the listeners of calls on another, the managers setting
 * applies to every node's calls, library changes reach each node's viewers (only clips they may
 * see), and a host on another node is "hosting" for notifications.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_DEACTIVATED_MESSAGE, openCall, routes } from '../../../contract';
import { clusterMember, clusterTeam } from '../../helpers/cluster-team';
import { clipNow, goLive, listen, runCleanups, socketFor } from '../../helpers/live-call';
import { encodeSineOpus } from '../../helpers/opus';
import { clusterTests, useTestCluster, type ClusterNode, type TestCluster } from '../../helpers/test-cluster';
import { api, nextEvent, request, unwrap, type ClientSocket } from '../../helpers/test-server';

const closed = (socket: ClientSocket) => new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));

describe.runIf(clusterTests.enabled)('pushes across nodes', () => {
  const started = useTestCluster();
  let cluster: TestCluster;
  let a: ClusterNode;
  let b: ClusterNode;
  beforeAll(() => void ({ cluster, a, b } = started));
  afterEach(runCleanups);

  it('a member deactivated through node A is told why and loses their socket on node B', async () => {
    const admin = await clusterTeam(cluster, a);
    const rep = await clusterMember(cluster, a, admin, 'Remy Rep', 'rep');
    const onB = await socketFor(b, rep);
    const told = nextEvent(onB, 'session:revoked');
    const gone = closed(onB);
    unwrap((await api(a.url, routes.deactivateMember, { token: admin.token, params: { id: rep.user.id } })).result);
    expect(await told).toEqual({ reason: 'deactivated', message: ACCOUNT_DEACTIVATED_MESSAGE });
    expect(await gone).toBe('io server disconnect');
  });

  it('signing out through node A closes the session’s socket on node B and ends the call its user hosts there', async () => {
    const admin = await clusterTeam(cluster, a);
    const host = await clusterMember(cluster, a, admin, 'Hana Host', 'mentor');
    const viewerOnA = await socketFor(a, admin);
    const hostOnB = await socketFor(b, host);
    const { call } = await goLive(hostOnB);
    await nextEvent(viewerOnA, 'board:update', (u) => u.calls.some((c) => c.id === call.id));
    const told = nextEvent(hostOnB, 'session:revoked');
    const gone = closed(hostOnB);
    const offBoard = nextEvent(viewerOnA, 'board:update', (u) => u.calls.length === 0);
    unwrap((await api(a.url, routes.logout, { token: host.token })).result);
    await Promise.all([told, gone, offBoard]);
    expect(b.registry.hostedBy(host.user.id)).toBeUndefined();
  });

  it('refuses: a manager listening on node B whose role is changed on node A is dropped there, and their board keeps them out', async () => {
    const admin = await clusterTeam(cluster, a);
    const host = await clusterMember(cluster, a, admin, 'Hana Host', 'mentor');
    const manager = await clusterMember(cluster, a, admin, 'Mia Manager', 'manager');
    const { call } = await goLive(await socketFor(b, host), { policy: 'managers' });
    const managerOnB = await socketFor(b, manager);
    await listen(managerOnB, call.id);
    const revoked = nextEvent(managerOnB, 'listen:revoked');
    const restricted = nextEvent(managerOnB, 'board:update', (u) => u.calls[0]?.restricted === true);
    unwrap((await api(a.url, routes.updateMember, { token: admin.token, params: { id: manager.user.id }, body: { role: 'rep' } })).result);
    expect(await revoked).toMatchObject({ callId: call.id, reason: 'not-allowed' });
    expect((await restricted).calls).toEqual([{ restricted: true, id: call.id, hostId: host.user.id, hostName: 'Hana Host' }]);
    // The call itself goes on; node A's board shows it without the dropped listener.
    expect(b.registry.callsOf(admin.team.id).map((c) => c.id)).toEqual([call.id]);
    expect(openCall(unwrap(await request(await socketFor(a, admin), 'board:get', {})).calls[0])?.listeners).toEqual([]);
  });

  it('refuses: turning "Managers can always join" off on node A drops a manager from a call on node B whose host kept managers out', async () => {
    const admin = await clusterTeam(cluster, a);
    const host = await clusterMember(cluster, a, admin, 'Hana Host', 'mentor');
    const manager = await clusterMember(cluster, a, admin, 'Mia Manager', 'manager');
    const hostOnB = await socketFor(b, host);
    const { call } = await goLive(hostOnB);
    unwrap(await request(hostOnB, 'call:set-policy', { callId: call.id, policy: 'team', managersMayJoin: false }));
    // The team setting still lets managers in.
    const managerOnB = await socketFor(b, manager);
    await listen(managerOnB, call.id);
    const revoked = nextEvent(managerOnB, 'listen:revoked');
    unwrap((await api(a.url, routes.updateTeamSettings, { token: admin.token, body: { managersAlwaysJoin: false } })).result);
    expect(await revoked).toMatchObject({ callId: call.id, reason: 'not-allowed' });
    expect(openCall(unwrap(await request(hostOnB, 'board:get', {})).calls[0])).toMatchObject({ listeners: [], managersAlwaysJoin: false });
  });

  it('clips cut on node A reach teammates on node B; refuses: a private clip is announced to no one else', async () => {
    const admin = await clusterTeam(cluster, a);
    const host = await clusterMember(cluster, a, admin, 'Hana Host', 'mentor');
    const rep = await clusterMember(cluster, a, admin, 'Remy Rep', 'rep');
    const other = await clusterMember(cluster, a, admin, 'Olga Other', 'rep');
    const otherOnB = await socketFor(b, other);
    const seenOnB = new Set<string>();
    otherOnB.on('library:changed', ({ clipIds }) => clipIds?.forEach((id) => seenOnB.add(id)));
    const { host: peer, call } = await goLive(await socketFor(a, host), { recording: { enabled: true, customerInformed: true } });
    const repOnA = await socketFor(a, rep);
    await listen(repOnA, call.id);
    await peer.sendOpus(encodeSineOpus({ frames: 75 }));
    const streaming = peer.sendOpus(encodeSineOpus({ frames: 150 }));
    const hidden = await clipNow(repOnA, call.id, { title: 'Private moment', visibility: 'private' });
    const shared = await clipNow(repOnA, call.id, { title: 'Team clip' });
    if (!seenOnB.has(shared.id)) await nextEvent(otherOnB, 'library:changed', (e) => e.clipIds?.includes(shared.id) ?? false);
    await streaming;
    expect(seenOnB.has(shared.id)).toBe(true);
    expect(seenOnB.has(hidden.id)).toBe(false);
  });

  it('a person hosting on node B gets a notification made on node A quietly', async () => {
    const admin = await clusterTeam(cluster, a);
    const mentor = await clusterMember(cluster, a, admin, 'Max Mentor', 'mentor');
    const mentee = await clusterMember(cluster, a, admin, 'Jo Junior', 'rep');
    unwrap((await api(a.url, routes.setMentees, { token: admin.token, params: { id: mentor.user.id }, body: { menteeIds: [mentee.user.id] } })).result);
    const menteeOnB = await socketFor(b, mentee);
    await goLive(menteeOnB, { title: 'My own call' });
    const pushed = nextEvent(menteeOnB, 'notification:new', (p) => p.notification.kind === 'call-live');
    // The mentor goes live on node A, which notifies the mentee (who follows their mentor).
    await goLive(await socketFor(a, mentor));
    expect((await pushed).notification).toMatchObject({ kind: 'call-live', quiet: true });
  });
});

describe.skipIf(clusterTests.enabled)('pushes across nodes', () => {
  it.skip(clusterTests.skipReason, () => {});
});
