import { resolve } from 'node:path';
import fastifyCompress from '@fastify/compress';
import fastifyCors from '@fastify/cors';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { MAX_JSON_BODY_BYTES, rendererCsp } from '../../contract';
import type { ServerConfig } from '../config';
import type { Logger } from '../logger';
import { fastifyLogger, RequestLogController, requestId } from './fastify-logger';
import { handleError, sendError } from './http-errors';
import { registerStaticApp, sendApp } from './static-files';

/** The CSP of the browser shell: nothing but our own origin, no inline code, no framing. */
export const BROWSER_CSP = rendererCsp(["'self'"]);

/** Sent on every response (files, API replies and errors alike, socket.io's too). */
export const SECURITY_HEADERS = {
  'content-security-policy': BROWSER_CSP,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'microphone=(self), camera=(), geolocation=()',
};

function trustHops(hops: number): (address: string, hop: number) => boolean {
  return (_address, hop) => hop < hops;
}

export interface HttpServerOptions {
  config: Pick<ServerConfig, 'rendererDir' | 'trustProxy' | 'logLevel'>;
  log: Logger;
  /** Origins (besides our own) whose pages may call the API: the desktop app's, configured ones. */
  allowedOrigins: string[];
}

/**
 * Fastify with Bullpen's edges: request ids and one log line per request in our log format,
 * security headers on every response, CORS for the allowed origins, compression, a 64 KB JSON
 * body limit, zod validation and reply checking, one error handler that answers every failure
 * with a `Result` envelope, and the built web app with its client-side routes. Routes are
 * added by the caller (`ContractRoutes`) before `listen`.
 */
export async function createHttpServer(opts: HttpServerOptions): Promise<FastifyInstance> {
  const { config, log } = opts;
  const rendererDir = resolve(config.rendererDir);
  const app: FastifyInstance = Fastify({
    loggerInstance: fastifyLogger(log, config.logLevel),
    logController: new RequestLogController(),
    genReqId: requestId,
    // A hop count trusts that many proxies nearest to us (proxy-addr's meaning of a number).
    trustProxy: typeof config.trustProxy === 'number' ? trustHops(config.trustProxy) : config.trustProxy,
    bodyLimit: MAX_JSON_BODY_BYTES,
    // On close, end every open connection (as before: closeAllConnections), not wait for idle ones.
    forceCloseConnections: true,
    return503OnClosing: true,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // JSON only: a text body is refused with 415 rather than handed to a schema as a string.
  app.removeContentTypeParser('text/plain');
  app.setErrorHandler(handleError);

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    reply.headers(SECURITY_HEADERS).header('x-request-id', request.id);
  });

  await app.register(fastifyCors, {
    origin: opts.allowedOrigins,
    methods: ['GET', 'HEAD', 'POST', 'PATCH', 'PUT', 'DELETE'],
    allowedHeaders: ['authorization', 'content-type'],
    maxAge: 600,
  });
  await app.register(fastifyCompress, { encodings: ['br', 'gzip'] });
  // `reply.sendFile` for audio and the app's index.html; the renderer folder is served below.
  await app.register(fastifyStatic, { serve: false, root: rendererDir, suppressWarning: true });
  await registerStaticApp(app, rendererDir);

  app.setNotFoundHandler(async (request, reply) => {
    const path = request.url.split('?', 1)[0]!;
    if (path.startsWith('/api/') || path === '/api') {
      return sendError(reply, { status: 404, error: { code: 'NOT_FOUND', message: `No API route ${path}` } });
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return sendError(reply, {
        status: 405,
        headers: { allow: 'GET, HEAD' },
        error: { code: 'BAD_REQUEST', message: `${request.method} is not supported on ${path}; use GET, HEAD` },
      });
    }
    // A missing bundle file is a real 404: answering index.html would hand a page to a script tag.
    if (path.startsWith('/assets/')) return sendError(reply, { status: 404, error: { code: 'NOT_FOUND', message: `No file ${path}` } });
    return sendApp(reply, rendererDir);
  });
  return app;
}
