import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rendererCsp } from '../../contract';
import { rawRequest, type RawResponse } from '../helpers/raw-http';
import { startTestServer, type TestServer } from '../helpers/test-server';

const INDEX_HTML = '<!doctype html><html><head><script type="module" src="/assets/index-Ab12Cd34.js"></script></head><body><div id="root"></div></body></html>';
// Big enough (and repetitive enough) for the compressor to bother.
const BUNDLE = `export const words = ${JSON.stringify(Array.from({ length: 400 }, (_, i) => `word-${i % 20}`))};\n`;
const SECRET = 'secret outside the renderer folder';

let dir: string;
let server: TestServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bullpen-renderer-'));
  const renderer = join(dir, 'renderer');
  await mkdir(join(renderer, 'assets'), { recursive: true });
  await writeFile(join(renderer, 'index.html'), INDEX_HTML);
  await writeFile(join(renderer, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  await writeFile(join(renderer, 'assets', 'index-Ab12Cd34.js'), BUNDLE);
  await writeFile(join(dir, 'outside.txt'), SECRET);
  // Symlinks leading out of the folder, as a careless deploy or an attacker's upload might leave.
  await symlink(join(dir, 'outside.txt'), join(renderer, 'assets', 'leak-Zz99.js'));
  await symlink(dir, join(renderer, 'escape'));
  server = await startTestServer({ rendererDir: renderer });
});

afterAll(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

function expectSecurityHeaders(res: RawResponse): void {
  expect(res.headers['content-security-policy']).toBe(rendererCsp(["'self'"]));
  expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['x-frame-options']).toBe('DENY');
  expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
  expect(res.headers['permissions-policy']).toContain('camera=()');
  expect(res.headers['referrer-policy']).toBe('no-referrer');
}

function expectEnvelope(res: RawResponse, status: number, code: string): { code: string; message: string } {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  const body = res.json() as { ok: boolean; error: { code: string; message: string } };
  expect(body).toMatchObject({ ok: false, error: { code } });
  expectSecurityHeaders(res);
  return body.error;
}

describe('the built web app', () => {
  it('serves a hashed asset with ETag, Last-Modified and a year of immutable cache, then 304', async () => {
    const first = await rawRequest(`${server.url}/assets/index-Ab12Cd34.js`);
    expect(first.status).toBe(200);
    expect(first.body.toString()).toBe(BUNDLE);
    expect(first.headers['content-type']).toMatch(/^(text|application)\/javascript/);
    expect(first.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(first.headers.etag).toBeTruthy();
    expect(first.headers['last-modified']).toBeTruthy();
    expectSecurityHeaders(first);

    const again = await rawRequest(`${server.url}/assets/index-Ab12Cd34.js`, { headers: { 'if-none-match': String(first.headers.etag) } });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expectSecurityHeaders(again);
    const since = await rawRequest(`${server.url}/assets/index-Ab12Cd34.js`, { headers: { 'if-modified-since': String(first.headers['last-modified']) } });
    expect(since.status).toBe(304);
    const head = await rawRequest(`${server.url}/assets/index-Ab12Cd34.js`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
  });

  it('serves index.html with no-cache, at / and for client-side routes', async () => {
    for (const path of ['/', '/index.html', '/library', '/clips/abc123?t=5', '/team/members']) {
      const res = await rawRequest(server.url + path);
      expect(res.status, path).toBe(200);
      expect(res.headers['content-type'], path).toMatch(/^text\/html/);
      expect(res.headers['cache-control'], path).toBe('no-cache');
      expect(res.body.toString(), path).toBe(INDEX_HTML);
      expectSecurityHeaders(res);
    }
    const favicon = await rawRequest(`${server.url}/favicon.svg`);
    expect(favicon.headers['cache-control']).toBe('public, max-age=3600');
  });

  it('answers a missing bundle file with a real 404, never index.html', async () => {
    const res = await rawRequest(`${server.url}/assets/nope.js`);
    expect(expectEnvelope(res, 404, 'NOT_FOUND').message).toContain('/assets/nope.js');
    expect(res.body.toString()).not.toContain('<html');
  });

  it('follows no symlink out of the renderer folder', async () => {
    const leak = await rawRequest(`${server.url}/assets/leak-Zz99.js`);
    expect(leak.status).toBe(404);
    expect(leak.body.toString()).not.toContain(SECRET);
    const escape = await rawRequest(`${server.url}/escape/outside.txt`);
    expect(escape.body.toString()).not.toContain(SECRET);
    const dotdot = await rawRequest(`${server.url}/assets/..%2f..%2foutside.txt`);
    expect(dotdot.body.toString()).not.toContain(SECRET);
  });

  it('compresses text assets with brotli or gzip as the client accepts', async () => {
    const br = await rawRequest(`${server.url}/assets/index-Ab12Cd34.js`, { headers: { 'accept-encoding': 'br, gzip' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(br.body.length).toBeLessThan(BUNDLE.length / 2);
    expect(brotliDecompressSync(br.body).toString()).toBe(BUNDLE);
    const gzip = await rawRequest(`${server.url}/assets/index-Ab12Cd34.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.body).toString()).toBe(BUNDLE);
    const plain = await rawRequest(`${server.url}/assets/index-Ab12Cd34.js`);
    expect(plain.headers['content-encoding']).toBeUndefined();
  });

  it('refuses methods other than GET and HEAD on app paths with 405 and Allow', async () => {
    const res = await rawRequest(`${server.url}/index.html`, { method: 'POST' });
    expectEnvelope(res, 405, 'BAD_REQUEST');
    expect(res.headers.allow).toBe('GET, HEAD');
  });

  it('says the app is not built (503) when the renderer folder has no index.html', async () => {
    const bare = await startTestServer({ rendererDir: join(dir, 'no-such-folder') });
    try {
      const res = await rawRequest(`${bare.url}/library`);
      expect(expectEnvelope(res, 503, 'UNAVAILABLE').message).toMatch(/not been built.*npm run build/);
    } finally {
      await bare.stop();
    }
  });
});

describe('API edges', () => {
  it('answers a wrong method on an API path with 405 and the methods it allows', async () => {
    const res = await rawRequest(`${server.url}/api/me`, { method: 'PUT' });
    expect(expectEnvelope(res, 405, 'BAD_REQUEST').message).toBe('PUT is not supported on /api/me; use GET, HEAD');
    expect(res.headers.allow).toBe('GET, HEAD');
    const post = await rawRequest(`${server.url}/api/clips/abc`, { method: 'POST' });
    expectEnvelope(post, 405, 'BAD_REQUEST');
    expect(post.headers.allow).toBe('GET, PATCH, DELETE, HEAD');
  });

  it('answers an unknown API route with 404, whatever the method', async () => {
    for (const method of ['GET', 'POST', 'DELETE']) {
      const res = await rawRequest(`${server.url}/api/nope`, { method });
      expect(expectEnvelope(res, 404, 'NOT_FOUND').message).toBe('No API route /api/nope');
    }
  });

  it('refuses a body over 64 KB with 413, bad JSON and non-JSON bodies with 400/415', async () => {
    const json = { 'content-type': 'application/json' };
    const big = await rawRequest(`${server.url}/api/setup`, { method: 'POST', headers: json, body: JSON.stringify({ teamName: 'x'.repeat(70_000) }) });
    expectEnvelope(big, 413, 'PAYLOAD_TOO_LARGE');
    const bad = await rawRequest(`${server.url}/api/setup`, { method: 'POST', headers: json, body: '{not json' });
    expect(expectEnvelope(bad, 400, 'BAD_REQUEST').message).toBe('Request body is not valid JSON');
    const proto = await rawRequest(`${server.url}/api/setup`, { method: 'POST', headers: json, body: '{"__proto__":{"admin":true}}' });
    expectEnvelope(proto, 400, 'BAD_REQUEST');
    const text = await rawRequest(`${server.url}/api/setup`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
    expect(expectEnvelope(text, 415, 'BAD_REQUEST').message).toBe('Send the body as application/json');
  });

  it('puts security headers and no-store on API replies', async () => {
    const res = await rawRequest(`${server.url}/api/setup`);
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ ok: true, value: { needsSetup: true } });
    expect(res.headers['cache-control']).toBe('no-store');
    expectSecurityHeaders(res);
  });
});

describe('socket.io on the same server', () => {
  it('answers its own requests with the same security headers', async () => {
    const res = await rawRequest(`${server.url}/socket.io/?EIO=4&transport=polling`);
    expect(res.status).toBe(200);
    expect(res.body.toString()).toMatch(/^0\{"sid"/);
    expectSecurityHeaders(res);
  });
});
