import { InvalidManifest } from '../errors.js';
import { isDoctype, VERBS, type PermissionRule, type Verb } from '../permissions/permissions.js';

/** A path prefix of the app's origin and the folder of the app that serves it. */
export interface AppRoute {
  /** A folder of the app, relative to its root (`/` or `/dist`). */
  folder: string;
  /** The page served for the folder itself and for paths with no file (client-side routing). */
  index: string;
  /** Served without the owner's session (share pages); such routes get no token. */
  public: boolean;
}

/** Server-side code run as a job, never resident (docs/apps.md). */
export interface AppService {
  /** A JavaScript file of the app, relative to its root. */
  file: string;
  /** When it runs: `@event io.nuage.notes:CREATED`, `@cron 0 3 * * *`, `@every 1h`… */
  trigger: string;
  /** Seconds before the process is killed. */
  timeout: number;
  /** Megabytes of V8 heap the process may use. */
  memory: number;
}

export interface AppIntent {
  action: string;
  types: string[];
  href: string;
}

/** A parsed, validated `manifest.json`. */
export interface Manifest {
  name: string;
  slug: string;
  version: string;
  description: string;
  icon: string | null;
  /** Named permissions, as the owner sees them when asked to consent. */
  permissions: Record<string, PermissionRule & { description: string }>;
  routes: Record<string, AppRoute>;
  services: Record<string, AppService>;
  intents: AppIntent[];
  /** Per language, overrides of `name` and `description`. */
  locales: Record<string, { name?: string; description?: string }>;
}

/**
 * Slugs are one DNS label without dashes, so that `<instance-label>-<slug>` (flat app domains) splits
 * back unambiguously at its last dash.
 */
const SLUG = /^[a-z][a-z0-9]{1,31}$/;
const VERSION = /^\d{1,6}\.\d{1,6}\.\d{1,6}(?:[-+][0-9A-Za-z.-]{1,64})?$/;
const RELATIVE_FILE = /^\/?(?:[A-Za-z0-9_@+-][A-Za-z0-9_.@+-]*\/)*[A-Za-z0-9_@+-][A-Za-z0-9_.@+-]*$/;
const TRIGGER = /^@(at|in|every|cron|event|webhook)(\s.*)?$/;
const MAX_TIMEOUT_S = 15 * 60;

export function isSlug(text: string): boolean {
  return SLUG.test(text);
}

/**
 * Checks a manifest and fills the defaults. Every problem is reported at once, so a developer fixes
 * their manifest in one go; the owner never sees an app whose manifest did not pass.
 */
export function parseManifest(input: unknown): Manifest {
  const problems: string[] = [];
  const m = isObject(input) ? input : (problems.push('the manifest must be a JSON object'), {});
  const text = (key: string, required: boolean, max = 200): string => {
    const value = m[key];
    if (value === undefined && !required) return '';
    if (typeof value !== 'string' || value.trim() === '' || value.length > max) {
      problems.push(`"${key}" must be a non-empty string of at most ${max} characters`);
      return '';
    }
    return value;
  };

  const name = text('name', true, 80);
  const slug = text('slug', true, 32);
  if (slug && !SLUG.test(slug))
    problems.push(`"slug" must be 2-32 lowercase letters and digits, starting with a letter`);
  const version = text('version', true, 80);
  if (version && !VERSION.test(version)) problems.push(`"version" must look like 1.2.3`);
  const description = text('description', false, 1000);
  const icon = m.icon === undefined ? null : file(m.icon, '"icon"', problems);

  return {
    name,
    slug,
    version,
    description,
    icon,
    permissions: permissions(m.permissions, problems),
    routes: routes(m.routes, problems),
    services: services(m.services, problems),
    intents: intents(m.intents, problems),
    locales: locales(m.locales, problems),
    ...(problems.length > 0 ? fail(problems) : {}),
  };
}

function fail(problems: string[]): never {
  throw new InvalidManifest(`invalid manifest: ${problems.join('; ')}`, { extra: { problems } });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A file path inside the app: no `..`, no hidden files, no backslashes. Returned without leading `/`. */
function file(value: unknown, what: string, problems: string[]): string {
  if (typeof value !== 'string' || !RELATIVE_FILE.test(value) || value.length > 300) {
    problems.push(`${what} must be a path inside the app (letters, digits, - _ . @ + and /, no ..)`);
    return '';
  }
  return value.replace(/^\//, '');
}

function permissions(value: unknown, problems: string[]): Manifest['permissions'] {
  if (value === undefined) return {};
  if (!isObject(value)) {
    problems.push('"permissions" must be an object of named permissions');
    return {};
  }
  const out: Manifest['permissions'] = {};
  for (const [key, raw] of Object.entries(value)) {
    const where = `permission "${key}"`;
    if (!isObject(raw)) {
      problems.push(`${where} must be an object {type, verbs, description}`);
      continue;
    }
    const type = raw.type;
    if (typeof type !== 'string' || !isDoctype(type)) {
      problems.push(`${where}: "type" must be a doctype such as io.nuage.notes`);
      continue;
    }
    const verbs = raw.verbs ?? 'ALL';
    let parsed: Verb[] | 'ALL';
    if (verbs === 'ALL' || (Array.isArray(verbs) && verbs.length === 1 && verbs[0] === 'ALL')) parsed = 'ALL';
    else if (Array.isArray(verbs) && verbs.length > 0 && verbs.every((v) => VERBS.includes(v as Verb)))
      parsed = [...new Set(verbs as Verb[])];
    else {
      problems.push(`${where}: "verbs" must be "ALL" or a list of ${VERBS.join(', ')}`);
      continue;
    }
    const description = typeof raw.description === 'string' ? raw.description.slice(0, 500) : '';
    out[key] = { type, verbs: parsed, description };
  }
  return out;
}

function routes(value: unknown, problems: string[]): Manifest['routes'] {
  if (value === undefined) return { '/': { folder: '', index: 'index.html', public: false } };
  if (!isObject(value)) {
    problems.push('"routes" must be an object of path → {folder, index, public}');
    return {};
  }
  const out: Manifest['routes'] = {};
  for (const [path, raw] of Object.entries(value)) {
    if (!/^\/(?:[A-Za-z0-9_-]+\/?)*$/.test(path) || !isObject(raw)) {
      problems.push(`route "${path}" must be a path such as /public mapped to {folder, index, public}`);
      continue;
    }
    const folder =
      raw.folder === undefined || raw.folder === '/'
        ? ''
        : file(raw.folder, `route "${path}" folder`, problems);
    const index = raw.index === undefined ? 'index.html' : file(raw.index, `route "${path}" index`, problems);
    out[path.replace(/(.)\/$/, '$1')] = { folder, index, public: raw.public === true };
  }
  return out;
}

function services(value: unknown, problems: string[]): Manifest['services'] {
  if (value === undefined) return {};
  if (!isObject(value)) {
    problems.push('"services" must be an object of named services');
    return {};
  }
  const out: Manifest['services'] = {};
  for (const [key, raw] of Object.entries(value)) {
    const where = `service "${key}"`;
    if (!/^[a-z][a-z0-9-]{0,31}$/.test(key) || !isObject(raw)) {
      problems.push(`${where} must have a lowercase name and be an object {file, trigger}`);
      continue;
    }
    const entry = file(raw.file, `${where} "file"`, problems);
    if (entry && !/\.(c|m)?js$/.test(entry))
      problems.push(`${where}: "file" must be a .js, .mjs or .cjs file`);
    const trigger = raw.trigger;
    if (typeof trigger !== 'string' || !TRIGGER.test(trigger.trim())) {
      problems.push(
        `${where}: "trigger" must be one of @at, @in, @every, @cron, @event, @webhook with its arguments`,
      );
      continue;
    }
    const timeout = raw.timeout ?? 60;
    if (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout < 1 || timeout > MAX_TIMEOUT_S)
      problems.push(`${where}: "timeout" must be whole seconds from 1 to ${MAX_TIMEOUT_S}`);
    const memory = raw.memory ?? 64;
    if (typeof memory !== 'number' || !Number.isInteger(memory) || memory < 16 || memory > 1024)
      problems.push(`${where}: "memory" must be whole megabytes from 16 to 1024`);
    out[key] = { file: entry, trigger: trigger.trim(), timeout: Number(timeout), memory: Number(memory) };
  }
  return out;
}

function intents(value: unknown, problems: string[]): AppIntent[] {
  if (value === undefined) return [];
  const ok =
    Array.isArray(value) &&
    value.every(
      (i) =>
        isObject(i) &&
        typeof i.action === 'string' &&
        typeof i.href === 'string' &&
        i.href.startsWith('/') &&
        Array.isArray(i.types ?? i.type) &&
        ((i.types ?? i.type) as unknown[]).every((t) => typeof t === 'string'),
    );
  if (!ok) {
    problems.push('"intents" must be a list of {action, types, href}');
    return [];
  }
  return (value as Record<string, unknown>[]).map((i) => ({
    action: String(i.action).toUpperCase(),
    types: (i.types ?? i.type) as string[],
    href: String(i.href),
  }));
}

function locales(value: unknown, problems: string[]): Manifest['locales'] {
  if (value === undefined) return {};
  if (!isObject(value) || !Object.values(value).every(isObject)) {
    problems.push('"locales" must map a language to {name, description}');
    return {};
  }
  const out: Manifest['locales'] = {};
  for (const [lang, raw] of Object.entries(value as Record<string, Record<string, unknown>>)) {
    if (!/^[a-z]{2,3}(-[A-Za-z]{2,4})?$/.test(lang)) {
      problems.push(`locale "${lang}" is not a language tag`);
      continue;
    }
    out[lang] = {
      ...(typeof raw.name === 'string' ? { name: raw.name.slice(0, 80) } : {}),
      ...(typeof raw.description === 'string' ? { description: raw.description.slice(0, 1000) } : {}),
    };
  }
  return out;
}

/** The permission rules an app's tokens carry: exactly what the manifest asked and the owner accepted. */
export function rulesOf(manifest: Manifest): PermissionRule[] {
  return Object.values(manifest.permissions).map((p) => ({ type: p.type, verbs: p.verbs }));
}

/**
 * Whether `next` asks for something `previous` did not grant: a new doctype or a new verb. Such an
 * update waits for the owner's consent; one that asks for the same or less applies at once.
 */
export function asksForMore(previous: Manifest, next: Manifest): boolean {
  const granted = rulesOf(previous);
  return rulesOf(next).some((rule) => {
    const verbs = rule.verbs === 'ALL' ? VERBS : rule.verbs;
    return verbs.some(
      (verb) => !granted.some((g) => g.type === rule.type && (g.verbs === 'ALL' || g.verbs.includes(verb))),
    );
  });
}
