import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { BullpenError, httpStatusFor, MAX_JSON_BODY_BYTES, parse, type AppError, type Result } from '../../contract';
import type { AuthService, Caller } from '../auth/auth-service';
import type { Logger } from '../logger';

interface RouteDef {
  method: string;
  path: string;
  body?: z.ZodType;
  query?: z.ZodType;
  reply: z.ZodType;
}

type BodyOf<R extends RouteDef> = R['body'] extends z.ZodType ? z.infer<R['body']> : undefined;
type QueryOf<R extends RouteDef> = R['query'] extends z.ZodType ? z.infer<R['query']> : undefined;

export interface RequestContext<R extends RouteDef, C extends Caller | null> {
  params: Record<string, string>;
  body: BodyOf<R>;
  query: QueryOf<R>;
  caller: C;
  userAgent: string;
  address: string;
}

interface Entry {
  def: RouteDef;
  pattern: RegExp;
  paramNames: string[];
  authenticated: boolean;
  handler: (ctx: RequestContext<RouteDef, Caller | null>) => Promise<unknown> | unknown;
  /** A route that writes its own response (files), not a JSON `Result`. */
  raw?: (ctx: RawContext, req: IncomingMessage, res: ServerResponse) => Promise<void> | void;
}

/** What a raw (file) route gets: its path parameters and the authenticated caller. */
export interface RawContext {
  params: Record<string, string>;
  caller: Caller;
}

function compile(path: string): { pattern: RegExp; paramNames: string[] } {
  const paramNames: string[] = [];
  const source = path
    .split('/')
    .map((part) => {
      if (!part.startsWith(':')) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      paramNames.push(part.slice(1));
      return '([A-Za-z0-9_-]{1,64})';
    })
    .join('/');
  return { pattern: new RegExp(`^${source}$`), paramNames };
}

export function sendJson(res: ServerResponse, status: number, payload: unknown): void {
  const body = JSON.stringify(payload);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(body);
}

function sendError(res: ServerResponse, error: AppError): void {
  const result: Result<never> = { ok: false, error };
  sendJson(res, httpStatusFor[error.code], result);
}

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_JSON_BODY_BYTES) throw new BullpenError('PAYLOAD_TOO_LARGE', 'Request body is too large');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_JSON_BODY_BYTES) throw new BullpenError('PAYLOAD_TOO_LARGE', 'Request body is too large');
    chunks.push(chunk);
  }
  if (size === 0) return {};
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('application/json')) throw new BullpenError('BAD_REQUEST', 'Send the body as application/json');
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new BullpenError('BAD_REQUEST', 'Request body is not valid JSON');
  }
}

/**
 * A small JSON router over the contract's route table: parses and validates bodies,
 * authenticates callers, and turns every outcome into a `Result` envelope.
 */
export class Router {
  readonly #entries: Entry[] = [];
  readonly #auth: AuthService;
  readonly #log: Logger;

  constructor(auth: AuthService, log: Logger) {
    this.#auth = auth;
    this.#log = log;
  }

  /** A route anyone may call. */
  public<R extends RouteDef>(def: R, handler: (ctx: RequestContext<R, null>) => Promise<z.infer<R['reply']>> | z.infer<R['reply']>): void {
    this.#entries.push({ def, ...compile(def.path), authenticated: false, handler: handler as Entry['handler'] });
  }

  /** A route for signed-in callers; role checks happen in the handler. */
  authed<R extends RouteDef>(def: R, handler: (ctx: RequestContext<R, Caller>) => Promise<z.infer<R['reply']>> | z.infer<R['reply']>): void {
    this.#entries.push({ def, ...compile(def.path), authenticated: true, handler: handler as Entry['handler'] });
  }

  /**
   * An authenticated GET route that writes its own response (audio files). Errors before the
   * response starts are still sent as JSON `Result`s.
   */
  rawGet(path: string, handler: NonNullable<Entry['raw']>): void {
    const def: RouteDef = { method: 'GET', path, reply: undefined as unknown as z.ZodType };
    this.#entries.push({ def, ...compile(path), authenticated: true, handler: () => undefined, raw: handler });
  }

  /** Handles the request if it is an API route; returns false otherwise. */
  async handle(req: IncomingMessage, res: ServerResponse, pathname: string, search = ''): Promise<boolean> {
    if (!pathname.startsWith('/api/')) return false;
    const candidates = this.#entries.filter((e) => e.pattern.test(pathname));
    if (candidates.length === 0) {
      sendError(res, { code: 'NOT_FOUND', message: `No API route ${pathname}` });
      return true;
    }
    const entry = candidates.find((e) => e.def.method === req.method || (e.raw && req.method === 'HEAD'));
    if (!entry) {
      sendError(res, { code: 'BAD_REQUEST', message: `${req.method} is not supported on ${pathname}` });
      return true;
    }
    try {
      const match = entry.pattern.exec(pathname)!;
      const params = Object.fromEntries(entry.paramNames.map((name, i) => [name, match[i + 1] ?? '']));
      const header = req.headers.authorization;
      const caller = entry.authenticated
        ? await this.#auth.authenticate(header?.startsWith('Bearer ') ? header.slice(7) : undefined)
        : null;
      if (entry.raw) {
        await entry.raw({ params, caller: caller! }, req, res);
        return true;
      }
      let query: unknown = undefined;
      if (entry.def.query) {
        const parsed = parse(entry.def.query, Object.fromEntries(new URLSearchParams(search)));
        if (!parsed.ok) return (sendError(res, parsed.error), true);
        query = parsed.value;
      }
      let body: unknown = undefined;
      if (entry.def.body) {
        const parsed = parse(entry.def.body, await readJsonBody(req));
        if (!parsed.ok) return (sendError(res, parsed.error), true);
        body = parsed.value;
      }
      const value = await entry.handler({
        params,
        body: body as never,
        query: query as never,
        caller,
        userAgent: String(req.headers['user-agent'] ?? 'unknown'),
        address: req.socket.remoteAddress ?? 'unknown',
      });
      sendJson(res, 200, { ok: true, value });
    } catch (error) {
      if (res.headersSent) {
        this.#log.warn('response failed after it started', { method: req.method, path: pathname, error });
        res.destroy();
      } else if (error instanceof BullpenError) {
        sendError(res, { code: error.code, message: error.message });
      } else {
        this.#log.error('request failed', { method: req.method, path: pathname, error });
        sendError(res, { code: 'INTERNAL', message: 'Something went wrong on the server. Try again.' });
      }
    }
    return true;
  }
}
