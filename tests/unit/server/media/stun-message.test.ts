import { describe, expect, it } from 'vitest';
import { hasValidIntegrity, hasZeroTiebreaker, isBindingRequest, isBindingSuccess, isStun, localUfragOf, repairZeroTiebreaker, resign, rewriteMappedAddress } from '../../../../server/media/stun-message';

/** RFC 5769 section 2.1: a sample ICE binding request, signed with this password. */
const PASSWORD = 'VOkJxbRl1RmTxUk/WvJxBt';
const SAMPLE_REQUEST = [
  '00010058', '2112a442', 'b7e7a701', 'bc34d686', 'fa87dfae',
  '80220010', '5354554e', '20746573', '7420636c', '69656e74',
  '00240004', '6e0001ff',
  '80290008', '932ff9b1', '51263b36',
  '00060009', '6576746a', '3a683676', '59202020',
  '00080014', '9aeaa70c', 'bfd8cb56', '781ef2b5', 'b2d3f249', 'c1b571a2',
  '80280004', 'e57a3bcf',
].join('');
/** RFC 5769 section 2.2: the sample success response (IPv4 mapped address 192.0.2.1:32853). */
const SAMPLE_RESPONSE = [
  '0101003c', '2112a442', 'b7e7a701', 'bc34d686', 'fa87dfae',
  '8022000b', '74657374', '20766563', '746f7220',
  '00200008', '0001a147', 'e112a643',
  '00080014', '2b91f599', 'fd9e90c3', '8c7489f9', '2af9ba53', 'f06be7d7',
  '80280004', 'c07d4c96',
].join('');
const sample = (): Buffer => Buffer.from(SAMPLE_REQUEST, 'hex');
/** Offset of the ICE-CONTROLLED value in the sample. */
const TIEBREAKER_AT = 52;

describe('STUN messages', () => {
  it('recognizes a binding request and refuses what is not STUN', () => {
    expect(isStun(sample())).toBe(true);
    expect(isBindingRequest(sample())).toBe(true);
    const rtp = Buffer.alloc(100);
    rtp[0] = 0x80;
    expect(isStun(rtp)).toBe(false);
    const truncated = sample().subarray(0, 60);
    expect(isStun(truncated)).toBe(false);
    const response = sample();
    response.writeUInt16BE(0x0101, 0);
    expect(isBindingRequest(response)).toBe(false);
  });

  it('reads the local ufrag from USERNAME', () => {
    expect(localUfragOf(sample())).toBe('evtj');
  });

  it('checks MESSAGE-INTEGRITY against the password (RFC 5769 vector)', () => {
    expect(hasValidIntegrity(sample(), PASSWORD)).toBe(true);
    expect(hasValidIntegrity(sample(), 'another password')).toBe(false);
    const tampered = sample();
    tampered.writeUInt8(tampered.readUInt8(TIEBREAKER_AT) ^ 1, TIEBREAKER_AT);
    expect(hasValidIntegrity(tampered, PASSWORD)).toBe(false);
  });

  it('re-signing an unchanged message reproduces its integrity and fingerprint byte for byte', () => {
    const packet = sample();
    packet.fill(0, 80, 100); // MESSAGE-INTEGRITY value
    packet.fill(0, 104, 108); // FINGERPRINT value
    resign(packet, PASSWORD);
    expect(packet.toString('hex')).toBe(SAMPLE_REQUEST);
  });

  it('leaves a non-zero tiebreaker alone', () => {
    const packet = sample();
    expect(repairZeroTiebreaker(packet, PASSWORD)).toBe(false);
    expect(packet.toString('hex')).toBe(SAMPLE_REQUEST);
  });

  it('rewrites a zero tiebreaker to 1 and re-signs the message so it still verifies', () => {
    const packet = sample();
    packet.fill(0, TIEBREAKER_AT, TIEBREAKER_AT + 8);
    resign(packet, PASSWORD);
    const signedWithZero = Buffer.from(packet);
    expect(hasZeroTiebreaker(packet)).toBe(true);
    expect(hasZeroTiebreaker(sample())).toBe(false);
    expect(repairZeroTiebreaker(packet, PASSWORD)).toBe(true);
    expect(hasZeroTiebreaker(packet)).toBe(false);
    expect(packet.readBigUInt64BE(TIEBREAKER_AT)).toBe(1n);
    expect(hasValidIntegrity(packet, PASSWORD)).toBe(true);
    expect(packet.subarray(80, 100).equals(signedWithZero.subarray(80, 100))).toBe(false);
    // The fingerprint matches the new content: re-signing again changes nothing.
    const repaired = Buffer.from(packet);
    resign(packet, PASSWORD);
    expect(packet.equals(repaired)).toBe(true);
    // The rest of the message is as it was.
    expect(packet.subarray(0, TIEBREAKER_AT).equals(signedWithZero.subarray(0, TIEBREAKER_AT))).toBe(true);
  });

  it('rewrites the mapped address of a success response and re-signs it (RFC 5769 vector)', () => {
    const response = Buffer.from(SAMPLE_RESPONSE, 'hex');
    expect(isBindingSuccess(response)).toBe(true);
    expect(isBindingSuccess(sample())).toBe(false);
    // Seen from elsewhere: rewritten to the sample's address, it is the sample byte for byte.
    expect(rewriteMappedAddress(response, '10.1.2.3', 4000, PASSWORD)).toBe(true);
    expect(response.toString('hex')).not.toBe(SAMPLE_RESPONSE);
    expect(hasValidIntegrity(response, PASSWORD)).toBe(true);
    expect(rewriteMappedAddress(response, '192.0.2.1', 32853, PASSWORD)).toBe(true);
    expect(response.toString('hex')).toBe(SAMPLE_RESPONSE);
  });

  it('leaves a message without an IPv4 mapped address, or an address that is not IPv4, unchanged', () => {
    const request = sample();
    expect(rewriteMappedAddress(request, '192.0.2.1', 1, PASSWORD)).toBe(false);
    expect(request.toString('hex')).toBe(SAMPLE_REQUEST);
    const response = Buffer.from(SAMPLE_RESPONSE, 'hex');
    expect(rewriteMappedAddress(response, '2001:db8::1', 1, PASSWORD)).toBe(false);
    expect(response.toString('hex')).toBe(SAMPLE_RESPONSE);
  });
});
