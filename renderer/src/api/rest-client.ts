import type { z } from 'zod';
import { parse, resultSchema, routes, type Result } from '../../../contract';
import { clientError } from './errors';

type Routes = typeof routes;
export type RouteName = keyof Routes;
type Route<N extends RouteName> = Routes[N];
export type ReplyOf<N extends RouteName> = z.infer<Route<N>['reply']>;
type BodyOf<N extends RouteName> = Route<N> extends { body: z.ZodType } ? z.input<Route<N>['body']> : never;

type Options<N extends RouteName> = { params?: Record<string, string> } & (Route<N> extends { body: z.ZodType }
  ? { body: BodyOf<N> }
  : { body?: never });

const TIMEOUT_MS = 15_000;

/**
 * REST client for the contract's route table. Bodies are validated with the route's schema
 * before sending (instant, field-named errors); replies are parsed with the route's reply
 * schema. Never throws: network failures and bad replies become `Result` failures.
 */
export class RestClient {
  readonly #baseUrl: string;
  readonly #getToken: () => string | null;
  readonly #onUnauthenticated: () => void;

  constructor(opts: { baseUrl: string; getToken: () => string | null; onUnauthenticated: () => void }) {
    this.#baseUrl = opts.baseUrl;
    this.#getToken = opts.getToken;
    this.#onUnauthenticated = opts.onUnauthenticated;
  }

  async call<N extends RouteName>(name: N, ...[opts]: Route<N> extends { body: z.ZodType } ? [Options<N>] : [Options<N>?]): Promise<Result<ReplyOf<N>>> {
    const route: Routes[RouteName] = routes[name];
    let path: string = route.path;
    for (const [key, value] of Object.entries(opts?.params ?? {})) path = path.replace(`:${key}`, encodeURIComponent(value));

    const headers: Record<string, string> = { accept: 'application/json' };
    const token = this.#getToken();
    if (token) headers.authorization = `Bearer ${token}`;
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
      const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
      return {
        ok: false,
        error: clientError(
          'UNAVAILABLE',
          timedOut
            ? 'The server took too long to answer. Check your connection and try again.'
            : `Cannot reach the Bullpen server at ${this.#baseUrl}. Check your connection and try again.`,
        ),
      };
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
    if (!result.ok && result.error.code === 'UNAUTHENTICATED' && token) this.#onUnauthenticated();
    return result;
  }
}
