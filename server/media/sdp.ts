/**
 * Just enough SDP reading to check what browsers send us before libdatachannel sees it, so a bad
 * description gets a clear BAD_REQUEST instead of a silent media failure later.
 */
import { BullpenError } from '../../contract/result';

export type SdpDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

/** One m-section: its m= line fields and its a= attributes (without the `a=` prefix). */
export interface MediaSection {
  kind: string;
  port: number;
  formats: string[];
  attributes: string[];
}

export interface ParsedSdp {
  sessionAttributes: string[];
  media: MediaSection[];
}

/** What the server needs from a host's offer. */
export interface HostOffer {
  mid: string;
  opusPayloadType: number;
  /** The offer's Opus fmtp parameters, e.g. `minptime=10;useinbandfec=1` (may be empty). */
  opusFmtp: string;
  direction: 'sendonly' | 'sendrecv';
  /** SSRCs the host announced; libdatachannel routes incoming RTP by them. */
  ssrcs: number[];
}

/** What the server needs from a listener's offer. */
export interface ListenerOffer {
  mid: string;
  opusPayloadType: number;
  opusFmtp: string;
  direction: 'recvonly' | 'sendrecv';
}

const DIRECTIONS: readonly string[] = ['sendrecv', 'sendonly', 'recvonly', 'inactive'];

export function parseSdp(sdp: string): ParsedSdp {
  const result: ParsedSdp = { sessionAttributes: [], media: [] };
  let current: MediaSection | null = null;
  for (const line of sdp.split(/\r?\n/)) {
    if (line.startsWith('m=')) {
      const [kind = '', port = '', , ...formats] = line.slice(2).trim().split(/\s+/);
      current = { kind, port: Number.parseInt(port, 10), formats, attributes: [] };
      result.media.push(current);
    } else if (line.startsWith('a=')) {
      (current ? current.attributes : result.sessionAttributes).push(line.slice(2).trim());
    }
  }
  return result;
}

/** Values of `a=name:value` attributes (or `[""]` for a bare `a=name`). */
export function attributeValues(attributes: readonly string[], name: string): string[] {
  const out: string[] = [];
  for (const a of attributes) {
    if (a === name) out.push('');
    else if (a.startsWith(name + ':')) out.push(a.slice(name.length + 1));
  }
  return out;
}

/** The section's direction, falling back to the session-level one, then sendrecv (RFC 4566). */
export function mediaDirection(section: MediaSection, sessionAttributes: readonly string[] = []): SdpDirection {
  const own = section.attributes.find((a) => DIRECTIONS.includes(a));
  const session = sessionAttributes.find((a) => DIRECTIONS.includes(a));
  return (own ?? session ?? 'sendrecv') as SdpDirection;
}

/** Payload type of Opus (48 kHz, 2 channels as RFC 7587 requires) offered in a section, or null. */
export function findOpusPayloadType(section: MediaSection): number | null {
  for (const value of attributeValues(section.attributes, 'rtpmap')) {
    const m = /^(\d+)\s+opus\/48000(?:\/2)?$/i.exec(value);
    if (m && section.formats.includes(m[1]!)) return Number(m[1]);
  }
  return null;
}

/** The fmtp parameter string for a payload type in a section ('' if none). */
export function fmtpFor(section: MediaSection, payloadType: number): string {
  const prefix = `${payloadType} `;
  const value = attributeValues(section.attributes, 'fmtp').find((v) => v.startsWith(prefix));
  return value ? value.slice(prefix.length).trim() : '';
}

/**
 * Opus fmtp parameters with `stereo=1;sprop-stereo=1` set (replacing any other values). In an
 * answer, `stereo=1` is what makes Chrome encode the host's two channels instead of downmixing.
 */
export function withStereo(fmtp: string): string {
  const params = fmtp
    .split(';')
    .map((p) => p.trim())
    .filter((p) => p !== '' && !/^(stereo|sprop-stereo)=/i.test(p));
  params.push('stereo=1', 'sprop-stereo=1');
  return params.join(';');
}

function bad(message: string): BullpenError {
  return new BullpenError('BAD_REQUEST', message);
}

/** The single active audio section; any other active section is refused. */
function singleAudioSection(parsed: ParsedSdp, what: string): MediaSection {
  const active = parsed.media.filter((m) => m.port !== 0);
  const audio = active.filter((m) => m.kind === 'audio');
  if (audio.length !== 1) throw bad(`${what} must contain exactly one audio section (found ${audio.length})`);
  const other = active.find((m) => m.kind !== 'audio');
  if (other) throw bad(`${what} must contain audio only (found a ${other.kind} section)`);
  return audio[0]!;
}

/**
 * Checks a host's offer: exactly one audio section, Opus offered, the host sending (sendonly or
 * sendrecv), a mid (BUNDLE) and announced SSRCs. Throws BAD_REQUEST otherwise.
 */
export function checkHostOffer(sdp: string): HostOffer {
  if (!sdp.startsWith('v=0')) throw bad('offer is not an SDP description');
  const parsed = parseSdp(sdp);
  const audio = singleAudioSection(parsed, 'offer');
  const direction = mediaDirection(audio, parsed.sessionAttributes);
  if (direction !== 'sendonly' && direction !== 'sendrecv') {
    throw bad(`offer must send audio (direction is ${direction})`);
  }
  const opusPayloadType = findOpusPayloadType(audio);
  if (opusPayloadType === null) throw bad('offer must offer the Opus codec');
  const mid = attributeValues(audio.attributes, 'mid')[0];
  if (!mid) throw bad('offer audio section has no a=mid');
  const ssrcs = [
    ...new Set(
      attributeValues(audio.attributes, 'ssrc')
        .map((v) => Number.parseInt(v, 10))
        .filter((n) => Number.isInteger(n) && n >= 0 && n <= 0xffff_ffff),
    ),
  ];
  if (ssrcs.length === 0) throw bad('offer audio section announces no SSRC (a=ssrc)');
  return { mid, opusPayloadType, opusFmtp: fmtpFor(audio, opusPayloadType), direction, ssrcs };
}

/**
 * Checks a listener's offer: one audio section with Opus and a mid, direction recvonly. A
 * sendrecv offer is tolerated (a non-compliant client): the server answers send-only, so the
 * listener's sending is negotiated away, and whatever it sends anyway is dropped.
 */
export function checkListenerOffer(sdp: string): ListenerOffer {
  if (!sdp.startsWith('v=0')) throw bad('offer is not an SDP description');
  const parsed = parseSdp(sdp);
  const audio = singleAudioSection(parsed, 'offer');
  const direction = mediaDirection(audio, parsed.sessionAttributes);
  if (direction !== 'recvonly' && direction !== 'sendrecv') {
    throw bad(`a listener's offer must receive audio (direction is ${direction})`);
  }
  const opusPayloadType = findOpusPayloadType(audio);
  if (opusPayloadType === null) throw bad('offer must offer the Opus codec');
  const mid = attributeValues(audio.attributes, 'mid')[0];
  if (!mid) throw bad('offer audio section has no a=mid');
  return { mid, opusPayloadType, opusFmtp: fmtpFor(audio, opusPayloadType), direction };
}
