/**
 * The node's door for clients that reach it through a TURN relay over TCP or TLS (networks that
 * block UDP). Opened only when TURN is configured.
 *
 * Why it exists: Chromium's TURN-over-TCP ports send their ICE connectivity checks with a
 * tiebreaker of 0 (legal: it is any 64-bit number), and libjuice 1.7, the ICE agent inside
 * node-datachannel, treats 0 as "attribute absent" and refuses every such check with a 400
 * (libjuice issues #355/#356). Checks that come in here get that one field repaired, and are then
 * handed to libjuice unchanged otherwise; everything else (DTLS, SRTP both ways, libjuice's own
 * checks and answers) passes through untouched.
 *
 * How: each answer that offers this door gets one more host candidate, on this port and below
 * the real ones in priority. A check that arrives here with a zero tiebreaker (others are left
 * unanswered: those clients' checks work on the real candidates) for a connection we answered
 * (its USERNAME names our ufrag, and its MESSAGE-INTEGRITY verifies with that connection's ICE
 * password, so nobody else can open a path) gets a leg: a UDP socket of its own on loopback that talks to the connection's own
 * libjuice port, so libjuice sees each relayed client as one peer-reflexive address, exactly as if
 * it had come straight. Legs close when their connection closes or after 30 s of silence (ICE
 * consent checks keep a live one busy every few seconds).
 *
 * Cost: relayed clients' packets cross one more socket in this process (receive + send, both
 * ways); direct clients are not affected.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { once } from 'node:events';
import type { Logger } from '../logger';
import { hasValidIntegrity, hasZeroTiebreaker, isBindingRequest, isBindingSuccess, localUfragOf, repairZeroTiebreaker, rewriteMappedAddress } from './stun-message';

/** A connection we answered: where its libjuice listens and the password its checks are signed with. */
interface Exposure {
  ufrag: string;
  password: string;
  /** The connection's libjuice UDP port (the one port of its host candidates). */
  port: number;
  legs: Set<Leg>;
}

interface Leg {
  socket: Socket;
  remote: RemoteInfo;
  exposure: Exposure;
  lastSeen: number;
}

export interface RelayIngressOptions {
  /** UDP port to listen on (0: any free one). */
  port?: number;
  log: Logger;
  /** Legs quiet this long are closed. Default 30 s. */
  idleMs?: number;
}

/** Relayed paths per connection (a client's TURN allocations: normally one or two). */
const MAX_LEGS_PER_CONNECTION = 8;
const MAX_LEGS = 4096;
/** Below any host candidate libdatachannel writes (type preference 126), above relay ones. */
const TYPE_PREFERENCE = 100;

export class RelayIngress {
  readonly #socket: Socket;
  readonly #log: Logger;
  readonly #idleMs: number;
  readonly #exposures = new Map<string, Exposure>();
  readonly #legs = new Map<string, Leg>();
  readonly #sweeper: NodeJS.Timeout;
  #refused = 0;
  #repaired = 0;
  #closed = false;

  private constructor(socket: Socket, opts: RelayIngressOptions) {
    this.#socket = socket;
    this.#log = opts.log;
    this.#idleMs = opts.idleMs ?? 30_000;
    socket.on('message', (packet, remote) => this.#fromRelay(packet, remote));
    socket.on('error', (err) => this.#log.warn('relay ingress socket error', { err: err.message }));
    this.#sweeper = setInterval(() => this.#sweep(), Math.min(this.#idleMs, 10_000));
    this.#sweeper.unref();
  }

  static async open(opts: RelayIngressOptions): Promise<RelayIngress> {
    const socket = createSocket('udp4');
    socket.bind(opts.port ?? 0);
    await once(socket, 'listening');
    const ingress = new RelayIngress(socket, opts);
    opts.log.info('relay ingress open', { port: ingress.port });
    return ingress;
  }

  get port(): number {
    return this.#socket.address().port;
  }

  /** Figures for logs and tests: open legs and connections, checks repaired, packets refused. */
  get stats(): { connections: number; legs: number; repaired: number; refused: number } {
    return { connections: this.#exposures.size, legs: this.#legs.size, repaired: this.#repaired, refused: this.#refused };
  }

  /**
   * Offers this door in an answer we are about to send: returns the answer with one more host
   * candidate per IPv4 host address in it, and routes that connection's relayed checks to its
   * libjuice port until `signal` aborts (the connection closed). Answers without an ICE ufrag,
   * password or IPv4 host candidate are returned unchanged.
   */
  expose(answerSdp: string, signal: AbortSignal): string {
    if (this.#closed || signal.aborted) return answerSdp;
    const ice = iceOf(answerSdp);
    if (!ice) return answerSdp;
    const exposure: Exposure = { ufrag: ice.ufrag, password: ice.password, port: ice.port, legs: new Set() };
    this.#exposures.set(ice.ufrag, exposure);
    signal.addEventListener(
      'abort',
      () => {
        if (this.#exposures.get(ice.ufrag) === exposure) this.#exposures.delete(ice.ufrag);
        for (const leg of exposure.legs) this.#closeLeg(leg);
      },
      { once: true },
    );
    return withIngressCandidates(answerSdp, ice.addresses, this.port);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#sweeper);
    for (const leg of this.#legs.values()) this.#closeLeg(leg);
    this.#exposures.clear();
    this.#socket.close();
  }

  #fromRelay(packet: Buffer, remote: RemoteInfo): void {
    let leg = this.#legs.get(`${remote.address}:${remote.port}`);
    if (!leg) {
      leg = this.#openLeg(packet, remote);
      if (!leg) return;
    }
    leg.lastSeen = Date.now();
    if (isBindingRequest(packet) && repairZeroTiebreaker(packet, leg.exposure.password)) this.#repaired++;
    leg.socket.send(packet, leg.exposure.port, '127.0.0.1');
  }

  /**
   * A path opens only with a genuine check for a connection we answered, and only one that needs
   * the repair: clients whose checks libjuice accepts (every direct one) find no answer here and
   * use the real candidates.
   */
  #openLeg(packet: Buffer, remote: RemoteInfo): Leg | undefined {
    const exposure = isBindingRequest(packet) && hasZeroTiebreaker(packet) ? this.#exposures.get(localUfragOf(packet) ?? '') : undefined;
    if (!exposure || !hasValidIntegrity(packet, exposure.password)) {
      this.#refused++;
      return undefined;
    }
    if (exposure.legs.size >= MAX_LEGS_PER_CONNECTION || this.#legs.size >= MAX_LEGS) {
      this.#refused++;
      return undefined;
    }
    const socket = createSocket('udp4');
    const leg: Leg = { socket, remote, exposure, lastSeen: Date.now() };
    // Whatever libjuice sends to this leg goes back out through the relay. Its answers to checks
    // say where it saw them come from: the relay's address, not this leg's, so the client learns
    // no address that exists only inside this process.
    socket.on('message', (reply) => {
      leg.lastSeen = Date.now();
      if (this.#closed) return;
      if (isBindingSuccess(reply)) rewriteMappedAddress(reply, remote.address, remote.port, exposure.password);
      this.#socket.send(reply, remote.port, remote.address);
    });
    socket.on('error', (err) => this.#log.warn('relay ingress leg error', { err: err.message }));
    socket.bind(0, '127.0.0.1');
    exposure.legs.add(leg);
    this.#legs.set(`${remote.address}:${remote.port}`, leg);
    this.#log.info('relayed client path opened', { relay: `${remote.address}:${remote.port}`, legs: this.#legs.size });
    return leg;
  }

  #closeLeg(leg: Leg): void {
    const key = `${leg.remote.address}:${leg.remote.port}`;
    if (this.#legs.get(key) !== leg) return;
    this.#legs.delete(key);
    leg.exposure.legs.delete(leg);
    leg.socket.close();
  }

  #sweep(): void {
    const cutoff = Date.now() - this.#idleMs;
    for (const leg of this.#legs.values()) if (leg.lastSeen < cutoff) this.#closeLeg(leg);
  }
}

/** The answer's ICE credentials, its libjuice port and its IPv4 host addresses. */
function iceOf(sdp: string): { ufrag: string; password: string; port: number; addresses: string[] } | null {
  const ufrag = /^a=ice-ufrag:(\S+)/m.exec(sdp)?.[1];
  const password = /^a=ice-pwd:(\S+)/m.exec(sdp)?.[1];
  const addresses = new Set<string>();
  let port = 0;
  for (const m of sdp.matchAll(/^a=candidate:\S+ \d+ udp \d+ (\d+\.\d+\.\d+\.\d+) (\d+) typ host/gim)) {
    addresses.add(m[1]!);
    port = Number(m[2]);
  }
  return ufrag && password && port ? { ufrag, password, port, addresses: [...addresses] } : null;
}

/** Adds a host candidate on `port` for each address, after the section's last candidate. */
function withIngressCandidates(sdp: string, addresses: readonly string[], port: number): string {
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  const lines = sdp.split(/\r?\n/);
  const last = lines.findLastIndex((line) => line.startsWith('a=candidate:'));
  const priority = (TYPE_PREFERENCE << 24) + (65_535 << 8) + 255;
  const added = addresses.map((address, i) => `a=candidate:relayin${i} 1 UDP ${priority} ${address} ${port} typ host`);
  lines.splice(last + 1, 0, ...added);
  return lines.join(eol);
}
