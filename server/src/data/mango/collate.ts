/**
 * CouchDB's view collation of JSON values, as used by Mango comparisons, sorts and index keys.
 *
 * Order of types: null < false < true < numbers < strings < arrays < objects. Arrays compare element by
 * element (a shorter array that is a prefix of a longer one sorts first); objects compare their key/value
 * pairs in order (key first, then value; fewer pairs first).
 *
 * Strings: CouchDB collates strings with ICU (locale-aware). Nuage deliberately uses plain Unicode
 * code-point order instead, because that is the one order that the binary index keys (index-key.ts),
 * SQLite (BINARY collation over UTF-8) and PostgreSQL (`COLLATE "C"` over UTF-8) all agree on, so an index
 * range scan returns the same rows on both databases and in the same order as an in-memory sort.
 */

/** A JSON value as found in documents and selectors. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** The six JSON types, named as Mango's `$type` operator names them. */
export type JsonType = 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object';

/** The `$type` names, in collation order. */
export const JSON_TYPES: readonly JsonType[] = ['null', 'boolean', 'number', 'string', 'array', 'object'];

const RANK: Record<JsonType, number> = { null: 0, boolean: 1, number: 2, string: 3, array: 4, object: 5 };

/**
 * The JSON type of a value (`false` and `true` are both `'boolean'`: that is the "type class" used by the
 * comparison operators). Throws a TypeError for values that JSON cannot hold (undefined, functions…).
 */
export function jsonType(value: unknown): JsonType {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return 'boolean';
    case 'number':
      return 'number';
    case 'string':
      return 'string';
    case 'object':
      return Array.isArray(value) ? 'array' : 'object';
    default:
      throw new TypeError(`not a JSON value: ${typeof value}`);
  }
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

/**
 * Compares two strings by Unicode code point (not by UTF-16 code unit, which would put U+10000 before
 * U+FFFF). A lone surrogate counts as the code point of its own value, matching the WTF-8 bytes written
 * by the index-key encoder. Returns -1, 0 or 1.
 */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === n) return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
  // If the strings part in the middle of a surrogate pair, compare whole code points from the shared
  // high surrogate on: one side may be an astral character, the other a lone high surrogate.
  if (
    i > 0 &&
    isHighSurrogate(a.charCodeAt(i - 1)) &&
    (isLowSurrogate(a.charCodeAt(i)) || isLowSurrogate(b.charCodeAt(i)))
  ) {
    i--;
  }
  const ca = a.codePointAt(i) ?? 0;
  const cb = b.codePointAt(i) ?? 0;
  return ca < cb ? -1 : ca > cb ? 1 : 0;
}

/**
 * CouchDB view collation of two JSON values (see the module comment): negative when `a` sorts before `b`,
 * 0 when they are equal (same type and deeply equal, with `-0` equal to `0`), positive otherwise. Object
 * pairs are taken in JavaScript property order (insertion order, except that integer-like keys come first:
 * a JSON.parse limitation that the index-key encoder shares, so both always agree).
 */
export function collate(a: unknown, b: unknown): number {
  const ta = jsonType(a);
  const tb = jsonType(b);
  if (ta !== tb) return RANK[ta] < RANK[tb] ? -1 : 1;
  switch (ta) {
    case 'null':
      return 0;
    case 'boolean':
      return a === b ? 0 : a === true ? 1 : -1;
    case 'number':
      return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
    case 'string':
      return compareStrings(a as string, b as string);
    case 'array': {
      const xa = a as unknown[];
      const xb = b as unknown[];
      const n = Math.min(xa.length, xb.length);
      for (let i = 0; i < n; i++) {
        const c = collate(xa[i], xb[i]);
        if (c !== 0) return c;
      }
      return xa.length === xb.length ? 0 : xa.length < xb.length ? -1 : 1;
    }
    case 'object': {
      const ea = Object.entries(a as Record<string, unknown>);
      const eb = Object.entries(b as Record<string, unknown>);
      const n = Math.min(ea.length, eb.length);
      for (let i = 0; i < n; i++) {
        const [ka, va] = ea[i] as [string, unknown];
        const [kb, vb] = eb[i] as [string, unknown];
        const ck = compareStrings(ka, kb);
        if (ck !== 0) return ck;
        const cv = collate(va, vb);
        if (cv !== 0) return cv;
      }
      return ea.length === eb.length ? 0 : ea.length < eb.length ? -1 : 1;
    }
  }
}
