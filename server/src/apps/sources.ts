import { BadRequest } from '../errors.js';

/**
 * Where an app comes from. Catalog entries name one of the other kinds; `dir` is how the first-party
 * apps shipped with Nuage are installed (their folder in this repository).
 */
export type AppSource =
  | { kind: 'catalog'; slug: string }
  | { kind: 'git'; url: string; ref: string | null }
  | { kind: 'tarball'; url: string; sha256: string }
  | { kind: 'dir'; path: string };

/**
 * Parses what a user types or a catalog lists:
 * - `drive` (a slug, looked up in the catalogs),
 * - `git+https://host/repo.git#ref` and `git+file:///path/to/repo#ref` (ref optional),
 * - `https://host/app.tar.gz#sha256=<hex>` (the digest is required: a tarball URL alone proves nothing).
 */
export function parseSource(text: string): AppSource {
  const source = text.trim();
  if (/^[a-z][a-z0-9]{1,31}$/.test(source)) return { kind: 'catalog', slug: source };
  const hash = source.indexOf('#');
  const base = hash < 0 ? source : source.slice(0, hash);
  const fragment = hash < 0 ? '' : source.slice(hash + 1);
  if (base.startsWith('git+')) {
    const url = base.slice(4);
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new BadRequest(`"${source}" is not a valid git URL`);
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:' && parsed.protocol !== 'file:')
      throw new BadRequest('git sources must use git+https://, git+http:// or git+file://');
    if (fragment !== '' && !/^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$/.test(fragment))
      throw new BadRequest(`"${fragment}" is not a git branch, tag or commit`);
    return { kind: 'git', url: parsed.href, ref: fragment === '' ? null : fragment };
  }
  if (/^https?:\/\//.test(base)) {
    const digest = /^sha256=([0-9a-f]{64})$/i.exec(fragment);
    if (!digest) throw new BadRequest('a tarball URL needs its digest: https://…/app.tar.gz#sha256=<64 hex>');
    try {
      new URL(base);
    } catch {
      throw new BadRequest(`"${base}" is not a valid URL`);
    }
    return { kind: 'tarball', url: base, sha256: digest[1]!.toLowerCase() };
  }
  throw new BadRequest(
    `unknown app source "${source}": use a catalog slug, git+https://…#ref, git+file://…, or https://….tar.gz#sha256=…`,
  );
}

/** The source as text again, as records and the UI show it. */
export function formatSource(source: AppSource): string {
  switch (source.kind) {
    case 'catalog':
      return source.slug;
    case 'git':
      return `git+${source.url}${source.ref ? `#${source.ref}` : ''}`;
    case 'tarball':
      return `${source.url}#sha256=${source.sha256}`;
    case 'dir':
      return `dir:${source.path}`;
  }
}
