import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { NotFound } from '../errors.js';
import { parseSource, type AppSource } from './sources.js';

/** One app a catalog offers. */
export interface CatalogEntry {
  slug: string;
  name: string;
  description: string;
  /** Installed by default on every instance (the Home). */
  default: boolean;
  /** What `install` fetches: a git, tarball, or (first-party) folder source. */
  source: Exclude<AppSource, { kind: 'catalog' }>;
  /** The catalog it came from: `builtin` or its URL. */
  catalog: string;
}

/** The first-party apps, shipped in this repository next to the server. */
export const BUILTIN_APPS_DIR = fileURLToPath(new URL('../../../apps/', import.meta.url));
const BUILTIN_CATALOG = `${BUILTIN_APPS_DIR}catalog.json`;
const REMOTE_TTL_MS = 10 * 60_000;

/**
 * The catalogs an instance can install from: the one shipped with Nuage, whose entries point to
 * folders of `apps/`, then any catalog configured by URL (`NUAGE_CATALOGS`), asked at most every ten
 * minutes. A catalog that cannot be read is skipped, not fatal: the others still work.
 */
export class Catalogs {
  private readonly remote = new Map<string, { at: number; entries: CatalogEntry[] }>();

  constructor(
    private readonly urls: readonly string[],
    private readonly now: () => number,
    private readonly onError: (url: string, error: unknown) => void = () => undefined,
  ) {}

  async entries(): Promise<CatalogEntry[]> {
    const all = [...(await this.builtin())];
    for (const url of this.urls) all.push(...(await this.fetchRemote(url)));
    const seen = new Set<string>();
    return all.filter((e) => !seen.has(e.slug) && seen.add(e.slug));
  }

  async find(slug: string): Promise<CatalogEntry> {
    const entry = (await this.entries()).find((e) => e.slug === slug);
    if (!entry) throw new NotFound(`no catalog offers an app "${slug}"`);
    return entry;
  }

  private async builtin(): Promise<CatalogEntry[]> {
    try {
      return parseCatalog(JSON.parse(await readFile(BUILTIN_CATALOG, 'utf8')), 'builtin');
    } catch (error) {
      this.onError(BUILTIN_CATALOG, error);
      return [];
    }
  }

  private async fetchRemote(url: string): Promise<CatalogEntry[]> {
    const hit = this.remote.get(url);
    if (hit && this.now() - hit.at < REMOTE_TTL_MS) return hit.entries;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
      if (!response.ok) throw new Error(`${url} answered ${response.status}`);
      const entries = parseCatalog(await response.json(), url);
      this.remote.set(url, { at: this.now(), entries });
      return entries;
    } catch (error) {
      this.onError(url, error);
      return hit?.entries ?? [];
    }
  }
}

/**
 * A catalog is `{"apps": [{slug, name, description, source, default?}]}`. In the builtin catalog a
 * source may be `dir:<folder>`, a folder of `apps/`; remote catalogs may only list git and tarball
 * sources, so that a catalog on the internet cannot point at files of the server.
 */
export function parseCatalog(json: unknown, catalog: string): CatalogEntry[] {
  const apps = (json as { apps?: unknown } | null)?.apps;
  if (!Array.isArray(apps)) throw new Error(`${catalog}: a catalog is {"apps": [...]}`);
  const entries: CatalogEntry[] = [];
  for (const raw of apps as Record<string, unknown>[]) {
    if (typeof raw?.slug !== 'string' || typeof raw.source !== 'string') continue;
    let source: AppSource;
    const dir = /^dir:([a-z][a-z0-9]{1,31})$/.exec(raw.source);
    if (dir && catalog === 'builtin') source = { kind: 'dir', path: `${BUILTIN_APPS_DIR}${dir[1]}` };
    else {
      try {
        source = parseSource(raw.source);
      } catch {
        continue;
      }
    }
    if (source.kind === 'catalog') continue;
    entries.push({
      slug: raw.slug,
      name: typeof raw.name === 'string' ? raw.name : raw.slug,
      description: typeof raw.description === 'string' ? raw.description : '',
      default: raw.default === true,
      source,
      catalog,
    });
  }
  return entries;
}
