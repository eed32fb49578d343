import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BullpenError } from '../../contract';
import type { AuthService, Caller } from '../auth/auth-service';
import type { LogConfig } from './fastify-logger';
import { sendError } from './http-errors';

/** A route as the contract declares it (`routes` and `audioRoutes` in contract/http.ts). */
export interface RouteDef {
  method: string;
  path: string;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  reply?: z.ZodType;
}

type Input<R, K extends string> = R extends { [P in K]: infer S extends z.ZodType } ? z.output<S> : undefined;
type Reply<R extends RouteDef> = R['reply'] extends z.ZodType ? z.output<R['reply']> : never;

/** What a JSON route's handler gets: its validated, typed input and the caller. */
export interface RouteContext<R extends RouteDef, C extends Caller | null> {
  params: Input<R, 'params'>;
  query: Input<R, 'query'>;
  body: Input<R, 'body'>;
  caller: C;
  userAgent: string;
  /** The client's address: the socket's, or `X-Forwarded-For`'s when `trustProxy` allows. */
  address: string;
}

/** What a file route's handler gets: its typed params, the caller, and the reply to stream to. */
export interface FileRouteContext<R extends RouteDef> {
  params: Input<R, 'params'>;
  caller: Caller;
  reply: FastifyReply;
}

/** A file built in memory (an export) that a download route sends as an attachment. */
export interface DownloadFile {
  contentType: string;
  /** ASCII file name for Content-Disposition. */
  fileName: string;
  body: string;
}

type Handler<R extends RouteDef, C extends Caller | null> = (ctx: RouteContext<R, C>) => Promise<Reply<R>>;

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The signed-in caller of an authenticated route. Set before the body is read (so strangers
     * are refused early) and resolved again once it has arrived (see `#json`).
     */
    caller: Caller | null;
  }
}

const ALL_METHODS: HTTPMethods[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * Declares the contract's routes on Fastify. Params, query and body are validated by the
 * route's zod schemas (fastify-type-provider-zod) before the handler runs, and the reply is
 * checked against its schema inside the `{ ok: true, value }` envelope. Authenticated routes
 * resolve the caller first, so an unsigned request is refused before its body is read, and
 * again after the body has arrived, so a request runs with the rights its caller holds when it
 * runs, not those held when its headers came (a demotion or sign-out in between counts). Each
 * path answers other methods with 405 and `Allow` (see `finish()`).
 */
export class ContractRoutes {
  readonly #app: FastifyInstance;
  readonly #auth: AuthService;
  readonly #methods = new Map<string, Set<string>>();

  constructor(app: FastifyInstance, auth: AuthService) {
    this.#app = app;
    this.#auth = auth;
    if (!app.hasRequestDecorator('caller')) app.decorateRequest('caller', null);
  }

  /** A JSON route anyone may call. */
  public<R extends RouteDef>(def: R, handler: Handler<R, null>, config: LogConfig = {}): void {
    this.#json(def, false, handler as Handler<RouteDef, Caller | null>, config);
  }

  /** A JSON route for signed-in callers; role checks belong to the service it calls. */
  authed<R extends RouteDef>(def: R, handler: Handler<R, Caller>): void {
    this.#json(def, true, handler as Handler<RouteDef, Caller | null>, {});
  }

  /** An authenticated route that streams a file (audio) instead of a JSON envelope. */
  file<R extends RouteDef>(def: R, handler: (ctx: FileRouteContext<R>) => Promise<FastifyReply>): void {
    this.#track(def);
    this.#app.withTypeProvider<ZodTypeProvider>().route({
      method: def.method as HTTPMethods,
      url: def.path,
      schema: def.params ? { params: def.params } : {},
      onRequest: this.#authenticate,
      handler: (request, reply) => handler({ params: request.params as Input<R, 'params'>, caller: request.caller!, reply }),
    });
  }

  /**
   * An authenticated route that sends a file built in memory (a CSV export) as an attachment:
   * params and query validated like a JSON route's, errors as the usual envelope.
   */
  download<R extends RouteDef>(def: R, handler: (ctx: { params: Input<R, 'params'>; query: Input<R, 'query'>; caller: Caller }) => Promise<DownloadFile>): void {
    this.#track(def);
    this.#app.withTypeProvider<ZodTypeProvider>().route({
      method: def.method as HTTPMethods,
      url: def.path,
      schema: { ...(def.params ? { params: def.params } : {}), ...(def.query ? { querystring: def.query } : {}) },
      onRequest: this.#authenticate,
      handler: async (request, reply) => {
        const file = await handler({ params: request.params as never, query: request.query as never, caller: request.caller! });
        return reply
          .header('content-type', file.contentType)
          .header('content-disposition', `attachment; filename="${file.fileName}"`)
          .header('cache-control', 'no-store')
          .send(file.body);
      },
    });
  }

  /** Answers every undeclared method on a declared path with 405 and the `Allow` it has. */
  finish(): void {
    for (const [path, declared] of this.#methods) {
      const allowed = declared.has('GET') ? [...declared, 'HEAD'] : [...declared];
      const others = ALL_METHODS.filter((m) => !allowed.includes(m));
      if (others.length === 0) continue;
      const allow = allowed.join(', ');
      this.#app.route({
        method: others,
        url: path,
        handler: (request, reply) =>
          sendError(reply, {
            status: 405,
            headers: { allow },
            error: { code: 'BAD_REQUEST', message: `${request.method} is not supported on ${path}; use ${allow}` },
          }),
      });
    }
  }

  #track(def: RouteDef): void {
    const methods = this.#methods.get(def.path) ?? new Set<string>();
    methods.add(def.method);
    this.#methods.set(def.path, methods);
  }

  readonly #authenticate = async (request: FastifyRequest): Promise<void> => {
    request.caller = await this.#resolveCaller(request);
  };

  #resolveCaller(request: FastifyRequest): Promise<Caller> {
    const header = request.headers.authorization;
    return this.#auth.authenticate(header?.startsWith('Bearer ') ? header.slice(7) : undefined);
  }

  #json(def: RouteDef, authenticated: boolean, handler: Handler<RouteDef, Caller | null>, config: LogConfig): void {
    if (!def.reply) throw new BullpenError('INTERNAL', `Route ${def.path} declares no reply`);
    this.#track(def);
    this.#app.withTypeProvider<ZodTypeProvider>().route({
      method: def.method as HTTPMethods,
      url: def.path,
      config,
      schema: {
        // Only the parts a route declares: Fastify warns about a schema key set to undefined.
        ...(def.params ? { params: def.params } : {}),
        ...(def.query ? { querystring: def.query } : {}),
        ...(def.body ? { body: def.body } : {}),
        response: { 200: z.object({ ok: z.literal(true), value: def.reply }) },
      },
      ...(authenticated ? { onRequest: this.#authenticate } : {}),
      handler: async (request, reply) => {
        // A body may take its time to arrive: whoever sent the headers may have been demoted,
        // removed or signed out meanwhile. GET and HEAD carry no body, so the hook's caller is current.
        if (authenticated && request.method !== 'GET' && request.method !== 'HEAD') request.caller = await this.#resolveCaller(request);
        const value = await handler({
          params: request.params as never,
          query: request.query as never,
          body: request.body as never,
          caller: request.caller,
          userAgent: request.headers['user-agent'] ?? 'unknown',
          address: request.ip,
        });
        reply.header('cache-control', 'no-store');
        return { ok: true as const, value };
      },
    });
  }
}
