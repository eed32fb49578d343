/**
 * Just enough of STUN (RFC 8489) and its ICE attributes (RFC 8445) to read and repair the
 * connectivity checks that reach this node through a TURN relay (see relay-ingress.ts): which
 * connection a check is for (USERNAME), whether it is genuine (MESSAGE-INTEGRITY with our ICE
 * password), and rewriting a zero ICE tiebreaker, with its integrity and fingerprint recomputed.
 *
 * Works in place on the received buffer: nothing is allocated except the HMAC.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { crc32 } from 'node:zlib';

const HEADER = 20;
const MAGIC_COOKIE = 0x2112a442;
const BINDING_REQUEST = 0x0001;
const BINDING_SUCCESS = 0x0101;
const USERNAME = 0x0006;
const XOR_MAPPED_ADDRESS = 0x0020;
const MESSAGE_INTEGRITY = 0x0008;
const FINGERPRINT = 0x8028;
const ICE_CONTROLLED = 0x8029;
const ICE_CONTROLLING = 0x802a;
const FINGERPRINT_XOR = 0x5354554e;
const INTEGRITY_LENGTH = 20;

/** A STUN message: two zero bits, the magic cookie, and a length that matches the datagram. */
export function isStun(packet: Buffer): boolean {
  return (
    packet.length >= HEADER &&
    (packet[0]! & 0xc0) === 0 &&
    packet.readUInt32BE(4) === MAGIC_COOKIE &&
    packet.readUInt16BE(2) + HEADER === packet.length &&
    packet.length % 4 === 0
  );
}

export function isBindingRequest(packet: Buffer): boolean {
  return isStun(packet) && packet.readUInt16BE(0) === BINDING_REQUEST;
}

export function isBindingSuccess(packet: Buffer): boolean {
  return isStun(packet) && packet.readUInt16BE(0) === BINDING_SUCCESS;
}

/** Offset of the first attribute of `type` (its header), or -1. Stops at a malformed one. */
function findAttribute(packet: Buffer, type: number): number {
  let offset = HEADER;
  while (offset + 4 <= packet.length) {
    const length = packet.readUInt16BE(offset + 2);
    if (offset + 4 + length > packet.length) return -1;
    if (packet.readUInt16BE(offset) === type) return offset;
    offset += 4 + length + ((4 - (length % 4)) % 4);
  }
  return -1;
}

/**
 * The local ICE username fragment a check is addressed to: the part of USERNAME before the colon
 * (`<receiver's ufrag>:<sender's ufrag>`), or null if there is none.
 */
export function localUfragOf(packet: Buffer): string | null {
  const at = findAttribute(packet, USERNAME);
  if (at < 0) return null;
  const username = packet.toString('utf8', at + 4, at + 4 + packet.readUInt16BE(at + 2));
  const colon = username.indexOf(':');
  return colon > 0 ? username.slice(0, colon) : null;
}

/** HMAC-SHA1 of the message up to MESSAGE-INTEGRITY, its length field counting up to the end of it. */
function integrityOf(packet: Buffer, integrityAt: number, password: string): Buffer {
  const length = packet.readUInt16BE(2);
  packet.writeUInt16BE(integrityAt + 4 + INTEGRITY_LENGTH - HEADER, 2);
  const digest = createHmac('sha1', password).update(packet.subarray(0, integrityAt)).digest();
  packet.writeUInt16BE(length, 2);
  return digest;
}

/** True when the message carries a MESSAGE-INTEGRITY made with `password` (short-term credentials). */
export function hasValidIntegrity(packet: Buffer, password: string): boolean {
  const at = findAttribute(packet, MESSAGE_INTEGRITY);
  if (at < 0 || packet.readUInt16BE(at + 2) !== INTEGRITY_LENGTH) return false;
  return timingSafeEqual(integrityOf(packet, at, password), packet.subarray(at + 4, at + 4 + INTEGRITY_LENGTH));
}

/** Recomputes MESSAGE-INTEGRITY and then FINGERPRINT, where present, after the message changed. */
export function resign(packet: Buffer, password: string): void {
  const integrityAt = findAttribute(packet, MESSAGE_INTEGRITY);
  if (integrityAt >= 0) integrityOf(packet, integrityAt, password).copy(packet, integrityAt + 4);
  const fingerprintAt = findAttribute(packet, FINGERPRINT);
  if (fingerprintAt >= 0) {
    packet.writeUInt32BE((crc32(packet.subarray(0, fingerprintAt)) ^ FINGERPRINT_XOR) >>> 0, fingerprintAt + 4);
  }
}

/** Whether the message's ICE-CONTROLLING or ICE-CONTROLLED attribute carries a tiebreaker of 0. */
export function hasZeroTiebreaker(packet: Buffer): boolean {
  return zeroTiebreakerAt(packet) >= 0;
}

function zeroTiebreakerAt(packet: Buffer): number {
  let at = findAttribute(packet, ICE_CONTROLLING);
  if (at < 0) at = findAttribute(packet, ICE_CONTROLLED);
  if (at < 0 || packet.readUInt16BE(at + 2) !== 8) return -1;
  return packet.readUInt32BE(at + 4) === 0 && packet.readUInt32BE(at + 8) === 0 ? at : -1;
}

/**
 * A zero tiebreaker in ICE-CONTROLLING or ICE-CONTROLLED is legal (any 64-bit value is), but
 * libjuice (libdatachannel's ICE agent, 1.7) keeps each as a number where 0 means "absent", so it
 * takes such a check for one carrying neither role and answers 400; Chromium's TURN-over-TCP ports
 * send exactly that. This rewrites the value to 1 and re-signs the message with our `password`
 * (which the sender signed it with too). The role conflict rules compare tiebreakers; 1 orders
 * against ours as 0 does, except in the one-in-2^64 case of our own being 0. Returns whether the
 * message was changed.
 */
export function repairZeroTiebreaker(packet: Buffer, password: string): boolean {
  const at = zeroTiebreakerAt(packet);
  if (at < 0) return false;
  packet.writeUInt32BE(1, at + 8);
  resign(packet, password);
  return true;
}

/**
 * Sets an IPv4 XOR-MAPPED-ADDRESS (the address the responder saw the request come from) and
 * re-signs the message with `password`. Returns false, changing nothing, when the message has no
 * IPv4 XOR-MAPPED-ADDRESS or `address` is not IPv4.
 */
export function rewriteMappedAddress(packet: Buffer, address: string, port: number, password: string): boolean {
  const at = findAttribute(packet, XOR_MAPPED_ADDRESS);
  const octets = address.split('.').map(Number);
  if (at < 0 || packet.readUInt16BE(at + 2) !== 8 || packet[at + 5] !== 0x01) return false;
  if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255)) return false;
  packet.writeUInt16BE(port ^ (MAGIC_COOKIE >>> 16), at + 6);
  packet.writeUInt32BE((((octets[0]! << 24) | (octets[1]! << 16) | (octets[2]! << 8) | octets[3]!) ^ MAGIC_COOKIE) >>> 0, at + 8);
  resign(packet, password);
  return true;
}
