/**
 * The node's announced media address (`--announced-ip`): when clients reach this node at an
 * address its interfaces do not have (behind NAT, in a container, one node of a cluster behind
 * its public address), the ICE host candidates of the server's answers must carry that address,
 * or clients would send their checks to a private address they cannot reach.
 *
 * libdatachannel keeps listening on every interface (its sockets are bound to the wildcard
 * address, or to the one UDP mux port); only what the answer announces changes. Its host
 * candidates (one per interface address, all on the same port for one connection) become one
 * candidate per (transport, port) on the announced address: the same port, since a NAT or
 * container mapping forwards the port unchanged (1:1 NAT, as LiveKit's `node_ip` and mediasoup's
 * `announcedAddress` assume). Server-reflexive and relay candidates pass untouched, and the `c=`
 * lines (the default address) name the announced address too.
 */
import { isIP } from 'node:net';

/** `a=candidate:<foundation> <component> <transport> <priority> <address> <port> typ <type> ...` */
const CANDIDATE = /^a=candidate:(\S+) (\d+) (\S+) (\d+) (\S+) (\d+) typ (\S+)(.*)$/;
const CONNECTION = /^c=IN IP[46] \S+$/;

/**
 * Rewrites an answer so its host candidates and connection lines name `ip`. Lines keep their
 * order; each group of host candidates sharing a component, transport and port is replaced, at
 * the place of its first member, by one candidate with the group's highest priority.
 */
export function announceAddress(sdp: string, ip: string): string {
  const family = isIP(ip);
  if (family === 0) throw new Error(`announced address ${ip} is not an IP address`);
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  const lines = sdp.split(/\r?\n/);
  const out: string[] = [];
  /** Index in `out` of the candidate standing for each host group of the current section. */
  let groups = new Map<string, { index: number; priority: number }>();
  for (const line of lines) {
    if (line.startsWith('m=')) groups = new Map();
    if (CONNECTION.test(line)) {
      out.push(`c=IN IP${family} ${ip}`);
      continue;
    }
    const m = CANDIDATE.exec(line);
    if (!m || m[7] !== 'host') {
      out.push(line);
      continue;
    }
    const [, foundation, component, transport, priority, , port, , rest] = m as unknown as string[];
    const key = hostGroupKey(component!, transport!, port!);
    const rewritten = `a=candidate:${foundation} ${component} ${transport} ${priority} ${ip} ${port} typ host${rest}`;
    const seen = groups.get(key);
    if (!seen) {
      groups.set(key, { index: out.length, priority: Number(priority) });
      out.push(rewritten);
    } else if (Number(priority) > seen.priority) {
      out[seen.index] = rewritten;
      seen.priority = Number(priority);
    }
  }
  return out.join(eol);
}

/** `candidate:` value of a trickled candidate, without `a=`. */
const TRICKLED = /^candidate:(\S+) (\d+) (\S+) (\d+) (\S+) (\d+) typ (\S+)(.*)$/;

/**
 * The same rule for one trickled candidate (`candidate:...`, no `a=`): a host candidate is moved
 * to `ip` and `key` names its (component, transport, port) group, so the caller sends one per
 * group (the answer's, or the first trickled); other candidates pass unchanged, keyed by
 * themselves. Null for a value that is not a candidate.
 */
export function announceCandidate(value: string, ip: string): { value: string; key: string } | null {
  const m = TRICKLED.exec(value);
  if (!m) return null;
  const [, foundation, component, transport, priority, , port, type, rest] = m as unknown as string[];
  if (type !== 'host') return { value, key: value };
  return {
    value: `candidate:${foundation} ${component} ${transport} ${priority} ${ip} ${port} typ host${rest}`,
    key: hostGroupKey(component!, transport!, port!),
  };
}

/** The group a host candidate belongs to under an announced address. */
export function hostGroupKey(component: string, transport: string, port: string): string {
  return `host ${component} ${transport.toLowerCase()} ${port}`;
}
