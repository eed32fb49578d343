import { describe, expect, it } from 'vitest';
import { BullpenError } from '../../../../contract/result';
import { candidatePolicyFor } from '../../../../server/media/ice-candidates';
import {
  checkHostOffer,
  checkListenerOffer,
  findOpusPayloadType,
  fmtpFor,
  mediaDirection,
  parseSdp,
  withStereo,
} from '../../../../server/media/sdp';

/** A real offer from Chromium 156 publishing a (fake) microphone, sendonly transceiver. */
const CHROME_OFFER = [
  'v=0',
  'o=- 2583679505434245587 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0',
  'a=extmap-allow-mixed',
  'a=msid-semantic: WMS',
  'm=audio 52574 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126',
  'c=IN IP4 192.0.2.2',
  'a=rtcp:9 IN IP4 0.0.0.0',
  'a=candidate:701008360 1 udp 2122194687 192.0.2.2 52574 typ host generation 0 network-id 1',
  'a=candidate:784000344 1 udp 2122265343 fd00::2 52522 typ host generation 0 network-id 2',
  'a=candidate:1460104048 1 tcp 1518214911 192.0.2.2 9 typ host tcptype active generation 0 network-id 1',
  'a=candidate:1349846976 1 tcp 1518285567 fd00::2 9 typ host tcptype active generation 0 network-id 2',
  'a=ice-ufrag:HBsa',
  'a=ice-pwd:dZyP9P8nuPRmHhCtnbHTHxIx',
  'a=ice-options:trickle',
  'a=fingerprint:sha-256 68:97:C5:73:49:B7:67:79:9E:A3:FE:EC:57:D8:9F:B1:0D:87:CB:1F:92:08:A6:F7:14:31:10:80:5D:6A:73:A7',
  'a=setup:actpass',
  'a=mid:0',
  'a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level',
  'a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time',
  'a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01',
  'a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid',
  'a=sendonly',
  'a=msid:- 52e5f78a-93ff-428f-85c5-971f048d587d',
  'a=rtcp-mux',
  'a=rtcp-rsize',
  'a=rtcp-xr:rcvr-rtt=all',
  'a=rtpmap:111 opus/48000/2',
  'a=rtcp-fb:111 transport-cc',
  'a=fmtp:111 minptime=10;useinbandfec=1',
  'a=rtpmap:63 red/48000/2',
  'a=fmtp:63 111/111',
  'a=rtpmap:9 G722/8000',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:13 CN/8000',
  'a=rtpmap:110 telephone-event/48000',
  'a=rtpmap:126 telephone-event/8000',
  'a=ssrc:1315421243 cname:AzAw5elGXGdzBB7A',
  'a=ssrc:1315421243 msid:- 52e5f78a-93ff-428f-85c5-971f048d587d',
].join('\r\n') + '\r\n';

/** A real offer from Chromium (headless, Debian) for `addTransceiver('audio', { direction: 'recvonly' })`. */
const CHROME_LISTENER_OFFER = [
  'v=0',
  'o=- 8755679517563243287 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0',
  'a=extmap-allow-mixed',
  'a=msid-semantic: WMS',
  'm=audio 40802 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126',
  'c=IN IP4 192.0.2.2',
  'a=rtcp:9 IN IP4 0.0.0.0',
  'a=candidate:1085486567 1 udp 2122194687 192.0.2.2 40802 typ host generation 0 network-id 1',
  'a=candidate:2346054663 1 udp 2122265343 fd00::2 54846 typ host generation 0 network-id 2',
  'a=candidate:3189367155 1 tcp 1518214911 192.0.2.2 9 typ host tcptype active generation 0 network-id 1',
  'a=candidate:1971265683 1 tcp 1518285567 fd00::2 9 typ host tcptype active generation 0 network-id 2',
  'a=ice-ufrag:sFMc',
  'a=ice-pwd:J9B2PLebTnz7E+HP8Mw7Joeg',
  'a=ice-options:trickle',
  'a=fingerprint:sha-256 2D:F1:E3:E1:C0:19:F0:6E:4C:82:00:49:BB:C9:0F:61:61:51:DF:AD:F7:B6:8E:8E:FB:88:AC:DA:EA:A2:C6:27',
  'a=setup:actpass',
  'a=mid:0',
  'a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level',
  'a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time',
  'a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01',
  'a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid',
  'a=recvonly',
  'a=rtcp-mux',
  'a=rtcp-rsize',
  'a=rtcp-xr:rcvr-rtt=all',
  'a=rtpmap:111 opus/48000/2',
  'a=rtcp-fb:111 transport-cc',
  'a=fmtp:111 minptime=10;useinbandfec=1',
  'a=rtpmap:63 red/48000/2',
  'a=fmtp:63 111/111',
  'a=rtpmap:9 G722/8000',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:13 CN/8000',
  'a=rtpmap:110 telephone-event/48000',
  'a=rtpmap:126 telephone-event/8000',
].join('\r\n') + '\r\n';

const LISTENER_OFFER = [
  'v=0',
  'o=- 1 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111',
  'c=IN IP4 0.0.0.0',
  'a=mid:0',
  'a=recvonly',
  'a=rtcp-mux',
  'a=rtpmap:111 opus/48000/2',
  'a=fmtp:111 minptime=10;useinbandfec=1',
  'a=ice-ufrag:abcd',
  'a=ice-pwd:abcdefghijklmnopqrstuvwx',
  'a=fingerprint:sha-256 00:11',
  'a=setup:actpass',
  'a=candidate:1 1 UDP 2114977791 192.0.2.7 48743 typ host',
  'a=end-of-candidates',
].join('\r\n');

function expectBadRequest(fn: () => unknown, message: RegExp): void {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(BullpenError);
    expect((err as BullpenError).code).toBe('BAD_REQUEST');
    expect((err as BullpenError).message).toMatch(message);
    return;
  }
  throw new Error('expected a BAD_REQUEST');
}

describe('sdp', () => {
  it("reads Chrome's offer", () => {
    const offer = checkHostOffer(CHROME_OFFER);
    expect(offer).toMatchObject({
      mid: '0',
      opusPayloadType: 111,
      opusFmtp: 'minptime=10;useinbandfec=1',
      direction: 'sendonly',
      ssrcs: [1315421243],
      // Chrome's TCP candidates are of no use to libjuice (ICE over UDP only).
      candidates: { kept: 2, dropped: { 'not-udp': 2 } },
    });
    // The rebuilt offer is the original without the TCP candidates.
    const withoutTcp = CHROME_OFFER.split('\r\n').filter((l) => !/^a=candidate:\S+ 1 tcp /.test(l)).join('\r\n');
    expect(offer.sdp).toBe(withoutTcp);
  });

  it('parses sections, directions, Opus and fmtp', () => {
    const parsed = parseSdp(CHROME_OFFER);
    expect(parsed.media).toHaveLength(1);
    const audio = parsed.media[0]!;
    expect(audio.kind).toBe('audio');
    expect(audio.formats).toEqual(['111', '63', '9', '0', '8', '13', '110', '126']);
    expect(mediaDirection(audio)).toBe('sendonly');
    expect(findOpusPayloadType(audio)).toBe(111);
    expect(fmtpFor(audio, 63)).toBe('111/111');
    expect(fmtpFor(audio, 9)).toBe('');
  });

  it('finds Opus under another payload type (Firefox uses 109)', () => {
    const sdp = CHROME_OFFER.replace('m=audio 52574 UDP/TLS/RTP/SAVPF 111 63', 'm=audio 52574 UDP/TLS/RTP/SAVPF 109 63')
      .replace('a=rtpmap:111 opus/48000/2', 'a=rtpmap:109 opus/48000/2')
      .replace('a=fmtp:111 minptime=10;useinbandfec=1', 'a=fmtp:109 maxplaybackrate=48000;stereo=1;useinbandfec=1');
    const offer = checkHostOffer(sdp);
    expect(offer.opusPayloadType).toBe(109);
    expect(offer.opusFmtp).toBe('maxplaybackrate=48000;stereo=1;useinbandfec=1');
  });

  it('sets stereo in fmtp, replacing existing values', () => {
    expect(withStereo('minptime=10;useinbandfec=1')).toBe('minptime=10;useinbandfec=1;stereo=1;sprop-stereo=1');
    expect(withStereo('')).toBe('stereo=1;sprop-stereo=1');
    expect(withStereo('stereo=0; useinbandfec=1;sprop-stereo=0')).toBe('useinbandfec=1;stereo=1;sprop-stereo=1');
  });

  it('refuses offers that do not send exactly one Opus audio track', () => {
    expectBadRequest(() => checkHostOffer('hello'), /not an SDP/);
    expectBadRequest(() => checkHostOffer(CHROME_OFFER.replace('a=sendonly', 'a=recvonly')), /must send audio/);
    expectBadRequest(() => checkHostOffer(CHROME_OFFER.replace('a=sendonly', 'a=inactive')), /must send audio/);
    expectBadRequest(
      () => checkHostOffer(CHROME_OFFER.replace('a=rtpmap:111 opus/48000/2', 'a=rtpmap:111 PCMU/8000')),
      /Opus/,
    );
    expectBadRequest(() => checkHostOffer(CHROME_OFFER.replace(/a=ssrc:.*\r\n/g, '')), /SSRC/);
    expectBadRequest(() => checkHostOffer(CHROME_OFFER.replace('a=mid:0\r\n', '')), /a=mid/);
    const twoAudio = CHROME_OFFER + CHROME_OFFER.slice(CHROME_OFFER.indexOf('m=audio')).replace('a=mid:0', 'a=mid:1');
    expectBadRequest(() => checkHostOffer(twoAudio), /exactly one audio section and nothing else \(found audio, audio\)/);
    const withVideo = CHROME_OFFER + 'm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:1\r\na=rtpmap:96 VP8/90000\r\n';
    expectBadRequest(() => checkHostOffer(withVideo), /found audio, video/);
    const noAudio = CHROME_OFFER.replace('m=audio', 'm=video');
    expectBadRequest(() => checkHostOffer(noAudio), /found video/);
    expectBadRequest(() => checkHostOffer(CHROME_OFFER.replace('UDP/TLS/RTP/SAVPF', 'RTP/AVP')), /not DTLS-SRTP/);
  });

  it('refuses hidden sections: disabled (port 0), bundle-only, data channels', () => {
    const hiddenAudio = CHROME_OFFER.replace('a=group:BUNDLE 0', 'a=group:BUNDLE 0 1') +
      'm=audio 0 UDP/TLS/RTP/SAVPF 111\r\na=bundle-only\r\na=mid:1\r\na=recvonly\r\na=rtpmap:111 opus/48000/2\r\n';
    expectBadRequest(() => checkHostOffer(hiddenAudio), /nothing else \(found audio, audio \(port 0\)\)/);
    const dataChannel = CHROME_OFFER + 'm=application 0 UDP/DTLS/SCTP webrtc-datachannel\r\na=bundle-only\r\na=mid:1\r\na=sctp-port:5000\r\n';
    expectBadRequest(() => checkHostOffer(dataChannel), /found audio, application \(port 0\)/);
    expectBadRequest(() => checkHostOffer(dataChannel.replace('m=application 0', 'm=application 9')), /found audio, application\)/);
    const rejectedVideo = CHROME_OFFER + 'm=video 0 UDP/TLS/RTP/SAVPF 96\r\na=mid:1\r\n';
    expectBadRequest(() => checkHostOffer(rejectedVideo), /video \(port 0\)/);
    // The audio section itself disabled or bundle-only, or a BUNDLE group naming a missing section.
    expectBadRequest(() => checkHostOffer(CHROME_OFFER.replace('a=mid:0', 'a=mid:0\r\na=bundle-only')), /disabled/);
    expectBadRequest(() => checkHostOffer(CHROME_OFFER.replace('a=group:BUNDLE 0', 'a=group:BUNDLE 0 1')), /bundles a section/);
    // Ambiguities two parsers could read differently.
    expectBadRequest(() => checkHostOffer(CHROME_OFFER.replace('a=mid:0', 'a=mid:0\r\na=mid:1')), /more than one a=mid/);
    expectBadRequest(() => checkListenerOffer(LISTENER_OFFER.replace('a=recvonly', 'a=recvonly\r\na=sendrecv')), /more than one direction/);
    // Every listener variant too.
    expectBadRequest(() => checkListenerOffer(LISTENER_OFFER + '\r\nm=application 0 UDP/DTLS/SCTP webrtc-datachannel\r\na=mid:1'), /application \(port 0\)/);
  });

  it('parses strictly: a line that is not SDP, or carries control characters, is refused', () => {
    expectBadRequest(() => parseSdp(CHROME_OFFER.replace('a=mid:0', ' m=application 9 UDP/DTLS/SCTP webrtc-datachannel')), /line \d+ is not a valid SDP line/);
    // A lone CR would split the line for one parser and not for another.
    expectBadRequest(() => parseSdp(CHROME_OFFER.replace('a=mid:0\r\n', 'a=mid:0\rm=application 9 UDP/DTLS/SCTP x\r\n')), /not a valid SDP line/);
    expectBadRequest(() => parseSdp(CHROME_OFFER.replace('a=mid:0', 'a=mid:0\u0000')), /not a valid SDP line/);
    expectBadRequest(() => parseSdp(CHROME_OFFER.replace('m=audio 52574', 'm=audio 99999')), /not a valid m= line/);
    expectBadRequest(() => parseSdp(CHROME_OFFER.replace('m=audio 52574 UDP/TLS/RTP/SAVPF', 'm=audio  UDP')), /not a valid m= line/);
  });

  it('uses the session-level direction when a section has none', () => {
    const sdp = CHROME_OFFER.replace('a=sendonly\r\n', '').replace('t=0 0\r\n', 't=0 0\r\na=sendonly\r\n');
    expect(checkHostOffer(sdp).direction).toBe('sendonly');
    // No direction anywhere means sendrecv, which is acceptable for a host.
    expect(checkHostOffer(CHROME_OFFER.replace('a=sendonly\r\n', '')).direction).toBe('sendrecv');
  });

  it("accepts Chromium's own receive-only offer as it is, but for its TCP candidates", () => {
    const offer = checkListenerOffer(CHROME_LISTENER_OFFER, candidatePolicyFor('0.0.0.0'));
    expect(offer).toMatchObject({ mid: '0', opusPayloadType: 111, direction: 'recvonly', candidates: { kept: 2, dropped: { 'not-udp': 2 } } });
    expect(offer.sdp).toBe(CHROME_LISTENER_OFFER.replace(/a=candidate:\d+ 1 tcp .*\r\n/g, ''));
  });

  it('accepts recvonly listener offers only: sendrecv, sendonly and inactive are refused', () => {
    expect(checkListenerOffer(LISTENER_OFFER)).toMatchObject({
      mid: '0',
      opusPayloadType: 111,
      opusFmtp: 'minptime=10;useinbandfec=1',
      direction: 'recvonly',
      candidates: { kept: 1, dropped: {} },
    });
    expectBadRequest(() => checkListenerOffer(LISTENER_OFFER.replace('recvonly', 'sendrecv')), /must be recvonly \(direction is sendrecv\)/);
    // No direction anywhere means sendrecv.
    expectBadRequest(() => checkListenerOffer(LISTENER_OFFER.replace('a=recvonly\r\n', '')), /sendrecv/);
    expectBadRequest(() => checkListenerOffer(LISTENER_OFFER.replace('recvonly', 'sendonly')), /sendonly/);
    expectBadRequest(() => checkListenerOffer(LISTENER_OFFER.replace('recvonly', 'inactive')), /inactive/);
    expectBadRequest(() => checkListenerOffer(LISTENER_OFFER.replace('opus', 'PCMA')), /Opus/);
    expectBadRequest(() => checkListenerOffer(LISTENER_OFFER.replace('a=mid:0\r\n', '')), /mid/);
    expectBadRequest(() => checkListenerOffer(LISTENER_OFFER.replace('m=audio 9', 'm=audio 0')), /disabled/);
    expectBadRequest(() => checkListenerOffer('v=1'), /not an SDP/);
  });

  it('strips candidates the server must not try and refuses an offer left with none', () => {
    const strict = candidatePolicyFor('0.0.0.0');
    const withLoopback = LISTENER_OFFER.replace(
      'a=candidate:1 1',
      'a=candidate:9 1 udp 2130706431 127.0.0.1 5432 typ host\r\na=candidate:8 1 udp 2130706431 169.254.169.254 53 typ host\r\na=candidate:1 1',
    );
    const offer = checkListenerOffer(withLoopback, strict);
    expect(offer.candidates).toEqual({ kept: 1, dropped: { loopback: 1, 'link-local': 1 } });
    expect(offer.sdp).not.toMatch(/127\.0\.0\.1 5432|169\.254/);
    expect(offer.sdp).toContain('a=candidate:1 1 UDP 2114977791 192.0.2.7 48743 typ host');
    // A server bound to loopback (tests, one machine) may try loopback candidates.
    expect(checkListenerOffer(withLoopback, candidatePolicyFor('127.0.0.1')).candidates.kept).toBe(2);

    const onlyForbidden = withLoopback.replace(/a=candidate:1 1 .*\r\n/, '');
    expectBadRequest(() => checkListenerOffer(onlyForbidden, strict), /no ICE candidate the server can use \(1 loopback, 1 link-local\)/);
    // No candidates at all: fine from a trickling client (they follow one by one), refused otherwise.
    const bare = LISTENER_OFFER.replace(/a=candidate:.*\r\n/, '');
    expectBadRequest(() => checkListenerOffer(bare, strict), /\(it has none\)/);
    const trickling = bare.replace('a=setup:actpass', 'a=setup:actpass\r\na=ice-options:trickle');
    expect(checkListenerOffer(trickling, strict).candidates).toEqual({ kept: 0, dropped: {} });
    // Only mDNS names: the browser hides its address; its checks reach us as peer-reflexive.
    const mdnsOnly = LISTENER_OFFER.replace('192.0.2.7', '0f612a90-ee2e-4785-b9b7-72f8434cba27.local');
    expect(checkListenerOffer(mdnsOnly, strict).candidates).toEqual({ kept: 0, dropped: { mdns: 1 } });
    // Session-level candidates are not SDP: dropped.
    const sessionLevel = LISTENER_OFFER.replace('t=0 0', 't=0 0\r\na=candidate:5 1 udp 1 192.0.2.9 1 typ host');
    expect(checkListenerOffer(sessionLevel, strict).sdp).not.toContain('192.0.2.9');
  });

  it('tries at most 16 candidates of one offer', () => {
    const many = Array.from({ length: 40 }, (_, i) => `a=candidate:${i} 1 udp ${2_000_000_000 - i} 192.0.2.${i + 10} 40000 typ host`).join('\r\n');
    const offer = checkListenerOffer(LISTENER_OFFER.replace(/a=candidate:.*\r\n/, many + '\r\n'));
    expect(offer.candidates).toEqual({ kept: 16, dropped: { 'over-limit': 24 } });
    expect(offer.sdp.match(/^a=candidate:/gm)).toHaveLength(16);
    expect(offer.sdp).toContain('192.0.2.25 40000');
    expect(offer.sdp).not.toContain('192.0.2.26 40000');
  });
});
