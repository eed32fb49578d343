import { describe, expect, it } from 'vitest';
import { withOpusStereo } from '../../../../renderer/src/media/sdp';

const offer = [
  'v=0',
  'o=- 1 2 IN IP4 127.0.0.1',
  's=-',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111 63 0',
  'a=rtpmap:111 opus/48000/2',
  'a=fmtp:111 minptime=10;useinbandfec=1',
  'a=rtpmap:63 red/48000/2',
  'a=fmtp:63 111/111',
  'a=rtpmap:0 PCMU/8000',
  '',
].join('\r\n');

describe('withOpusStereo', () => {
  it('adds stereo=1;sprop-stereo=1 to the Opus fmtp line and leaves other formats alone', () => {
    const out = withOpusStereo(offer).split('\r\n');
    expect(out).toContain('a=fmtp:111 minptime=10;useinbandfec=1;stereo=1;sprop-stereo=1');
    expect(out).toContain('a=fmtp:63 111/111');
    expect(out.filter((l) => l.startsWith('a=fmtp:')).length).toBe(2);
  });

  it('keeps CRLF or LF as the description had it', () => {
    expect(withOpusStereo(offer)).toContain('\r\n');
    const lf = withOpusStereo(offer.replaceAll('\r\n', '\n'));
    expect(lf).not.toContain('\r');
    expect(lf).toContain('a=fmtp:111 minptime=10;useinbandfec=1;stereo=1;sprop-stereo=1\n');
  });

  it('is idempotent and respects parameters already set (even to 0)', () => {
    const once = withOpusStereo(offer);
    expect(withOpusStereo(once)).toBe(once);
    const mono = offer.replace('a=fmtp:111 minptime=10;useinbandfec=1', 'a=fmtp:111 stereo=0;useinbandfec=1');
    expect(withOpusStereo(mono)).toContain('a=fmtp:111 stereo=0;useinbandfec=1;sprop-stereo=1');
  });

  it('adds an fmtp line after an Opus rtpmap that has none, for every Opus payload type', () => {
    const bare = ['m=audio 9 UDP/TLS/RTP/SAVPF 109 111', 'a=rtpmap:109 opus/48000/2', 'a=rtpmap:111 OPUS/48000/2', ''].join('\n');
    expect(withOpusStereo(bare).split('\n')).toEqual([
      'm=audio 9 UDP/TLS/RTP/SAVPF 109 111',
      'a=rtpmap:109 opus/48000/2',
      'a=fmtp:109 stereo=1;sprop-stereo=1',
      'a=rtpmap:111 OPUS/48000/2',
      'a=fmtp:111 stereo=1;sprop-stereo=1',
      '',
    ]);
  });

  it('changes nothing without Opus', () => {
    const pcmu = 'v=0\r\nm=audio 9 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n';
    expect(withOpusStereo(pcmu)).toBe(pcmu);
  });
});
