import type { z } from 'zod';
import { AppErrorSchema, MAX_AUDIO_BYTES, parse, resultSchema, routes, type AppError, type Result } from '../../../contract';
import { clientError } from './errors';

type Routes = typeof routes;
export type RouteName = keyof Routes;
type Route<N extends RouteName> = Routes[N];
export type ReplyOf<N extends RouteName> = z.infer<Route<N>['reply']>;
type BodyOf<N extends RouteName> = Route<N> extends { body: z.ZodType } ? z.input<Route<N>['body']> : never;
/** A route's query-string input (before defaults), for routes that declare a `query` schema. */
export type QueryOf<N extends RouteName> = Route<N> extends { query: z.ZodType } ? z.input<Route<N>['query']> : never;

type Options<N extends RouteName> = { params?: Record<string, string> } & (Route<N> extends { body: z.ZodType }
  ? { body: BodyOf<N> }
  : { body?: never }) &
  (Route<N> extends { query: z.ZodType } ? { query?: QueryOf<N> } : { query?: never });

/** Progress of a download: bytes so far and the total when the server said it. */
export type DownloadProgress = (loaded: number, total: number | null) => void;

const TIMEOUT_MS = 15_000;

/**
 * REST client for the contract's route table. Bodies and query strings are validated with
 * the route's schemas before sending (instant, field-named errors); replies are parsed with
 * the route's reply schema. Never throws: network failures and bad replies become `Result`
 * failures.
 */
export class RestClient {
  readonly #baseUrl: string;
  readonly #getToken: () => string | null;
  readonly #onUnauthenticated: (error: AppError) => void;

  constructor(opts: { baseUrl: string; getToken: () => string | null; onUnauthenticated: (error: AppError) => void }) {
    this.#baseUrl = opts.baseUrl;
    this.#getToken = opts.getToken;
    this.#onUnauthenticated = opts.onUnauthenticated;
  }

  async call<N extends RouteName>(name: N, ...[opts]: Route<N> extends { body: z.ZodType } ? [Options<N>] : [Options<N>?]): Promise<Result<ReplyOf<N>>> {
    const route: Routes[RouteName] = routes[name];
    let path: string = route.path;
    for (const [key, value] of Object.entries(opts?.params ?? {})) path = path.replace(`:${key}`, encodeURIComponent(value));

    if ('query' in route) {
      const checked = parse(route.query, opts?.query ?? {});
      if (!checked.ok) return checked;
      const search = new URLSearchParams();
      for (const [key, value] of Object.entries(checked.value as Record<string, unknown>)) {
        if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
      }
      const query = search.toString();
      if (query) path += `?${query}`;
    }

    const headers = this.#headers('application/json');
    let body: string | undefined;
    if ('body' in route) {
      const checked = parse(route.body, opts?.body);
      if (!checked.ok) return checked;
      body = JSON.stringify(checked.value);
      headers['content-type'] = 'application/json';
    }

    let response: Response;
    try {
      response = await fetch(this.#baseUrl + path, {
        method: route.method,
        headers,
        body,
        signal: AbortSignal.timeout(TIMEOUT_MS),
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch (error) {
      return { ok: false, error: this.#networkError(error) };
    }

    let json: unknown;
    try {
      json = await response.json();
    } catch {
      return { ok: false, error: clientError('INTERNAL', `The server sent an unexpected reply (HTTP ${response.status}).`) };
    }
    const parsed = resultSchema(route.reply).safeParse(json);
    if (!parsed.success) {
      return { ok: false, error: clientError('INTERNAL', 'The server sent a reply this version of Bullpen does not understand.') };
    }
    const result = parsed.data as Result<ReplyOf<N>>;
    if (!result.ok) this.#checkAuth(result.error, headers);
    return result;
  }

  /**
   * Downloads audio (`audioPaths.*`) with the session's token. The answer must arrive within
   * the usual timeout; the body then streams for as long as it takes, reporting progress.
   */
  async fetchAudio(path: string, opts: { onProgress?: DownloadProgress; signal?: AbortSignal } = {}): Promise<Result<Blob>> {
    const headers = this.#headers('audio/ogg, audio/*');
    const headersArrived = new AbortController();
    const timer = setTimeout(() => headersArrived.abort(new DOMException('Timed out', 'TimeoutError')), TIMEOUT_MS);
    const signal = opts.signal ? AbortSignal.any([opts.signal, headersArrived.signal]) : headersArrived.signal;
    let response: Response;
    try {
      response = await fetch(this.#baseUrl + path, { method: 'GET', headers, signal, credentials: 'omit', cache: 'no-store' });
    } catch (error) {
      return { ok: false, error: this.#networkError(headersArrived.signal.aborted ? headersArrived.signal.reason : error) };
    } finally {
      clearTimeout(timer);
    }

    if (!response.ok) return { ok: false, error: await this.#errorOf(response, headers) };

    const length = Number(response.headers.get('content-length'));
    const total = Number.isFinite(length) && length > 0 ? length : null;
    if (total !== null && total > MAX_AUDIO_BYTES) {
      return { ok: false, error: clientError('PAYLOAD_TOO_LARGE', 'This audio is too large to play here.') };
    }
    const type = response.headers.get('content-type') ?? 'audio/ogg';
    try {
      if (!response.body) return { ok: true, value: await response.blob() };
      const reader = response.body.getReader();
      const chunks: Uint8Array<ArrayBuffer>[] = [];
      let loaded = 0;
      opts.onProgress?.(0, total);
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        loaded += value.byteLength;
        opts.onProgress?.(loaded, total);
      }
      return { ok: true, value: new Blob(chunks, { type }) };
    } catch (error) {
      if (opts.signal?.aborted) return { ok: false, error: clientError('UNAVAILABLE', 'The download was cancelled.') };
      return {
        ok: false,
        error: clientError('UNAVAILABLE', error instanceof DOMException && error.name === 'TimeoutError'
          ? 'The server took too long to answer. Check your connection and try again.'
          : 'The download stopped before it finished. Check your connection and try again.'),
      };
    }
  }

  /** A failed file download's error: the usual JSON envelope, or a generic message when it is not one. */
  async #errorOf(response: Response, headers: Record<string, string>): Promise<AppError> {
    let error: AppError = clientError('INTERNAL', `The server sent an unexpected reply (HTTP ${response.status}).`);
    try {
      const envelope = resultSchema(AppErrorSchema).safeParse(await response.json());
      if (envelope.success && !envelope.data.ok) error = envelope.data.error;
    } catch {
      // Not JSON: keep the generic message.
    }
    this.#checkAuth(error, headers);
    return error;
  }

  /**
   * Downloads an export (`exportRoutes`, e.g. the metrics CSV) with the session's token: the file
   * and the Content-Disposition header that names it. Errors come as the usual envelope.
   */
  async fetchExport(path: string, accept: string): Promise<Result<{ blob: Blob; disposition: string | null }>> {
    const headers = this.#headers(accept);
    let response: Response;
    try {
      response = await fetch(this.#baseUrl + path, { method: 'GET', headers, signal: AbortSignal.timeout(TIMEOUT_MS), credentials: 'omit', cache: 'no-store' });
    } catch (error) {
      return { ok: false, error: this.#networkError(error) };
    }
    if (!response.ok) return { ok: false, error: await this.#errorOf(response, headers) };
    try {
      return { ok: true, value: { blob: await response.blob(), disposition: response.headers.get('content-disposition') } };
    } catch (error) {
      return { ok: false, error: this.#networkError(error) };
    }
  }

  #headers(accept: string): Record<string, string> {
    const headers: Record<string, string> = { accept };
    const token = this.#getToken();
    if (token) headers.authorization = `Bearer ${token}`;
    return headers;
  }

  #checkAuth(error: AppError, sent: Record<string, string>): void {
    if (error.code === 'UNAUTHENTICATED' && sent.authorization) this.#onUnauthenticated(error);
  }

  #networkError(error: unknown): AppError {
    const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
    return clientError(
      'UNAVAILABLE',
      timedOut
        ? 'The server took too long to answer. Check your connection and try again.'
        : `Cannot reach the Bullpen server at ${this.#baseUrl}. Check your connection and try again.`,
    );
  }
}
