/**
 * A small strict SDP reader for the offers browsers send us, and the checks that run before
 * libdatachannel sees one: an offer must be exactly one audio section (Opus, the right direction)
 * and nothing else, or it gets a clear BAD_REQUEST and no PeerConnection is ever made. What
 * libdatachannel is then given is rebuilt from what was checked (the session lines and that one
 * section, ICE candidates filtered by ice-candidates.ts), so it cannot see anything we did not.
 */
import { BullpenError } from '../../contract/result';
import { filterCandidates, STRICT_CANDIDATE_POLICY, type CandidatePolicy, type DropReason } from './ice-candidates';

export type SdpDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

/** One m-section: its m= line fields, its a= attributes (without `a=`) and its raw lines. */
export interface MediaSection {
  kind: string;
  port: number;
  protocol: string;
  formats: string[];
  attributes: string[];
  /** Every line of the section, the m= line first. */
  lines: string[];
}

export interface ParsedSdp {
  /** Every session-level line (before the first m= line). */
  sessionLines: string[];
  sessionAttributes: string[];
  media: MediaSection[];
}

/** What an accepted offer carries besides the checked fields. */
export interface CheckedOffer {
  /** The offer to apply: rebuilt from the checked section, unusable candidates removed. */
  sdp: string;
  /** ICE candidates kept, and dropped by reason (for one log line). */
  candidates: { kept: number; dropped: Partial<Record<DropReason, number>> };
}

/** What the server needs from a host's offer. */
export interface HostOffer extends CheckedOffer {
  mid: string;
  opusPayloadType: number;
  /** The offer's Opus fmtp parameters, e.g. `minptime=10;useinbandfec=1` (may be empty). */
  opusFmtp: string;
  direction: 'sendonly' | 'sendrecv';
  /** SSRCs the host announced; libdatachannel routes incoming RTP by them. */
  ssrcs: number[];
}

/** What the server needs from a listener's offer. */
export interface ListenerOffer extends CheckedOffer {
  mid: string;
  opusPayloadType: number;
  opusFmtp: string;
  direction: 'recvonly';
}

const DIRECTIONS: readonly string[] = ['sendrecv', 'sendonly', 'recvonly', 'inactive'];
/** DTLS-SRTP profiles (libdatachannel speaks nothing else). */
const RTP_PROFILES: readonly string[] = ['UDP/TLS/RTP/SAVPF', 'UDP/TLS/RTP/SAVP', 'RTP/SAVPF'];
const M_LINE = /^m=([a-z]+) (\d{1,5})(?:\/\d+)? (\S+)((?: \S+)*)$/;

/**
 * Parses an SDP description into session lines and m-sections. Strict: every line must be
 * `<letter>=<value>` without control characters, every m= line well formed. Throws BAD_REQUEST.
 */
export function parseSdp(sdp: string): ParsedSdp {
  if (!sdp.startsWith('v=0')) throw bad('offer is not an SDP description');
  const result: ParsedSdp = { sessionLines: [], sessionAttributes: [], media: [] };
  let current: MediaSection | null = null;
  const lines = sdp.split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    if (line === '') continue;
    // Control characters (a lone CR, NUL, ...) would let two parsers disagree on the lines.
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    if (!/^[a-z]=/.test(line) || /[\u0000-\u001f\u007f]/.test(line)) throw bad(`offer line ${index + 1} is not a valid SDP line`);
    if (line.startsWith('m=')) {
      const m = M_LINE.exec(line);
      if (!m || Number(m[2]) > 65_535) throw bad(`offer line ${index + 1} is not a valid m= line`);
      current = { kind: m[1]!, port: Number(m[2]), protocol: m[3]!, formats: m[4]!.trim().split(' ').filter(Boolean), attributes: [], lines: [line] };
      result.media.push(current);
      continue;
    }
    if (current) current.lines.push(line);
    else result.sessionLines.push(line);
    if (line.startsWith('a=')) (current ? current.attributes : result.sessionAttributes).push(line.slice(2));
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

/**
 * The offer's one audio section. Anything else is refused, disabled (port 0) and `bundle-only`
 * sections included: they would still be negotiated (an m=application one opens data channels
 * on the server), and no Bullpen client ever sends one.
 */
function onlyAudioSection(parsed: ParsedSdp): MediaSection {
  const kinds = parsed.media.map((m) => (m.port === 0 ? `${m.kind} (port 0)` : m.kind));
  if (parsed.media.length !== 1 || parsed.media[0]!.kind !== 'audio') {
    throw bad(`offer must contain exactly one audio section and nothing else (found ${kinds.length ? kinds.join(', ') : 'none'})`);
  }
  const audio = parsed.media[0]!;
  if (audio.port === 0 || audio.attributes.includes('bundle-only')) throw bad('offer audio section is disabled (port 0 or bundle-only)');
  if (!RTP_PROFILES.includes(audio.protocol)) throw bad(`offer audio section uses ${audio.protocol}, not DTLS-SRTP`);
  // One mid and one direction per level: two parsers must not be able to pick different ones.
  const mids = attributeValues(audio.attributes, 'mid');
  const mid = mids[0];
  if (!mid) throw bad('offer audio section has no a=mid');
  if (mids.length > 1) throw bad('offer audio section has more than one a=mid');
  for (const attributes of [audio.attributes, parsed.sessionAttributes]) {
    if (attributes.filter((a) => DIRECTIONS.includes(a)).length > 1) throw bad('offer gives more than one direction');
  }
  for (const group of attributeValues(parsed.sessionAttributes, 'group')) {
    const [semantics, ...mids] = group.split(' ');
    if (semantics === 'BUNDLE' && mids.some((m) => m !== mid)) throw bad('offer bundles a section it does not contain');
  }
  return audio;
}

/**
 * The offer to hand to libdatachannel: the session lines and the one audio section, with only
 * the ICE candidates the policy keeps. BAD_REQUEST when none is left (unless the client hid its
 * addresses behind mDNS names: its checks still reach us, see ice-candidates.ts), except for an
 * offer that has none at all and says it trickles (`a=ice-options:trickle`): its candidates follow
 * as `media:candidate` events, checked one by one (ice-trickle.ts).
 */
function rebuild(parsed: ParsedSdp, audio: MediaSection, policy: CandidatePolicy): CheckedOffer {
  const offered = attributeValues(audio.attributes, 'candidate');
  const { kept, dropped } = filterCandidates(offered, policy);
  const trickles = [...parsed.sessionAttributes, ...audio.attributes].some((a) => /^ice-options:.*\btrickle\b/.test(a));
  if (kept.length === 0 && !dropped.mdns && !(offered.length === 0 && trickles)) {
    const why = Object.entries(dropped).map(([reason, n]) => `${n} ${reason}`).join(', ');
    throw bad(`offer has no ICE candidate the server can use (${why || 'it has none'})`);
  }
  const keep = new Set(kept);
  const isCandidate = (line: string): boolean => line.startsWith('a=candidate:');
  const lines = [
    // Candidates belong to a section; a session-level one is not standard SDP.
    ...parsed.sessionLines.filter((l) => !isCandidate(l)),
    ...audio.lines.filter((l) => !isCandidate(l) || keep.delete(l.slice('a=candidate:'.length))),
  ];
  return { sdp: lines.join('\r\n') + '\r\n', candidates: { kept: kept.length, dropped } };
}

/**
 * Checks a host's offer: exactly one audio section and nothing else, Opus offered, the host
 * sending (sendonly or sendrecv), a mid, announced SSRCs and a usable ICE candidate. Throws
 * BAD_REQUEST otherwise.
 */
export function checkHostOffer(sdp: string, policy: CandidatePolicy = STRICT_CANDIDATE_POLICY): HostOffer {
  const parsed = parseSdp(sdp);
  const audio = onlyAudioSection(parsed);
  const direction = mediaDirection(audio, parsed.sessionAttributes);
  if (direction !== 'sendonly' && direction !== 'sendrecv') {
    throw bad(`offer must send audio (direction is ${direction})`);
  }
  const opusPayloadType = findOpusPayloadType(audio);
  if (opusPayloadType === null) throw bad('offer must offer the Opus codec');
  const ssrcs = [
    ...new Set(
      attributeValues(audio.attributes, 'ssrc')
        .map((v) => Number.parseInt(v, 10))
        .filter((n) => Number.isInteger(n) && n >= 0 && n <= 0xffff_ffff),
    ),
  ];
  if (ssrcs.length === 0) throw bad('offer audio section announces no SSRC (a=ssrc)');
  const mid = attributeValues(audio.attributes, 'mid')[0]!;
  return { mid, opusPayloadType, opusFmtp: fmtpFor(audio, opusPayloadType), direction, ssrcs, ...rebuild(parsed, audio, policy) };
}

/**
 * Checks a listener's offer: exactly one audio section and nothing else, receive-only (what
 * browsers send for `addTransceiver('audio', { direction: 'recvonly' })`), Opus, a mid and a
 * usable ICE candidate. A listener offering to send (sendrecv) is refused: listeners never send.
 */
export function checkListenerOffer(sdp: string, policy: CandidatePolicy = STRICT_CANDIDATE_POLICY): ListenerOffer {
  const parsed = parseSdp(sdp);
  const audio = onlyAudioSection(parsed);
  const direction = mediaDirection(audio, parsed.sessionAttributes);
  if (direction !== 'recvonly') {
    throw bad(`a listener only receives: its offer must be recvonly (direction is ${direction})`);
  }
  const opusPayloadType = findOpusPayloadType(audio);
  if (opusPayloadType === null) throw bad('offer must offer the Opus codec');
  const mid = attributeValues(audio.attributes, 'mid')[0]!;
  return { mid, opusPayloadType, opusFmtp: fmtpFor(audio, opusPayloadType), direction, ...rebuild(parsed, audio, policy) };
}
