/**
 * The Mango query engine (CouchDB `_find`, `_index`, `_explain`) as pure functions: selector parsing and
 * matching, CouchDB collation, order-preserving index keys, index definitions, the query planner,
 * projection, in-memory sorting and bookmarks. No I/O: the data layer runs the plans.
 */
export { collate, compareStrings, jsonType, JSON_TYPES, type JsonType, type JsonValue } from './collate.js';
export { canonicalField, formatFieldPath, getField, parseFieldPath } from './field-path.js';
export {
  compileRegex,
  conjuncts,
  MAX_REGEX_LENGTH,
  parseSelector,
  requiresField,
  selectorToJSON,
  type Condition,
  type FieldSelector,
  type Selector,
} from './selector.js';
export { matches } from './match.js';
export { encodeIndexKey, keyRangeForPrefix, keyUpperBoundForPrefix, prefixSuccessor } from './index-key.js';
export { compareBySort, sortKeyFor, type SortField } from './sort.js';
export { project } from './project.js';
export {
  DEFAULT_LIMIT,
  designDocId,
  parseFindRequest,
  parseSortFields,
  type FindRequest,
} from './find-request.js';
export {
  indexDefToJSON,
  indexKeyFor,
  MAX_INDEX_FIELDS,
  parseIndexRequest,
  type IndexDef,
  type IndexDefJSON,
} from './index-def.js';
export { decodeBookmark, encodeBookmark, isAfterBookmark, type Bookmark } from './bookmark.js';
export { planFind, type IdRange, type KeyRange, type Plan } from './plan.js';
export { explain, type ExplainIndex, type Explanation } from './explain.js';
