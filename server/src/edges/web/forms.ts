import type { Reply } from '../../http/framework/reply.js';
import type { Request } from '../../http/framework/request.js';
import { SESSION_COOKIE } from '../../http/authenticate.js';
import { SESSION_TTL_MS } from '../../auth/sessions.js';

/** Reads a string field of a urlencoded or JSON body; '' when absent. */
export function field(request: Request, name: string): string {
  const body = request.body as Record<string, unknown> | undefined;
  const value = body?.[name];
  return typeof value === 'string' ? value : '';
}

/** Whether the caller wants JSON back (an API client) rather than a page or a redirect. */
export function wantsJson(request: Request): boolean {
  return (
    (request.headers['content-type'] ?? '').includes('application/json') ||
    (request.headers.accept ?? '').startsWith('application/json')
  );
}

/** Only same-site paths are followed after login, so the login page cannot be an open redirect. */
export function safeRedirect(target: string | undefined): string {
  return target && /^\/(?![/\\])/.test(target) ? target : '/';
}

export function setSessionCookie(request: Request, reply: Reply, value: string): void {
  void reply.setCookie(SESSION_COOKIE, value, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: request.protocol === 'https',
    maxAge: SESSION_TTL_MS / 1000,
  });
}

export function clearSessionCookie(request: Request, reply: Reply): void {
  void reply.clearCookie(SESSION_COOKIE, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: request.protocol === 'https',
  });
}

export function sendPage(reply: Reply, body: string, status = 200): Reply {
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .header(
      'content-security-policy',
      "default-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    )
    .header('x-frame-options', 'DENY')
    .type('text/html; charset=utf-8')
    .send(body);
}
