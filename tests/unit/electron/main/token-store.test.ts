import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.hoisted(() => {
  // See settings.test.ts: lets Node load electron-store's own `electron` import outside the mocks.
  process.env.ELECTRON_OVERRIDE_DIST_PATH ??= `${process.cwd()}/no-electron-binary`;
});

/** A stand-in keychain: reversible, and visibly not the plain token. */
const safeStorage = vi.hoisted(() => ({
  isEncryptionAvailable: vi.fn(() => true),
  getSelectedStorageBackend: vi.fn((): string => 'gnome_libsecret'),
  encryptString: vi.fn((plain: string) => Buffer.from(`sealed:${[...plain].reverse().join('')}`)),
  decryptString: vi.fn((sealed: Buffer) => {
    const text = sealed.toString();
    if (!text.startsWith('sealed:')) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    return [...text.slice('sealed:'.length)].reverse().join('');
  }),
}));
vi.mock('electron', () => ({ app: { getPath: () => '/unused' }, safeStorage }));

import { createLogger } from '../../../../electron/main/logger';
import { TokenStore } from '../../../../electron/main/token-store';

afterAll(() => {
  delete process.env.ELECTRON_OVERRIDE_DIST_PATH;
});

const TOKEN = 'tok_9f3c2a1b7d6e5f40';
let dir: string;
let lines: string[];
const log = createLogger({ write: (_level, line) => lines.push(line) });
const allFiles = () => readdirSync(dir).map((name) => readFileSync(join(dir, name), 'utf8')).join('\n');

beforeEach(() => {
  vi.clearAllMocks();
  dir = mkdtempSync(join(tmpdir(), 'bullpen-token-'));
  lines = [];
  safeStorage.isEncryptionAvailable.mockReturnValue(true);
  safeStorage.getSelectedStorageBackend.mockReturnValue('gnome_libsecret');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('TokenStore with OS encryption', () => {
  it('stores the token encrypted, base64, and reads it back after a restart', () => {
    const tokens = TokenStore.open({ log, cwd: dir, platform: 'linux' });
    expect(tokens.persistent).toBe(true);
    expect(tokens.get()).toBeNull();
    tokens.set(TOKEN);
    expect(tokens.get()).toBe(TOKEN);

    const stored = JSON.parse(readFileSync(join(dir, 'session.json'), 'utf8')) as { sessionToken: string };
    expect(Buffer.from(stored.sessionToken, 'base64').toString()).toMatch(/^sealed:/);
    expect(allFiles()).not.toContain(TOKEN);
    expect(TokenStore.open({ log, cwd: dir, platform: 'linux' }).get()).toBe(TOKEN);
  });

  it('forgets the token on set(null)', () => {
    const tokens = TokenStore.open({ log, cwd: dir, platform: 'darwin' });
    tokens.set(TOKEN);
    tokens.set(null);
    expect(tokens.get()).toBeNull();
    expect(TokenStore.open({ log, cwd: dir, platform: 'darwin' }).get()).toBeNull();
  });

  it('discards a token it can no longer decrypt', () => {
    const tokens = TokenStore.open({ log, cwd: dir, platform: 'win32' });
    tokens.set(TOKEN);
    safeStorage.decryptString.mockImplementationOnce(() => {
      throw new Error('keychain reset');
    });
    expect(tokens.get()).toBeNull();
    expect(tokens.get()).toBeNull();
    expect(lines.some((line) => line.includes('could not be decrypted'))).toBe(true);
  });
});

describe('TokenStore without OS encryption', () => {
  it('keeps the token in memory for this run only and never writes it', () => {
    safeStorage.isEncryptionAvailable.mockReturnValue(false);
    const tokens = TokenStore.open({ log, cwd: dir, platform: 'linux' });
    expect(tokens.persistent).toBe(false);
    tokens.set(TOKEN);
    expect(tokens.get()).toBe(TOKEN);
    expect(allFiles()).not.toContain(TOKEN);
    expect(safeStorage.encryptString).not.toHaveBeenCalledWith(TOKEN);
    expect(TokenStore.open({ log, cwd: dir, platform: 'linux' }).get()).toBeNull();
    const warning = lines.find((line) => line.includes('in memory only'));
    expect(warning).toContain('"level":"warn"');
    expect(warning).toContain('safeStorage');
  });

  it('treats the Linux basic_text backend (no keyring) as unavailable', () => {
    safeStorage.getSelectedStorageBackend.mockReturnValue('basic_text');
    const tokens = TokenStore.open({ log, cwd: dir, platform: 'linux' });
    expect(tokens.persistent).toBe(false);
    tokens.set(TOKEN);
    expect(allFiles()).not.toContain('sealed');
    expect(lines.some((line) => line.includes('basic_text'))).toBe(true);
  });
});
