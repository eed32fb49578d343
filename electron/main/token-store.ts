import { app, safeStorage } from 'electron';
import Store from 'electron-store';
import type { Logger } from './logger';

interface TokenFile {
  /** The session token encrypted by safeStorage, base64. Never the plain token. */
  sessionToken?: string;
}

export interface TokenStoreOptions {
  log: Logger;
  /** Directory of `session.json`; the app's userData directory in production. */
  cwd: string;
  platform?: NodeJS.Platform;
}

/**
 * Why the OS cannot protect a secret for us, or `null` when it can. On Linux, the
 * `basic_text` backend (no keyring running) "encrypts" with a hard-coded key, which is no
 * better than plain text, so it counts as unavailable.
 */
function encryptionProblem(platform: NodeJS.Platform): string | null {
  if (!safeStorage.isEncryptionAvailable()) return 'OS encryption (safeStorage) is not available';
  if (platform === 'linux') {
    const backend = safeStorage.getSelectedStorageBackend();
    if (backend === 'basic_text' || backend === 'unknown') return `no OS keyring available (safeStorage backend: ${backend})`;
  }
  return null;
}

/**
 * The signed-in session token. Encrypted with the OS keychain through `safeStorage` and kept
 * base64-encoded in `session.json`; when the OS cannot encrypt, the token lives in memory for
 * this run only (the person signs in again next time) and is never written in plain text.
 */
export class TokenStore {
  readonly #store: Store<TokenFile>;
  readonly #log: Logger;
  readonly #persistent: boolean;
  #memoryToken: string | null = null;

  /** Must be called after the app is ready (safeStorage needs it on Linux and Windows). */
  static open(opts: TokenStoreOptions): TokenStore {
    const log = opts.log.child({ module: 'token-store' });
    const problem = encryptionProblem(opts.platform ?? process.platform);
    if (problem !== null) {
      log.warn('session token will be kept in memory only for this run; you will need to sign in again next time', {
        reason: problem,
      });
    }
    const store = new Store<TokenFile>({ name: 'session', cwd: opts.cwd });
    return new TokenStore(store, log, problem === null);
  }

  private constructor(store: Store<TokenFile>, log: Logger, persistent: boolean) {
    this.#store = store;
    this.#log = log;
    this.#persistent = persistent;
  }

  /** Whether the token survives a restart (it is encrypted on disk). */
  get persistent(): boolean {
    return this.#persistent;
  }

  get(): string | null {
    if (!this.#persistent) return this.#memoryToken;
    const stored = this.#store.get('sessionToken');
    if (typeof stored !== 'string' || stored === '') return null;
    try {
      return safeStorage.decryptString(Buffer.from(stored, 'base64'));
    } catch (error) {
      // E.g. the keychain entry was reset: the token is unrecoverable, so sign in again.
      this.#log.warn('stored session token could not be decrypted; discarding it', { error });
      this.#store.delete('sessionToken');
      return null;
    }
  }

  /** Stores a token, or forgets it with `null`. */
  set(token: string | null): void {
    if (!this.#persistent) {
      this.#memoryToken = token;
      return;
    }
    if (token === null) {
      this.#store.delete('sessionToken');
      return;
    }
    this.#store.set('sessionToken', safeStorage.encryptString(token).toString('base64'));
  }
}

/** Opens the token store in the app's userData directory. */
export function setupTokenStore(log: Logger): TokenStore {
  return TokenStore.open({ log, cwd: app.getPath('userData') });
}
