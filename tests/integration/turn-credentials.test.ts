import { createHmac } from 'node:crypto';
import { io as connect } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { routes, type IceServer } from '../../contract';
import { runCleanups, serverWithTeam, socketFor } from '../helpers/live-call';
import { createListenerPeer } from '../helpers/rtc-peers';
import { startTestTurn, type TestTurn } from '../helpers/turn-server';
import { addMember, api, request, unwrap, type ClientSocket } from '../helpers/test-server';

afterEach(runCleanups);

let turn: TestTurn;
beforeAll(async () => {
  turn = await startTestTurn();
});
afterAll(() => turn?.stop());


/** A server handing out credentials for the test's coturn (UDP: what libjuice speaks to TURN). */
function withTurn(extra: Parameters<typeof serverWithTeam>[0] = {}) {
  // The relay and this server share the loopback: the answers must name 127.0.0.1, the address
  // coturn reaches them at (see announced-address.ts).
  return serverWithTeam({ turnUrls: [turn.url('udp')], turnSecret: turn.secret, announcedIp: '127.0.0.1', ...extra });
}

async function iceServers(socket: ClientSocket): Promise<IceServer[]> {
  return unwrap(await request(socket, 'media:ice-servers', {})).iceServers;
}

/** libdatachannel's form of a TURN server (a username with ':' cannot go in its URL form). */
function relayOnly(server: IceServer) {
  return {
    iceTransportPolicy: 'relay' as const,
    iceServers: [{ hostname: '127.0.0.1', port: turn.port, username: server.username!, password: server.credential!, relayType: 'TurnUdp' as const }],
  };
}

const candidateTypes = (sdp: string) => [...sdp.matchAll(/^a=candidate:\S+ \d+ \S+ \d+ \S+ \d+ typ (\S+)/gm)].map((m) => m[1]);

describe('TURN credentials (media:ice-servers)', () => {
  it('hands no ICE servers when the server has no TURN settings', async () => {
    const { server, admin } = await serverWithTeam();
    expect(await iceServers(await socketFor(server, admin))).toEqual([]);
  });

  it('hands a fresh credential per request: coturn’s REST-API scheme, valid for turnTtlSec', async () => {
    let clock = Date.now();
    const { server, admin } = await withTurn({ turnTtlSec: 120, now: () => clock });
    const socket = await socketFor(server, admin);
    const [first] = await iceServers(socket);
    const expiry = Math.floor(clock / 1000) + 120;
    expect(first).toEqual({
      urls: [turn.url('udp')],
      username: `${expiry}:${admin.user.id}`,
      credential: createHmac('sha1', turn.secret).update(`${expiry}:${admin.user.id}`).digest('base64'),
    });
    clock += 30_000;
    const [second] = await iceServers(socket);
    expect(second!.username).toBe(`${expiry + 30}:${admin.user.id}`);
    expect(second!.credential).not.toBe(first!.credential);
  });

  it('coturn accepts it: a relay-only peer is allocated a relay with it', async () => {
    const { server, admin } = await withTurn();
    const [credential] = await iceServers(await socketFor(server, admin));
    const peer = await createListenerPeer(relayOnly(credential!));
    peer.close();
    // Its offer carries nothing but the relay coturn allocated (the media through that relay is
    // proven in Chromium, tests/e2e/turn-relay.spec.ts: libjuice's relay policy filters only
    // what it offers, not the pairs it checks).
    expect(candidateTypes(peer.offerSdp)).toEqual(['relay']);
    // coturn logs after it answers: its line may reach us after the peer has its relay.
    await expect.poll(() => turn.output()).toContain(`user <${credential!.username}>: incoming packet ALLOCATE processed, success`);
  });

  it('credentials expire as configured: coturn refuses one past its expiry', async () => {
    // The server's clock is two minutes behind: a 60 s credential it signs expired a minute ago.
    const { server, admin } = await withTurn({ turnTtlSec: 60, now: () => Date.now() - 120_000 });
    const [expired] = await iceServers(await socketFor(server, admin));
    expect(Number(expired!.username!.split(':')[0])).toBeLessThan(Date.now() / 1000);
    const peer = await createListenerPeer(relayOnly(expired!));
    peer.close();
    expect(candidateTypes(peer.offerSdp)).toEqual([]);
    await expect.poll(() => turn.output()).toContain(`user <${expired!.username}>: incoming packet message processed, error 401: Unauthorized`);
    expect(turn.output()).not.toContain(`user <${expired!.username}>: incoming packet ALLOCATE processed, success`);
  });

  it('refuses: media:ice-servers without a session (no credential is handed out)', async () => {
    const { server, admin } = await withTurn();
    const member = await addMember(server.url, admin.token, 'Sam Signedout', 'rep');
    unwrap((await api(server.url, routes.logout, { token: member.token })).result);
    for (const auth of [{}, { token: 'not-a-session' }, { token: member.token }]) {
      const socket = connect(server.url, { auth, transports: ['websocket'], reconnection: false });
      let handedOut = false;
      socket.on('connect', () => socket.emit('media:ice-servers', {}, () => (handedOut = true)));
      const error = await new Promise<Error & { data?: { code?: string } }>((resolve) => socket.once('connect_error', resolve));
      expect(error.data?.code).toBe('UNAUTHENTICATED');
      expect(handedOut).toBe(false);
      socket.disconnect();
    }
  });

  it('refuses: past its rate limit, with the wait; another person is not affected', async () => {
    const { server, admin } = await withTurn({ limits: { iceServers: { points: 2 } } });
    const rep = await addMember(server.url, admin.token, 'Rita Rep', 'rep');
    const socket = await socketFor(server, admin);
    await iceServers(socket);
    await iceServers(socket);
    const refused = await request(socket, 'media:ice-servers', {});
    expect(refused).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    expect(refused.ok ? 0 : refused.error.retryAfterSec).toBeGreaterThan(0);
    expect(await iceServers(await socketFor(server, rep))).toHaveLength(1);
  });
});
