import type { Redis } from 'ioredis';

/** How long after a download a Range request for the rest of the same file is the same download. */
export const DOWNLOAD_CONTINUATION_MS = 5 * 60_000;

/** Decides whether an audio request is a new download (see DownloadWindow for the rule). */
export interface DownloadCounter {
  counts(key: string, request: { method: string; range: string | undefined }, now: number): boolean | Promise<boolean>;
}

/**
 * Decides which audio requests are downloads worth a log row. A player fetches one file in
 * several Range requests (seeking, resuming); those are one download. A request counts unless
 * it is a HEAD, or a Range request starting past byte 0 for a file the same person fetched
 * within the last five minutes (each such continuation extends the window). A request from
 * byte 0 (or without Range) always counts: it is someone fetching the file again.
 * Kept in this process: the embedded default (several nodes share RedisDownloadWindow).
 */
export class DownloadWindow implements DownloadCounter {
  readonly #last = new Map<string, number>();

  /** Whether this request starts a new download; remembers it either way. */
  counts(key: string, request: { method: string; range: string | undefined }, now: number): boolean {
    if (request.method === 'HEAD') return false;
    this.#forgetOld(now);
    const last = this.#last.get(key);
    this.#last.set(key, now);
    const start = rangeStart(request.range);
    const continuation = start !== null && start > 0 && last !== undefined && now - last <= DOWNLOAD_CONTINUATION_MS;
    return !continuation;
  }

  #forgetOld(now: number): void {
    if (this.#last.size < 1000) return;
    for (const [key, at] of this.#last) if (now - at > DOWNLOAD_CONTINUATION_MS) this.#last.delete(key);
  }
}

/**
 * The same rule kept in Redis (cluster mode), so a player's Range requests spread over several
 * nodes by the proxy are still one download: one `SET … PX … GET` per request, the key's expiry
 * being the window (each request extends it). While Redis is unreachable every request that is
 * not a HEAD counts: the audit log may then show a download twice, never miss one.
 */
export class RedisDownloadWindow implements DownloadCounter {
  readonly #redis: Redis;

  constructor(redis: Redis) {
    this.#redis = redis;
  }

  async counts(key: string, request: { method: string; range: string | undefined }): Promise<boolean> {
    if (request.method === 'HEAD') return false;
    if (this.#redis.status !== 'ready') return true;
    let fetchedBefore: string | null;
    try {
      fetchedBefore = await this.#redis.set(`bullpen:download:${key}`, '1', 'PX', DOWNLOAD_CONTINUATION_MS, 'GET');
    } catch {
      return true;
    }
    const start = rangeStart(request.range);
    return !(start !== null && start > 0 && fetchedBefore !== null);
  }
}

/** The first byte a `Range: bytes=N-…` header asks for, or null (no header, suffix ranges, junk). */
export function rangeStart(range: string | undefined): number | null {
  const match = /^bytes=(\d+)-/.exec(range?.trim() ?? '');
  return match ? Number(match[1]) : null;
}
