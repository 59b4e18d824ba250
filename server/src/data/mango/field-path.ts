import { BadRequest } from '../../errors.js';

/** Longest field path accepted, in segments: deeper paths are almost certainly a mistake or an attack. */
const MAX_SEGMENTS = 64;

/**
 * Splits a Mango field name into path segments: `"a.b.c"` → `["a", "b", "c"]`. A dot preceded by a
 * backslash is part of the name (`"a\\.b"` → `["a.b"]`, as in CouchDB) and `\\` stands for one backslash;
 * any other backslash is kept as is. Throws BadRequest for an empty name or an empty segment (`"a..b"`).
 */
export function parseFieldPath(field: string): string[] {
  if (field === '') throw new BadRequest('a field name cannot be empty');
  const segments: string[] = [];
  let current = '';
  for (let i = 0; i < field.length; i++) {
    const c = field[i];
    if (c === '\\' && (field[i + 1] === '.' || field[i + 1] === '\\')) {
      current += field[i + 1];
      i++;
    } else if (c === '.') {
      if (current === '') throw new BadRequest(`field "${field}" has an empty path segment`);
      segments.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  if (current === '') throw new BadRequest(`field "${field}" has an empty path segment`);
  segments.push(current);
  if (segments.length > MAX_SEGMENTS) {
    throw new BadRequest(
      `field "${field.slice(0, 100)}…" is nested too deeply (${MAX_SEGMENTS} levels at most)`,
    );
  }
  return segments;
}

/** The canonical dotted name of a path (inverse of parseFieldPath): dots and backslashes escaped. */
export function formatFieldPath(path: readonly string[]): string {
  return path.map((s) => s.replace(/\\/g, '\\\\').replace(/\./g, '\\.')).join('.');
}

/** Parses then re-formats a field name, so that two spellings of one path compare equal. */
export function canonicalField(field: string): string {
  return formatFieldPath(parseFieldPath(field));
}

const ARRAY_INDEX = /^(?:0|[1-9][0-9]*)$/;

/**
 * Follows `path` into a JSON value. Objects are entered by own property (never the prototype); arrays by
 * a decimal index segment (`"tags.0"`), like CouchDB. Returns `{ value }` when the field exists (even
 * when it is null), `undefined` when it is missing. The empty path designates the value itself.
 */
export function getField(value: unknown, path: readonly string[]): { value: unknown } | undefined {
  let current = value;
  for (const segment of path) {
    if (Array.isArray(current)) {
      if (!ARRAY_INDEX.test(segment)) return undefined;
      const index = Number(segment);
      if (index >= current.length) return undefined;
      current = current[index];
    } else if (typeof current === 'object' && current !== null) {
      if (!Object.hasOwn(current, segment)) return undefined;
      current = (current as Record<string, unknown>)[segment];
    } else {
      return undefined;
    }
    if (current === undefined) return undefined;
  }
  return { value: current };
}
