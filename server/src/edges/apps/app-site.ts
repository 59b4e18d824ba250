import { layoutOf } from '../../apps/app-files.js';
import { findAppSession, redeemOpenCode } from '../../apps/app-sessions.js';
import type { AppsService, InstalledApp } from '../../apps/apps-service.js';
import { rulesOf, type AppRoute } from '../../apps/manifest.js';
import { createToken } from '../../auth/tokens.js';
import { MethodNotAllowed, NotFound, Unauthorized } from '../../errors.js';
import type { Hook } from '../../http/framework/app.js';
import type { Reply } from '../../http/framework/reply.js';
import type { Request } from '../../http/framework/request.js';
import { instanceOf, type InstanceContext } from '../../http/context.js';
import { instanceOrigin } from './origins.js';
import { serveAppFile } from './app-static.js';

export const APP_COOKIE = 'nuage_app';
/** App tokens are short-lived: the page asks for a new one through `/_nuage/token` when it expires. */
export const APP_TOKEN_TTL_MS = 3_600_000;

/**
 * Everything an app's origin answers: its files (behind the owner's app session unless the route is
 * public), `/_nuage/login` (the end of the opening dance) and `/_nuage/token`. Nothing of the
 * instance's API is reachable here, and the instance's cookies are never sent here.
 */
export function appSite(apps: AppsService): Hook {
  return async (request, reply) => {
    await serve(apps, request, reply);
  };
}

async function serve(apps: AppsService, request: Request, reply: Reply): Promise<unknown> {
  const ctx = instanceOf(request);
  const site = request.site;
  if (site.kind !== 'app') return;
  const scope = { instance: ctx.instance, storage: ctx.storage };
  await apps.ensureDefaults(scope);
  const app = await apps.get(scope, site.slug);
  if (!app) throw new NotFound(`no app "${site.slug}" is installed on ${ctx.instance.domain}`);
  const instance = instanceOrigin(request, ctx.instance.domain);
  securityHeaders(reply, instance);
  if (request.method !== 'GET' && request.method !== 'HEAD')
    throw new MethodNotAllowed('an app origin only serves files');

  if (request.path === '/_nuage/login') return login(request, reply, ctx, app);
  if (request.path === '/_nuage/token') {
    const session = await findAppSession(ctx.accounts, app.slug, request.cookies[APP_COOKIE]);
    if (!session) throw new Unauthorized('the session that opened this app has ended: reload the page');
    reply.header('cache-control', 'no-store');
    return reply.send((await appToken(ctx, app, session.sessionId)) ?? { token: null, expiresAt: null });
  }

  const [prefix, route] = matchRoute(app.manifest.routes, request.path);
  let sessionId: string | null = null;
  if (!route.public) {
    const session = await findAppSession(ctx.accounts, app.slug, request.cookies[APP_COOKIE]);
    if (!session) {
      const back = encodeURIComponent(request.url);
      return reply.redirect(`${instance}/apps/${app.slug}/open?path=${back}`);
    }
    sessionId = session.sessionId;
  }
  return serveAppFile(
    request,
    reply,
    layoutOf(app.dir),
    route,
    request.path.slice(prefix.length),
    async (html) => {
      const token = sessionId === null ? null : await appToken(ctx, app, sessionId);
      return injectBootstrap(html, {
        instance,
        app: app.slug,
        token: token?.token ?? null,
        expiresAt: token?.expiresAt ?? null,
        locale: preferredLocale(request),
      });
    },
  );
}

/** What a page needs to talk to its instance (docs/client.md): read by `@nuage/client`'s `fromPage()`. */
export interface AppBootstrap {
  instance: string;
  app: string;
  token: string | null;
  expiresAt: number | null;
  locale: string;
}

/** Puts the bootstrap in a meta tag: no inline script, so the CSP can forbid them all. */
export function injectBootstrap(html: string, bootstrap: AppBootstrap): string {
  const content = JSON.stringify(bootstrap).replace(/[&"'<>]/g, (c) => `&#${c.charCodeAt(0)};`);
  const tag = `<meta name="nuage-app" content="${content}">`;
  const head = /<head[^>]*>/i.exec(html);
  if (!head) return `${tag}\n${html}`;
  const at = head.index + head[0].length;
  return `${html.slice(0, at)}\n    ${tag}${html.slice(at)}`;
}

function preferredLocale(request: Request): string {
  const header = String(request.headers['accept-language'] ?? '');
  return /^\s*([a-z]{2})/i.exec(header)?.[1]?.toLowerCase() ?? 'en';
}

async function login(
  request: Request,
  reply: Reply,
  ctx: InstanceContext,
  app: InstalledApp,
): Promise<Reply> {
  const redeemed = await redeemOpenCode(ctx.accounts, app.slug, request.query.code ?? '');
  if (!redeemed) throw new Unauthorized('this link to open the app was already used or is too old');
  reply.setCookie(APP_COOKIE, redeemed.cookie, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: request.protocol === 'https',
  });
  return reply.redirect(
    redeemed.path.startsWith('/') && !redeemed.path.startsWith('//') ? redeemed.path : '/',
  );
}

/** A token for the page, restricted to the app's permissions and bound to the owner's session. */
async function appToken(
  ctx: InstanceContext,
  app: InstalledApp,
  sessionId: string,
): Promise<{ token: string; expiresAt: number } | null> {
  const rules = rulesOf(app.manifest);
  if (rules.length === 0) return null;
  const created = await createToken(ctx.accounts, {
    rules,
    ttlMs: APP_TOKEN_TTL_MS,
    label: `app ${app.slug}`,
    sessionId,
    app: app.slug,
  });
  return { token: created.token, expiresAt: created.expiresAt! };
}

/** The longest route prefix that contains `path` (`/` always exists once the manifest is parsed). */
function matchRoute(routes: Record<string, AppRoute>, path: string): [string, AppRoute] {
  let best: [string, AppRoute] | null = null;
  for (const [prefix, route] of Object.entries(routes)) {
    const inside = prefix === '/' || path === prefix || path.startsWith(`${prefix}/`);
    if (inside && (!best || prefix.length > best[0].length)) best = [prefix === '/' ? '' : prefix, route];
  }
  if (!best) throw new NotFound('no such page');
  return best;
}

/**
 * An app may talk to its own origin and its instance, and to nothing else: no exfiltration to the
 * internet even by a compromised script. It may be framed only by its instance (intents).
 */
function securityHeaders(reply: Reply, instance: string): void {
  const ws = instance.replace(/^http/, 'ws');
  reply.header(
    'content-security-policy',
    [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self' 'unsafe-inline'",
      `img-src 'self' data: blob: ${instance}`,
      `media-src 'self' blob: ${instance}`,
      "font-src 'self' data:",
      `connect-src 'self' ${instance} ${ws}`,
      `frame-src 'self' ${instance}`,
      `frame-ancestors 'self' ${instance}`,
      `form-action 'self' ${instance}`,
      "base-uri 'self'",
      "object-src 'none'",
      "worker-src 'self' blob:",
    ].join('; '),
  );
  reply.header('referrer-policy', 'same-origin');
  reply.header('x-content-type-options', 'nosniff');
}
