import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => ({
  // Electron's net.fetch reads file:// URLs; Node's fetch does not, so read them directly.
  net: {
    fetch: vi.fn(async (url: string) => {
      const { readFile } = await import('node:fs/promises');
      const { fileURLToPath: toPath } = await import('node:url');
      try {
        return new Response(await readFile(toPath(url)));
      } catch {
        return new Response(null, { status: 404 });
      }
    }),
  },
  protocol: { registerSchemesAsPrivileged: vi.fn() },
}));
vi.mock('electron', () => electron);

import {
  APP_ORIGIN,
  createAppProtocolHandler,
  isAppUrl,
  registerAppScheme,
  resolveAppFile,
} from '../../../../electron/main/app-protocol';
import { createLogger } from '../../../../electron/main/logger';

let root: string;
let lines: string[];
const log = createLogger({ write: (_level, line) => lines.push(line) });

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'bullpen-renderer-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Bullpen</title>');
  writeFileSync(join(root, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(join(root, '..', `secret-${root.split(/[\\/]/).pop()}.txt`), 'secret');
  lines = [];
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(join(root, '..', `secret-${root.split(/[\\/]/).pop()}.txt`), { force: true });
});

describe('app scheme', () => {
  it('is registered as a standard, secure scheme without CORS', () => {
    registerAppScheme();
    const [schemes] = electron.protocol.registerSchemesAsPrivileged.mock.calls[0]!;
    expect(schemes).toEqual([{ scheme: 'bullpen-app', privileges: expect.objectContaining({ standard: true, secure: true }) }]);
    expect(schemes[0].privileges.corsEnabled).toBeFalsy();
    expect(schemes[0].privileges.bypassCSP).toBeFalsy();
  });

  it('recognises only our own origin', () => {
    expect(APP_ORIGIN).toBe('bullpen-app://app');
    expect(isAppUrl('bullpen-app://app/index.html')).toBe(true);
    expect(isAppUrl('bullpen-app://app')).toBe(true);
    for (const url of ['bullpen-app://evil/index.html', 'https://app/index.html', 'bullpen-app://user@app/', 'file:///index.html', '', null, undefined]) {
      expect(isAppUrl(url), String(url)).toBe(false);
    }
  });
});

describe('resolveAppFile', () => {
  it('maps our URLs to files under the renderer directory', () => {
    expect(resolveAppFile('bullpen-app://app/', root)).toBe(join(root, 'index.html'));
    expect(resolveAppFile('bullpen-app://app/assets/index-abc.js', root)).toBe(join(root, 'assets', 'index-abc.js'));
    expect(resolveAppFile('bullpen-app://app/assets/index-abc.js?v=1#x', root)).toBe(join(root, 'assets', 'index-abc.js'));
    // Client-side routes get the app.
    expect(resolveAppFile('bullpen-app://app/library/clips', root)).toBe(join(root, 'index.html'));
  });

  it('refuses to leave the renderer directory', () => {
    for (const url of [
      'bullpen-app://app/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      'bullpen-app://app/..%2f..%2fsecret.txt',
      'bullpen-app://app/..%5c..%5csecret.txt',
      'bullpen-app://app/index.html%00.js',
      'bullpen-app://app/%E0%A4%A',
      'bullpen-app://other/index.html',
      'file:///etc/passwd',
    ]) {
      expect(resolveAppFile(url, root), url).toBeNull();
    }
    // `..` segments (plain or as %2e%2e) that the URL parser folds away stay inside the root.
    expect(resolveAppFile('bullpen-app://app/../../secret.txt', root)).toBe(join(root, 'secret.txt'));
    expect(resolveAppFile('bullpen-app://app/%2e%2e/secret.txt', root)).toBe(join(root, 'secret.txt'));
  });
});

describe('app protocol handler', () => {
  const handler = () => createAppProtocolHandler({ log, serverUrl: () => 'https://bullpen.example.com', rendererDir: root });

  it('serves the renderer with the CSP for the configured server', async () => {
    const response = await handler()(new Request('bullpen-app://app/index.html'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain('connect-src https://bullpen.example.com wss://bullpen.example.com');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain('<title>Bullpen</title>');

    const script = await handler()(new Request('bullpen-app://app/assets/index-abc.js'));
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toBe('console.log(1)');
  });

  it('answers 404, still with the CSP, for traversal and missing files', async () => {
    for (const url of ['bullpen-app://app/..%2f..%2fsecret.txt', 'bullpen-app://app/%2e%2e/secret.txt', 'bullpen-app://app/assets/missing.js']) {
      const response = await handler()(new Request(url));
      expect(response.status, url).toBe(404);
      expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(await response.text()).not.toContain('secret');
    }
    expect(lines.some((line) => line.includes('refused a request'))).toBe(true);
  });

  it('accepts only GET and HEAD', async () => {
    const response = await handler()(new Request('bullpen-app://app/index.html', { method: 'POST', body: 'x' }));
    expect(response.status).toBe(405);
    const head = await handler()(new Request('bullpen-app://app/index.html', { method: 'HEAD' }));
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('explains when the renderer has not been built', async () => {
    rmSync(join(root, 'index.html'));
    const response = await handler()(new Request('bullpen-app://app/'));
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('npm run build');
  });

  it('reads the server URL for every response', async () => {
    let serverUrl = 'http://localhost:4280';
    const serve = createAppProtocolHandler({ log, serverUrl: () => serverUrl, rendererDir: root });
    expect((await serve(new Request('bullpen-app://app/'))).headers.get('content-security-policy')).toContain('ws://localhost:4280');
    serverUrl = 'https://bullpen.example.com';
    expect((await serve(new Request('bullpen-app://app/'))).headers.get('content-security-policy')).toContain('wss://bullpen.example.com');
  });
});
