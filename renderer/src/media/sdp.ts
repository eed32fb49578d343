/** SDP helpers for Bullpen's WebRTC negotiation. */

/**
 * Adds `stereo=1;sprop-stereo=1` to every Opus format in `sdp` that lacks them. Chrome only
 * encodes (as a sender) or decodes (as a receiver) stereo Opus when the description says so.
 */
export function withOpusStereo(sdp: string): string {
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  const lines = sdp.split(eol);
  const opus = new Set<string>();
  for (const line of lines) {
    const match = /^a=rtpmap:(\d+) opus\/48000\/2$/i.exec(line);
    if (match?.[1]) opus.add(match[1]);
  }
  const withFmtp = new Set<string>();
  const out = lines.map((line) => {
    const match = /^a=fmtp:(\d+) (.*)$/.exec(line);
    if (!match?.[1] || !opus.has(match[1])) return line;
    withFmtp.add(match[1]);
    return `a=fmtp:${match[1]} ${addParams(match[2] ?? '')}`;
  });
  // Opus formats without any fmtp line get one right after their rtpmap.
  const result: string[] = [];
  for (const line of out) {
    result.push(line);
    const match = /^a=rtpmap:(\d+) opus\/48000\/2$/i.exec(line);
    if (match?.[1] && !withFmtp.has(match[1])) result.push(`a=fmtp:${match[1]} stereo=1;sprop-stereo=1`);
  }
  return result.join(eol);
}

function addParams(params: string): string {
  const parts = params.split(';').map((p) => p.trim()).filter(Boolean);
  const keys = new Set(parts.map((p) => p.split('=')[0]?.toLowerCase()));
  if (!keys.has('stereo')) parts.push('stereo=1');
  if (!keys.has('sprop-stereo')) parts.push('sprop-stereo=1');
  return parts.join(';');
}
