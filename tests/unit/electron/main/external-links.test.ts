import { beforeEach, describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => ({ shell: { openExternal: vi.fn(async (_url: string) => {}) } }));
vi.mock('electron', () => electron);

import { openExternalLink, sanitizeExternalUrl } from '../../../../electron/main/external-links';
import { createLogger } from '../../../../electron/main/logger';

describe('sanitizeExternalUrl', () => {
  it('keeps http, https and mailto links, rebuilt from their parts', () => {
    expect(sanitizeExternalUrl('https://example.com/a/b?c=1#d')).toBe('https://example.com/a/b?c=1#d');
    expect(sanitizeExternalUrl('HTTP://Example.COM:8080/x')).toBe('http://example.com:8080/x');
    expect(sanitizeExternalUrl('  https://example.com  ')).toBe('https://example.com/');
    expect(sanitizeExternalUrl('https://example.com/%2e%2e/a b')).toBe('https://example.com/a%20b');
    expect(sanitizeExternalUrl('mailto:coach@example.com?subject=Clip')).toBe('mailto:coach@example.com?subject=Clip');
  });

  it('refuses every other scheme', () => {
    for (const url of [
      'javascript:alert(1)',
      'file:///etc/passwd',
      'data:text/html,<script>alert(1)</script>',
      'smb://server/share',
      'slack://open',
      'ms-msdt:/id PCWDiagnostic',
      'bullpen-app://app/index.html',
      'vbscript:msgbox',
    ]) {
      expect(sanitizeExternalUrl(url), url).toBeNull();
    }
  });

  it('refuses malformed, credentialed, host-less or oversized links', () => {
    expect(sanitizeExternalUrl('')).toBeNull();
    expect(sanitizeExternalUrl('not a url')).toBeNull();
    expect(sanitizeExternalUrl('https://user:secret@example.com/')).toBeNull();
    expect(sanitizeExternalUrl('mailto:')).toBeNull();
    expect(sanitizeExternalUrl(`https://example.com/${'a'.repeat(2000)}`)).toBeNull();
    expect(sanitizeExternalUrl(42 as unknown as string)).toBeNull();
  });
});

describe('openExternalLink', () => {
  const lines: string[] = [];
  const log = createLogger({ write: (_level, line) => lines.push(line) });
  beforeEach(() => {
    electron.shell.openExternal.mockClear();
    lines.length = 0;
  });

  it('hands only the sanitized URL to the OS', async () => {
    await expect(openExternalLink('HTTPS://Example.com/x', log)).resolves.toBe(true);
    expect(electron.shell.openExternal).toHaveBeenCalledExactlyOnceWith('https://example.com/x');
  });

  it('refuses, logs and never calls the OS for anything else', async () => {
    await expect(openExternalLink('file:///C:/Windows/System32/calc.exe', log)).resolves.toBe(false);
    expect(electron.shell.openExternal).not.toHaveBeenCalled();
    expect(lines.join('\n')).toContain('refused to open external link');
  });
});
