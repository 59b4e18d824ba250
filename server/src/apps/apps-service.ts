import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { AccountContext } from '../auth/context.js';
import { randomToken } from '../auth/secrets.js';
import { revokeAppTokens } from '../auth/tokens.js';
import { BadRequest, NotFound } from '../errors.js';
import type { JobScope } from '../jobs/service.js';
import { readManifest, installFiles } from './app-files.js';
import { endAppSessions } from './app-sessions.js';
import type { CatalogEntry, Catalogs } from './catalog.js';
import { fetchSource } from './fetch-source.js';
import { asksForMore, rulesOf, type Manifest } from './manifest.js';
import { parseSource, type AppSource } from './sources.js';

/** An app installed on an instance, as kept in its records. */
export interface InstalledApp {
  slug: string;
  manifest: Manifest;
  /** What the owner installed from (a catalog slug, a git or tarball URL); updates fetch it again. */
  source: string;
  /** The git commit or tarball digest installed; null for first-party folders. */
  revision: string | null;
  /** The folder holding `files/` and `compressed/`. */
  dir: string;
  installedAt: string;
  updatedAt: string;
  /** An update fetched but waiting for the owner's consent, because it asks for more permissions. */
  pendingUpdate?: { staged: string; version: string; manifest: Manifest };
}

/** An app fetched and checked, ready to be installed once the owner accepts its permissions. */
export interface StagedApp {
  id: string;
  source: string;
  revision: string | null;
  manifest: Manifest;
  dir: string;
  /** What is installed under this slug now, if anything (the staged app is then an update). */
  installed: { version: string; manifest: Manifest } | null;
  /** Whether accepting grants more than is granted now (always true for a first install). */
  asksForMore: boolean;
}

/** Who manages the triggers of app services (the jobs subsystem). */
export interface ServiceTriggers {
  /** Replaces the triggers of an app's services by those of `manifest` (none when null). */
  sync(scope: JobScope, slug: string, manifest: Manifest | null): Promise<void>;
}

const APP = 'app';
const STAGED = 'staged-app';
/** An update waiting for consent stays fetched this long. */
const STAGED_TTL_MS = 7 * 24 * 3_600_000;
/** Doctypes an uninstall never empties: the platform's own, and files (their blobs need the file tree). */
const KEPT_DOCTYPES = /^io\.nuage\.(apps|settings|jobs|triggers|files|notifications)$/;
/** Apps that manage the others cannot be removed from their own UI. */
const PROTECTED = new Set(['home']);

/**
 * Installing, updating and removing apps of an instance. Two steps, so that nothing is installed
 * without consent: `stage` fetches and checks an app and says which permissions it asks for; `install`
 * is the owner's acceptance of exactly that staged app. Files live under `<data>/apps/<instance id>/`,
 * each version in its own folder, so an update swaps folders and never serves a half-copied app.
 */
export class AppsService {
  private readonly defaults = new Map<string, Promise<void>>();

  constructor(
    private readonly deps: {
      appsDir: string;
      catalogs: Catalogs;
      now: () => number;
      triggers?: ServiceTriggers;
      /** False: no default app is installed (the first-party ones already installed still update). */
      installDefaults?: boolean;
      /** Deletes every document of these doctypes (uninstall with its data); returns how many went. */
      purge?: (scope: JobScope, doctypes: string[]) => Promise<number>;
      /** A first-party app that could not be installed or updated (not built, say): logged, not fatal. */
      onDefaultError?: (slug: string, error: unknown) => void;
    },
  ) {}

  get catalogs(): Catalogs {
    return this.deps.catalogs;
  }

  async list(scope: JobScope): Promise<InstalledApp[]> {
    const records = await scope.storage.records.list<InstalledApp>(APP, this.deps.now());
    return records.map((r) => r.value).sort((a, b) => a.slug.localeCompare(b.slug));
  }

  get(scope: JobScope, slug: string): Promise<InstalledApp | null> {
    return scope.storage.records.get<InstalledApp>(APP, slug, this.deps.now());
  }

  async require(scope: JobScope, slug: string): Promise<InstalledApp> {
    const app = await this.get(scope, slug);
    if (!app) throw new NotFound(`no app "${slug}" is installed`);
    return app;
  }

  /** Fetches and checks an app without installing it. */
  async stage(scope: JobScope, sourceText: string): Promise<StagedApp> {
    const parsed = parseSource(sourceText);
    const source: Exclude<AppSource, { kind: 'catalog' }> =
      parsed.kind === 'catalog' ? (await this.deps.catalogs.find(parsed.slug)).source : parsed;
    return this.stageFrom(scope, sourceText.trim(), source);
  }

  private async stageFrom(
    scope: JobScope,
    sourceText: string,
    source: Exclude<AppSource, { kind: 'catalog' }>,
  ): Promise<StagedApp> {
    const id = randomToken(12);
    const staging = join(this.deps.appsDir, '.staging', id);
    try {
      const { revision } = await fetchSource(source, join(staging, 'fetched'));
      const { root, manifest } = await readManifest(join(staging, 'fetched'));
      await installFiles(root, manifest, join(staging, 'install'));
      await rm(join(staging, 'fetched'), { recursive: true, force: true });
      const current = await this.get(scope, manifest.slug);
      const staged: StagedApp = {
        id,
        source: sourceText,
        revision,
        manifest,
        dir: join(staging, 'install'),
        installed: current ? { version: current.manifest.version, manifest: current.manifest } : null,
        asksForMore: current ? asksForMore(current.manifest, manifest) : true,
      };
      await scope.storage.records.put(STAGED, id, staged, this.deps.now() + STAGED_TTL_MS);
      return staged;
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      throw error;
    }
  }

  async staged(scope: JobScope, id: string): Promise<StagedApp> {
    const staged = /^[A-Za-z0-9_-]{16}$/.test(id)
      ? await scope.storage.records.get<StagedApp>(STAGED, id, this.deps.now())
      : null;
    if (!staged) throw new NotFound('this app was not fetched, or too long ago: fetch it again');
    return staged;
  }

  /** Installs (or updates to) a staged app: the owner has seen and accepted its permissions. */
  async install(scope: JobScope, stagedId: string): Promise<InstalledApp> {
    const staged = await this.staged(scope, stagedId);
    const slug = staged.manifest.slug;
    const previous = await this.get(scope, slug);
    const dir = join(this.deps.appsDir, scope.instance.id, slug, staged.id);
    await mkdir(join(this.deps.appsDir, scope.instance.id, slug), { recursive: true });
    await rename(staged.dir, dir);
    await rm(join(this.deps.appsDir, '.staging', staged.id), { recursive: true, force: true });
    const now = new Date(this.deps.now()).toISOString();
    const app: InstalledApp = {
      slug,
      manifest: staged.manifest,
      source: staged.source,
      revision: staged.revision,
      dir,
      installedAt: previous?.installedAt ?? now,
      updatedAt: now,
    };
    await scope.storage.records.put(APP, slug, app);
    await scope.storage.records.delete(STAGED, staged.id);
    if (previous?.pendingUpdate && previous.pendingUpdate.staged !== staged.id)
      await this.discardStaged(scope, previous.pendingUpdate.staged);
    // Tokens carry the permissions they were made with: new permissions mean new tokens.
    if (previous) await revokeAppTokens(this.accounts(scope), slug);
    await this.deps.triggers?.sync(scope, slug, app.manifest);
    if (previous && previous.dir !== dir) await rm(previous.dir, { recursive: true, force: true });
    return app;
  }

  /**
   * Fetches the app again from where it came. An update that asks for no more permissions is applied
   * at once; one that asks for more waits, staged, for the owner's consent (`install(staged.id)`).
   */
  async update(
    scope: JobScope,
    slug: string,
  ): Promise<{ app: InstalledApp; applied: boolean; staged: StagedApp | null }> {
    const app = await this.require(scope, slug);
    const staged = await this.stage(scope, app.source);
    return this.offer(scope, app, staged, false);
  }

  private async offer(
    scope: JobScope,
    app: InstalledApp,
    staged: StagedApp,
    trusted: boolean,
  ): Promise<{ app: InstalledApp; applied: boolean; staged: StagedApp | null }> {
    if (staged.manifest.slug !== app.slug) {
      await this.discardStaged(scope, staged.id);
      throw new BadRequest(`the source now holds app "${staged.manifest.slug}", not "${app.slug}"`);
    }
    const same =
      staged.manifest.version === app.manifest.version &&
      staged.revision === app.revision &&
      JSON.stringify(staged.manifest) === JSON.stringify(app.manifest);
    if (same) {
      await this.discardStaged(scope, staged.id);
      return { app, applied: false, staged: null };
    }
    if (trusted || !staged.asksForMore)
      return { app: await this.install(scope, staged.id), applied: true, staged: null };
    if (app.pendingUpdate) await this.discardStaged(scope, app.pendingUpdate.staged);
    const waiting: InstalledApp = {
      ...app,
      pendingUpdate: { staged: staged.id, version: staged.manifest.version, manifest: staged.manifest },
    };
    await scope.storage.records.put(APP, app.slug, waiting);
    return { app: waiting, applied: false, staged };
  }

  /**
   * Removes an app, its files, tokens, app sessions and service triggers. Its documents stay, unless
   * the owner asks (`deleteData`): then the documents of the doctypes only this app was granted go
   * too — never a doctype another installed app uses, never platform doctypes, never files (their
   * contents are removed through the file tree, not here).
   */
  async uninstall(
    scope: JobScope,
    slug: string,
    options: { deleteData?: boolean } = {},
  ): Promise<{ deleted: number }> {
    if (PROTECTED.has(slug))
      throw new BadRequest(`"${slug}" manages the other apps and cannot be uninstalled`);
    const app = await this.require(scope, slug);
    await scope.storage.records.delete(APP, slug);
    if (app.pendingUpdate) await this.discardStaged(scope, app.pendingUpdate.staged);
    const accounts = this.accounts(scope);
    await revokeAppTokens(accounts, slug);
    await endAppSessions(accounts, slug);
    await this.deps.triggers?.sync(scope, slug, null);
    await rm(app.dir, { recursive: true, force: true });
    if (!options.deleteData || !this.deps.purge) return { deleted: 0 };
    const others = new Set((await this.list(scope)).flatMap((a) => rulesOf(a.manifest).map((r) => r.type)));
    const own = [...new Set(rulesOf(app.manifest).map((r) => r.type))].filter(
      (type) => !others.has(type) && !KEPT_DOCTYPES.test(type),
    );
    return { deleted: own.length === 0 ? 0 : await this.deps.purge(scope, own) };
  }

  /**
   * Installs the catalog's default apps (the Home) the first time an instance is used by this process,
   * and brings first-party apps up to the version shipped with this Nuage: the owner accepted those
   * when they installed or upgraded Nuage itself.
   */
  ensureDefaults(scope: JobScope): Promise<void> {
    let pending = this.defaults.get(scope.instance.id);
    if (!pending) {
      pending = this.installDefaults(scope).catch((error: unknown) => {
        this.defaults.delete(scope.instance.id);
        throw error;
      });
      this.defaults.set(scope.instance.id, pending);
    }
    return pending;
  }

  private async installDefaults(scope: JobScope): Promise<void> {
    const entries = await this.deps.catalogs.entries();
    for (const entry of entries.filter((e) => e.catalog === 'builtin' && e.source.kind === 'dir')) {
      try {
        const app = await this.get(scope, entry.slug);
        if (!app && entry.default && this.deps.installDefaults !== false)
          await this.install(scope, (await this.stageEntry(scope, entry)).id);
        else if (app && app.source === entry.slug && entry.source.kind === 'dir') {
          const { manifest } = await readManifest(entry.source.path);
          if (manifest.version !== app.manifest.version)
            await this.offer(scope, app, await this.stageEntry(scope, entry), true);
        }
      } catch (error) {
        this.deps.onDefaultError?.(entry.slug, error);
      }
    }
  }

  private stageEntry(scope: JobScope, entry: CatalogEntry): Promise<StagedApp> {
    return this.stageFrom(scope, entry.slug, entry.source);
  }

  /** Forgets a staged app the owner did not accept. */
  async discardStaged(scope: JobScope, id: string): Promise<void> {
    await scope.storage.records.delete(STAGED, id);
    await rm(join(this.deps.appsDir, '.staging', id), { recursive: true, force: true });
  }

  private accounts(scope: JobScope): AccountContext {
    return { records: scope.storage.records, now: this.deps.now };
  }
}
