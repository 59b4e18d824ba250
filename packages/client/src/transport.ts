import { errorFromResponse, networkError } from './errors.js';
import type { TokenSession } from './session.js';

export type QueryValue = string | number | boolean | undefined;

export interface RequestOptions {
  method?: string;
  /** Query parameters; undefined values are left out. */
  query?: Record<string, QueryValue>;
  /** Sent as JSON with its content type. */
  json?: unknown;
  /**
   * A raw body, or a function making one for each attempt. A stream cannot be sent twice, so a request
   * with a stream (not a function) is not retried after a 401.
   */
  body?: BodyInit | (() => BodyInit);
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** The `fetch` the SDK calls: the global one unless a test or a service injects another. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/**
 * Speaks HTTP to the instance: builds URLs, sends the bearer token, turns refusals into NuageError,
 * and on a 401 refreshes the token once and retries once (when the body can be sent again).
 */
export class Transport {
  constructor(
    /** The instance origin, e.g. `http://localhost:8080` (no trailing slash). */
    readonly instance: string,
    readonly session: TokenSession,
    private readonly fetchImpl: FetchLike,
  ) {}

  url(path: string, query?: Record<string, QueryValue>): string {
    const url = new URL(path, this.instance);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url.toString();
  }

  /** Sends a request and answers its successful Response; any other status throws a NuageError. */
  async request(path: string, options: RequestOptions = {}): Promise<Response> {
    const token = await this.session.current();
    let response = await this.send(path, options, token);
    if (response.status === 401 && this.session.canRefresh && replayable(options.body)) {
      await response.body?.cancel();
      const fresh = await this.session.refresh(token);
      response = await this.send(path, options, fresh.token);
    }
    if (!response.ok) throw await errorFromResponse(response);
    return response;
  }

  /** `request` for endpoints that answer JSON. */
  async json<T>(path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.request(path, options);
    return (await response.json()) as T;
  }

  private async send(path: string, options: RequestOptions, token: string): Promise<Response> {
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...options.headers,
      authorization: `Bearer ${token}`,
    };
    let body = typeof options.body === 'function' ? options.body() : options.body;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['content-type'] = 'application/json';
    }
    const init: RequestInit & { duplex?: 'half' } = { method: options.method ?? 'GET', headers };
    if (body !== undefined) init.body = body;
    if (options.signal) init.signal = options.signal;
    // Node's fetch (and the standard) require `duplex` to send a stream as the body.
    if (body instanceof ReadableStream) init.duplex = 'half';
    try {
      return await this.fetchImpl(this.url(path, options.query), init);
    } catch (error) {
      if (options.signal?.aborted) throw error;
      throw networkError(error);
    }
  }
}

function replayable(body: RequestOptions['body']): boolean {
  return !(body instanceof ReadableStream);
}
