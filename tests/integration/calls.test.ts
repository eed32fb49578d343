import { afterEach, describe, expect, it } from 'vitest';
import { clientEventNames, openCall, routes, type CallSummary } from '../../contract';
import { readSeq, readSsrc, readTimestamp, rtpPayload } from '../../server/media/rtp';
import { encodeSineOpus } from '../helpers/opus';
import { goLive, listen, onCleanup, rivalTeam, runCleanups, serverWithTeam, socketFor } from '../helpers/live-call';
import { createHostPeer, withRetry, type HostPeer } from '../helpers/rtc-peers';
import {
  addMember,
  api,
  connectSocket,
  nextEvent,
  request,
  unwrap,
  type ClientSocket,
} from '../helpers/test-server';

afterEach(runCleanups);

/** Resolves once the board shows the call's host in `state` (checked now, then on pushes). */
async function hostStateIs(socket: ClientSocket, callId: string, state: CallSummary['hostState']) {
  const pushed = nextEvent(socket, 'board:update', (b) => b.calls.some((c) => c.id === callId && openCall(c)?.hostState === state));
  const now = unwrap(await request(socket, 'board:get', {})).calls;
  if (!now.some((c) => c.id === callId && openCall(c)?.hostState === state)) await pushed;
}

/** A well-formed SDP for joins that must be refused before any media is negotiated. */
const PROBE_OFFER = 'v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n';

const frames = encodeSineOpus({ frames: 150 });
const payloadHex = (packet: Buffer) => Buffer.from(rtpPayload(packet)).toString('hex');

/** Sends Opus from the host until `done` resolves (bounded by the frames available). */
async function streamUntil(host: HostPeer, done: Promise<unknown>) {
  let finished = false;
  void done.finally(() => (finished = true));
  const sent: Buffer[] = [];
  for (let round = 0; round < 4 && !finished; round++) sent.push(...(await host.sendOpus(frames)));
  await done;
  return sent;
}

/** A mentor live on a team call, with a rep's and the admin's sockets connected. */
async function mentorLiveWithRepAndAdmin() {
  const { server, admin } = await serverWithTeam();
  const mentor = await addMember(server.url, admin.token, 'Max Mentor', 'mentor');
  const rep = await addMember(server.url, admin.token, 'Rita Rep', 'rep');
  const hostSocket = await socketFor(server, mentor);
  const repSocket = await socketFor(server, rep);
  const adminSocket = await socketFor(server, admin);
  const { host, call } = await goLive(hostSocket);
  return { server, hostSocket, repSocket, adminSocket, host, call };
}

describe('live calls over real sockets and WebRTC', () => {
  it('forwards the host’s Opus to every listener; the host and board see who listens', async () => {
    const { server, admin } = await serverWithTeam();
    const rep = await addMember(server.url, admin.token, 'Rita Rep', 'rep');
    const mentor = await addMember(server.url, admin.token, 'Max Mentor', 'mentor');
    const hostSocket = await socketFor(server, mentor);
    const repSocket = await socketFor(server, rep);
    const adminSocket = await socketFor(server, admin);

    const boardShowsCall = nextEvent(repSocket, 'board:update', (b) => b.calls.length === 1);
    const { host, call } = await goLive(hostSocket, { policy: 'team' });
    const board = (await boardShowsCall).calls[0] as CallSummary;
    expect(board).toMatchObject({ hostName: 'Max Mentor', title: 'Discovery with Initech', account: 'Initech', canListen: true });

    const twoListeners = nextEvent(hostSocket, 'call:listeners', (e) => e.listeners.length === 2);
    const repPeer = await listen(repSocket, call.id);
    const adminPeer = await listen(adminSocket, call.id);
    expect((await twoListeners).listeners.map((l) => l.name).sort()).toEqual(['Alice Admin', 'Rita Rep']);

    const sent = await streamUntil(host, Promise.all([repPeer.waitForPackets(100), adminPeer.waitForPackets(100)]));
    const sentPayloads = new Set(sent.map(payloadHex));
    for (const peer of [repPeer, adminPeer]) {
      expect(peer.packets.length).toBeGreaterThanOrEqual(100);
      for (const packet of peer.packets) expect(sentPayloads.has(payloadHex(packet))).toBe(true);
      expect(readSsrc(peer.packets[0]!)).not.toBe(host.ssrc);
    }
    expect(readSsrc(repPeer.packets[0]!)).not.toBe(readSsrc(adminPeer.packets[0]!));

    const repLeft = nextEvent(hostSocket, 'call:listeners', (e) => e.listeners.length === 1);
    unwrap(await request(repSocket, 'listen:leave', { callId: call.id }));
    expect((await repLeft).listeners.map((l) => l.name)).toEqual(['Alice Admin']);

    const ended = nextEvent(adminSocket, 'call:ended');
    const emptyBoard = nextEvent(repSocket, 'board:update', (b) => b.calls.length === 0);
    unwrap(await request(hostSocket, 'call:end', { callId: call.id }));
    expect(await ended).toEqual({ callId: call.id, reason: 'host-ended' });
    await emptyBoard;
    const late = await request(repSocket, 'listen:join', { callId: call.id, offer: PROBE_OFFER });
    expect(late).toMatchObject({ ok: false, error: { code: 'CALL_ENDED' } });
  });

  it('carries every connection on one UDP port when configured (ICE UDP mux)', async () => {
    const udpPort = 42_000 + Math.floor(Math.random() * 1000);
    const { server, admin } = await serverWithTeam({ rtcUdpPort: udpPort });
    const mentor = await addMember(server.url, admin.token, 'Max Mentor', 'mentor');
    const hostSocket = await socketFor(server, mentor);
    const adminSocket = await socketFor(server, admin);
    const { host, call } = await goLive(hostSocket);
    const peer = await listen(adminSocket, call.id);
    await streamUntil(host, peer.waitForPackets(20));
    const candidatePorts = (sdp: string) =>
      [...sdp.matchAll(/^a=candidate:\S+ \d+ udp \d+ \S+ (\d+) typ host/gim)].map((m) => Number(m[1]));
    const ports = [...candidatePorts(host.answerSdp!), ...candidatePorts(peer.answerSdp!)];
    expect(ports.length).toBeGreaterThan(1);
    expect(new Set(ports)).toEqual(new Set([udpPort]));
  });

  it('is listen-only: a listener cannot publish into the call and what it sends reaches nobody', async () => {
    const { repSocket, adminSocket, host, call } = await mentorLiveWithRepAndAdmin();

    const intruder = await createHostPeer();
    onCleanup(() => intruder.close());
    const hijack = await request(repSocket, 'call:publish', { callId: call.id, offer: intruder.offerSdp });
    expect(hijack).toMatchObject({ ok: false, error: { code: 'NOT_HOST' } });
    const endAttempt = await request(repSocket, 'call:end', { callId: call.id });
    expect(endAttempt).toMatchObject({ ok: false, error: { code: 'NOT_HOST' } });

    const talker = await listen(repSocket, call.id, { talk: true });
    const bystander = await listen(adminSocket, call.id);
    const junk = Buffer.from('ff'.repeat(40), 'hex');
    const sent = await streamUntil(
      host,
      (async () => {
        for (let i = 0; i < 50; i++) {
          const packet = Buffer.alloc(12 + junk.length);
          packet[0] = 0x80;
          packet[1] = 111;
          packet.writeUInt16BE(i, 2);
          packet.writeUInt32BE(i * 960, 4);
          packet.writeUInt32BE(talker.ssrc ?? 1, 8);
          junk.copy(packet, 12);
          talker.sendRtp(packet);
        }
        await bystander.waitForPackets(100);
      })(),
    );
    const sentPayloads = new Set(sent.map(payloadHex));
    expect(bystander.packets.every((p) => sentPayloads.has(payloadHex(p)))).toBe(true);
    expect(bystander.packets.some((p) => payloadHex(p) === junk.toString('hex'))).toBe(false);
  });

  it('refuses cross-team and policy-forbidden joins, and says why on the board', async () => {
    const { server, admin } = await serverWithTeam();
    const mentor = await addMember(server.url, admin.token, 'Max Mentor', 'mentor');
    const mentee = await addMember(server.url, admin.token, 'Mo Mentee', 'rep');
    const otherRep = await addMember(server.url, admin.token, 'Olga Other', 'rep');
    const manager = await addMember(server.url, admin.token, 'Mia Manager', 'manager');
    unwrap((await api(server.url, routes.setMentees, { token: admin.token, params: { id: mentor.user.id }, body: { menteeIds: [mentee.user.id] } })).result);

    const hostSocket = await socketFor(server, mentor);
    const menteeSocket = await socketFor(server, mentee);
    const otherSocket = await socketFor(server, otherRep);
    const managerSocket = await socketFor(server, manager);
    const { call } = await goLive(hostSocket, { policy: 'mentees-and-managers' });

    const otherBoard = unwrap(await request(otherSocket, 'board:get', {})).calls;
    expect(otherBoard).toEqual([{ restricted: true, id: call.id, hostId: call.hostId, hostName: call.hostName }]);
    expect(await request(otherSocket, 'listen:join', { callId: call.id, offer: PROBE_OFFER })).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED' } });
    expect(openCall(unwrap(await request(menteeSocket, 'board:get', {})).calls[0])?.canListen).toBe(true);
    await listen(menteeSocket, call.id);
    await listen(managerSocket, call.id);
    expect(await request(managerSocket, 'listen:join', { callId: call.id, offer: PROBE_OFFER })).toMatchObject({ ok: false, error: { code: 'ALREADY_JOINED' } });
    expect(await request(hostSocket, 'listen:join', { callId: call.id, offer: PROBE_OFFER })).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED' } });
    expect(await request(menteeSocket, 'listen:join', { callId: 'no-such-call', offer: PROBE_OFFER })).toMatchObject({ ok: false, error: { code: 'CALL_NOT_FOUND' } });

    // Another team on the same server sees nothing and cannot join.
    const rex = await rivalTeam(server);
    const rexSocket = await socketFor(server, rex);
    expect(unwrap(await request(rexSocket, 'board:get', {})).calls).toEqual([]);
    expect(await request(rexSocket, 'listen:join', { callId: call.id, offer: PROBE_OFFER })).toMatchObject({ ok: false, error: { code: 'CALL_NOT_FOUND' } });

    // A managers-only call refuses even the host's mentee.
    const managersSocket = await socketFor(server, otherRep);
    const second = await goLive(managersSocket, { policy: 'managers' });
    expect(await request(menteeSocket, 'listen:join', { callId: second.call.id, offer: PROBE_OFFER })).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED' } });
    expect(await request(managersSocket, 'call:start', { title: 'Again', policy: 'team', offer: second.host.offerSdp })).toMatchObject({
      ok: false,
      error: { code: 'ALREADY_LIVE' },
    });
  });

  it('drops a listener whose media connection ends from the board and the host’s list within a second; a re-join works', async () => {
    const { hostSocket, repSocket, adminSocket, host, call } = await mentorLiveWithRepAndAdmin();

    const hostSeesOne = nextEvent(hostSocket, 'call:listeners', (e) => e.listeners.length === 1);
    // Without libdatachannel's receiving session, so the test can send its own RTCP.
    const peer = await listen(adminSocket, call.id, { receiverReports: false });
    await hostSeesOne;
    await streamUntil(host, peer.waitForPackets(20));

    // The listener's PeerConnection goes away without a leave (its socket stays connected):
    // it says RTCP BYE and closes. (node-datachannel sends no DTLS close_notify on close, so
    // without the BYE the server would only notice when ICE consent expires, after 30 s.)
    const hostSeesNone = nextEvent(hostSocket, 'call:listeners', (e) => e.listeners.length === 0);
    const boardSeesNone = nextEvent(repSocket, 'board:update', (b) => openCall(b.calls[0])?.listeners.length === 0);
    const bye = Buffer.from([0x81, 203, 0, 1, 0, 0, 0, 0]);
    bye.writeUInt32BE(0x1234_5678, 4);
    const killedAt = performance.now();
    expect(peer.sendRtp(bye)).toBe(true);
    peer.close();
    await Promise.all([hostSeesNone, boardSeesNone]);
    expect(performance.now() - killedAt).toBeLessThan(1000);
    expect(adminSocket.connected).toBe(true);

    const hostSeesAgain = nextEvent(hostSocket, 'call:listeners', (e) => e.listeners.length === 1);
    const again = await listen(adminSocket, call.id);
    expect((await hostSeesAgain).listeners.map((l) => l.name)).toEqual(['Alice Admin']);
    await streamUntil(host, again.waitForPackets(20));
  });

  it('keeps listeners’ sequence numbers continuous when the host reconnects', async () => {
    const { server, admin } = await serverWithTeam();
    const mentor = await addMember(server.url, admin.token, 'Max Mentor', 'mentor');
    const hostSocket = await socketFor(server, mentor);
    const adminSocket = await socketFor(server, admin);
    const { host, call } = await goLive(hostSocket);
    const peer = await listen(adminSocket, call.id);

    await streamUntil(host, peer.waitForPackets(40));
    // The host's connection drops (a new RTCPeerConnection with a new SSRC and random
    // sequence/timestamp bases comes back), while the listener stays joined.
    host.close();
    const before = peer.packets.length;
    const again = await withRetry(async () => {
      const peer = await createHostPeer({ ssrc: host.ssrc ^ 0x5a5a5a5a });
      onCleanup(() => peer.close());
      const { answer } = unwrap(await request(hostSocket, 'call:publish', { callId: call.id, offer: peer.offerSdp }));
      await peer.setAnswer(answer);
      return peer;
    });
    await streamUntil(again, peer.waitForPackets(before + 40));
    await hostStateIs(adminSocket, call.id, 'live');

    const seqs = peer.packets.map(readSeq);
    for (let i = 1; i < seqs.length; i++) expect((seqs[i]! - seqs[i - 1]! + 0x10000) % 0x10000, `packet ${i}`).toBe(1);
    const ts = peer.packets.map(readTimestamp);
    const jump = (ts[before]! - ts[before - 1]! + 2 ** 32) % 2 ** 32;
    expect(jump).toBeGreaterThanOrEqual(960);
    expect(jump).toBeLessThan(48_000 * 30);
    expect(new Set(peer.packets.map(readSsrc)).size).toBe(1);
  });

  it('ends the call when the host stays away past the grace period, and listeners see why', async () => {
    const { server, admin } = await serverWithTeam({ hostGraceMs: 3000 });
    const mentor = await addMember(server.url, admin.token, 'Max Mentor', 'mentor');
    const hostSocket = await connectSocket(server.url, mentor.token);
    const adminSocket = await socketFor(server, admin);
    const { host, call } = await goLive(hostSocket);
    await hostStateIs(adminSocket, call.id, 'live');
    await listen(adminSocket, call.id);

    const ended = nextEvent(adminSocket, 'call:ended');
    hostSocket.disconnect();
    host.close();
    expect(await ended).toEqual({ callId: call.id, reason: 'host-timeout' });
    expect(unwrap(await request(adminSocket, 'board:get', {})).calls).toEqual([]);
  });

  it('answers malformed payloads on every event with BAD_REQUEST and changes nothing', async () => {
    // Sixty-odd events back to back from one person: past the 50-a-second event budget, which
    // flooding.test.ts covers. Here every payload must reach validation.
    const { server, admin } = await serverWithTeam({ limits: { socketEvent: { points: 1000 } } });
    const mentor = await addMember(server.url, admin.token, 'Max Mentor', 'mentor');
    const hostSocket = await socketFor(server, mentor);
    const adminSocket = await socketFor(server, admin);
    const { call } = await goLive(hostSocket);
    await hostStateIs(adminSocket, call.id, 'live');
    const boardBefore = unwrap(await request(adminSocket, 'board:get', {})).calls;

    const generic: unknown[] = [undefined, null, 7, 'call', []];
    const specific: Record<string, unknown[]> = {
      'call:start': [{ title: 'x'.repeat(500), policy: 'team', offer: 'v=0' }, { title: 'T', policy: 'all', offer: 'v=0\r\n' + 'a'.repeat(40) }, { title: 'T', policy: 'team' }],
      'call:publish': [{ callId: call.id, offer: 'nope' }, { callId: 5, offer: 'v=0\r\n' + 'a'.repeat(40) }],
      'call:end': [{ callId: 5 }, { callId: '../x' }],
      'listen:join': [{ callId: '' }, { callId: 'a'.repeat(100) }, { callId: call.id }, { callId: call.id, offer: PROBE_OFFER }, { callId: call.id, offer: 'v=0' + 'a'.repeat(30_000) }],
      'listen:leave': [{}, { callId: null }],
    };
    for (const event of clientEventNames) {
      for (const payload of [...generic, ...(specific[event] ?? [])]) {
        const reply = await request(adminSocket, event, payload);
        expect(reply, `${event} ${JSON.stringify(payload)}`).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
      }
    }
    // An event without an ack is dropped without harm; the connection stays usable.
    (adminSocket.emit as (e: string, p: unknown) => void)('call:end', { callId: call.id });
    expect(unwrap(await request(adminSocket, 'board:get', {})).calls).toEqual(boardBefore);
    expect(server.registry.size).toBe(1);
  });
});
