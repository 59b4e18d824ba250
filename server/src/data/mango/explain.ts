import type { FindRequest } from './find-request.js';
import { indexDefToJSON } from './index-def.js';
import type { Plan } from './plan.js';
import { selectorToJSON } from './selector.js';

/** The `index` member of an `_explain` answer: a json index, or CouchDB's special `_all_docs`. */
export type ExplainIndex =
  | {
      ddoc: string;
      name: string;
      type: 'json';
      partitioned: false;
      def: { fields: Record<string, 'asc' | 'desc'>[]; partial_filter_selector?: Record<string, unknown> };
    }
  | { ddoc: null; name: '_all_docs'; type: 'special'; partitioned: false; def: { fields: [{ _id: 'asc' }] } };

/** A CouchDB-like `_explain` answer, without `dbname` (the caller adds it). */
export interface Explanation {
  index: ExplainIndex;
  partitioned: false;
  selector: Record<string, unknown>;
  opts: {
    use_index: string[];
    bookmark: string;
    limit: number;
    skip: number;
    sort: Record<string, 'asc' | 'desc'>[] | Record<string, never>;
    fields: string[] | 'all_fields';
    execution_stats: boolean;
    allow_fallback: boolean;
    conflicts: false;
    r: 1;
  };
  limit: number;
  skip: number;
  fields: string[] | 'all_fields';
  /** Key bounds as hex (index scans) or id bounds (full scans), and the scan direction. */
  range: {
    gte?: string;
    gt?: string;
    lte?: string;
    lt?: string;
    descending: boolean;
    ids?: { gte?: string; gt?: string; lte?: string; lt?: string };
  };
  sort_satisfied: boolean;
  reason: string;
}

/**
 * Describes how `planFind` will run `request`, in the shape of CouchDB's `POST /db/_explain` answer
 * (`index`, `selector` normalised, `opts`, `limit`, `skip`, `fields`), plus Nuage's `range` (index key
 * bounds as hex, or `_id` bounds for a full scan), `sort_satisfied` and the planner's `reason`.
 * `dbname` is left for the caller to fill in.
 */
export function explain(plan: Plan, request: FindRequest): Explanation {
  const index: ExplainIndex =
    plan.index === null
      ? {
          ddoc: null,
          name: '_all_docs',
          type: 'special',
          partitioned: false,
          def: { fields: [{ _id: 'asc' }] },
        }
      : { ...indexDefToJSON(plan.index), partitioned: false };
  const range: Explanation['range'] = { descending: plan.descending };
  for (const bound of ['gte', 'gt', 'lte', 'lt'] as const) {
    const key = plan.range[bound];
    if (key !== undefined) range[bound] = key.toString('hex');
  }
  if (plan.idRange !== undefined) range.ids = { ...plan.idRange };
  const useIndex = request.useIndex;
  const fields = request.fields ?? 'all_fields';
  return {
    index,
    partitioned: false,
    selector: selectorToJSON(request.selector),
    opts: {
      use_index: useIndex === undefined ? [] : typeof useIndex === 'string' ? [useIndex] : [...useIndex],
      bookmark: request.bookmark ?? 'nil',
      limit: request.limit,
      skip: request.skip,
      sort: request.sort === undefined ? {} : request.sort.map((s) => ({ [s.field]: s.dir })),
      fields,
      execution_stats: request.executionStats ?? false,
      allow_fallback: request.allowFallback ?? true,
      conflicts: false,
      r: 1,
    },
    limit: request.limit,
    skip: request.skip,
    fields,
    range,
    sort_satisfied: plan.sortSatisfied,
    reason: plan.reason,
  };
}
