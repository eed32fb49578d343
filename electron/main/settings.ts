import { copyFileSync, readFileSync, renameSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { app, ipcMain } from 'electron';
import Store from 'electron-store';
import { BullpenError, DEFAULT_SETTINGS, parse, SettingsPatch, SettingsSchema, type Settings } from '../../contract';
import type { Logger } from './logger';

const STORE_NAME = 'settings';
const settingKeys = Object.keys(SettingsSchema.shape) as (keyof Settings)[];

/**
 * The server URL given on the command line (`--server-url=<url>`) or in the environment
 * (`BULLPEN_SERVER_URL`), the flag winning; `null` when neither is set. Not validated here.
 */
export function serverUrlOverrideFrom(argv: readonly string[], env: NodeJS.ProcessEnv): string | null {
  const flag = argv.findLast((arg) => arg.startsWith('--server-url='));
  if (flag !== undefined) return flag.slice('--server-url='.length);
  const fromEnv = env.BULLPEN_SERVER_URL;
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : null;
}

export interface SettingsStoreOptions {
  log: Logger;
  /** Directory of `settings.json`; the app's userData directory in production. */
  cwd: string;
  /** Server URL to use for this run instead of the stored one (not persisted). */
  serverUrlOverride?: string | null;
}

/**
 * The desktop settings, persisted by electron-store as `settings.json`.
 *
 * Every read is validated field by field: a field that does not parse falls back to its
 * default, and a file that is not JSON at all is replaced by defaults; in both cases the
 * original file is copied aside first (`settings.corrupt-<time>.json`) and a warning logged,
 * so a hand-edit gone wrong is never silently lost. Every write is validated as a whole
 * before anything is stored.
 */
export class SettingsStore {
  readonly #store: Store<Settings>;
  readonly #log: Logger;
  #override: string | null;

  /** Opens (and if needed repairs) the settings file. */
  static open(opts: SettingsStoreOptions): SettingsStore {
    const log = opts.log.child({ module: 'settings' });
    const file = join(opts.cwd, `${STORE_NAME}.json`);
    // electron-store throws on a file that is not JSON; move such a file aside before it looks.
    const raw = readJson(file);
    if (raw === 'corrupt') backUp(file, 'move', log, 'settings file is not valid JSON; using defaults');
    // electron-store writes missing defaults into the file as it opens it: copy a file with
    // invalid fields aside first, so the backup is byte for byte what the person had.
    const invalid = typeof raw === 'object' && raw !== null ? invalidFields(raw as Record<string, unknown>) : [];
    if (invalid.length > 0) backUp(file, 'copy', log, 'invalid settings replaced by defaults', { fields: invalid });
    let override: string | null = null;
    if (opts.serverUrlOverride != null) {
      const parsed = SettingsSchema.shape.serverUrl.safeParse(opts.serverUrlOverride);
      if (parsed.success) {
        override = parsed.data;
        log.info('server URL overridden for this run', { serverUrl: override });
      } else {
        log.warn('ignoring invalid server URL override', { value: opts.serverUrlOverride.slice(0, 200) });
      }
    }
    const store = new Store<Settings>({ name: STORE_NAME, cwd: opts.cwd, defaults: DEFAULT_SETTINGS });
    const settings = new SettingsStore(store, log, override);
    settings.#readStored(invalid.length > 0);
    return settings;
  }

  private constructor(store: Store<Settings>, log: Logger, override: string | null) {
    this.#store = store;
    this.#log = log;
    this.#override = override;
  }

  /** Path of the settings file. */
  get path(): string {
    return this.#store.path;
  }

  /** The settings in effect: the stored ones, with the server URL override if any. */
  get(): Settings {
    const stored = this.#readStored();
    return this.#override === null ? stored : { ...stored, serverUrl: this.#override };
  }

  /**
   * Applies a partial update and returns the settings in effect. An invalid patch throws a
   * `BAD_REQUEST` BullpenError and changes nothing. Setting the server URL explicitly ends
   * any override for the rest of the run: the person's choice wins over the launch flag.
   */
  set(patch: unknown): Settings {
    const parsed = parse(SettingsPatch, patch);
    if (!parsed.ok) throw new BullpenError(parsed.error.code, parsed.error.message);
    const changes = Object.fromEntries(Object.entries(parsed.value).filter(([, v]) => v !== undefined)) as Partial<Settings>;
    const next = SettingsSchema.parse({ ...this.#readStored(), ...changes });
    this.#store.set(next);
    if (changes.serverUrl !== undefined && this.#override !== null) {
      this.#override = null;
      this.#log.info('server URL override replaced by the saved setting', { serverUrl: changes.serverUrl });
    }
    return this.get();
  }

  /** Reads the stored settings, repairing (after a backup) anything that does not validate. */
  #readStored(alreadyBackedUp = false): Settings {
    let raw: Record<string, unknown>;
    try {
      raw = this.#store.store as Record<string, unknown>;
    } catch (error) {
      // The file stopped being JSON while we were running (a hand-edit, a full disk).
      backUp(this.path, 'move', this.#log, 'settings file is not valid JSON; using defaults', error);
      this.#store.store = { ...DEFAULT_SETTINGS };
      return { ...DEFAULT_SETTINGS };
    }
    const settings = { ...DEFAULT_SETTINGS };
    for (const key of settingKeys) {
      const field = key in raw ? SettingsSchema.shape[key].safeParse(raw[key]) : undefined;
      if (field?.success) (settings as Record<string, unknown>)[key] = field.data;
    }
    const invalid = invalidFields(raw);
    if (invalid.length > 0) {
      if (!alreadyBackedUp) backUp(this.path, 'copy', this.#log, 'invalid settings replaced by defaults', { fields: invalid });
      this.#store.set(settings);
    }
    return settings;
  }
}

/** Names of the stored fields that do not validate. */
function invalidFields(raw: Record<string, unknown>): string[] {
  return settingKeys.filter((key) => key in raw && !SettingsSchema.shape[key].safeParse(raw[key]).success);
}

/** `'missing'`, `'corrupt'` (not JSON) or the parsed value. */
function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return 'missing';
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return 'corrupt';
  }
}

/** Copies or moves `file` to `<name>.corrupt-<time>.json` beside it and logs where it went. */
function backUp(file: string, how: 'copy' | 'move', log: Logger, msg: string, detail?: unknown): void {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const target = join(dirname(file), `${basename(file, '.json')}.corrupt-${stamp}.json`);
  try {
    if (how === 'copy') copyFileSync(file, target);
    else renameSync(file, target);
    log.warn(msg, { file, backup: target, ...(detail instanceof Error ? { error: detail } : (detail as object)) });
  } catch (error) {
    log.error(`${msg}; the original could not be backed up`, { file, error });
  }
}

/** Opens the settings store in the app's userData directory, honouring launch overrides. */
export function setupSettings(log: Logger): SettingsStore {
  const settings = SettingsStore.open({
    log,
    cwd: app.getPath('userData'),
    serverUrlOverride: serverUrlOverrideFrom(process.argv, process.env),
  });
  // electron-store registers a sync IPC channel for renderer-side stores; Bullpen keeps every
  // renderer-reachable channel behind the checked wrapper in ipc.ts, so remove it.
  ipcMain.removeAllListeners('electron-store-get-data');
  return settings;
}
