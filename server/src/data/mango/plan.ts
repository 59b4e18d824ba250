import { BadRequest } from '../../errors.js';
import { compareStrings, jsonType, type JsonType, type JsonValue } from './collate.js';
import { parseFieldPath } from './field-path.js';
import type { FindRequest } from './find-request.js';
import type { IndexDef } from './index-def.js';
import { prefixSuccessor, pushComponent, TYPE_TAG_RANGE } from './index-key.js';
import { conjuncts, requiresField, type Selector } from './selector.js';
import type { SortField } from './sort.js';

/** Bounds on index keys (byte comparison); `planFind` only fills `gte` and `lt`. */
export interface KeyRange {
  gte?: Buffer;
  gt?: Buffer;
  lte?: Buffer;
  lt?: Buffer;
}

/** Bounds on document ids (code-point comparison), for a full scan. */
export interface IdRange {
  gte?: string;
  gt?: string;
  lte?: string;
  lt?: string;
}

/**
 * How to run a `_find`. With an `index`, read its rows whose key is in `range`, ordered by
 * `(key, doc_id)` — descending when `descending` — and fetch their documents. Without one (`index: null`),
 * read every live document of the doctype ordered by `_id` (descending when `descending`), optionally
 * narrowed to `idRange`. Either way the range is only a superset: apply `matches(request.selector, doc)` to
 * every fetched document. When `sortSatisfied` is false, sort the matching documents with
 * `compareBySort(request.sort)` before applying skip/limit. `reason` explains the choice (for `_explain`
 * and logs).
 */
export interface Plan {
  index: IndexDef | null;
  range: KeyRange;
  descending: boolean;
  sortSatisfied: boolean;
  reason: string;
  idRange?: IdRange;
}

interface Bound {
  value: JsonValue;
  inclusive: boolean;
}

/** What the top-level conjuncts of a selector say about one field. */
interface FieldInfo {
  eq?: { value: JsonValue };
  lower: Bound[];
  upper: Bound[];
  /** Types the field's value must have (from comparisons, $regex, $size, $type…). */
  types: Set<JsonType>;
}

const ARRAY_OPS = new Set(['$size', '$all', '$elemMatch', '$allMatch']);

function analyse(selector: Selector): Map<string, FieldInfo> {
  const info = new Map<string, FieldInfo>();
  for (const c of conjuncts(selector)) {
    if (c.kind !== 'field' || c.negated || c.path.length === 0) continue;
    let fi = info.get(c.field);
    if (fi === undefined) {
      fi = { lower: [], upper: [], types: new Set() };
      info.set(c.field, fi);
    }
    const cond = c.cond;
    switch (cond.op) {
      case '$eq':
        fi.eq ??= { value: cond.value };
        break;
      case '$gt':
      case '$gte':
        fi.lower.push({ value: cond.value, inclusive: cond.op === '$gte' });
        fi.types.add(jsonType(cond.value));
        break;
      case '$lt':
      case '$lte':
        fi.upper.push({ value: cond.value, inclusive: cond.op === '$lte' });
        fi.types.add(jsonType(cond.value));
        break;
      case '$regex':
        fi.types.add('string');
        break;
      case '$mod':
        fi.types.add('number');
        break;
      case '$type':
        fi.types.add(cond.value);
        break;
      default:
        if (ARRAY_OPS.has(cond.op)) fi.types.add('array');
    }
  }
  return info;
}

/**
 * Whether reading rows ordered by `columns` (then by doc id ascending, the tie-breaker of every scan)
 * forwards or backwards yields the requested sort. Fields fixed by `$eq` are left out of both sides: they
 * are constant among the matching documents.
 */
function scanOrder(
  columns: readonly SortField[],
  sort: readonly SortField[] | undefined,
  constant: ReadonlySet<string>,
): { descending: boolean } | { why: string } {
  const wanted = (sort ?? []).filter((s) => !constant.has(s.field));
  if (wanted.length === 0) return { descending: false };
  const available = columns.filter((c) => !constant.has(c.field));
  if (!available.some((c) => c.field === '_id')) available.push({ field: '_id', dir: 'asc' });
  const fits = wanted.every((s, i) => available[i]?.field === s.field);
  if (fits) {
    if (wanted.every((s, i) => available[i]?.dir === s.dir)) return { descending: false };
    if (wanted.every((s, i) => available[i]?.dir !== s.dir)) return { descending: true };
  }
  const list = (fs: readonly SortField[]): string => fs.map((f) => `${f.field} ${f.dir}`).join(', ');
  return { why: `sort [${list(wanted)}] is not a prefix of its order [${list(available)}]` };
}

function maxBuffer(a: Buffer | null, b: Buffer | null): Buffer | null {
  if (a === null) return b;
  if (b === null) return a;
  return Buffer.compare(a, b) >= 0 ? a : b;
}

function minBuffer(a: Buffer | null, b: Buffer | null): Buffer | null {
  if (a === null) return b;
  if (b === null) return a;
  return Buffer.compare(a, b) <= 0 ? a : b;
}

/** The tightest key range implied by `$eq` on leading fields, then bounds on the next field. */
function keyRange(
  def: IndexDef,
  info: ReadonlyMap<string, FieldInfo>,
): { range: KeyRange; eqFields: string[]; rangeField?: string } {
  const out: number[] = [];
  const eqFields: string[] = [];
  let k = 0;
  for (; k < def.fields.length; k++) {
    const field = def.fields[k] as SortField;
    const eq = info.get(field.field)?.eq;
    if (eq === undefined) break;
    pushComponent(out, eq.value, field.dir === 'desc');
    eqFields.push(field.field);
  }
  const prefix = Buffer.from(out);
  let lower: Buffer | null = prefix.length > 0 ? prefix : null;
  let upper: Buffer | null = prefixSuccessor(prefix);
  let rangeField: string | undefined;

  const next = def.fields[k];
  const fi = next === undefined ? undefined : info.get(next.field);
  if (next !== undefined && fi !== undefined && fi.lower.length + fi.upper.length + fi.types.size > 0) {
    rangeField = next.field;
    const desc = next.dir === 'desc';
    const withComponent = (value: JsonValue): Buffer => {
      const bytes = [...out];
      pushComponent(bytes, value, desc);
      return Buffer.from(bytes);
    };
    const withByte = (byte: number): Buffer => Buffer.concat([prefix, Buffer.of(byte)]);
    // A bound on values is a bound on keys, reversed for a descending (inverted) component.
    const atLeast = (b: Bound): void => {
      const key = withComponent(b.value);
      if (desc) upper = minBuffer(upper, b.inclusive ? prefixSuccessor(key) : key);
      else lower = maxBuffer(lower, b.inclusive ? key : prefixSuccessor(key));
    };
    const atMost = (b: Bound): void => {
      const key = withComponent(b.value);
      if (desc) lower = maxBuffer(lower, b.inclusive ? key : prefixSuccessor(key));
      else upper = minBuffer(upper, b.inclusive ? prefixSuccessor(key) : key);
    };
    fi.lower.forEach(atLeast);
    fi.upper.forEach(atMost);
    for (const type of fi.types) {
      const [first, end] = TYPE_TAG_RANGE[type];
      lower = maxBuffer(lower, withByte(desc ? 256 - end : first));
      upper = minBuffer(upper, withByte(desc ? 256 - first : end));
    }
  }
  const range: KeyRange = {};
  if (lower !== null) range.gte = lower;
  if (upper !== null) range.lt = upper;
  return rangeField === undefined ? { range, eqFields } : { range, eqFields, rangeField };
}

interface Usable {
  index: IndexDef;
  range: KeyRange;
  eqFields: string[];
  rangeField?: string;
  descending: boolean;
}

function indexLabel(def: IndexDef): string {
  return `${def.ddoc}/${def.name}`;
}

function evaluate(
  def: IndexDef,
  request: FindRequest,
  info: ReadonlyMap<string, FieldInfo>,
  constant: ReadonlySet<string>,
): Usable | { index: IndexDef; why: string } {
  for (const f of def.fields) {
    if (!requiresField(request.selector, parseFieldPath(f.field))) {
      return {
        index: def,
        why: `the selector does not require field "${f.field}" to exist, so documents the index leaves out could match`,
      };
    }
  }
  const order = scanOrder(def.fields, request.sort, constant);
  if ('why' in order) return { index: def, why: order.why };
  return { index: def, descending: order.descending, ...keyRange(def, info) };
}

/** Most equality-fixed leading fields, then a range on the next field, then fewest fields, then name. */
function best(candidates: readonly Usable[]): Usable {
  const sorted = [...candidates].sort(
    (a, b) =>
      b.eqFields.length - a.eqFields.length ||
      Number(b.rangeField !== undefined) - Number(a.rangeField !== undefined) ||
      a.index.fields.length - b.index.fields.length ||
      compareStrings(a.index.ddoc, b.index.ddoc) ||
      compareStrings(a.index.name, b.index.name),
  );
  return sorted[0] as Usable;
}

function describe(choice: Usable): string {
  const parts = [`index ${indexLabel(choice.index)}`];
  if (choice.eqFields.length > 0) parts.push(`equality on ${choice.eqFields.join(', ')}`);
  if (choice.rangeField !== undefined) parts.push(`range on ${choice.rangeField}`);
  if (choice.eqFields.length === 0 && choice.rangeField === undefined) parts.push('whole index');
  if (choice.descending) parts.push('scanned descending');
  return parts.join('; ');
}

function toPlan(choice: Usable, reason: string): Plan {
  return {
    index: choice.index,
    range: choice.range,
    descending: choice.descending,
    sortSatisfied: true,
    reason,
  };
}

function idRange(info: ReadonlyMap<string, FieldInfo>): IdRange | undefined {
  const fi = info.get('_id');
  if (fi === undefined) return undefined;
  if (fi.eq !== undefined)
    return typeof fi.eq.value === 'string' ? { gte: fi.eq.value, lte: fi.eq.value } : undefined;
  const tightest = (bounds: Bound[], sign: number): { value: string; inclusive: boolean } | undefined => {
    let chosen: { value: string; inclusive: boolean } | undefined;
    for (const b of bounds) {
      if (typeof b.value !== 'string') continue;
      const c = chosen === undefined ? 1 : sign * compareStrings(b.value, chosen.value);
      if (c > 0 || (c === 0 && !b.inclusive)) chosen = { value: b.value, inclusive: b.inclusive };
    }
    return chosen;
  };
  const range: IdRange = {};
  const lo = tightest(fi.lower, 1);
  const hi = tightest(fi.upper, -1);
  if (lo !== undefined) range[lo.inclusive ? 'gte' : 'gt'] = lo.value;
  if (hi !== undefined) range[hi.inclusive ? 'lte' : 'lt'] = hi.value;
  return Object.keys(range).length > 0 ? range : undefined;
}

function matchesUseIndex(def: IndexDef, useIndex: string | [string, string]): boolean {
  return typeof useIndex === 'string'
    ? def.ddoc === useIndex
    : def.ddoc === useIndex[0] && def.name === useIndex[1];
}

/**
 * Chooses how to run a `_find` request over the doctype's json indexes, like CouchDB:
 * - an index is usable when the selector requires each of its fields to exist (documents lacking one are
 *   not in the index) and, if a sort is given, the sort fields (leaving out fields fixed by `$eq`) are a
 *   prefix of its fields followed by `_id`, all in its direction (ascending scan) or all reversed
 *   (descending scan);
 * - the range is the tightest one from `$eq` on leading fields, then `$gt/$gte/$lt/$lte` (and type
 *   constraints) on the next field;
 * - preferred: most equality-fixed leading fields, then a range on the next field, then fewest fields;
 * - indexes with a partial filter are only used when named by `use_index` (CouchDB rule: they may lack
 *   matching documents); `use_index` forces its index when usable, else it is ignored and `reason` says
 *   why (or, with `allow_fallback: false`, a BadRequest is thrown);
 * - with no usable index, every document is scanned by `_id` (`index: null`, narrowed by `idRange` when the
 *   selector bounds `_id`). If that order does not satisfy the sort, `sortSatisfied` is false and the
 *   caller sorts in memory: CouchDB would refuse such a query for lack of an index, Nuage does not.
 */
export function planFind(request: FindRequest, indexes: readonly IndexDef[]): Plan {
  const info = analyse(request.selector);
  const constant = new Set([...info].filter(([, fi]) => fi.eq !== undefined).map(([field]) => field));
  const notes: string[] = [];
  const isUsable = (e: Usable | { why: string }): e is Usable => !('why' in e);
  const whyNot = (e: { index: IndexDef; why: string }): string => `${indexLabel(e.index)}: ${e.why}`;

  if (request.useIndex !== undefined) {
    const useIndex = request.useIndex;
    const label = typeof useIndex === 'string' ? useIndex : `${useIndex[0]}/${useIndex[1]}`;
    const named = indexes.filter((def) => matchesUseIndex(def, useIndex));
    const evaluated = named.map((def) => evaluate(def, request, info, constant));
    const usable = evaluated.filter(isUsable);
    if (usable.length > 0) {
      const choice = best(usable);
      const partial =
        choice.index.partialFilter === undefined
          ? ''
          : ' (partial index: only documents matching its filter)';
      return toPlan(choice, `use_index ${label}: ${describe(choice)}${partial}`);
    }
    const why =
      named.length === 0
        ? `use_index ${label} names no index`
        : `use_index ${label} is not usable (${evaluated.map((e) => ('why' in e ? whyNot(e) : '')).join('; ')})`;
    if (request.allowFallback === false) throw new BadRequest(`${why}, and allow_fallback is false`);
    notes.push(`${why}, ignored`);
  }

  const evaluated = indexes
    .filter((def) => def.partialFilter === undefined)
    .map((def) => evaluate(def, request, info, constant));
  const usable = evaluated.filter(isUsable);
  if (usable.length > 0) {
    const choice = best(usable);
    return toPlan(choice, [...notes, describe(choice)].join('; '));
  }

  const unusable = evaluated.filter((e): e is { index: IndexDef; why: string } => 'why' in e);
  notes.push(
    unusable.length === 0
      ? 'no json index to use: scanning all documents by _id'
      : `no usable index (${unusable.map(whyNot).join('; ')}): scanning all documents by _id`,
  );
  const order = scanOrder([], request.sort, constant);
  const sortSatisfied = !('why' in order);
  if (!sortSatisfied) {
    notes.push('sorting in memory (CouchDB would refuse a sort that no index provides; Nuage sorts itself)');
  }
  const ids = idRange(info);
  const plan: Plan = {
    index: null,
    range: {},
    descending: sortSatisfied && order.descending,
    sortSatisfied,
    reason: notes.join('; '),
  };
  if (ids !== undefined) plan.idRange = ids;
  return plan;
}
