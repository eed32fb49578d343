/**
 * Ogg pages (RFC 3533), written and read by hand: the recorder needs to decide when each page
 * reaches the disk, and crash repair needs to find where the last intact page ends.
 *
 * Page layout: "OggS", version 0, header type (1 continued, 2 BOS, 4 EOS), granule position
 * (int64 LE), serial (u32 LE), page sequence (u32 LE), CRC (u32 LE), segment count, lacing
 * values, then the packet bytes. Our writers never split a packet across pages.
 */

/** Header bytes before the lacing values. */
export const OGG_HEADER_SIZE = 27;
/** Most lacing segments a page can hold. */
export const OGG_MAX_SEGMENTS = 255;
/** Largest possible page: full header, 255 lacing values, 255 × 255 bytes of data. */
export const OGG_MAX_PAGE_SIZE = OGG_HEADER_SIZE + OGG_MAX_SEGMENTS + OGG_MAX_SEGMENTS * 255;

const CAPTURE = Buffer.from('OggS', 'latin1');
const FLAG_CONTINUED = 0x01;
const FLAG_BOS = 0x02;
const FLAG_EOS = 0x04;
const CRC_OFFSET = 22;

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let b = 0; b < 8; b++) r = r & 0x8000_0000 ? (r << 1) ^ 0x04c1_1db7 : r << 1;
    table[i] = r >>> 0;
  }
  return table;
})();

/**
 * The Ogg checksum: CRC-32 with polynomial 0x04c11db7, initial value 0, no bit reflection and
 * no final xor. `crc` continues a checksum over several ranges.
 */
export function oggCrc32(data: Uint8Array, crc = 0): number {
  let c = crc >>> 0;
  for (let i = 0; i < data.length; i++) c = ((c << 8) ^ CRC_TABLE[((c >>> 24) ^ data[i]!) & 0xff]!) >>> 0;
  return c;
}

/** Lacing values a packet of this length needs: one per 255 bytes, plus a final one below 255. */
export function lacingSegments(packetLength: number): number {
  return Math.floor(packetLength / 255) + 1;
}

/** Fields for {@link buildOggPage}. */
export interface OggPageFields {
  serial: number;
  pageSeq: number;
  /** Position after the last packet that completes on the page; -1n if none does. */
  granule: bigint;
  /** Whole packets; together at most 255 lacing segments (see {@link lacingSegments}). */
  packets: readonly Uint8Array[];
  bos?: boolean;
  eos?: boolean;
}

/** Builds one complete page, checksum included. Throws if the packets need over 255 segments. */
export function buildOggPage(fields: OggPageFields): Buffer {
  let segments = 0;
  let dataLength = 0;
  for (const p of fields.packets) {
    segments += lacingSegments(p.length);
    dataLength += p.length;
  }
  if (segments > OGG_MAX_SEGMENTS) throw new Error(`Ogg page needs ${segments} lacing segments (max 255)`);

  const headerLength = OGG_HEADER_SIZE + segments;
  const page = Buffer.alloc(headerLength + dataLength);
  CAPTURE.copy(page, 0);
  page[4] = 0;
  page[5] = (fields.bos ? FLAG_BOS : 0) | (fields.eos ? FLAG_EOS : 0);
  page.writeBigInt64LE(fields.granule, 6);
  page.writeUInt32LE(fields.serial >>> 0, 14);
  page.writeUInt32LE(fields.pageSeq >>> 0, 18);
  page[26] = segments;

  let seg = OGG_HEADER_SIZE;
  let at = headerLength;
  for (const p of fields.packets) {
    let left = p.length;
    while (left >= 255) {
      page[seg++] = 255;
      left -= 255;
    }
    page[seg++] = left;
    page.set(p, at);
    at += p.length;
  }
  page.writeUInt32LE(oggCrc32(page), CRC_OFFSET);
  return page;
}

/** One page as read back by {@link readOggPages}. */
export interface OggPage {
  /** Byte offset of the page in the buffer read. */
  offset: number;
  /** Total page length, header included. */
  length: number;
  granule: bigint;
  serial: number;
  pageSeq: number;
  bos: boolean;
  eos: boolean;
  /**
   * Packets completed on this page, as views into the buffer read. A packet continued from the
   * previous page or onto the next one is not reassembled (our writers never produce one).
   */
  packets: Buffer[];
}

/**
 * Parses consecutive pages from `from`, stopping at the first page that is truncated, lacks the
 * capture pattern or fails its checksum. `validLength` is the offset just past the last good
 * page, so a file torn by a crash yields its intact prefix.
 */
export function readOggPages(buf: Buffer, from = 0): { pages: OggPage[]; validLength: number } {
  const pages: OggPage[] = [];
  let at = from;
  for (;;) {
    const length = pageLengthAt(buf, at);
    if (length < 0) break;
    const stored = buf.readUInt32LE(at + CRC_OFFSET);
    // The checksum is computed with its own field zeroed: run it over the three ranges around it.
    let crc = oggCrc32(buf.subarray(at, at + CRC_OFFSET));
    crc = oggCrc32(ZERO_CRC, crc);
    crc = oggCrc32(buf.subarray(at + CRC_OFFSET + 4, at + length), crc);
    if (crc !== stored) break;
    pages.push(parsePage(buf, at, length));
    at += length;
  }
  return { pages, validLength: at };
}

const ZERO_CRC = new Uint8Array(4);

/** Length of the page starting at `at`, or -1 if no whole page (by its own header) is there. */
function pageLengthAt(buf: Buffer, at: number): number {
  if (at + OGG_HEADER_SIZE > buf.length) return -1;
  if (buf.compare(CAPTURE, 0, 4, at, at + 4) !== 0 || buf[at + 4] !== 0) return -1;
  const segments = buf[at + 26]!;
  const headerLength = OGG_HEADER_SIZE + segments;
  if (at + headerLength > buf.length) return -1;
  let length = headerLength;
  for (let i = 0; i < segments; i++) length += buf[at + OGG_HEADER_SIZE + i]!;
  return at + length <= buf.length ? length : -1;
}

function parsePage(buf: Buffer, at: number, length: number): OggPage {
  const flags = buf[at + 5]!;
  const segments = buf[at + 26]!;
  const packets: Buffer[] = [];
  let dataAt = at + OGG_HEADER_SIZE + segments;
  let packetStart = dataAt;
  // A page flagged "continued" starts with the tail of a packet we cannot reassemble: skip it.
  let skipping = (flags & FLAG_CONTINUED) !== 0;
  for (let i = 0; i < segments; i++) {
    const lace = buf[at + OGG_HEADER_SIZE + i]!;
    dataAt += lace;
    if (lace < 255) {
      if (!skipping) packets.push(buf.subarray(packetStart, dataAt));
      skipping = false;
      packetStart = dataAt;
    }
  }
  return {
    offset: at,
    length,
    granule: buf.readBigInt64LE(at + 6),
    serial: buf.readUInt32LE(at + 14),
    pageSeq: buf.readUInt32LE(at + 18),
    bos: (flags & FLAG_BOS) !== 0,
    eos: (flags & FLAG_EOS) !== 0,
    packets,
  };
}
