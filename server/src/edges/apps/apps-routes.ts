import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { layoutOf } from '../../apps/app-files.js';
import { createOpenCode } from '../../apps/app-sessions.js';
import type { AppsService, InstalledApp, StagedApp } from '../../apps/apps-service.js';
import type { AppsDomains } from '../../apps/origins.js';
import { BadRequest, NotFound } from '../../errors.js';
import { instanceOf, requirePermission } from '../../http/context.js';
import type { App } from '../../http/framework/app.js';
import type { Request } from '../../http/framework/request.js';
import { boolParam, objectBody } from '../data/params.js';
import { appOrigin } from './origins.js';

/** The pseudo-doctype that grants a token (the Home's) the `/apps` API. */
export const APPS_DOCTYPE = 'io.nuage.apps';

/**
 * `/apps` on the instance origin: the catalog, installed apps, the two-step install (stage shows the
 * permissions, install accepts them), update, uninstall, icons, and `/apps/<slug>/open`, which takes
 * the owner's session to the app's origin.
 */
export function registerAppsRoutes(app: App, apps: AppsService, mode: AppsDomains): void {
  const scopeOf = async (request: Request) => {
    const ctx = instanceOf(request);
    const scope = { instance: ctx.instance, storage: ctx.storage };
    await apps.ensureDefaults(scope);
    return scope;
  };
  const present = (request: Request, a: InstalledApp) => presentApp(request, a, mode);

  app.get('/apps', async (request) => {
    requirePermission(request, 'GET', APPS_DOCTYPE);
    return { apps: (await apps.list(await scopeOf(request))).map((a) => present(request, a)) };
  });

  app.get('/apps/_catalog', async (request) => {
    requirePermission(request, 'GET', APPS_DOCTYPE);
    const installed = new Set((await apps.list(await scopeOf(request))).map((a) => a.slug));
    const entries = await apps.catalogs.entries();
    return {
      apps: entries.map((e) => ({
        slug: e.slug,
        name: e.name,
        description: e.description,
        catalog: e.catalog,
        installed: installed.has(e.slug),
      })),
    };
  });

  app.post('/apps/_stage', async (request) => {
    requirePermission(request, 'POST', APPS_DOCTYPE);
    const source = objectBody(request).source;
    if (typeof source !== 'string' || source.trim() === '' || source.length > 2000)
      throw new BadRequest(
        '"source" must be a catalog slug, a git+https:// or git+file:// URL, or a tarball URL',
      );
    return presentStaged(await apps.stage(await scopeOf(request), source));
  });

  app.post('/apps/_install', async (request, reply) => {
    requirePermission(request, 'POST', APPS_DOCTYPE);
    const staged = objectBody(request).staged;
    if (typeof staged !== 'string') throw new BadRequest('"staged" must be the id /apps/_stage answered');
    const installed = await apps.install(await scopeOf(request), staged);
    return reply.code(201).send(present(request, installed));
  });

  app.get('/apps/:slug', async (request) => {
    requirePermission(request, 'GET', APPS_DOCTYPE);
    return present(request, await apps.require(await scopeOf(request), request.params.slug ?? ''));
  });

  app.post('/apps/:slug/_update', async (request) => {
    requirePermission(request, 'PUT', APPS_DOCTYPE);
    const result = await apps.update(await scopeOf(request), request.params.slug ?? '');
    return {
      applied: result.applied,
      app: present(request, result.app),
      staged: result.staged ? presentStaged(result.staged) : null,
    };
  });

  app.delete('/apps/:slug', async (request, reply) => {
    requirePermission(request, 'DELETE', APPS_DOCTYPE);
    const deleteData = boolParam(request.query, 'data');
    const { deleted } = await apps.uninstall(await scopeOf(request), request.params.slug ?? '', {
      deleteData,
    });
    return deleteData ? { deleted } : reply.code(204).send();
  });

  // Icons are shown by the Home on its own origin, in <img> tags that carry no token: they are public.
  app.get('/apps/:slug/icon', async (request, reply) => {
    const installed = await apps.get(await scopeOf(request), request.params.slug ?? '');
    const icon = installed?.manifest.icon;
    if (!installed || !icon) throw new NotFound('this app has no icon');
    const path = join(layoutOf(installed.dir).files, icon);
    const info = await stat(path).catch(() => null);
    if (!info?.isFile()) throw new NotFound('this app has no icon');
    const types: Record<string, string> = {
      '.svg': 'image/svg+xml',
      '.png': 'image/png',
      '.webp': 'image/webp',
    };
    reply.header('content-type', types[extname(icon).toLowerCase()] ?? 'application/octet-stream');
    reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'");
    reply.header('cache-control', 'public, max-age=3600');
    reply.header('content-length', info.size);
    return reply.send(createReadStream(path));
  });

  // The only way onto an app's origin: from the owner's session here, through a one-use code.
  app.get('/apps/:slug/open', async (request, reply) => {
    const ctx = instanceOf(request);
    const slug = request.params.slug ?? '';
    const p = request.principal;
    if (p.kind !== 'session')
      return reply.redirect(`/auth/login?redirect=${encodeURIComponent(request.url)}`);
    await apps.require(await scopeOf(request), slug);
    const path =
      request.query.path?.startsWith('/') && !request.query.path.startsWith('//') ? request.query.path : '/';
    const code = await createOpenCode(ctx.accounts, {
      slug,
      sessionCookie: p.cookie,
      session: p.session,
      path,
    });
    return reply.redirect(`${appOrigin(request, ctx.instance.domain, slug, mode)}/_nuage/login?code=${code}`);
  });
}

function presentApp(request: Request, a: InstalledApp, mode: AppsDomains) {
  const domain = instanceOf(request).instance.domain;
  return {
    slug: a.slug,
    name: a.manifest.name,
    version: a.manifest.version,
    description: a.manifest.description,
    locales: a.manifest.locales,
    url: appOrigin(request, domain, a.slug, mode),
    open: `/apps/${a.slug}/open`,
    icon: a.manifest.icon ? `/apps/${a.slug}/icon` : null,
    permissions: a.manifest.permissions,
    services: Object.keys(a.manifest.services),
    intents: a.manifest.intents,
    source: a.source,
    revision: a.revision,
    installedAt: a.installedAt,
    updatedAt: a.updatedAt,
    pendingUpdate: a.pendingUpdate
      ? {
          staged: a.pendingUpdate.staged,
          version: a.pendingUpdate.version,
          permissions: a.pendingUpdate.manifest.permissions,
        }
      : null,
  };
}

function presentStaged(s: StagedApp) {
  return {
    staged: s.id,
    slug: s.manifest.slug,
    name: s.manifest.name,
    version: s.manifest.version,
    description: s.manifest.description,
    permissions: s.manifest.permissions,
    services: s.manifest.services,
    source: s.source,
    revision: s.revision,
    installed: s.installed
      ? { version: s.installed.version, permissions: s.installed.manifest.permissions }
      : null,
    asksForMore: s.asksForMore,
  };
}
