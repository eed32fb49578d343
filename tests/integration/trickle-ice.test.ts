/**
 * Trickle ICE both ways (issue 12): offers without candidates, candidates sent one by one with
 * `media:candidate`, the server's own pushed the same way, and every bad candidate refused without
 * changing anything. Real server, real socket.io, real node-datachannel peers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerPayload } from '../../contract';
import { encodeSineOpus } from '../helpers/opus';
import { goLive, onCleanup, runCleanups, socketFor } from '../helpers/live-call';
import { createHostPeer, createListenerPeer, streamUntilHeard, withRetry, type ListenerPeer } from '../helpers/rtc-peers';
import { addMember, request, setupTeam, startTestServer, unwrap, type ClientSocket } from '../helpers/test-server';

afterEach(runCleanups);

const frames = encodeSineOpus({ frames: 100 });
type CandidatePush = ServerPayload<'media:candidate'>;

/** A trickling client's offer: the same without candidates; they are returned to send one by one. */
function trickled(offer: string): { offer: string; candidates: string[]; ufrag: string } {
  const candidates = [...offer.matchAll(/^a=(candidate:.*?)\r?$/gm)].map((m) => m[1]!);
  const stripped = offer.replace(/^a=candidate:.*\r?\n/gm, '').replace(/^a=end-of-candidates\r?\n/gm, '');
  expect(stripped).toMatch(/^a=ice-options:.*trickle/m);
  return { offer: stripped, candidates, ufrag: /^a=ice-ufrag:(\S+)/m.exec(offer)![1]! };
}

/** Every `media:candidate` push the socket gets from now on. */
function pushes(socket: ClientSocket): CandidatePush[] {
  const seen: CandidatePush[] = [];
  socket.on('media:candidate', (p) => seen.push(p));
  return seen;
}

function endOfCandidates(socket: ClientSocket, callId: string, role: 'host' | 'listener'): Promise<void> {
  return new Promise((resolve) => {
    const on = (p: CandidatePush): void => {
      if (p.callId !== callId || p.role !== role || p.candidate !== null) return;
      socket.off('media:candidate', on);
      resolve();
    };
    socket.on('media:candidate', on);
  });
}

async function team(host?: string) {
  const server = await startTestServer(host ? { host } : {});
  onCleanup(() => server.stop());
  const url = host === '0.0.0.0' ? `http://127.0.0.1:${server.port}` : server.url;
  const admin = await setupTeam(url);
  const mentor = await addMember(url, admin.token, 'Max Mentor', 'mentor');
  const rep = await addMember(url, admin.token, 'Rita Rep', 'rep');
  return {
    hostSocket: await socketFor({ url }, mentor),
    repSocket: await socketFor({ url }, rep),
    adminSocket: await socketFor({ url }, admin),
  };
}

/** A listener that joins with a candidate-less offer and trickles its candidates after the reply. */
async function trickleListen(socket: ClientSocket, callId: string): Promise<ListenerPeer> {
  return withRetry(
    async () => {
      const peer = await createListenerPeer();
      onCleanup(() => peer.close());
      const t = trickled(peer.offerSdp);
      const ended = endOfCandidates(socket, callId, 'listener');
      const joined = unwrap(await request(socket, 'listen:join', { callId, offer: t.offer }));
      for (const candidate of t.candidates) {
        unwrap(await request(socket, 'media:candidate', { callId, role: 'listener', candidate: { candidate, sdpMid: '0', usernameFragment: t.ufrag } }));
      }
      unwrap(await request(socket, 'media:candidate', { callId, role: 'listener', candidate: null }));
      peer.setAnswer(joined.answer);
      await ended;
      await peer.waitForOpen();
      return peer;
    },
    () => request(socket, 'listen:leave', { callId }),
  );
}

describe('trickle ICE', () => {
  it('a host and a listener whose offers carry no candidate trickle them and hear each other', async () => {
    const { hostSocket, repSocket } = await team();
    const hostPushes = pushes(hostSocket);
    const first = await createHostPeer();
    onCleanup(() => first.close());
    const t = trickled(first.offerSdp);
    const started = unwrap(await request(hostSocket, 'call:start', { title: 'Trickled', policy: 'team', offer: t.offer }));
    const callId = started.call.id;
    for (const candidate of t.candidates) {
      unwrap(await request(hostSocket, 'media:candidate', { callId, role: 'host', candidate: { candidate, sdpMid: '0', usernameFragment: t.ufrag } }));
    }
    await first.setAnswer(started.answer);

    const peer = await trickleListen(repSocket, callId);
    await streamUntilHeard(first, peer, frames);
    // The server answered at once and said when it had no more candidates, for each connection.
    await expect.poll(() => hostPushes.some((p) => p.callId === callId && p.role === 'host' && p.candidate === null)).toBe(true);
    const answerUfrag = /^a=ice-ufrag:(\S+)/m.exec(started.answer)![1];
    for (const p of hostPushes.filter((p) => p.candidate)) expect(p.candidate!.usernameFragment).toBe(answerUfrag);
  });

  it('offers that carry all their candidates (non-trickle clients) keep working', async () => {
    const { hostSocket, repSocket } = await team();
    const { host, call } = await goLive(hostSocket);
    const peer = await createListenerPeer();
    onCleanup(() => peer.close());
    const joined = unwrap(await request(repSocket, 'listen:join', { callId: call.id, offer: peer.offerSdp }));
    peer.setAnswer(joined.answer);
    await peer.waitForOpen();
    await streamUntilHeard(host, peer, frames);
  });

  it('refuses: a candidate for a call the caller has no connection to, or an unknown call', async () => {
    const { hostSocket, repSocket } = await team();
    const { call } = await goLive(hostSocket);
    const candidate = { candidate: 'candidate:1 1 udp 2122260223 192.0.2.7 50000 typ host', sdpMid: '0' };
    expect(await request(repSocket, 'media:candidate', { callId: call.id, role: 'listener', candidate })).toMatchObject({
      ok: false,
      error: { code: 'NOT_LISTENING', message: expect.stringMatching(/not listening/) },
    });
    expect(await request(repSocket, 'media:candidate', { callId: call.id, role: 'host', candidate })).toMatchObject({
      ok: false,
      error: { code: 'NOT_HOST' },
    });
    expect(await request(repSocket, 'media:candidate', { callId: 'no_such_call', role: 'listener', candidate })).toMatchObject({
      ok: false,
      error: { code: 'CALL_NOT_FOUND' },
    });
  });

  it('refuses: malformed candidates, another section, an older connection; the connection is unharmed', async () => {
    const { hostSocket, repSocket } = await team('0.0.0.0');
    const { host, call } = await goLive(hostSocket);
    const peer = await createListenerPeer();
    onCleanup(() => peer.close());
    const t = trickled(peer.offerSdp);
    const joined = unwrap(await request(repSocket, 'listen:join', { callId: call.id, offer: t.offer }));
    const send = (candidate: unknown) => request(repSocket, 'media:candidate', { callId: call.id, role: 'listener', candidate });
    const refusals: [unknown, RegExp][] = [
      [{ candidate: 'a=candidate:1 1 udp 1 192.0.2.7 9 typ host', sdpMid: '0' }, /candidate/],
      [{ candidate: 'candidate:1 1 udp 1 192.0.2.7 9 typ host\r\na=setup:passive', sdpMid: '0' }, /candidate/],
      [{ candidate: 'candidate:not a candidate', sdpMid: '0' }, /not a valid ICE candidate/],
      [{ candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 5432 typ host', sdpMid: '0' }, /loopback/],
      [{ candidate: 'candidate:1 1 udp 2122260223 169.254.169.254 80 typ host', sdpMid: '0' }, /link-local/],
      [{ candidate: 'candidate:1 1 udp 2122260223 0.0.0.0 80 typ host', sdpMid: '0' }, /not a unicast/],
      [{ candidate: 'candidate:1 1 udp 2122260223 192.0.2.7 50000 typ host', sdpMid: '1' }, /no media section "1"/],
      [{ candidate: 'candidate:1 1 udp 2122260223 192.0.2.7 50000 typ host', sdpMid: '0', usernameFragment: 'older' }, /older connection/],
    ];
    for (const [candidate, message] of refusals) {
      expect(await send(candidate), JSON.stringify(candidate)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringMatching(message) } });
    }
    // TCP and mDNS candidates are accepted and not tried, as in offers.
    unwrap(await send({ candidate: 'candidate:2 1 tcp 1518280447 192.0.2.7 9 typ host tcptype active', sdpMid: '0' }));
    unwrap(await send({ candidate: 'candidate:3 1 udp 2122260223 0f612a90-ee2e-4785-b9b7-72f8434cba27.local 50000 typ host', sdpMid: '0' }));
    // None of that counted or broke anything: the real candidates connect and audio flows.
    for (const candidate of t.candidates) unwrap(await send({ candidate, sdpMid: '0', usernameFragment: t.ufrag }));
    peer.setAnswer(joined.answer);
    await peer.waitForOpen();
    await streamUntilHeard(host, peer, frames);
  });

  it('refuses: more candidates than the cap for one connection (offer and trickled together)', async () => {
    const { hostSocket, repSocket } = await team();
    const { call } = await goLive(hostSocket);
    const peer = await createListenerPeer();
    onCleanup(() => peer.close());
    const t = trickled(peer.offerSdp);
    // One candidate left in the offer counts toward the cap of 16.
    const offer = t.offer.replace(/^a=mid:0\r?$/m, `a=mid:0\r\na=${t.candidates[0]}`);
    unwrap(await request(repSocket, 'listen:join', { callId: call.id, offer }));
    const send = (i: number) =>
      request(repSocket, 'media:candidate', {
        callId: call.id,
        role: 'listener',
        candidate: { candidate: `candidate:${i} 1 udp ${2_000_000_000 - i} 127.0.0.${i + 2} ${40_000 + i} typ host`, sdpMid: '0' },
      });
    for (let i = 0; i < 15; i++) unwrap(await send(i));
    expect(await send(15)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringMatching(/Too many ICE candidates.*16/) } });
  });
});
