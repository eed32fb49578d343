import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { net, protocol, session as electronSession, type Session } from 'electron';
import { buildCsp } from './csp';
import type { Logger } from './logger';

/**
 * The renderer is served from `bullpen-app://app/...` rather than `file://`, so it has a real
 * origin (`bullpen-app://app`, which the server's CORS and socket checks allow), a CSP
 * header on every response, and no access to the rest of the disk.
 */
export const APP_SCHEME = 'bullpen-app';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * The built renderer, next to the bundled main process (`out/main/index.js` →
 * `out/renderer`), which holds both when run from the checkout and inside a packaged asar.
 */
export const RENDERER_DIR = fileURLToPath(new URL('../renderer', import.meta.url));

/**
 * Whether `raw` is a URL of our own renderer. Compared by scheme and host because Node's URL
 * reports `origin === 'null'` for schemes it does not know.
 */
export function isAppUrl(raw: string | undefined | null): boolean {
  if (!raw) return false;
  try {
    const url = new URL(raw);
    return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

/**
 * Registers the scheme's privileges. Electron only accepts this before `app` is ready and
 * only once, so it runs at the top of the main entry.
 *
 * `standard` gives the scheme real origins and relative URL resolution; `secure` makes it a
 * secure context (needed for getUserMedia); `supportFetchAPI` lets the renderer fetch its own
 * assets. `corsEnabled` is deliberately left off: it would let other origins read our files.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.opus': 'audio/ogg',
  '.wav': 'audio/wav',
};

/**
 * Maps a request URL to a file under `rootDir`, or `null` when the URL is not ours or tries
 * to leave the root (`..`, encoded separators, absolute paths, NUL bytes). Paths without a
 * file extension are client-side routes and get `index.html`.
 */
export function resolveAppFile(requestUrl: string, rootDir: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  // The URL parser already folded `..` segments; an encoded one (or a backslash on Windows)
  // only shows up after decoding, so anything suspicious left now is refused outright.
  if (pathname.includes('\0') || pathname.includes('\\') || pathname.split('/').includes('..')) return null;
  const root = resolve(rootDir);
  const relativePath = pathname.replace(/^\/+/, '');
  if (relativePath === '' || extname(relativePath) === '') return resolve(root, 'index.html');
  const file = resolve(root, relativePath);
  const rel = relative(root, file);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('..')) return null;
  return file;
}

export interface AppProtocolOptions {
  log: Logger;
  /** The current server URL, read per response so a changed setting applies on reload. */
  serverUrl: () => string;
  rendererDir?: string;
  session?: Session;
}

/** Builds the `protocol.handle` handler; exported for tests. */
export function createAppProtocolHandler(opts: AppProtocolOptions): (request: Request) => Promise<Response> {
  const rootDir = opts.rendererDir ?? RENDERER_DIR;
  const securityHeaders = (): Record<string, string> => ({
    'content-security-policy': buildCsp(opts.serverUrl()),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
  });
  const notFound = () =>
    new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8', ...securityHeaders() } });

  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response(null, { status: 405, headers: { allow: 'GET, HEAD', ...securityHeaders() } });
    }
    const file = resolveAppFile(request.url, rootDir);
    if (file === null) {
      opts.log.warn('app protocol refused a request', { url: request.url.slice(0, 300) });
      return notFound();
    }
    let fileResponse: Response | undefined;
    try {
      fileResponse = await net.fetch(pathToFileURL(file).toString());
    } catch {
      fileResponse = undefined;
    }
    if (!fileResponse?.ok) {
      if (file !== resolve(rootDir, 'index.html')) return notFound();
      opts.log.error('renderer is not built', { rendererDir: rootDir });
      return new Response('Bullpen has not been built. Run `npm run build`, then restart the app.', {
        status: 503,
        headers: { 'content-type': 'text/plain; charset=utf-8', ...securityHeaders() },
      });
    }
    if (request.method === 'HEAD') await fileResponse.body?.cancel();
    return new Response(request.method === 'HEAD' ? null : fileResponse.body, {
      status: 200,
      headers: {
        'content-type': contentTypes[extname(file).toLowerCase()] ?? 'application/octet-stream',
        'cache-control': 'no-cache',
        ...securityHeaders(),
      },
    });
  };
}

/** Serves the built renderer on `bullpen-app://app/` for the app's session. */
export function setupAppProtocol(opts: AppProtocolOptions): void {
  const ses = opts.session ?? electronSession.defaultSession;
  ses.protocol.handle(APP_SCHEME, createAppProtocolHandler(opts));
  opts.log.info('app protocol ready', { origin: APP_ORIGIN, rendererDir: opts.rendererDir ?? RENDERER_DIR });
}
