/**
 * Attacks through the offers clients send (issue 8, "Listener offers" and "What each person may
 * see"): hidden sections, data channels, listeners offering to send, ICE candidates aimed at the
 * server's own addresses or by the dozen, call rows left by unusable offers, and control
 * characters in what people type. Real server, real socket.io, real node-datachannel peers.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import nodeDataChannel from 'node-datachannel';
import { afterEach, describe, expect, it } from 'vitest';
import { openCall, routes, type ServerPayload } from '../../contract';

type BoardUpdate = ServerPayload<'board:update'>;
import { createLogger } from '../../server/logger';
import type { Forwarder } from '../../server/media/forwarder';
import { encodeSineOpus } from '../helpers/opus';
import { goLive, onCleanup, runCleanups, serverWithTeam, socketFor } from '../helpers/live-call';
import { createHostPeer, createListenerPeer, streamUntilHeard, withRetry, type ListenerPeer } from '../helpers/rtc-peers';
import { openTestStore } from '../helpers/test-database';
import { addMember, api, request, setupTeam, startTestServer, unwrap, type ClientSocket } from '../helpers/test-server';

afterEach(runCleanups);

const frames = encodeSineOpus({ frames: 100 });

/** A complete offer from a node-datachannel peer with the given recvonly audio sections and data channel. */
async function rawOffer(opts: { audioSections: number; dataChannel: boolean }): Promise<string> {
  const pc = new nodeDataChannel.PeerConnection('attacker', { iceServers: [] });
  const tracks = Array.from({ length: opts.audioSections }, (_, i) => {
    const audio = new nodeDataChannel.Audio(String(i), 'RecvOnly');
    audio.addOpusCodec(111, 'minptime=10;useinbandfec=1');
    const track = pc.addTrack(audio);
    track.onClosed(() => {});
    return track;
  });
  const channel = opts.dataChannel ? pc.createDataChannel('smuggle') : null;
  pc.onStateChange(() => {});
  onCleanup(() => {
    channel?.close();
    for (const track of tracks) track.close();
    pc.close();
  });
  // Creating a data channel negotiates (and may finish gathering) at once.
  if (pc.gatheringState() !== 'complete') {
    const gathered = new Promise<void>((resolve) => pc.onGatheringStateChange((s) => s === 'complete' && resolve()));
    pc.setLocalDescription();
    await gathered;
  }
  return pc.localDescription()!.sdp;
}

/** Adds a disabled, bundle-only section (`port 0`) after the offer's own, bundled with it. */
function withHiddenSection(offer: string, section: 'audio' | 'application'): string {
  const mLine = section === 'audio' ? 'm=audio 0 UDP/TLS/RTP/SAVPF 111' : 'm=application 0 UDP/DTLS/SCTP webrtc-datachannel';
  const extra = section === 'audio' ? ['a=recvonly', 'a=rtpmap:111 opus/48000/2'] : ['a=sctp-port:5000', 'a=max-message-size:262144'];
  return (
    offer.replace(/^a=group:BUNDLE 0/m, 'a=group:BUNDLE 0 1').trimEnd() + '\r\n' + [mLine, 'a=bundle-only', 'a=mid:1', ...extra].join('\r\n') + '\r\n'
  );
}

/** Puts candidate lines first among the offer's own (so they are the best-priority ones). */
function withCandidates(offer: string, lines: string[]): string {
  return offer.replace(/^a=candidate:/m, lines.join('\r\n') + '\r\na=candidate:');
}

/** Replaces every candidate of the offer (a node-datachannel one: they end with a=end-of-candidates) with `lines`. */
function onlyCandidates(offer: string, lines: string[]): string {
  return offer.replace(/^a=candidate:.*\r?\n/gm, '').replace(/^a=end-of-candidates/m, lines.join('\r\n') + '\r\na=end-of-candidates');
}

/** A UDP socket on loopback that records what arrives: a service the server must not be aimed at. */
async function loopbackService(): Promise<{ port: number; received: Buffer[]; next: Promise<Buffer> }> {
  const socket: UdpSocket = createSocket('udp4');
  const received: Buffer[] = [];
  const next = new Promise<Buffer>((resolve) => socket.once('message', resolve));
  socket.on('message', (msg) => received.push(msg));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  onCleanup(() => socket.close());
  return { port: socket.address().port, received, next };
}

/** A server with captured log lines and each call's forwarder. */
async function observedServer(host?: string) {
  const lines: Record<string, unknown>[] = [];
  const forwarders: Forwarder[] = [];
  const log = createLogger({ level: 'info', write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) });
  const server = await startTestServer({ ...(host ? { host } : {}), log, onForwarder: (_id, f) => forwarders.push(f) });
  onCleanup(() => server.stop());
  // A wildcard-bound server is reached over loopback.
  const url = host === '0.0.0.0' ? `http://127.0.0.1:${server.port}` : server.url;
  const admin = await setupTeam(url);
  const mentor = await addMember(url, admin.token, 'Max Mentor', 'mentor');
  const rep = await addMember(url, admin.token, 'Rita Rep', 'rep');
  return {
    server,
    url,
    lines,
    forwarders,
    admin,
    hostSocket: await socketFor({ url }, mentor),
    repSocket: await socketFor({ url }, rep),
    adminSocket: await socketFor({ url }, admin),
  };
}

async function callRows(server: { dataDir: string; databaseUrl?: string }): Promise<string[]> {
  const store = await openTestStore(server);
  try {
    return (await store.db.selectFrom('calls').select('title').execute()).map((r) => r.title);
  } finally {
    await store.close();
  }
}

/**
 * Joins like `listen` with the offer rewritten by `tamper`; retries libdatachannel's offer-side
 * race of the stand-in browser (see isTransientMediaFailure).
 */
function listenTampered(socket: ClientSocket, callId: string, tamper: (offer: string) => string): Promise<ListenerPeer> {
  return withRetry(
    async () => {
      const peer = await createListenerPeer();
      onCleanup(() => peer.close());
      const joined = unwrap(await request(socket, 'listen:join', { callId, offer: tamper(peer.offerSdp) }));
      peer.setAnswer(joined.answer);
      await peer.waitForOpen();
      return peer;
    },
    () => request(socket, 'listen:leave', { callId }),
  );
}

function collectBoards(socket: ClientSocket): BoardUpdate[] {
  const boards: BoardUpdate[] = [];
  socket.on('board:update', (b) => boards.push(b));
  return boards;
}

describe('offers and text from clients', () => {
  it('attack: a listener offer with a hidden second section (port 0 + bundle-only, extra audio, data channel) or offering to send is refused, and opens nothing on the server', async () => {
    const { hostSocket, repSocket, adminSocket, forwarders } = await observedServer();
    const { host, call } = await goLive(hostSocket);
    const template = await createListenerPeer();
    onCleanup(() => template.close());

    const attacks: Record<string, string> = {
      'hidden audio (port 0, bundle-only)': withHiddenSection(template.offerSdp, 'audio'),
      'hidden data channel (port 0, bundle-only)': withHiddenSection(template.offerSdp, 'application'),
      'second audio section': await rawOffer({ audioSections: 2, dataChannel: false }),
      'data channel section': await rawOffer({ audioSections: 1, dataChannel: true }),
      'sendrecv audio': template.offerSdp.replace(/^a=recvonly/m, 'a=sendrecv'),
    };
    expect(attacks['data channel section']).toMatch(/^m=application [1-9]\d* /m);
    for (const [name, offer] of Object.entries(attacks)) {
      const reply = await request(repSocket, 'listen:join', { callId: call.id, offer });
      expect(reply, name).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
      if (!reply.ok) expect(reply.error.message, name).toMatch(/exactly one audio section and nothing else|must be recvonly/);
    }
    // The offers were refused before any PeerConnection was made: no listener on the call or in
    // its forwarder, so no data channel could ever open there.
    expect(forwarders).toHaveLength(1);
    expect(forwarders[0]!.stats().listeners).toBe(0);
    expect(openCall(unwrap(await request(adminSocket, 'board:get', {})).calls[0])?.listeners).toEqual([]);

    // An honest offer from the same person still works, and hears the call.
    const peer = await listenTampered(repSocket, call.id, (offer) => offer);
    await streamUntilHeard(host, peer, frames);
  });

  it('attack: call:start with an unusable offer (hidden sections, a data channel, no usable candidate) stores no call and never shows it on the board', async () => {
    const { server, hostSocket, adminSocket } = await observedServer();
    const boards = collectBoards(adminSocket);
    const hostOffer = (await createHostPeer()).offerSdp;
    const attacks: Record<string, string> = {
      'hidden audio (port 0, bundle-only)': withHiddenSection(hostOffer, 'audio'),
      'hidden data channel (port 0, bundle-only)': withHiddenSection(hostOffer, 'application'),
      'data channel section': (await rawOffer({ audioSections: 1, dataChannel: true })).replace(/^a=recvonly/m, 'a=sendonly'),
      'only link-local candidates': onlyCandidates(hostOffer, ['a=candidate:1 1 UDP 2122194687 169.254.169.254 80 typ host']),
      'no media at all': 'v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n',
    };
    for (const [name, offer] of Object.entries(attacks)) {
      const reply = await request(hostSocket, 'call:start', { title: `Bad: ${name}`, policy: 'team', offer });
      expect(reply, name).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    }
    expect(await callRows(server)).toEqual([]);
    expect(server.registry.size).toBe(0);
    expect(unwrap(await request(adminSocket, 'board:get', {})).calls).toEqual([]);

    // The host is not left "already live": a good offer starts the call, and it is the first
    // call any board push ever showed.
    const { call } = await goLive(hostSocket, { title: 'Good call' });
    await new Promise<void>((resolve) => {
      const check = () => boards.some((b) => b.calls.some((c) => c.id === call.id)) && resolve();
      adminSocket.on('board:update', check);
      check();
    });
    const firstWithACall = boards.find((b) => b.calls.length > 0)!;
    expect(firstWithACall.calls.map((c) => openCall(c)?.title)).toEqual(['Good call']);
    expect(await callRows(server)).toEqual(['Good call']);
  });

  it("attack: a listener's ICE candidates cannot aim the server's checks at its own loopback or link-local addresses", async () => {
    // Control: a server bound to loopback (tests, one machine) does try a loopback candidate, so
    // the probe below would see the server's STUN checks if they were sent.
    {
      const { hostSocket, repSocket } = await observedServer();
      const { call } = await goLive(hostSocket);
      const service = await loopbackService();
      const peer = await createListenerPeer();
      onCleanup(() => peer.close());
      const offer = withCandidates(peer.offerSdp, [`a=candidate:99 1 UDP 2130706431 127.0.0.1 ${service.port} typ host`]);
      // The server's agent checks the offer's candidates whether or not the peer takes the answer.
      unwrap(await request(repSocket, 'listen:join', { callId: call.id, offer }));
      const stun = await service.next;
      expect(stun.readUInt16BE(0)).toBe(0x0001); // STUN Binding request
    }

    // A server bound to a non-loopback address never sends there.
    const { hostSocket, repSocket, adminSocket, lines } = await observedServer('0.0.0.0');
    const { host, call } = await goLive(hostSocket);
    const service = await loopbackService();
    const forbidden = [
      `a=candidate:99 1 UDP 2130706431 127.0.0.1 ${service.port} typ host`,
      `a=candidate:98 1 UDP 2130706430 ::ffff:127.0.0.1 ${service.port} typ host`,
      'a=candidate:97 1 UDP 2130706429 169.254.169.254 80 typ host',
      'a=candidate:96 1 UDP 2130706428 0.0.0.0 5432 typ host',
    ];
    const peer = await listenTampered(repSocket, call.id, (offer) => withCandidates(offer, forbidden));
    // ICE is done and audio flows over the listener's real candidates; the server's checks went
    // to the best-priority candidates first, and none reached the loopback service.
    await streamUntilHeard(host, peer, frames);
    expect(service.received).toEqual([]);
    expect(lines).toContainEqual(
      expect.objectContaining({ msg: 'offer ICE candidates dropped', dropped: { loopback: 2, 'link-local': 1, 'not-unicast': 1 } }),
    );

    // An offer left with no usable candidate at all is refused.
    const other = await createListenerPeer();
    onCleanup(() => other.close());
    const reply = await request(adminSocket, 'listen:join', { callId: call.id, offer: onlyCandidates(other.offerSdp, forbidden) });
    expect(reply).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringMatching(/no ICE candidate the server can use/) } });
  });

  it('attack: an offer with dozens of candidates has only the first 16 tried, and still connects', async () => {
    const { hostSocket, repSocket, lines } = await observedServer();
    const { host, call } = await goLive(hostSocket);
    // Loopback addresses (allowed on this loopback-bound server) where nothing listens.
    const flood = Array.from({ length: 60 }, (_, i) => `a=candidate:${100 + i} 1 UDP ${1000 + i} 127.0.1.${2 + i} 9 typ host`);
    let own = 0;
    const peer = await listenTampered(repSocket, call.id, (offer) => {
      own = offer.match(/^a=candidate:/gm)!.length;
      return offer.replace(/^a=end-of-candidates/m, flood.join('\r\n') + '\r\na=end-of-candidates');
    });
    await streamUntilHeard(host, peer, frames);
    expect(lines).toContainEqual(
      expect.objectContaining({ msg: 'offer ICE candidates dropped', kept: 16, dropped: { 'over-limit': 60 + own - 16 } }),
    );
  });

  it('attack: control characters in titles, account and people names are removed at the contract (socket.io and HTTP)', async () => {
    const { server, admin } = await serverWithTeam();
    const dirtyName = '\u202eRita\u0000 Rep\u001b[2J\r\n';
    const invite = unwrap((await api(server.url, routes.createInvite, { token: admin.token, body: { role: 'mentor' } })).result).invite;
    const signedUp = unwrap(
      (await api(server.url, routes.signup, { body: { inviteCode: invite.code, name: dirtyName, email: 'rita@acme.test', password: 'correct horse battery' } })).result,
    );
    expect(signedUp.user.name).toBe('Rita Rep[2J');
    const members = unwrap((await api(server.url, routes.members, { token: admin.token })).result).members;
    expect(members.find((m) => m.id === signedUp.user.id)?.name).toBe('Rita Rep[2J');

    const hostSocket = await socketFor(server, signedUp);
    const adminSocket = await socketFor(server, admin);
    const peer = await createHostPeer();
    onCleanup(() => peer.close());
    const started = unwrap(
      await request(hostSocket, 'call:start', {
        title: 'Renewal\u0000 with\r\nInitech\u2066 \u009b',
        account: '\u202bInit\u0007ech\u202c',
        policy: 'team',
        offer: peer.offerSdp,
      }),
    );
    expect(started.call).toMatchObject({ title: 'Renewal with Initech', account: 'Initech', hostName: 'Rita Rep[2J' });
    const board = unwrap(await request(adminSocket, 'board:get', {})).calls;
    expect(board).toEqual([expect.objectContaining({ title: 'Renewal with Initech', account: 'Initech', hostName: 'Rita Rep[2J' })]);
    expect(await callRows(server)).toEqual(['Renewal with Initech']);
  });
});
