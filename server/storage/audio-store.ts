/**
 * One interface for audio objects (recording segments, clips), addressed by keys the server
 * builds from ids (see {@link recordingSegmentKey}, {@link clipKey}), never by a client path.
 * Two implementations: files under a directory ({@link LocalAudioStore}, the embedded default's
 * layout) and S3-compatible object storage (s3-audio-store.ts).
 */
import { createReadStream } from 'node:fs';
import { mkdir, readdir, rm, stat, writeFile, rename } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';

/** Inclusive byte range, as HTTP Range and S3 `Range: bytes=a-b` count it. */
export interface ByteRange {
  start: number;
  end: number;
}

/** Stored audio objects by key; see the file comment. */
export interface AudioStore {
  /** Where objects go, for logs (`s3://bucket/prefix`, a directory). */
  readonly location: string;
  /** Stores `body` under `key`, replacing any object there; resolves once it is confirmed stored. */
  put(key: string, body: Buffer): Promise<void>;
  /** The object's bytes (`range` inclusive, clamped by the caller to the size); undefined if absent. */
  get(key: string, range?: ByteRange): Promise<Readable | undefined>;
  /** The object's size, or undefined if it is absent. */
  head(key: string): Promise<{ size: number } | undefined>;
  /** Deletes the object; deleting an absent key is not an error. */
  delete(key: string): Promise<void>;
  /** Keys under `prefix`, in key order. */
  list(prefix: string): Promise<string[]>;
}

const SAFE_KEY = /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_.-]+)*$/;

/** Throws unless `key` is one the server builds (ids, slashes, dots only inside names). */
export function assertKey(key: string): void {
  if (!SAFE_KEY.test(key) || key.includes('..')) throw new Error(`not an audio object key: ${key}`);
}

/** Key of one uploaded segment of a call's recording: ordered by `seq`, named by its writer. */
export function recordingSegmentKey(callId: string, seq: number, writer: string): string {
  return `${recordingPrefix(callId)}${String(seq).padStart(6, '0')}-${writer}.ogg`;
}

/** Prefix of every object of a call's recording (retention deletes what lists under it). */
export function recordingPrefix(callId: string): string {
  return `recordings/${callId}/`;
}

/** Key of a clip's audio. */
export function clipKey(clipId: string): string {
  return `clips/${clipId}.ogg`;
}

/** Objects as files under a directory (key `a/b.ogg` → `<dir>/a/b.ogg`), written atomically. */
export class LocalAudioStore implements AudioStore {
  readonly location: string;
  readonly #dir: string;

  constructor(dir: string) {
    this.#dir = resolve(dir);
    this.location = this.#dir;
  }

  #path(key: string): string {
    assertKey(key);
    const path = resolve(this.#dir, key);
    if (!path.startsWith(this.#dir + sep)) throw new Error(`not an audio object key: ${key}`);
    return path;
  }

  async put(key: string, body: Buffer): Promise<void> {
    const path = this.#path(key);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(`${path}.tmp`, body, { flush: true });
    await rename(`${path}.tmp`, path);
  }

  async get(key: string, range?: ByteRange): Promise<Readable | undefined> {
    const path = this.#path(key);
    if (!(await this.head(key))) return undefined;
    return createReadStream(path, range ? { start: range.start, end: range.end } : {});
  }

  async head(key: string): Promise<{ size: number } | undefined> {
    const info = await stat(this.#path(key)).catch(() => undefined);
    return info?.isFile() ? { size: info.size } : undefined;
  }

  async delete(key: string): Promise<void> {
    await rm(this.#path(key), { force: true });
  }

  async list(prefix: string): Promise<string[]> {
    const files = await readdir(this.#dir, { recursive: true, withFileTypes: true }).catch(() => []);
    return files
      .filter((f) => f.isFile() && !f.name.endsWith('.tmp'))
      .map((f) => relative(this.#dir, join(f.parentPath, f.name)).split(sep).join('/'))
      .filter((key) => key.startsWith(prefix))
      .sort();
  }
}
