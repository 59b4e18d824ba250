import type { FetchLike } from './transport.js';
import { createClient, type ClientOptions, type NuageClient } from './client.js';
import { errorFromResponse, networkError, NuageError } from './errors.js';
import type { TokenGrant } from './session.js';

/** What the stack writes into an app's page: `<meta name="nuage-app" content="{…}">`. */
export interface AppContext {
  /** The instance origin, where every API call goes. */
  instance: string;
  /** The app's slug (`template`): its origin is `<slug>.<instance domain>`. */
  app: string;
  /** Null on a public route (no owner session) or for an app granted no permission. */
  token: string | null;
  expiresAt: number | null;
  /** The owner's language (`en`, `fr`…). */
  locale: string;
}

export const META_NAME = 'nuage-app';
/** Where an app page gets a fresh token, on its own origin, with its cookie. */
export const TOKEN_PATH = '/_nuage/token';

/** Reads and checks the meta tag the stack inserted; throws when the page was not served by the stack. */
export function readAppContext(doc: Document = document): AppContext {
  const content = doc.querySelector(`meta[name="${META_NAME}"]`)?.getAttribute('content');
  if (!content) throw new Error(`no <meta name="${META_NAME}">: this page must be served by a Nuage stack`);
  const raw = JSON.parse(content) as Partial<Record<keyof AppContext, unknown>>;
  if (typeof raw.instance !== 'string') throw new Error(`<meta name="${META_NAME}"> lacks the instance`);
  return {
    instance: raw.instance,
    app: typeof raw.app === 'string' ? raw.app : '',
    token: typeof raw.token === 'string' ? raw.token : null,
    expiresAt: typeof raw.expiresAt === 'number' ? raw.expiresAt : null,
    locale: typeof raw.locale === 'string' ? raw.locale : 'en',
  };
}

export interface PageOptions extends Pick<ClientOptions, 'WebSocket' | 'fetch'> {
  /**
   * Called when the owner's session has ended (the token route answered 401). Defaults to reloading
   * the page, which sends the owner through the login and back.
   */
  onSessionEnded?: () => void;
}

/**
 * The client of an app page: the context the stack put in the page, and tokens refreshed through
 * `GET /_nuage/token` on the app's own origin (the session cookie goes along, same-origin).
 */
export function fromPage(options: PageOptions = {}): NuageClient & { context: AppContext } {
  const context = readAppContext();
  // A page served without a session (a public route) cannot get one by reloading: never loop.
  const reload = context.token === null ? () => undefined : () => location.reload();
  const onSessionEnded = options.onSessionEnded ?? reload;
  const client = createClient({
    ...options,
    instance: context.instance,
    // Without a token every call is refused (401) and asks /_nuage/token, which answers why.
    token: context.token ?? '',
    expiresAt: context.expiresAt,
    refresh: async (): Promise<TokenGrant> => {
      let response: Response;
      try {
        const init: RequestInit = { credentials: 'same-origin', headers: { accept: 'application/json' } };
        response = await (options.fetch ? options.fetch(TOKEN_PATH, init) : fetch(TOKEN_PATH, init));
      } catch (error) {
        throw networkError(error);
      }
      if (!response.ok) {
        const error = await errorFromResponse(response);
        if (response.status === 401) onSessionEnded();
        throw error;
      }
      const grant = (await response.json()) as { token: string | null; expiresAt?: number | null };
      if (grant.token === null) {
        throw new NuageError(403, 'forbidden', 'forbidden', 'this app was granted no permission');
      }
      return { token: grant.token, expiresAt: grant.expiresAt ?? null };
    },
  });
  return Object.assign(client, { context });
}

/**
 * The client of an app's service (server-side code the stack runs with `NUAGE_URL` and `NUAGE_TOKEN`).
 * Pass `ws`'s WebSocket for realtime on Node 20.
 */
export function fromEnv(options: Pick<ClientOptions, 'WebSocket' | 'fetch' | 'refresh'> = {}): NuageClient {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
  const instance = env.NUAGE_URL;
  const token = env.NUAGE_TOKEN;
  if (!instance || !token)
    throw new Error('NUAGE_URL and NUAGE_TOKEN must be set (the stack sets them for services)');
  const host = env.NUAGE_INSTANCE;
  const base = options.fetch ?? ((input, init) => fetch(input, init));
  // Services reach the stack on loopback, where fetch cannot set Host: they name their instance.
  const named: FetchLike = host
    ? (input, init) => {
        const headers = new Headers(init.headers);
        headers.set('x-nuage-instance', host);
        return base(input, { ...init, headers });
      }
    : base;
  return createClient({ ...options, instance, token, fetch: named });
}
