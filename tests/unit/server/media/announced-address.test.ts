import { describe, expect, it } from 'vitest';
import { announceAddress, announceCandidate } from '../../../../server/media/announced-address';
import { parseSdp, attributeValues } from '../../../../server/media/sdp';

/** An answer as libdatachannel writes it (captured from node-datachannel 0.33 on a 2-address host). */
const ANSWER = [
  'v=0',
  'o=rtc 3451373250 0 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0',
  'a=msid-semantic:WMS *',
  'a=fingerprint:sha-256 B7:30:70:77:B6:B1:18:F6:EB:CB:A3:6B:23:60:10:E7:0C:62:52:98:29:FC:87:82:93:89:7E:8B:0F:3B:96:C1',
  'm=audio 60329 UDP/TLS/RTP/SAVPF 111',
  'c=IN IP4 192.0.2.2',
  'a=mid:0',
  'a=sendonly',
  'a=rtcp-mux',
  'a=rtpmap:111 opus/48000/2',
  'a=setup:active',
  'a=ice-ufrag:tYUl',
  'a=ice-pwd:1LawtKxg7uEuH3ZJIPanQg',
  'a=candidate:2 1 UDP 2116026111 fd00::2 60329 typ host',
  'a=candidate:1 1 UDP 2114977791 192.0.2.2 60329 typ host',
  'a=candidate:3 1 UDP 1677729535 198.51.100.9 61000 typ srflx raddr 192.0.2.2 rport 60329',
  'a=end-of-candidates',
  '',
].join('\r\n');

const candidates = (sdp: string) => attributeValues(parseSdp(sdp).media[0]!.attributes, 'candidate');

describe('announceAddress', () => {
  it('puts the host candidates on the announced address: one per port, the best priority', () => {
    const out = announceAddress(ANSWER, '203.0.113.7');
    expect(candidates(out)).toEqual([
      '2 1 UDP 2116026111 203.0.113.7 60329 typ host',
      // A server-reflexive candidate (from a STUN server) is the NAT's own word: untouched.
      '3 1 UDP 1677729535 198.51.100.9 61000 typ srflx raddr 192.0.2.2 rport 60329',
    ]);
    expect(out).toContain('\r\nc=IN IP4 203.0.113.7\r\n');
    expect(out).not.toMatch(/192\.0\.2\.2 60329 typ host|fd00::2/);
  });

  it('keeps every other line, in order, with the same line endings', () => {
    const out = announceAddress(ANSWER, '127.0.0.1');
    const strip = (sdp: string) => sdp.split('\r\n').filter((l) => !l.startsWith('a=candidate:') && !l.startsWith('c='));
    expect(strip(out)).toEqual(strip(ANSWER));
    expect(out.endsWith('\r\n')).toBe(true);
    expect(out.split('\r\n')).toHaveLength(ANSWER.split('\r\n').length - 1);
  });

  it('names an IPv6 announced address as IP6', () => {
    const out = announceAddress(ANSWER, '2001:db8::7');
    expect(out).toContain('c=IN IP6 2001:db8::7');
    expect(candidates(out)[0]).toBe('2 1 UDP 2116026111 2001:db8::7 60329 typ host');
  });

  it('keeps host candidates on different ports apart', () => {
    const twoPorts = ANSWER.replace('192.0.2.2 60329 typ host', '192.0.2.2 60330 typ host');
    expect(candidates(announceAddress(twoPorts, '203.0.113.7')).filter((c) => c.endsWith('typ host'))).toEqual([
      '2 1 UDP 2116026111 203.0.113.7 60329 typ host',
      '1 1 UDP 2114977791 203.0.113.7 60330 typ host',
    ]);
  });

  it('refuses something that is not an IP address', () => {
    expect(() => announceAddress(ANSWER, 'media.acme.test')).toThrow(/not an IP address/);
  });
});

describe('announceCandidate (trickled)', () => {
  it('moves a host candidate to the announced address, keyed by its (component, transport, port) group', () => {
    const a = announceCandidate('candidate:1 1 UDP 2114977791 10.0.0.5 40000 typ host', '203.0.113.9');
    const b = announceCandidate('candidate:2 1 udp 2116026111 fd00::2 40000 typ host', '203.0.113.9');
    expect(a?.value).toBe('candidate:1 1 UDP 2114977791 203.0.113.9 40000 typ host');
    // Same group: the caller sends only the first.
    expect(b?.key).toBe(a?.key);
    expect(announceCandidate('candidate:1 1 UDP 2114977791 10.0.0.5 40001 typ host', '203.0.113.9')?.key).not.toBe(a?.key);
  });

  it('passes server-reflexive and relay candidates unchanged; refuses what is not a candidate', () => {
    const srflx = 'candidate:3 1 UDP 1677729535 198.51.100.4 50000 typ srflx raddr 0.0.0.0 rport 0';
    expect(announceCandidate(srflx, '203.0.113.9')).toEqual({ value: srflx, key: srflx });
    expect(announceCandidate('a=candidate:1 1 UDP 1 10.0.0.5 4 typ host', '203.0.113.9')).toBeNull();
  });
});
