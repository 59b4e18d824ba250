import { BadRequest } from '../../errors.js';
import { JSON_TYPES, type JsonType, type JsonValue } from './collate.js';
import { formatFieldPath, parseFieldPath } from './field-path.js';

/** Longest `$regex` pattern accepted: a cheap limit on catastrophic-backtracking patterns (ReDoS). */
export const MAX_REGEX_LENGTH = 1000;

/** How deep selectors (and the JSON values inside them) may nest. */
const MAX_DEPTH = 100;

/** A condition on one value (the value of a field, or an array element inside `$elemMatch`). */
export type Condition =
  | { op: '$eq' | '$gt' | '$gte' | '$lt' | '$lte'; value: JsonValue }
  | { op: '$in' | '$all'; values: JsonValue[] }
  | { op: '$exists'; value: boolean }
  | { op: '$regex'; pattern: string; regex: RegExp }
  | { op: '$elemMatch' | '$allMatch'; selector: Selector }
  | { op: '$size'; value: number }
  | { op: '$type'; value: JsonType }
  | { op: '$mod'; divisor: number; remainder: number };

/**
 * A condition on the field at `path` (`field` is its canonical dotted name; the empty path, only found
 * inside `$elemMatch`/`$allMatch`, designates the array element itself). Like CouchDB, every field
 * condition except `$exists: false` requires the field to exist: a `negated` condition matches when the
 * field exists and the condition does not hold (`$ne` is a negated `$eq`, `$nin` a negated `$in`).
 */
export interface FieldSelector {
  kind: 'field';
  path: readonly string[];
  field: string;
  negated: boolean;
  cond: Condition;
}

/**
 * A parsed, normalised Mango selector. `$not` and `$nor` do not survive parsing: as in CouchDB, negations
 * are pushed down to the field conditions (De Morgan), so the tree is only `and`, `or` and field nodes.
 * An `and` with no arguments matches everything (the empty selector `{}`); nested `and`s and `or`s are
 * flattened.
 */
export type Selector = { kind: 'and'; args: Selector[] } | { kind: 'or'; args: Selector[] } | FieldSelector;

const VALUE_OPERATORS = new Set([
  '$eq',
  '$ne',
  '$gt',
  '$gte',
  '$lt',
  '$lte',
  '$in',
  '$nin',
  '$all',
  '$exists',
  '$regex',
  '$elemMatch',
  '$allMatch',
  '$size',
  '$type',
  '$mod',
]);

const UNSUPPORTED = new Set(['$text', '$where', '$geoWithin', '$geoIntersects', '$near', '$nearSphere']);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks that `value` is a JSON value (no undefined, functions, NaN…) and not absurdly deep. */
function checkJson(value: unknown, where: string, depth = 0): JsonValue {
  if (depth > MAX_DEPTH) throw new BadRequest(`${where}: value is nested too deeply`);
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (Number.isNaN(value)) throw new BadRequest(`${where}: NaN is not a JSON value`);
    return value;
  }
  if (Array.isArray(value)) {
    for (const item of value) checkJson(item, where, depth + 1);
    return value as JsonValue[];
  }
  if (isPlainObject(value)) {
    for (const item of Object.values(value)) checkJson(item, where, depth + 1);
    return value as JsonValue;
  }
  throw new BadRequest(`${where}: not a JSON value`);
}

/**
 * Compiles a `$regex` pattern once. JavaScript syntax, tried first with the `u` flag (code-point
 * semantics) and then without it; a leading PCRE-style `(?i)`, `(?m)`, `(?s)` (or a combination) is
 * accepted and turned into flags, since CouchDB (PCRE) users write those.
 */
export function compileRegex(pattern: unknown): RegExp {
  if (typeof pattern !== 'string') throw new BadRequest('$regex needs a string pattern');
  if (pattern.length > MAX_REGEX_LENGTH) {
    throw new BadRequest(`$regex pattern is too long (${MAX_REGEX_LENGTH} characters at most)`);
  }
  let source = pattern;
  let flags = '';
  const inline = /^\(\?([a-z]+)\)/.exec(source);
  if (inline) {
    const letters = inline[1] ?? '';
    if (!/^[ims]+$/.test(letters) || new Set(letters).size !== letters.length) {
      throw new BadRequest(`$regex: unsupported inline flags (?${letters}) (only i, m and s)`);
    }
    flags = letters;
    source = source.slice(inline[0].length);
  }
  try {
    return new RegExp(source, flags + 'u');
  } catch {
    try {
      return new RegExp(source, flags);
    } catch (error) {
      throw new BadRequest(`$regex: invalid pattern: ${(error as Error).message}`);
    }
  }
}

function and(args: Selector[]): Selector {
  const flat = args.flatMap((a) => (a.kind === 'and' ? a.args : [a]));
  return flat.length === 1 ? (flat[0] as Selector) : { kind: 'and', args: flat };
}

function or(args: Selector[]): Selector {
  // CouchDB: an empty $or matches every document.
  if (args.length === 0) return { kind: 'and', args: [] };
  const flat = args.flatMap((a) => (a.kind === 'or' ? a.args : [a]));
  return flat.length === 1 ? (flat[0] as Selector) : { kind: 'or', args: flat };
}

/** `and` unless negated (De Morgan). */
function junction(negated: boolean, args: Selector[]): Selector {
  return negated ? or(args) : and(args);
}

interface Context {
  /** Where the condition applies; `[]` is the document root, or the element inside `$elemMatch`. */
  path: string[];
  /** Whether operators may apply to the empty path (inside `$elemMatch`/`$allMatch`, not at the root). */
  bare: boolean;
  negated: boolean;
  depth: number;
}

function leaf(ctx: Context, cond: Condition, negated = ctx.negated): FieldSelector {
  return { kind: 'field', path: ctx.path, field: formatFieldPath(ctx.path), negated, cond };
}

function parseObject(obj: Record<string, unknown>, ctx: Context): Selector {
  if (ctx.depth > MAX_DEPTH) throw new BadRequest('selector is nested too deeply');
  const keys = Object.keys(obj);
  if (keys.length === 0) {
    if (ctx.path.length > 0) return leaf(ctx, { op: '$eq', value: {} });
    if (ctx.negated) throw new BadRequest('an empty selector cannot be negated ($not/$nor of {})');
    return { kind: 'and', args: [] };
  }
  const parts = keys.map((key) => parseEntry(key, obj[key], ctx));
  return junction(ctx.negated, parts);
}

/** A member of `$and`/`$or`/`$nor`: an object, or (under a field) a bare value meaning equality. */
function parseArgument(arg: unknown, op: string, ctx: Context): Selector {
  if (isPlainObject(arg)) return parseObject(arg, ctx);
  if (ctx.path.length === 0 && !ctx.bare) throw new BadRequest(`${op} needs an array of selector objects`);
  return leaf(ctx, { op: '$eq', value: checkJson(arg, op, ctx.depth) });
}

function parseArguments(value: unknown, op: string, ctx: Context): Selector[] {
  if (!Array.isArray(value)) throw new BadRequest(`${op} needs an array`);
  return value.map((arg) => parseArgument(arg, op, ctx));
}

function parseEntry(key: string, value: unknown, ctx: Context): Selector {
  const inner: Context = { ...ctx, depth: ctx.depth + 1 };
  if (!key.startsWith('$')) {
    const path = [...ctx.path, ...parseFieldPath(key)];
    const fieldCtx: Context = { ...inner, path };
    if (isPlainObject(value)) return parseObject(value, fieldCtx);
    return leaf(fieldCtx, { op: '$eq', value: checkJson(value, `field "${key}"`, ctx.depth) });
  }
  switch (key) {
    case '$and':
      return junction(ctx.negated, parseArguments(value, key, inner));
    case '$or':
      return ctx.negated ? and(parseArguments(value, key, inner)) : or(parseArguments(value, key, inner));
    case '$nor': {
      // $nor = AND of negations; negated, it is an OR of the arguments.
      const args = parseArguments(value, key, { ...inner, negated: !ctx.negated });
      return ctx.negated ? or(args) : and(args);
    }
    case '$not':
      if (!isPlainObject(value)) throw new BadRequest('$not needs a selector object');
      return parseObject(value, { ...inner, negated: !ctx.negated });
  }
  if (UNSUPPORTED.has(key)) throw new BadRequest(`operator ${key} is not supported`);
  if (!VALUE_OPERATORS.has(key)) throw new BadRequest(`unknown operator ${key}`);
  if (ctx.path.length === 0 && !ctx.bare) {
    throw new BadRequest(`operator ${key} must apply to a field, e.g. {"field": {"${key}": …}}`);
  }
  return parseOperator(key, value, inner);
}

function parseOperator(op: string, value: unknown, ctx: Context): FieldSelector {
  const where = op;
  switch (op) {
    case '$eq':
    case '$gt':
    case '$gte':
    case '$lt':
    case '$lte':
      return leaf(ctx, { op, value: checkJson(value, where, ctx.depth) });
    case '$ne':
      return leaf(ctx, { op: '$eq', value: checkJson(value, where, ctx.depth) }, !ctx.negated);
    case '$in':
    case '$nin':
    case '$all': {
      if (!Array.isArray(value)) throw new BadRequest(`${op} needs an array`);
      const values = value.map((v) => checkJson(v, where, ctx.depth));
      if (op === '$all') return leaf(ctx, { op: '$all', values });
      return leaf(ctx, { op: '$in', values }, op === '$nin' ? !ctx.negated : ctx.negated);
    }
    case '$exists':
      if (typeof value !== 'boolean') throw new BadRequest('$exists needs true or false');
      // Negating $exists flips it (CouchDB): {$not: {$exists: true}} matches documents without the field.
      return leaf(ctx, { op: '$exists', value: ctx.negated ? !value : value }, false);
    case '$regex': {
      const regex = compileRegex(value);
      return leaf(ctx, { op: '$regex', pattern: value as string, regex });
    }
    case '$elemMatch':
    case '$allMatch': {
      if (!isPlainObject(value)) throw new BadRequest(`${op} needs a selector object`);
      const selector = parseObject(value, { path: [], bare: true, negated: false, depth: ctx.depth + 1 });
      return leaf(ctx, { op, selector });
    }
    case '$size':
      if (!Number.isSafeInteger(value) || (value as number) < 0) {
        throw new BadRequest('$size needs a non-negative integer');
      }
      return leaf(ctx, { op: '$size', value: value as number });
    case '$type':
      if (typeof value !== 'string' || !(JSON_TYPES as readonly string[]).includes(value)) {
        throw new BadRequest(`$type needs one of ${JSON_TYPES.join(', ')}`);
      }
      return leaf(ctx, { op: '$type', value: value as JsonType });
    case '$mod': {
      if (!Array.isArray(value) || value.length !== 2) {
        throw new BadRequest('$mod needs [divisor, remainder]');
      }
      const [divisor, remainder] = value as unknown[];
      if (!Number.isSafeInteger(divisor) || !Number.isSafeInteger(remainder)) {
        throw new BadRequest('$mod needs an integer divisor and remainder');
      }
      if (divisor === 0) throw new BadRequest('$mod divisor cannot be 0');
      return leaf(ctx, { op: '$mod', divisor: divisor as number, remainder: remainder as number });
    }
    default:
      throw new BadRequest(`unknown operator ${op}`);
  }
}

/**
 * Parses and normalises a Mango selector (CouchDB `_find` syntax) into a {@link Selector}. Supports
 * implicit equality (`{"a": 1}`), implicit `$and` (several keys), nested objects as sub-fields
 * (`{"a": {"b": 1}}` is `{"a.b": 1}`; use `$eq` to compare with an object), dotted paths with `\.`
 * escaping, and the operators `$eq $ne $gt $gte $lt $lte $in $nin $exists $and $or $nor $not $regex
 * $elemMatch $allMatch $size $type $mod $all`. Throws BadRequest for anything else: unknown operator, bad
 * operand, invalid or over-long regex, non-object selector.
 */
export function parseSelector(input: unknown): Selector {
  if (!isPlainObject(input)) throw new BadRequest('selector must be a JSON object');
  return parseObject(input, { path: [], bare: false, negated: false, depth: 0 });
}

function conditionToJSON(cond: Condition, negated: boolean): Record<string, unknown> {
  let body: Record<string, unknown>;
  switch (cond.op) {
    case '$eq':
      return negated ? { $ne: cond.value } : { $eq: cond.value };
    case '$in':
      return negated ? { $nin: cond.values } : { $in: cond.values };
    case '$regex':
      body = { $regex: cond.pattern };
      break;
    case '$elemMatch':
    case '$allMatch':
      body = { [cond.op]: selectorToJSON(cond.selector) };
      break;
    case '$mod':
      body = { $mod: [cond.divisor, cond.remainder] };
      break;
    case '$all':
      body = { $all: cond.values };
      break;
    default:
      body = { [cond.op]: cond.value };
  }
  return negated ? { $not: body } : body;
}

/**
 * Renders a parsed selector back as normalised Mango JSON (explicit operators, `$and`/`$or`, dotted
 * field names), as CouchDB's `_explain` shows it. Parsing the result gives an equivalent selector.
 */
export function selectorToJSON(selector: Selector): Record<string, unknown> {
  switch (selector.kind) {
    case 'and':
      return { $and: selector.args.map(selectorToJSON) };
    case 'or':
      return { $or: selector.args.map(selectorToJSON) };
    case 'field': {
      const cond = conditionToJSON(selector.cond, selector.negated);
      return selector.path.length === 0 ? cond : { [selector.field]: cond };
    }
  }
}

/** The top-level conjuncts of a selector (the arguments of a top-level `$and`, or the selector itself). */
export function conjuncts(selector: Selector): readonly Selector[] {
  return selector.kind === 'and' ? selector.args : [selector];
}

function isPrefix(prefix: readonly string[], path: readonly string[]): boolean {
  return prefix.length <= path.length && prefix.every((s, i) => path[i] === s);
}

/**
 * Whether every document matching `selector` necessarily has the field at `path` (so an index on that
 * field, which leaves out documents lacking it, cannot miss a match). True for any field condition on the
 * path or below it except `$exists: false`, through `$and` (any argument) and `$or` (every argument).
 */
export function requiresField(selector: Selector, path: readonly string[]): boolean {
  switch (selector.kind) {
    case 'and':
      return selector.args.some((s) => requiresField(s, path));
    case 'or':
      return selector.args.length > 0 && selector.args.every((s) => requiresField(s, path));
    case 'field':
      if (selector.cond.op === '$exists' && !selector.cond.value) return false;
      return path.length > 0 && isPrefix(path, selector.path);
  }
}
