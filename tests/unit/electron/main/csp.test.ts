import { describe, expect, it } from 'vitest';
import { buildCsp, serverConnectSources } from '../../../../electron/main/csp';

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp.split(';').map((part) => {
      const [name, ...values] = part.trim().split(/\s+/);
      return [name!, values];
    }),
  );
}

describe('buildCsp', () => {
  it('denies by default and allows only our own bundle to run', () => {
    const csp = directives(buildCsp('http://localhost:4280'));
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('style-src')).toEqual(["'self'"]);
    expect(csp.get('img-src')).toEqual(["'self'", 'data:']);
    expect(csp.get('media-src')).toEqual(["'self'", 'blob:', 'mediastream:']);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('form-action')).toEqual(["'none'"]);
  });

  it('never allows inline or evaluated code', () => {
    const csp = buildCsp('https://bullpen.example.com');
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toMatch(/\*/);
  });

  it('connects only to the configured server, over http(s) and its websocket origin', () => {
    expect(directives(buildCsp('http://localhost:4280')).get('connect-src')).toEqual(['http://localhost:4280', 'ws://localhost:4280']);
    expect(directives(buildCsp('https://bullpen.example.com/some/path?q=1')).get('connect-src')).toEqual([
      'https://bullpen.example.com',
      'wss://bullpen.example.com',
    ]);
    expect(directives(buildCsp('https://bullpen.example.com:8443')).get('connect-src')).toEqual([
      'https://bullpen.example.com:8443',
      'wss://bullpen.example.com:8443',
    ]);
  });

  it("falls back to connect-src 'none' for a server URL it cannot trust", () => {
    for (const bad of ['', 'not a url', 'ftp://files.example.com', 'javascript:alert(1)', 'https://user:pw@example.com']) {
      expect(serverConnectSources(bad)).toEqual([]);
      expect(directives(buildCsp(bad)).get('connect-src')).toEqual(["'none'"]);
    }
  });

  it('cannot be widened by a crafted URL', () => {
    const csp = buildCsp("https://example.com/'unsafe-inline'; script-src *");
    expect(directives(csp).get('connect-src')).toEqual(['https://example.com', 'wss://example.com']);
    expect(directives(csp).get('script-src')).toEqual(["'self'"]);
  });
});
