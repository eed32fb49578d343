/**
 * Minimal RTP/RTCP header access on raw packets (RFC 3550 §5.1). Everything here works on the
 * bytes in place and allocates nothing, because the forwarder calls it for every packet.
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 * |                           timestamp                           |
 * |           synchronization source (SSRC) identifier            |
 */

/** Size of the fixed RTP header. */
export const RTP_HEADER_SIZE = 12;

/**
 * Whether a packet arriving on an rtcp-mux transport is RTCP: its second byte (the RTCP packet
 * type) is in 192–223 (RFC 5761 §4), which no dynamic or static RTP payload type reaches.
 */
export function isRtcp(buf: Uint8Array): boolean {
  if (buf.length < 2) return false;
  const b = buf[1]!;
  return b >= 192 && b <= 223;
}

/** RTCP packet type of a BYE (RFC 3550 §6.6). */
const RTCP_BYE = 203;

/**
 * Whether an RTCP compound packet holds a BYE: the sender is leaving the session. Walks the
 * packets by their length fields; a malformed compound is read up to where it breaks.
 */
export function rtcpHasBye(buf: Uint8Array): boolean {
  let at = 0;
  while (at + 4 <= buf.length) {
    if (buf[at]! >> 6 !== 2) return false;
    if (buf[at + 1] === RTCP_BYE) return true;
    at += ((buf[at + 2]! << 8) | buf[at + 3]!) * 4 + 4;
  }
  return false;
}

/**
 * Length of the RTP header including CSRCs and the header extension, or -1 if the packet is too
 * short to hold what its first bytes announce.
 */
export function rtpHeaderLength(buf: Uint8Array): number {
  if (buf.length < RTP_HEADER_SIZE) return -1;
  const b0 = buf[0]!;
  let len = RTP_HEADER_SIZE + (b0 & 0x0f) * 4;
  if (b0 & 0x10) {
    if (buf.length < len + 4) return -1;
    const words = (buf[len + 2]! << 8) | buf[len + 3]!;
    len += 4 + words * 4;
  }
  return len <= buf.length ? len : -1;
}

/** Minimal validation: version 2, not RTCP, and a header (with CSRCs/extension) that fits. */
export function isValidRtp(buf: Uint8Array): boolean {
  return buf.length >= RTP_HEADER_SIZE && buf[0]! >> 6 === 2 && !isRtcp(buf) && rtpHeaderLength(buf) >= 0;
}

export function readPayloadType(buf: Uint8Array): number {
  return buf[1]! & 0x7f;
}

/** Rewrites the payload type and keeps the marker bit. */
export function writePayloadType(buf: Uint8Array, pt: number): void {
  buf[1] = (buf[1]! & 0x80) | (pt & 0x7f);
}

export function readMarker(buf: Uint8Array): boolean {
  return (buf[1]! & 0x80) !== 0;
}

export function writeMarker(buf: Uint8Array, marker: boolean): void {
  buf[1] = marker ? buf[1]! | 0x80 : buf[1]! & 0x7f;
}

export function readSeq(buf: Uint8Array): number {
  return (buf[2]! << 8) | buf[3]!;
}

export function writeSeq(buf: Uint8Array, seq: number): void {
  buf[2] = (seq >>> 8) & 0xff;
  buf[3] = seq & 0xff;
}

export function readTimestamp(buf: Uint8Array): number {
  return ((buf[4]! << 24) | (buf[5]! << 16) | (buf[6]! << 8) | buf[7]!) >>> 0;
}

export function writeTimestamp(buf: Uint8Array, ts: number): void {
  writeU32(buf, 4, ts);
}

export function readSsrc(buf: Uint8Array): number {
  return ((buf[8]! << 24) | (buf[9]! << 16) | (buf[10]! << 8) | buf[11]!) >>> 0;
}

export function writeSsrc(buf: Uint8Array, ssrc: number): void {
  writeU32(buf, 8, ssrc);
}

/** The payload: after the header, without padding. Empty if the packet is malformed. */
export function rtpPayload(buf: Uint8Array): Uint8Array {
  const start = rtpHeaderLength(buf);
  if (start < 0) return buf.subarray(0, 0);
  let end = buf.length;
  if (buf[0]! & 0x20 && end > start) end -= buf[end - 1]!;
  return buf.subarray(start, Math.max(start, end));
}

/** Fields for {@link buildRtpPacket}. */
export interface RtpFields {
  payloadType: number;
  seq: number;
  timestamp: number;
  ssrc: number;
  marker?: boolean;
}

/** Builds a plain RTP packet (no CSRC, no extension) around a payload. */
export function buildRtpPacket(fields: RtpFields, payload: Uint8Array): Buffer {
  const buf = Buffer.allocUnsafe(RTP_HEADER_SIZE + payload.length);
  buf[0] = 0x80;
  buf[1] = (fields.marker ? 0x80 : 0) | (fields.payloadType & 0x7f);
  writeSeq(buf, fields.seq & 0xffff);
  writeTimestamp(buf, fields.timestamp >>> 0);
  writeSsrc(buf, fields.ssrc >>> 0);
  buf.set(payload, RTP_HEADER_SIZE);
  return buf;
}

function writeU32(buf: Uint8Array, at: number, v: number): void {
  buf[at] = (v >>> 24) & 0xff;
  buf[at + 1] = (v >>> 16) & 0xff;
  buf[at + 2] = (v >>> 8) & 0xff;
  buf[at + 3] = v & 0xff;
}
