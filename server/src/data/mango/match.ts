import { collate, jsonType } from './collate.js';
import { getField } from './field-path.js';
import type { Condition, Selector } from './selector.js';

function equal(a: unknown, b: unknown): boolean {
  return collate(a, b) === 0;
}

/** Comparison operators only match values of the operand's type class (a string is never `$gt` 5). */
function compare(value: unknown, operand: unknown): number | undefined {
  return jsonType(value) === jsonType(operand) ? collate(value, operand) : undefined;
}

function inValues(value: unknown, values: readonly unknown[]): boolean {
  // CouchDB: an array field matches $in when one of its elements equals one of the values.
  if (Array.isArray(value)) return value.some((element) => values.some((v) => equal(element, v)));
  return values.some((v) => equal(value, v));
}

function test(cond: Condition, value: unknown): boolean {
  switch (cond.op) {
    case '$eq':
      return equal(value, cond.value);
    case '$gt': {
      const c = compare(value, cond.value);
      return c !== undefined && c > 0;
    }
    case '$gte': {
      const c = compare(value, cond.value);
      return c !== undefined && c >= 0;
    }
    case '$lt': {
      const c = compare(value, cond.value);
      return c !== undefined && c < 0;
    }
    case '$lte': {
      const c = compare(value, cond.value);
      return c !== undefined && c <= 0;
    }
    case '$in':
      return inValues(value, cond.values);
    case '$all': {
      if (!Array.isArray(value) || cond.values.length === 0) return false;
      if (cond.values.every((v) => value.some((element) => equal(element, v)))) return true;
      // CouchDB: {"$all": [[1, 2]]} also matches the array [1, 2] itself.
      const only = cond.values[0];
      return cond.values.length === 1 && Array.isArray(only) && equal(only, value);
    }
    case '$exists':
      return cond.value;
    case '$regex':
      return typeof value === 'string' && cond.regex.test(value);
    case '$elemMatch':
      return Array.isArray(value) && value.some((element) => matches(cond.selector, element));
    case '$allMatch':
      return (
        Array.isArray(value) && value.length > 0 && value.every((element) => matches(cond.selector, element))
      );
    case '$size':
      return Array.isArray(value) && value.length === cond.value;
    case '$type':
      return jsonType(value) === cond.value;
    case '$mod':
      // Truncated remainder, like Erlang's `rem`: -7 % 3 is -1.
      return typeof value === 'number' && Number.isInteger(value) && value % cond.divisor === cond.remainder;
  }
}

/**
 * Whether a JSON value (a document, or an array element inside `$elemMatch`) matches a parsed selector,
 * with CouchDB's semantics:
 * - a missing field matches nothing but `$exists: false`; in particular `$ne`, `$nin`, `$not` and `$nor`
 *   do NOT match documents lacking the field (CouchDB pushes negations down to the field conditions);
 * - comparisons use {@link collate}; `$gt/$gte/$lt/$lte` only match values of the operand's type class
 *   (Nuage's choice: CouchDB would let a string be `$gt` a number since strings collate after numbers);
 * - arrays are not searched implicitly (`{"tags": "a"}` does not match `["a"]`; use `$elemMatch`/`$all`),
 *   except by `$in`/`$nin`, which compare each element;
 * - an empty `$and`/`$or` matches everything, an empty `$in` nothing, an empty `$all` nothing.
 */
export function matches(selector: Selector, doc: unknown): boolean {
  switch (selector.kind) {
    case 'and':
      return selector.args.every((s) => matches(s, doc));
    case 'or':
      return selector.args.length === 0 || selector.args.some((s) => matches(s, doc));
    case 'field': {
      const found = getField(doc, selector.path);
      if (found === undefined) return selector.cond.op === '$exists' && !selector.cond.value;
      const result = test(selector.cond, found.value);
      return selector.negated ? !result : result;
    }
  }
}
