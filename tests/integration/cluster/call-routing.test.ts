import { Redis } from 'ioredis';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../../../contract';
import { rtpPayload } from '../../../server/media/rtp';
import { ClusterNodes } from '../../../server/cluster/cluster-nodes';
import { OWNER_GONE_MESSAGE, ROUTE_TIMEOUT_MS } from '../../../server/cluster/call-router';
import { createLogger } from '../../../server/logger';
import { newId } from '../../../server/ids';
import { clipNow, goLive, listen, rivalTeam, runCleanups, socketFor, onCleanup } from '../../helpers/live-call';
import { encodeSineOpus } from '../../helpers/opus';
import { createHostPeer, createListenerPeer, type HostPeer } from '../../helpers/rtc-peers';
import { clusterTests, useTestCluster, type ClusterNode, type TestCluster } from '../../helpers/test-cluster';
import { api, nextEvent, request, unwrap, type ClientSocket, type TestServer } from '../../helpers/test-server';
import { clusterMember, clusterTeam } from '../../helpers/cluster-team';

const frames = encodeSineOpus({ frames: 150 });
const payloadHex = (packet: Buffer) => Buffer.from(rtpPayload(packet)).toString('hex');
const RECORD = { enabled: true, customerInformed: true };

/** Sends Opus from the host until `done` resolves (bounded by the frames available). */
async function streamUntil(host: HostPeer, done: Promise<unknown>) {
  let finished = false;
  void done.finally(() => (finished = true));
  const sent: Buffer[] = [];
  for (let round = 0; round < 4 && !finished; round++) sent.push(...(await host.sendOpus(frames)));
  await done;
  return sent;
}

/** Resolves once `socket`'s host list for `callId` has `n` listeners (asked now, then on pushes). */
function listenersAre(socket: ClientSocket, callId: string, n: number) {
  return nextEvent(socket, 'call:listeners', (e) => e.callId === callId && e.listeners.length === n);
}

describe.runIf(clusterTests.enabled)('call actions on another node run on the call’s owner', () => {
  const started = useTestCluster();
  let cluster: TestCluster;
  let a: ClusterNode;
  let b: ClusterNode;
  beforeAll(() => void ({ cluster, a, b } = started));
  afterEach(runCleanups);

  /** A mentor live on node A; a rep whose socket is on node B. */
  async function hostOnAListenerOnB(opts: { recording?: typeof RECORD } = {}) {
    const admin = await setupTeamOnce();
    const mentor = await clusterMember(cluster, a, admin, 'Max Mentor', 'mentor');
    const rep = await clusterMember(cluster, b, admin, 'Rita Rep', 'rep');
    const hostSocket = await socketFor(a, mentor);
    const repSocket = await socketFor(b, rep);
    const { host, call } = await goLive(hostSocket, opts);
    expect(a.registry.owns(call.id)).toBe(true);
    expect(await b.cluster!.ownerOf(call.id)).toBe(a.nodeId);
    return { admin, mentor, rep, hostSocket, repSocket, host, call };
  }

  let team: Awaited<ReturnType<typeof clusterTeam>> | undefined;
  async function setupTeamOnce() {
    team ??= await clusterTeam(cluster, a);
    return team;
  }

  /** The live call as node A's registry holds it. */
  function liveCall(callId: string) {
    const call = a.registry.callsOf(team!.team.id).find((c) => c.id === callId);
    if (!call) throw new Error(`call ${callId} is not live on node A`);
    return call;
  }

  it('a listener whose socket is on node B hears the call carried by node A, byte for byte', async () => {
    const { hostSocket, repSocket, host, call } = await hostOnAListenerOnB();
    const joined = listenersAre(hostSocket, call.id, 1);
    const peer = await listen(repSocket, call.id);
    expect((await joined).listeners.map((l) => l.name)).toEqual(['Rita Rep']);
    // The answer came from A's forwarder: B carries no call at all.
    expect(b.registry.size).toBe(0);
    const sent = await streamUntil(host, peer.waitForPackets(100));
    const sentPayloads = new Set(sent.map(payloadHex));
    expect(peer.packets.length).toBeGreaterThanOrEqual(100);
    for (const packet of peer.packets) expect(sentPayloads.has(payloadHex(packet))).toBe(true);
    // Pushes of the call reach the socket on B through the adapter.
    const paused = nextEvent(repSocket, 'call:sharing', (e) => e.callId === call.id);
    unwrap(await request(hostSocket, 'call:pause', { callId: call.id }));
    expect(await paused).toEqual({ callId: call.id, paused: true });
    unwrap(await request(hostSocket, 'call:end', { callId: call.id }));
  });

  it('trickle ICE: candidates sent on node B reach the connection on node A, and A’s pushes reach the socket on B', async () => {
    const { hostSocket, repSocket, host, call } = await hostOnAListenerOnB();
    const peer = await createListenerPeer();
    onCleanup(() => peer.close());
    const candidates = [...peer.offerSdp.matchAll(/^a=(candidate:.*?)\r?$/gm)].map((m) => m[1]!);
    const offer = peer.offerSdp.replace(/^a=candidate:.*\r?\n/gm, '').replace(/^a=end-of-candidates\r?\n/gm, '');
    // A candidate before the join is refused by the owner: the rep has no connection there yet.
    const early = { candidate: candidates[0]!, sdpMid: '0' };
    expect(await request(repSocket, 'media:candidate', { callId: call.id, role: 'listener', candidate: early })).toMatchObject({
      ok: false,
      error: { code: 'NOT_LISTENING' },
    });
    expect(await request(repSocket, 'media:candidate', { callId: call.id, role: 'host', candidate: early })).toMatchObject({
      ok: false,
      error: { code: 'NOT_HOST' },
    });
    const serverDone = nextEvent(repSocket, 'media:candidate', (p) => p.callId === call.id && p.role === 'listener' && p.candidate === null);
    const joined = listenersAre(hostSocket, call.id, 1);
    const reply = unwrap(await request(repSocket, 'listen:join', { callId: call.id, offer }));
    for (const candidate of candidates) unwrap(await request(repSocket, 'media:candidate', { callId: call.id, role: 'listener', candidate: { candidate, sdpMid: '0' } }));
    unwrap(await request(repSocket, 'media:candidate', { callId: call.id, role: 'listener', candidate: null }));
    peer.setAnswer(reply.answer);
    await serverDone;
    await peer.waitForOpen();
    await joined;
    await streamUntil(host, peer.waitForPackets(20));
    expect(b.registry.size).toBe(0);
  });

  it('leaving on node B, and closing the socket on node B, end the listen on node A', async () => {
    const { rep, hostSocket, repSocket, call } = await hostOnAListenerOnB();
    await listen(repSocket, call.id);
    expect(liveCall(call.id).hasListener(rep.user.id)).toBe(true);
    const left = listenersAre(hostSocket, call.id, 0);
    unwrap(await request(repSocket, 'listen:leave', { callId: call.id }));
    await left;

    const other = await socketFor(b, rep);
    await listen(other, call.id);
    const gone = listenersAre(hostSocket, call.id, 0);
    other.disconnect();
    await gone;
    const live = liveCall(call.id);
    expect(live.hasListener(rep.user.id)).toBe(false);
    // The host's socket on A is still there: closing a listener's socket does not make the host away.
    expect(live.hostState).not.toBe('reconnecting');
    unwrap(await request(hostSocket, 'call:end', { callId: call.id }));
  });

  it('a clip marked by a listener on node B is cut from the recording on node A', async () => {
    const { repSocket, hostSocket, host, call } = await hostOnAListenerOnB({ recording: RECORD });
    const peer = await listen(repSocket, call.id);
    await streamUntil(host, peer.waitForPackets(60));
    const clip = await clipNow(repSocket, call.id, { title: 'Pricing pushback' });
    expect(clip).toMatchObject({ callId: call.id, title: 'Pricing pushback', status: 'ready' });
    unwrap(await request(hostSocket, 'call:end', { callId: call.id }));
  });

  it('the host’s presence follows its sockets on any node; a node starting up leaves other nodes’ calls live', async () => {
    const { mentor, hostSocket, repSocket, call } = await hostOnAListenerOnB();
    await listen(repSocket, call.id);
    // The host's app reconnects through the proxy and lands on node B.
    const away = nextEvent(repSocket, 'call:host-state', (e) => e.hostState === 'reconnecting');
    hostSocket.disconnect();
    await away;
    const back = nextEvent(repSocket, 'call:host-state', (e) => e.hostState === 'live');
    const hostOnB = await socketFor(b, mentor);
    await back;
    expect(liveCall(call.id).hostState).toBe('live');
    // The host's socket on B is in the call's room: the call's pushes reach it.
    const sharing = nextEvent(hostOnB, 'call:sharing', (e) => e.callId === call.id);
    unwrap(await request(hostOnB, 'call:pause', { callId: call.id }));
    expect(await sharing).toEqual({ callId: call.id, paused: true });

    // A third node closes the calls a previous run left open, but not those of live nodes.
    const c = await cluster.addNode();
    expect(liveCall(call.id).ended).toBe(false);
    await c.stop();
    unwrap(await request(hostOnB, 'call:end', { callId: call.id }));
  });

  it('turning "Managers can always join calls" off on node B drops a manager on a call on node A that keeps managers out', async () => {
    const { admin, hostSocket, call } = await hostOnAListenerOnB();
    const manager = await clusterMember(cluster, b, admin, 'Mo Manager', 'manager');
    const managerSocket = await socketFor(b, manager);
    await listen(managerSocket, call.id);
    // The host keeps managers out; the team setting (on) still lets this one in.
    unwrap(await request(hostSocket, 'call:set-policy', { callId: call.id, policy: 'team', managersMayJoin: false }));
    expect(liveCall(call.id).hasListener(manager.user.id)).toBe(true);
    const revoked = nextEvent(managerSocket, 'listen:revoked', (e) => e.callId === call.id);
    const off = await api(b.url, routes.updateTeamSettings, { token: admin.token, body: { managersAlwaysJoin: false } });
    expect(unwrap(off.result).settings.managersAlwaysJoin).toBe(false);
    expect(await revoked).toMatchObject({ reason: 'not-allowed' });
    expect(liveCall(call.id).hasListener(manager.user.id)).toBe(false);
    unwrap((await api(b.url, routes.updateTeamSettings, { token: admin.token, body: { managersAlwaysJoin: true } })).result);
    unwrap(await request(hostSocket, 'call:end', { callId: call.id }));
  });

  it('refuses: a listener on node B publishing into, ending or pausing the call on node A (NOT_HOST); nothing changes', async () => {
    const { rep, repSocket, hostSocket, host, call } = await hostOnAListenerOnB();
    const peer = await listen(repSocket, call.id);
    const intruder = await createHostPeer();
    onCleanup(() => intruder.close());
    for (const [event, payload] of [
      ['call:publish', { callId: call.id, offer: intruder.offerSdp }],
      ['call:end', { callId: call.id }],
      ['call:pause', { callId: call.id }],
    ] as const) {
      expect(await request(repSocket, event, payload), event).toMatchObject({ ok: false, error: { code: 'NOT_HOST' } });
    }
    const live = liveCall(call.id);
    expect(live).toMatchObject({ ended: false, paused: false, hostState: 'live' });
    expect(live.hasListener(rep.user.id)).toBe(true);
    // The host's audio still flows to the listener.
    const before = peer.packets.length;
    await streamUntil(host, peer.waitForPackets(before + 20));
    unwrap(await request(hostSocket, 'call:end', { callId: call.id }));
  });

  it('refuses: a rival team’s user on node B joining the call on node A (CALL_NOT_FOUND); nothing changes', async () => {
    const { hostSocket, call } = await hostOnAListenerOnB();
    const rex = await rivalTeam({ ...b, databaseUrl: cluster.databaseUrl } as unknown as TestServer);
    const rexSocket = await socketFor(b, rex);
    const rexPeer = await createListenerPeer();
    onCleanup(() => rexPeer.close());
    expect(await request(rexSocket, 'listen:join', { callId: call.id, offer: rexPeer.offerSdp })).toEqual({
      ok: false,
      error: { code: 'CALL_NOT_FOUND', message: 'There is no such call on your team.' },
    });
    expect(liveCall(call.id).listeners()).toEqual([]);
    unwrap(await request(hostSocket, 'call:end', { callId: call.id }));
  });

  it('refuses: a join routed to an owner that does not answer, with UNAVAILABLE within the timeout', async () => {
    const admin = await setupTeamOnce();
    const rep = await clusterMember(cluster, b, admin, 'Rob Rep', 'rep');
    const repSocket = await socketFor(b, rep);
    const log = createLogger({ level: 'silent' });
    const listener = await createListenerPeer();
    onCleanup(() => listener.close());

    // A node alive by its heartbeat whose router is gone: nobody listens on its channel.
    const ghost = await ClusterNodes.start({ redisUrl: cluster.redis.url, nodeId: 'ghost', log });
    onCleanup(() => ghost.close());
    const ghostCall = newId();
    await ghost.claimCall(ghostCall);
    const gone = await request(repSocket, 'listen:join', { callId: ghostCall, offer: listener.offerSdp });
    expect(gone).toEqual({ ok: false, error: { code: 'UNAVAILABLE', message: OWNER_GONE_MESSAGE } });

    // A node that hears the request but never answers (hung): the caller waits the timeout, no more.
    const hung = await ClusterNodes.start({ redisUrl: cluster.redis.url, nodeId: 'hung', log });
    onCleanup(() => hung.close());
    const deaf = new Redis(cluster.redis.url);
    onCleanup(() => deaf.disconnect());
    await deaf.subscribe('bullpen:calls:req:hung');
    const hungCall = newId();
    await hung.claimCall(hungCall);
    const started = Date.now();
    const silent = await request(repSocket, 'listen:join', { callId: hungCall, offer: listener.offerSdp });
    const waited = Date.now() - started;
    expect(silent).toEqual({ ok: false, error: { code: 'UNAVAILABLE', message: OWNER_GONE_MESSAGE } });
    expect(waited).toBeGreaterThanOrEqual(ROUTE_TIMEOUT_MS - 50);
    expect(waited).toBeLessThan(ROUTE_TIMEOUT_MS + 2000);
  });
});

describe.skipIf(clusterTests.enabled)('call actions on another node run on the call’s owner', () => {
  it.skip(clusterTests.skipReason, () => {});
});
