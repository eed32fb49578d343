/**
 * The Ogg Opus header packets (RFC 7845 §5) and the little of the Opus packet format (RFC 6716
 * §3.1) needed to know a packet's duration without decoding it.
 */

/** Opus always runs its granule clock at 48 kHz, whatever the input rate. */
export const OPUS_GRANULE_RATE = 48_000;

/** Fields of the identification header. */
export interface OpusHeadFields {
  channels: number;
  /** Samples (at 48 kHz) the decoder discards at the start. */
  preSkip: number;
  /** Informational only: the rate of the audio before encoding. */
  inputSampleRate: number;
}

/** The OpusHead packet: version 1, no output gain, channel mapping family 0 (mono/stereo). */
export function opusHead(fields: OpusHeadFields): Buffer {
  const b = Buffer.alloc(19);
  b.write('OpusHead', 0, 'latin1');
  b[8] = 1;
  b[9] = fields.channels;
  b.writeUInt16LE(fields.preSkip, 10);
  b.writeUInt32LE(fields.inputSampleRate >>> 0, 12);
  b.writeInt16LE(0, 16);
  b[18] = 0;
  return b;
}

/** Reads an OpusHead packet back; null if the bytes are not one. */
export function parseOpusHead(packet: Uint8Array): OpusHeadFields | null {
  const b = Buffer.from(packet.buffer, packet.byteOffset, packet.byteLength);
  if (b.length < 19 || b.toString('latin1', 0, 8) !== 'OpusHead') return null;
  // Any 0.x version is readable by a version-1 reader (RFC 7845 §5.1).
  if (b[8]! >> 4 !== 0) return null;
  return { channels: b[9]!, preSkip: b.readUInt16LE(10), inputSampleRate: b.readUInt32LE(12) };
}

/** The OpusTags packet with a vendor string and no user comments. */
export function opusTags(vendor: string): Buffer {
  const v = Buffer.from(vendor, 'utf8');
  const b = Buffer.alloc(8 + 4 + v.length + 4);
  b.write('OpusTags', 0, 'latin1');
  b.writeUInt32LE(v.length, 8);
  v.copy(b, 12);
  b.writeUInt32LE(0, 12 + v.length);
  return b;
}

/** Frame duration in 48 kHz samples for each TOC configuration number (RFC 6716 Table 2). */
const FRAME_SAMPLES = [
  // SILK-only NB, MB, WB: 10, 20, 40, 60 ms
  480, 960, 1920, 2880, 480, 960, 1920, 2880, 480, 960, 1920, 2880,
  // Hybrid SWB, FB: 10, 20 ms
  480, 960, 480, 960,
  // CELT-only NB, WB, SWB, FB: 2.5, 5, 10, 20 ms
  120, 240, 480, 960, 120, 240, 480, 960, 120, 240, 480, 960, 120, 240, 480, 960,
];

/**
 * Samples (per channel, at 48 kHz) in an Opus packet, from its TOC byte and, for code 3, its
 * frame count byte. 0 for an empty or malformed packet.
 */
export function opusPacketSamples(payload: Uint8Array): number {
  if (payload.length < 1) return 0;
  const toc = payload[0]!;
  const frame = FRAME_SAMPLES[toc >> 3]!;
  switch (toc & 0x03) {
    case 0:
      return frame;
    case 1:
    case 2:
      return frame * 2;
    default: {
      if (payload.length < 2) return 0;
      const count = payload[1]! & 0x3f;
      // A packet may not exceed 120 ms (RFC 6716 §3.2.5).
      return count * frame <= 5760 ? count * frame : 0;
    }
  }
}

/**
 * A 20 ms stereo Opus frame that decodes to silence: TOC 0xfc (CELT fullband 20 ms, stereo, one
 * frame) followed by a range-coded frame whose first symbol sets the CELT silence flag.
 */
export const OPUS_SILENCE_20MS_STEREO: Buffer = Buffer.from([0xfc, 0xff, 0xfe]);
