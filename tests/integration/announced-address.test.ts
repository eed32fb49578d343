import { afterEach, describe, expect, it } from 'vitest';
import { attributeValues, parseSdp } from '../../server/media/sdp';
import { rtpPayload } from '../../server/media/rtp';
import { encodeSineOpus } from '../helpers/opus';
import { goLive, listen, runCleanups, serverWithTeam, socketFor } from '../helpers/live-call';
import type { HostPeer, ListenerPeer } from '../helpers/rtc-peers';
import { addMember } from '../helpers/test-server';
import { freeUdpPort } from '../helpers/free-port';

afterEach(runCleanups);

const frames = encodeSineOpus({ frames: 100 });
const payloadHex = (packet: Uint8Array) => Buffer.from(rtpPayload(packet)).toString('hex');

/** The answer's host candidates as `address port`, and its connection line. */
function announced(sdp: string) {
  const section = parseSdp(sdp).media[0]!;
  const hosts = attributeValues(section.attributes, 'candidate')
    .map((c) => c.split(' '))
    .filter((f) => f[7] === 'host')
    .map((f) => `${f[4]} ${f[5]}`);
  const connection = section.lines.find((l) => l.startsWith('c='));
  return { hosts, connection };
}

/** A UDP port free on every interface now (for the server's ICE UDP mux). */

/** Streams Opus until the listener has `n` packets; checks each carries a payload the host sent. */
async function hearsHost(host: HostPeer, peer: ListenerPeer, n: number) {
  const sent = new Set<string>();
  let done = false;
  const got = peer.waitForPackets(n).finally(() => (done = true));
  for (let round = 0; round < 4 && !done; round++) for (const p of await host.sendOpus(frames)) sent.add(payloadHex(p));
  await got;
  for (const packet of peer.packets) expect(sent.has(payloadHex(packet))).toBe(true);
}

async function liveCallWithListener(options: Parameters<typeof serverWithTeam>[0]) {
  const { server, admin } = await serverWithTeam(options);
  const rep = await addMember(server.url, admin.token, 'Rita Rep', 'rep');
  const { host, call } = await goLive(await socketFor(server, admin));
  const peer = await listen(await socketFor(server, rep), call.id);
  return { host, peer };
}

describe('the announced media address (--announced-ip)', () => {
  it('answers with host candidates on the announced address only, and the listener connects to it', async () => {
    const { host, peer } = await liveCallWithListener({ announcedIp: '127.0.0.1' });
    // Without the setting libjuice names the machine's interface addresses, never loopback:
    // every host candidate on 127.0.0.1 is the rewrite at work.
    for (const answer of [host.answerSdp!, peer.answerSdp!]) {
      const { hosts, connection } = announced(answer);
      expect(hosts.length).toBeGreaterThan(0);
      for (const h of hosts) expect(h).toMatch(/^127\.0\.0\.1 \d+$/);
      expect(connection).toBe('c=IN IP4 127.0.0.1');
    }
    await hearsHost(host, peer, 50);
    const pair = peer.selectedCandidatePair();
    expect(pair?.remote.address).toBe('127.0.0.1');
    expect(announced(peer.answerSdp!).hosts).toContain(`127.0.0.1 ${pair?.remote.port}`);
  });

  it('with one UDP mux port: one host candidate, the announced address on that port', async () => {
    const udpPort = await freeUdpPort();
    const { host, peer } = await liveCallWithListener({ announcedIp: '127.0.0.1', rtcUdpPort: udpPort });
    expect(announced(peer.answerSdp!).hosts).toEqual([`127.0.0.1 ${udpPort}`]);
    expect(announced(host.answerSdp!).hosts).toEqual([`127.0.0.1 ${udpPort}`]);
    await hearsHost(host, peer, 50);
    expect(peer.selectedCandidatePair()?.remote).toMatchObject({ address: '127.0.0.1', port: udpPort });
  });

  it('without the setting, answers name the interfaces’ own addresses (the embedded default is unchanged)', async () => {
    const { host, peer } = await liveCallWithListener({});
    for (const h of announced(peer.answerSdp!).hosts) expect(h).not.toMatch(/^127\.0\.0\.1 /);
    await hearsHost(host, peer, 20);
  });
});
