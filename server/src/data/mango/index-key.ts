/**
 * Order-preserving binary encoding of index keys. A Mango index is stored as rows
 * `(index_id, key, doc_id)`; because `Buffer.compare(encodeIndexKey(a), encodeIndexKey(b))` has the sign
 * of the element-wise {@link collate} of `a` and `b`, a range scan is a plain byte comparison
 * (`key >= ? AND key < ?`), identical on SQLite (BLOB, memcmp) and PostgreSQL (bytea).
 *
 * Layout, one component per value:
 * - a type tag byte: null 0x10, false 0x20, true 0x21, number 0x30, string 0x40, array 0x50, object 0x60;
 * - number: 8 bytes IEEE-754 big-endian, sign bit flipped for positives and all bits flipped for
 *   negatives (so byte order is numeric order), `-0` written as `0`;
 * - string: its code points as UTF-8 (WTF-8 for lone surrogates), with 0x00 written 0x01 0x01 and 0x01
 *   written 0x01 0x02, then a 0x00 terminator: a string sorts before every longer string it prefixes;
 * - array: the elements' components, then 0x00; object: key (as a string component) and value per pair,
 *   then 0x00. 0x00 is below every tag, so shorter arrays and objects sort first.
 * Every component is self-delimiting (no component is a prefix of another), so concatenations compare
 * component by component, and a component's bytes inverted (bitwise NOT) sort in exactly reverse order:
 * that is how `desc` index fields are stored.
 */
import { jsonType } from './collate.js';

const END = 0x00;
/** Only in sort keys (sortKeyFor): a missing field, below null. */
export const TAG_MISSING = 0x08;
const TAG_NULL = 0x10;
const TAG_FALSE = 0x20;
const TAG_TRUE = 0x21;
const TAG_NUMBER = 0x30;
const TAG_STRING = 0x40;
const TAG_ARRAY = 0x50;
const TAG_OBJECT = 0x60;

/** For each JSON type, the tag bytes `[first, last + 1)` that its encodings start with. */
export const TYPE_TAG_RANGE = {
  null: [TAG_NULL, TAG_NULL + 1],
  boolean: [TAG_FALSE, TAG_TRUE + 1],
  number: [TAG_NUMBER, TAG_NUMBER + 1],
  string: [TAG_STRING, TAG_STRING + 1],
  array: [TAG_ARRAY, TAG_ARRAY + 1],
  object: [TAG_OBJECT, TAG_OBJECT + 1],
} as const;

const scratch = new DataView(new ArrayBuffer(8));

function pushNumber(out: number[], n: number): void {
  scratch.setFloat64(0, n === 0 ? 0 : n);
  const negative = (scratch.getUint8(0) & 0x80) !== 0;
  for (let i = 0; i < 8; i++) {
    const b = scratch.getUint8(i);
    out.push(negative ? ~b & 0xff : i === 0 ? b | 0x80 : b);
  }
}

function pushString(out: number[], s: string): void {
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      }
    }
    if (c < 0x80) {
      if (c <= 0x01) out.push(0x01, c + 1);
      else out.push(c);
    } else if (c < 0x800) {
      out.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
    } else if (c < 0x10000) {
      out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
    } else {
      out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 0x3f), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
    }
  }
  out.push(END);
}

/** Appends the (ascending) component of one JSON value to `out`. */
export function pushValue(out: number[], value: unknown): void {
  switch (jsonType(value)) {
    case 'null':
      out.push(TAG_NULL);
      return;
    case 'boolean':
      out.push(value === true ? TAG_TRUE : TAG_FALSE);
      return;
    case 'number':
      out.push(TAG_NUMBER);
      pushNumber(out, value as number);
      return;
    case 'string':
      out.push(TAG_STRING);
      pushString(out, value as string);
      return;
    case 'array':
      out.push(TAG_ARRAY);
      for (const item of value as unknown[]) pushValue(out, item);
      out.push(END);
      return;
    case 'object':
      out.push(TAG_OBJECT);
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        out.push(TAG_STRING);
        pushString(out, k);
        pushValue(out, v);
      }
      out.push(END);
      return;
  }
}

/** Appends one component, inverted when `descending` (so that it sorts in reverse). */
export function pushComponent(out: number[], value: unknown, descending: boolean): void {
  if (!descending) {
    pushValue(out, value);
    return;
  }
  const start = out.length;
  pushValue(out, value);
  for (let i = start; i < out.length; i++) out[i] = ~(out[i] as number) & 0xff;
}

/**
 * Encodes a list of JSON values as an index key whose byte order is their collation order:
 * `Math.sign(Buffer.compare(encodeIndexKey(a), encodeIndexKey(b)))` equals the sign of comparing `a` and
 * `b` element by element with {@link collate} (a list that prefixes a longer one sorts first). Equal keys
 * mean collation-equal values.
 */
export function encodeIndexKey(values: readonly unknown[]): Buffer {
  const out: number[] = [];
  for (const value of values) pushValue(out, value);
  return Buffer.from(out);
}

/**
 * The smallest byte string greater than every byte string starting with `prefix` (drop trailing 0xff
 * bytes, increment the last one), or null when there is none (empty or all-0xff prefix).
 */
export function prefixSuccessor(prefix: Uint8Array): Buffer | null {
  let end = prefix.length;
  while (end > 0 && prefix[end - 1] === 0xff) end--;
  if (end === 0) return null;
  const out = Buffer.from(prefix.subarray(0, end));
  out[end - 1] = (out[end - 1] as number) + 1;
  return out;
}

/**
 * Smallest key greater than every key that starts with the components of `values`: with
 * `encodeIndexKey(values)` as inclusive lower bound, it is the exclusive upper bound of the range of all
 * keys whose first `values.length` components equal `values` (how `$eq` on the leading fields of a
 * multi-field index becomes a range). Null only for an empty `values` (no upper bound).
 */
export function keyUpperBoundForPrefix(values: readonly unknown[]): Buffer | null {
  return prefixSuccessor(encodeIndexKey(values));
}

/**
 * The half-open key range `[gte, lt)` holding exactly the keys whose leading components equal `values`
 * (`lt` absent when `values` is empty).
 */
export function keyRangeForPrefix(values: readonly unknown[]): { gte: Buffer; lt?: Buffer } {
  const gte = encodeIndexKey(values);
  const lt = prefixSuccessor(gte);
  return lt === null ? { gte } : { gte, lt };
}
