import { describe, expect, it } from 'vitest';
import {
  buildRtpPacket,
  isRtcp,
  isValidRtp,
  rtcpHasBye,
  readMarker,
  readPayloadType,
  readSeq,
  readSsrc,
  readTimestamp,
  rtpHeaderLength,
  rtpPayload,
  writeMarker,
  writePayloadType,
  writeSeq,
  writeSsrc,
  writeTimestamp,
} from '../../../../server/media/rtp';

const payload = Buffer.from([1, 2, 3, 4, 5]);

describe('rtp', () => {
  it('builds and reads the fixed header', () => {
    const p = buildRtpPacket({ payloadType: 111, seq: 65_535, timestamp: 0xfedc_ba98, ssrc: 0x8000_0001, marker: true }, payload);
    expect(p.length).toBe(17);
    expect(p[0]).toBe(0x80);
    expect(readPayloadType(p)).toBe(111);
    expect(readMarker(p)).toBe(true);
    expect(readSeq(p)).toBe(65_535);
    expect(readTimestamp(p)).toBe(0xfedc_ba98);
    expect(readSsrc(p)).toBe(0x8000_0001);
    expect(rtpHeaderLength(p)).toBe(12);
    expect([...rtpPayload(p)]).toEqual([1, 2, 3, 4, 5]);
    expect(isValidRtp(p)).toBe(true);
    expect(isRtcp(p)).toBe(false);
  });

  it('rewrites fields in place, keeping the marker bit on a payload type change', () => {
    const p = buildRtpPacket({ payloadType: 109, seq: 1, timestamp: 2, ssrc: 3, marker: true }, payload);
    writePayloadType(p, 111);
    expect(readPayloadType(p)).toBe(111);
    expect(readMarker(p)).toBe(true);
    writeMarker(p, false);
    writePayloadType(p, 96);
    expect(readMarker(p)).toBe(false);
    expect(readPayloadType(p)).toBe(96);
    writeSeq(p, 0xabcd);
    writeTimestamp(p, 0xffff_ffff);
    writeSsrc(p, 0x1234_5678);
    expect(readSeq(p)).toBe(0xabcd);
    expect(readTimestamp(p)).toBe(0xffff_ffff);
    expect(readSsrc(p)).toBe(0x1234_5678);
    expect([...rtpPayload(p)]).toEqual([1, 2, 3, 4, 5]);
  });

  it('recognises RTCP by its packet type (192–223)', () => {
    const sr = Buffer.from([0x80, 200, 0, 6, 0, 0, 0, 1]);
    const rr = Buffer.from([0x81, 201, 0, 7]);
    const psfb = Buffer.from([0x81, 206, 0, 2]);
    for (const p of [sr, rr, psfb]) expect(isRtcp(p)).toBe(true);
    expect(isRtcp(Buffer.from([0x80, 223]))).toBe(true);
    expect(isRtcp(Buffer.from([0x80, 224]))).toBe(false);
    expect(isRtcp(Buffer.from([0x80, 191]))).toBe(false);
    // Marker bit + PT 111 = 239: RTP.
    expect(isRtcp(Buffer.from([0x80, 0x80 | 111]))).toBe(false);
    expect(isRtcp(Buffer.from([0x80]))).toBe(false);
  });

  it('counts CSRCs and the header extension in the header length', () => {
    const csrc = Buffer.alloc(12 + 8 + 3);
    csrc[0] = 0x82; // V=2, CC=2
    csrc[1] = 111;
    expect(rtpHeaderLength(csrc)).toBe(20);
    expect(rtpPayload(csrc).length).toBe(3);

    const ext = Buffer.alloc(12 + 4 + 8 + 2);
    ext[0] = 0x90; // V=2, X=1
    ext[1] = 111;
    ext.writeUInt16BE(0xbede, 12);
    ext.writeUInt16BE(2, 14); // two 32-bit words
    expect(rtpHeaderLength(ext)).toBe(24);
    expect(rtpPayload(ext).length).toBe(2);
  });

  it('strips padding from the payload', () => {
    const p = Buffer.alloc(12 + 4 + 4);
    p[0] = 0xa0; // V=2, P=1
    p[1] = 111;
    p[p.length - 1] = 4;
    expect(rtpPayload(p).length).toBe(4);
  });

  it('rejects malformed packets', () => {
    expect(isValidRtp(Buffer.alloc(11, 0x80))).toBe(false);
    const v1 = buildRtpPacket({ payloadType: 111, seq: 1, timestamp: 1, ssrc: 1 }, payload);
    v1[0] = 0x40;
    expect(isValidRtp(v1)).toBe(false);
    const truncatedCsrc = Buffer.alloc(14);
    truncatedCsrc[0] = 0x8f; // 15 CSRCs announced
    expect(rtpHeaderLength(truncatedCsrc)).toBe(-1);
    expect(isValidRtp(truncatedCsrc)).toBe(false);
    const truncatedExt = Buffer.alloc(16);
    truncatedExt[0] = 0x90;
    truncatedExt.writeUInt16BE(10, 14);
    expect(isValidRtp(truncatedExt)).toBe(false);
    expect(rtpPayload(truncatedExt).length).toBe(0);
    const rtcp = Buffer.alloc(12);
    rtcp[0] = 0x80;
    rtcp[1] = 200;
    expect(isValidRtp(rtcp)).toBe(false);
  });
});

describe('rtcpHasBye', () => {
  const rr = Buffer.from([0x80, 201, 0, 1, 0, 0, 0, 1]);
  const bye = Buffer.from([0x81, 203, 0, 1, 0, 0, 0, 1]);
  it('finds a BYE alone or after other packets of a compound', () => {
    expect(rtcpHasBye(bye)).toBe(true);
    expect(rtcpHasBye(Buffer.concat([rr, bye]))).toBe(true);
  });
  it('finds none in receiver reports, truncated or non-RTCP data', () => {
    expect(rtcpHasBye(rr)).toBe(false);
    expect(rtcpHasBye(Buffer.concat([rr, bye]).subarray(0, 10))).toBe(false);
    expect(rtcpHasBye(Buffer.from([0x00, 203, 0, 1]))).toBe(false);
    expect(rtcpHasBye(Buffer.alloc(0))).toBe(false);
  });
});

