import { describe, expect, it } from 'vitest';
import {
  candidateDropReason,
  candidatePolicyFor,
  filterCandidates,
  STRICT_CANDIDATE_POLICY,
} from '../../../../server/media/ice-candidates';

const host = (address: string, port = 40_000, extra = ''): string => `1 1 udp 2122194687 ${address} ${port} typ host${extra}`;

describe('ice-candidates', () => {
  it('keeps what real clients send: host, server-reflexive and relay candidates on unicast addresses', () => {
    const strict = STRICT_CANDIDATE_POLICY;
    expect(candidateDropReason(host('192.0.2.2', 52_574, ' generation 0 network-id 1'), strict)).toBeNull();
    expect(candidateDropReason('2 1 UDP 2116026111 fd00::2 48743 typ host', strict)).toBeNull();
    expect(candidateDropReason('3 1 udp 1686052607 203.0.113.9 61000 typ srflx raddr 192.168.1.4 rport 61000', strict)).toBeNull();
    expect(candidateDropReason('4 1 udp 41885439 198.51.100.3 3478 typ relay raddr 0.0.0.0 rport 0', strict)).toBeNull();
    expect(candidateDropReason(host('10.1.2.3'), strict)).toBeNull();
    expect(candidateDropReason(host('2001:db8::5'), strict)).toBeNull();
  });

  it("refuses the server's own loopback and link-local addresses, and never-unicast ones", () => {
    const strict = STRICT_CANDIDATE_POLICY;
    expect(candidateDropReason(host('127.0.0.1', 6379), strict)).toBe('loopback');
    expect(candidateDropReason(host('127.9.9.9'), strict)).toBe('loopback');
    expect(candidateDropReason(host('::1'), strict)).toBe('loopback');
    expect(candidateDropReason(host('::ffff:127.0.0.1'), strict)).toBe('loopback');
    expect(candidateDropReason(host('::ffff:7f00:1'), strict)).toBe('loopback');
    expect(candidateDropReason(host('169.254.169.254', 80), strict)).toBe('link-local');
    expect(candidateDropReason(host('fe80::1'), strict)).toBe('link-local');
    expect(candidateDropReason(host('fe80::1%eth0'), strict)).toBe('link-local');
    // 0.0.0.0 reaches the local host on Linux.
    expect(candidateDropReason(host('0.0.0.0'), strict)).toBe('not-unicast');
    expect(candidateDropReason(host('0.1.2.3'), strict)).toBe('not-unicast');
    expect(candidateDropReason(host('::'), strict)).toBe('not-unicast');
    expect(candidateDropReason(host('224.0.0.251'), strict)).toBe('not-unicast');
    expect(candidateDropReason(host('255.255.255.255'), strict)).toBe('not-unicast');
    expect(candidateDropReason(host('ff02::1'), strict)).toBe('not-unicast');
  });

  it('drops what the server cannot use or must not resolve', () => {
    const strict = STRICT_CANDIDATE_POLICY;
    expect(candidateDropReason('1 1 tcp 1518214911 192.0.2.2 9 typ host tcptype active', strict)).toBe('not-udp');
    expect(candidateDropReason('1 2 udp 2122194686 192.0.2.2 40001 typ host', strict)).toBe('not-rtp-component');
    expect(candidateDropReason(host('0f612a90-ee2e-4785-b9b7-72f8434cba27.local'), strict)).toBe('mdns');
    expect(candidateDropReason(host('metadata.google.internal'), strict)).toBe('hostname');
    expect(candidateDropReason(host('localhost'), strict)).toBe('hostname');
    expect(candidateDropReason(host('192.0.2.2', 0), strict)).toBe('malformed');
    expect(candidateDropReason(host('192.0.2.2', 70_000), strict)).toBe('malformed');
    expect(candidateDropReason('1 1 udp 99999999999 192.0.2.2 5000 typ host', strict)).toBe('malformed');
    expect(candidateDropReason('1 1 udp 1 192.0.2.2 5000 typ bogus', strict)).toBe('malformed');
    expect(candidateDropReason('garbage', strict)).toBe('malformed');
  });

  it('allows loopback or link-local only to a server bound there', () => {
    expect(candidatePolicyFor('127.0.0.1')).toMatchObject({ allowLoopback: true, allowLinkLocal: false });
    expect(candidatePolicyFor('::1')).toMatchObject({ allowLoopback: true, allowLinkLocal: false });
    expect(candidatePolicyFor('localhost')).toMatchObject({ allowLoopback: true });
    expect(candidatePolicyFor('169.254.10.1')).toMatchObject({ allowLoopback: false, allowLinkLocal: true });
    for (const wildcardOrPublic of ['0.0.0.0', '::', '192.0.2.2', 'bullpen.example.com']) {
      expect(candidatePolicyFor(wildcardOrPublic)).toMatchObject({ allowLoopback: false, allowLinkLocal: false });
    }
    const onLoopback = candidatePolicyFor('127.0.0.1');
    expect(candidateDropReason(host('127.0.0.1'), onLoopback)).toBeNull();
    expect(candidateDropReason(host('169.254.169.254'), onLoopback)).toBe('link-local');
    expect(candidateDropReason(host('fe80::1'), candidatePolicyFor('169.254.10.1'))).toBeNull();
  });

  it('keeps at most maxCandidates, in the offer order, and counts the rest', () => {
    const values = ['1 1 tcp 1 192.0.2.2 9 typ host', ...Array.from({ length: 6 }, (_, i) => host(`192.0.2.${i + 1}`)), host('127.0.0.1')];
    const result = filterCandidates(values, { ...STRICT_CANDIDATE_POLICY, maxCandidates: 4 });
    expect(result.kept).toEqual([1, 2, 3, 4].map((i) => host(`192.0.2.${i}`)));
    expect(result.dropped).toEqual({ 'not-udp': 1, 'over-limit': 2, loopback: 1 });
    expect(filterCandidates([], STRICT_CANDIDATE_POLICY)).toEqual({ kept: [], dropped: {} });
  });
});
