import { request } from 'node:http';
import { connect } from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body as sent on the wire (still compressed when the server compressed it). */
  body: Buffer;
  /** The body as JSON (throws when it is not). */
  json(): unknown;
}

/**
 * One HTTP request with node:http, not fetch: fetch decompresses bodies and adds its own
 * Accept-Encoding, and these tests need to see exactly what the server sent.
 */
export function rawRequest(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body.toString('utf8')) as unknown });
      });
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** A request whose body is still on its way: the rest is sent when the test says so. */
export interface HalfSentRequest {
  /** Sends the rest of the body and resolves with the response. */
  finish(): Promise<{ status: number; json: unknown }>;
}

/**
 * Opens a raw TCP connection, sends the headers (with the full `Content-Length` and
 * `Expect: 100-continue`), waits for the server's `100 Continue` (it has taken the request in
 * and started on it), then sends the first half of `body` and holds the rest back: the server
 * has the request but not its body, as with a slow or deliberately stalling client.
 */
export async function halfSentRequest(
  url: string,
  opts: { method: string; headers: Record<string, string>; body: string },
): Promise<HalfSentRequest> {
  const target = new URL(url);
  const socket = connect(Number(target.port), target.hostname);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  const closed = new Promise<void>((resolve, reject) => {
    socket.once('end', resolve);
    socket.once('error', reject);
  });
  const body = Buffer.from(opts.body);
  const half = Math.floor(body.length / 2);
  const head = [
    `${opts.method} ${target.pathname}${target.search} HTTP/1.1`,
    `host: ${target.host}`,
    'connection: close',
    'expect: 100-continue',
    `content-length: ${body.length}`,
    ...Object.entries(opts.headers).map(([k, v]) => `${k}: ${v}`),
  ].join('\r\n');
  const continued = new Promise<void>((resolve, reject) => {
    const check = () => {
      const seen = Buffer.concat(chunks).toString('latin1');
      if (seen.startsWith('HTTP/1.1 100')) resolve();
      else if (seen.includes('\r\n\r\n')) reject(new Error(`expected 100 Continue, got ${seen.slice(0, 40)}`));
      else return;
      socket.off('data', check);
    };
    socket.on('data', check);
  });
  socket.write(`${head}\r\n\r\n`);
  await continued;
  chunks.length = 0;
  socket.write(body.subarray(0, half));
  return {
    async finish() {
      socket.write(body.subarray(half));
      await closed;
      const raw = Buffer.concat(chunks).toString('utf8');
      const split = raw.indexOf('\r\n\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1] ?? 0);
      return { status, json: JSON.parse(raw.slice(split + 4)) as unknown };
    },
  };
}
