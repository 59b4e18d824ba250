import { collate, compareStrings } from './collate.js';
import { getField, parseFieldPath } from './field-path.js';
import { pushComponent, TAG_MISSING } from './index-key.js';

/** One sort (or index) field: canonical dotted name and direction. */
export interface SortField {
  field: string;
  dir: 'asc' | 'desc';
}

type Doc = Readonly<Record<string, unknown>>;

function docId(doc: Doc): string {
  const id = doc['_id'];
  return typeof id === 'string' ? id : '';
}

/**
 * A comparator for `Array.prototype.sort` that orders documents by `sort` when no index provides the
 * order: each field by {@link collate} in its direction, a missing field sorting before null (so first
 * ascending, last descending), ties broken by `_id` (code points) in the direction of the first sort
 * field. The order is total, and it is the order of `(sortKeyFor(sort, doc), _id)` rows read in that
 * direction, so bookmarks work the same way for in-memory sorts as for index scans.
 */
export function compareBySort(sort: readonly SortField[]): (a: Doc, b: Doc) => number {
  const fields = sort.map((s) => ({ path: parseFieldPath(s.field), sign: s.dir === 'desc' ? -1 : 1 }));
  const tieSign = fields[0]?.sign ?? 1;
  return (a, b) => {
    for (const { path, sign } of fields) {
      const va = getField(a, path);
      const vb = getField(b, path);
      let c: number;
      if (va === undefined || vb === undefined) c = va === vb ? 0 : va === undefined ? -1 : 1;
      else c = collate(va.value, vb.value);
      if (c !== 0) return sign * c;
    }
    const tie = compareStrings(docId(a), docId(b));
    return tie === 0 ? 0 : tieSign * tie;
  };
}

/**
 * The in-memory counterpart of an index key for a sort: the sort fields' values encoded like index key
 * components (a missing field as a tag below null), each field inverted when its direction differs from
 * the first field's. Rows ordered by `(key, _id)` ascending — or descending when the first sort field is
 * `desc` — follow {@link compareBySort}; use it as the `key` of a bookmark after an in-memory sort.
 */
export function sortKeyFor(sort: readonly SortField[], doc: Doc): Buffer {
  const first = sort[0]?.dir ?? 'asc';
  const out: number[] = [];
  for (const s of sort) {
    const found = getField(doc, parseFieldPath(s.field));
    if (found === undefined) {
      out.push(s.dir === first ? TAG_MISSING : ~TAG_MISSING & 0xff);
    } else {
      pushComponent(out, found.value, s.dir !== first);
    }
  }
  return Buffer.from(out);
}
