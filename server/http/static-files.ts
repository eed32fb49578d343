import { realpath, stat } from 'node:fs/promises';
import { basename, join, relative, resolve, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BullpenError } from '../../contract';

/** Vite's hashed bundle files: a new build gives new names, so they may be cached for good. */
const ASSETS_DIR = 'assets';
const IMMUTABLE = 'public, max-age=31536000, immutable';
const NOT_BUILT = 'The Bullpen app has not been built. Run `npm run build`, then reload.';

function cacheControlFor(root: string, file: string): string {
  const path = relative(root, file);
  if (path.startsWith(ASSETS_DIR + sep)) return IMMUTABLE;
  // index.html names the current hashed bundles: always revalidate it (ETag makes that cheap).
  if (basename(path) === 'index.html') return 'no-cache';
  return 'public, max-age=3600';
}

/** Is `path` (inside the renderer folder by name) also inside it once symlinks are resolved? */
async function staysInside(realRoot: string, path: string): Promise<boolean> {
  const real = await realpath(path).catch(() => null);
  // A missing file is left to the file server (a 404 or the app's route).
  return real === null || real === realRoot || real.startsWith(realRoot + sep);
}

/**
 * Serves the built renderer (a single-page app) with @fastify/static: ETag/Last-Modified and
 * 304s, a year's `immutable` cache for hashed `assets/`, `no-cache` for `index.html`. A path
 * whose symlinks lead out of the folder is a 404. Call `sendApp` from the not-found handler
 * for client-side routes.
 */
export async function registerStaticApp(app: FastifyInstance, rendererDir: string): Promise<void> {
  const root = resolve(rendererDir);
  await app.register(async (scope) => {
    scope.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
      const realRoot = await realpath(root).catch(() => root);
      const wanted = (request.params as { '*'?: string })['*'] ?? '';
      if (!(await staysInside(realRoot, join(root, wanted)))) {
        reply.callNotFound();
        return reply;
      }
    });
    await scope.register(fastifyStatic, {
      root,
      decorateReply: false,
      wildcard: true,
      cacheControl: false,
      dotfiles: 'ignore',
      suppressWarning: true,
      setHeaders: (reply, file) => void reply.header('cache-control', cacheControlFor(root, file)),
    });
  });
}

/**
 * Sends the app's `index.html` (client-side routes), or a 503 saying the app is not built.
 * Needs the reply's `sendFile` (the server registers @fastify/static with `serve: false`).
 */
export async function sendApp(reply: FastifyReply, rendererDir: string): Promise<FastifyReply> {
  const root = resolve(rendererDir);
  const index = await stat(join(root, 'index.html')).catch(() => undefined);
  if (!index?.isFile()) throw new BullpenError('UNAVAILABLE', NOT_BUILT);
  reply.header('cache-control', 'no-cache');
  return reply.sendFile('index.html', root, { cacheControl: false });
}
