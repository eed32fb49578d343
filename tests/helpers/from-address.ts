import { request } from 'node:http';
import { resultSchema, routes, type Result } from '../../contract';

type Routes = typeof routes;

/** Where a test request comes from: a real loopback source address, and an optional forged header. */
export interface Source {
  /** Local address to send from, e.g. `127.0.0.2` (all of 127.0.0.0/8 is loopback on Linux). */
  from?: string;
  /** Sent as `X-Forwarded-For`. */
  forwardedFor?: string;
}

/**
 * Calls one public REST route from a chosen loopback address (node:http's `localAddress`), so
 * the server sees a different client without any header trick. Returns the status, the
 * `Retry-After` header and the parsed envelope.
 */
export function apiFrom<N extends keyof Routes>(
  base: string,
  name: N,
  source: Source,
  opts: { body?: unknown; params?: Record<string, string> } = {},
): Promise<{ status: number; retryAfter: string | undefined; result: Result<import('zod').infer<Routes[N]['reply']>> }> {
  const route = routes[name];
  let path: string = route.path;
  for (const [k, v] of Object.entries(opts.params ?? {})) path = path.replace(`:${k}`, encodeURIComponent(v));
  const headers: Record<string, string> = {};
  if (source.forwardedFor) headers['x-forwarded-for'] = source.forwardedFor;
  const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  if (body !== undefined) headers['content-type'] = 'application/json';
  return new Promise((resolve, reject) => {
    const req = request(base + path, { method: route.method, headers, localAddress: source.from ?? '127.0.0.1' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        try {
          const json: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          const retryAfter = res.headers['retry-after'];
          resolve({ status: res.statusCode ?? 0, retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter, result: resultSchema(route.reply).parse(json) as never });
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}
