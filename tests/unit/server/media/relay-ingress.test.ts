/**
 * The relay ingress over real UDP sockets on loopback: a "client" socket stands for a TURN
 * relay's allocation, a "libjuice" socket for the connection's ICE agent. The checks are the
 * RFC 5769 sample messages, signed with the sample password. (Chromium and coturn through the
 * ingress: tests/e2e/turn-relay.spec.ts.)
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../../server/logger';
import { RelayIngress } from '../../../../server/media/relay-ingress';
import { hasValidIntegrity, resign } from '../../../../server/media/stun-message';

const PASSWORD = 'VOkJxbRl1RmTxUk/WvJxBt';
/** RFC 5769 2.1 as published (ICE-CONTROLLED 0x932ff9b151263b36). */
const RFC_CHECK =
  '000100582112a442b7e7a701bc34d686fa87dfae802200105354554e207465737420636c69656e74002400046e0001ff80290008932ff9b151263b36' +
  '000600096576746a3a68367659202020000800149aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a280280004e57a3bcf';
/** RFC 5769 2.1, addressed to ufrag `evtj`, with its ICE-CONTROLLED tiebreaker set to 0. */
function zeroTiebreakerCheck(): Buffer {
  const packet = Buffer.from(
    '000100582112a442b7e7a701bc34d686fa87dfae802200105354554e207465737420636c69656e74' +
      '002400046e0001ff80290008000000000000000000060009657674' +
      '6a3a683676592020200008001400000000000000000000000000000000000000008028000400000000',
    'hex',
  );
  resign(packet, PASSWORD);
  return packet;
}
/** RFC 5769 2.2, the success response (mapped address 192.0.2.1:32853). */
const RESPONSE = Buffer.from(
  '0101003c2112a442b7e7a701bc34d686fa87dfae8022000b7465737420766563746f7220' +
    '002000080001a147e112a64300080014' +
    '2b91f599fd9e90c38c7489f92af9ba53f06be7d780280004c07d4c96',
  'hex',
);

const open: { close(): void }[] = [];
afterEach(() => {
  for (const thing of open.splice(0)) thing.close();
});

async function udp(): Promise<Socket> {
  const socket = createSocket('udp4');
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  open.push(socket);
  return socket;
}

function nextMessage(socket: Socket): Promise<[Buffer, RemoteInfo]> {
  return once(socket, 'message') as Promise<[Buffer, RemoteInfo]>;
}

function answer(libjuicePort: number, address = '192.0.2.10'): string {
  return [
    'v=0', 'o=rtc 1 0 IN IP4 127.0.0.1', 's=-', 't=0 0', 'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'c=IN IP4 192.0.2.10',
    'a=ice-ufrag:evtj', `a=ice-pwd:${PASSWORD}`,
    `a=candidate:1 1 UDP 2122317823 ${address} ${libjuicePort} typ host`,
    'a=end-of-candidates', '',
  ].join('\r\n');
}

async function setup(idleMs?: number) {
  const ingress = await RelayIngress.open({ log: createLogger({ level: 'silent' }), ...(idleMs ? { idleMs } : {}) });
  open.push(ingress);
  const libjuice = await udp();
  const client = await udp();
  const connection = new AbortController();
  const sdp = ingress.expose(answer(libjuice.address().port), connection.signal);
  return { ingress, libjuice, client, connection, sdp };
}

describe('RelayIngress', () => {
  it('offers one more host candidate per IPv4 host address, on its port and below the real ones', async () => {
    const { ingress, sdp, libjuice } = await setup();
    const candidates = sdp.split('\r\n').filter((l) => l.startsWith('a=candidate:'));
    expect(candidates).toEqual([
      `a=candidate:1 1 UDP 2122317823 192.0.2.10 ${libjuice.address().port} typ host`,
      `a=candidate:relayin0 1 UDP ${(100 << 24) + (65_535 << 8) + 255} 192.0.2.10 ${ingress.port} typ host`,
    ]);
    expect(sdp.split('\r\n').indexOf('a=end-of-candidates')).toBe(sdp.split('\r\n').indexOf(candidates[1]!) + 1);
    // Nothing to route without ICE credentials: unchanged.
    const bare = 'v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n';
    expect(ingress.expose(bare, new AbortController().signal)).toBe(bare);
  });

  it('hands a genuine check to the connection with its zero tiebreaker repaired, and the answer back with the relay address', async () => {
    const { ingress, libjuice, client } = await setup();
    const arrived = nextMessage(libjuice);
    client.send(zeroTiebreakerCheck(), ingress.port, '127.0.0.1');
    const [check, leg] = await arrived;
    expect(check.readBigUInt64BE(52)).toBe(1n);
    expect(hasValidIntegrity(check, PASSWORD)).toBe(true);
    expect(leg.address).toBe('127.0.0.1');
    expect(leg.port).not.toBe(client.address().port);

    // libjuice answers the leg; the client gets the answer from the ingress port, saying it saw
    // the check come from the client's own address.
    const back = nextMessage(client);
    libjuice.send(Buffer.from(RESPONSE), leg.port, leg.address);
    const [reply, from] = await back;
    expect(from.port).toBe(ingress.port);
    expect(reply.readUInt16BE(42) ^ 0x2112).toBe(client.address().port);
    expect(hasValidIntegrity(reply, PASSWORD)).toBe(true);
    // Media (not STUN) passes both ways untouched, on the same leg.
    const media = Buffer.from('8000000100000002000000031122334455', 'hex');
    const forward = nextMessage(libjuice);
    client.send(media, ingress.port, '127.0.0.1');
    const [forwarded, sameLeg] = await forward;
    expect(forwarded.equals(media)).toBe(true);
    expect(sameLeg.port).toBe(leg.port);
    expect(ingress.stats).toMatchObject({ connections: 1, legs: 1, repaired: 1, refused: 0 });
  });

  it('refuses: a check signed with another password, one for a connection it never answered, one that needs no repair, and media from nobody', async () => {
    const { ingress, libjuice, client } = await setup();
    // RFC 5769's own check, tiebreaker and all: libjuice takes it on the real candidate.
    client.send(Buffer.from(RFC_CHECK, 'hex'), ingress.port, '127.0.0.1');
    const forged = zeroTiebreakerCheck();
    resign(forged, 'not the ice password at all');
    client.send(forged, ingress.port, '127.0.0.1');
    const stranger = zeroTiebreakerCheck();
    stranger.write('zzzz', 64, 'utf8'); // USERNAME zzzz:h6vY
    resign(stranger, PASSWORD);
    client.send(stranger, ingress.port, '127.0.0.1');
    client.send(Buffer.from('80000001000000020000000311', 'hex'), ingress.port, '127.0.0.1');
    // A genuine check afterwards is the first thing libjuice sees.
    const arrived = nextMessage(libjuice);
    client.send(zeroTiebreakerCheck(), ingress.port, '127.0.0.1');
    const [first] = await arrived;
    expect(hasValidIntegrity(first, PASSWORD)).toBe(true);
    expect(ingress.stats).toMatchObject({ legs: 1, refused: 4 });
  });

  it('closes the connection’s paths when the connection closes, and opens none for it afterwards', async () => {
    const { ingress, libjuice, client, connection } = await setup();
    const arrived = nextMessage(libjuice);
    client.send(zeroTiebreakerCheck(), ingress.port, '127.0.0.1');
    await arrived;
    expect(ingress.stats).toMatchObject({ connections: 1, legs: 1 });
    connection.abort();
    expect(ingress.stats).toMatchObject({ connections: 0, legs: 0 });
    client.send(zeroTiebreakerCheck(), ingress.port, '127.0.0.1');
    await expect.poll(() => ingress.stats.refused).toBe(1);
    expect(ingress.stats.legs).toBe(0);
  });

  it('closes a path that has been quiet for the idle time', async () => {
    const { ingress, libjuice, client } = await setup(50);
    const arrived = nextMessage(libjuice);
    client.send(zeroTiebreakerCheck(), ingress.port, '127.0.0.1');
    await arrived;
    expect(ingress.stats.legs).toBe(1);
    await expect.poll(() => ingress.stats.legs).toBe(0);
    expect(ingress.stats.connections).toBe(1);
  });
});
