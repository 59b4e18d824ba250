import type { Request } from './framework/request.js';
import { safeEqual } from '../auth/secrets.js';
import { CsrfRejected } from '../errors.js';
import { hostname } from '../instances/instances.js';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Forms posted before there is a session to hold a token; the Origin check still guards them. */
const PRE_SESSION = new Set(['/auth/login', '/auth/login/totp', '/auth/onboarding']);

/**
 * Cookie-authenticated writes must prove they come from our own pages: a form field `_csrf` or an
 * `X-CSRF-Token` header equal to the session's token. Token- and Basic-authenticated calls carry their
 * credentials explicitly and are not exposed to CSRF. Any cross-site Origin is refused outright.
 */
export function checkCsrf(request: Request): void {
  if (SAFE.has(request.method)) return;
  const p = request.principal;
  // Explicit credentials (tokens of apps on other origins, Basic from sync clients) are not ambient.
  if (p.kind === 'token' || p.kind === 'basic') return;
  checkOrigin(request);
  if (p.kind !== 'session' || PRE_SESSION.has(request.url)) return;
  const body = request.body as Record<string, unknown> | undefined;
  const header = request.headers['x-csrf-token'];
  const sent = typeof header === 'string' ? header : typeof body?._csrf === 'string' ? body._csrf : undefined;
  if (!sent || !safeEqual(sent, p.session.csrfToken)) {
    throw new CsrfRejected('missing or wrong CSRF token; reload the page and try again');
  }
}

/** A browser always sends Origin on cross-site writes; one that names another host is refused. */
export function checkOrigin(request: Request): void {
  if (SAFE.has(request.method)) return;
  const origin = request.headers.origin;
  if (!origin || origin === 'null') return;
  let originHost: string;
  try {
    originHost = hostname(new URL(origin).host);
  } catch {
    throw new CsrfRejected('malformed Origin header');
  }
  if (originHost !== hostname(request.headers.host)) {
    throw new CsrfRejected('cross-site request refused');
  }
}
