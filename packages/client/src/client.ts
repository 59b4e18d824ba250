import { Documents } from './documents.js';
import { Files } from './files.js';
import { Realtime, type WebSocketConstructor } from './realtime.js';
import { search, type SearchOptions, type SearchResult } from './search.js';
import { TokenSession, type RefreshToken } from './session.js';
import { Transport, type FetchLike, type RequestOptions } from './transport.js';

export interface ClientOptions {
  /** The instance origin, e.g. `https://alice.example.org` or `http://localhost:8080`. */
  instance: string;
  /** The bearer token every call sends. */
  token: string;
  /** When the token stops working (ms since the epoch), so it is refreshed just before. */
  expiresAt?: number | null;
  /** Gets a new token; called once when the stack answers 401, then the call is retried once. */
  refresh?: RefreshToken;
  /** A WebSocket constructor for realtime where there is no global one (Node 20: `ws`). */
  WebSocket?: WebSocketConstructor;
  /** Another `fetch` (tests, instrumentation); the global one by default. */
  fetch?: FetchLike;
}

/** What an app or a service uses to talk to its instance. */
export interface NuageClient {
  /** The instance origin the client speaks to. */
  readonly instance: string;
  /** One doctype's documents, typed by what the app stores in them: `documents<Note>('io.nuage.notes')`. */
  documents<T extends object = Record<string, unknown>>(doctype: string): Documents<T>;
  readonly files: Files;
  /** Full-text search across the doctypes the token may read. */
  search(q: string, options?: SearchOptions): Promise<SearchResult>;
  readonly realtime: Realtime;
  /** The token to send now (refreshed when about to expire), for requests the SDK does not wrap. */
  token(): Promise<string>;
  /**
   * Any other endpoint of the instance (`/apps`, `/settings/…`, `/files/…/shares`), with the same token
   * handling (refresh and one retry on 401) and the same NuageError for refusals.
   */
  request(path: string, options?: RequestOptions): Promise<Response>;
  /** `request` for endpoints answering JSON; a 204 gives undefined. */
  json<T>(path: string, options?: RequestOptions): Promise<T>;
}

/** Builds a client from explicit settings; `fromPage()` and `fromEnv()` build it from their context. */
export function createClient(options: ClientOptions): NuageClient {
  const instance = new URL(options.instance).origin;
  const session = new TokenSession(
    { token: options.token, expiresAt: options.expiresAt ?? null },
    options.refresh,
  );
  // Bound: a bare reference to the global fetch called as a method of something else throws in browsers.
  const fetchImpl: FetchLike = options.fetch ?? ((input, init) => fetch(input, init));
  const transport = new Transport(instance, session, fetchImpl);
  return {
    instance,
    documents: <T extends object>(doctype: string) => new Documents<T>(transport, doctype),
    files: new Files(transport),
    search: (q, searchOptions) => search(transport, q, searchOptions),
    realtime: new Realtime(instance, session, options.WebSocket),
    token: () => session.current(),
    request: (path, requestOptions) => transport.request(path, requestOptions),
    json: async <T>(path: string, requestOptions?: RequestOptions) => {
      const response = await transport.request(path, requestOptions);
      return (response.status === 204 ? undefined : await response.json()) as T;
    },
  };
}
