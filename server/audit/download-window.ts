/** How long after a download a Range request for the rest of the same file is the same download. */
export const DOWNLOAD_CONTINUATION_MS = 5 * 60_000;

/**
 * Decides which audio requests are downloads worth a log row. A player fetches one file in
 * several Range requests (seeking, resuming); those are one download. A request counts unless
 * it is a HEAD, or a Range request starting past byte 0 for a file the same person fetched
 * within the last five minutes (each such continuation extends the window). A request from
 * byte 0 (or without Range) always counts: it is someone fetching the file again.
 * Kept per process: with several nodes a continuation landing on another node counts again.
 */
export class DownloadWindow {
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

/** The first byte a `Range: bytes=N-…` header asks for, or null (no header, suffix ranges, junk). */
export function rangeStart(range: string | undefined): number | null {
  const match = /^bytes=(\d+)-/.exec(range?.trim() ?? '');
  return match ? Number(match[1]) : null;
}
