import { BadRequest } from '../../errors.js';
import { fold } from './fold.js';

/** Most characters of title text kept from one document (the rest is neither indexed nor shown). */
export const MAX_TITLE_CHARS = 1_000;
/** Most characters of body text kept from one document. */
export const MAX_BODY_CHARS = 100_000;
const MAX_SEGMENTS = 8;
/** How deep a value named by a path is searched for strings when it is an object (`from: {name, address}`). */
const MAX_LEAF_DEPTH = 3;

/**
 * A searchable field path: dot-separated member names, `[]` after a member that holds an array
 * (`emails[].address`). Arrays met anywhere are walked element by element, so `[]` documents intent
 * rather than being required. A path that ends on an object takes every string under it, so `from`
 * finds `{name, address}` as well as a plain string or an array of either.
 */
export type FieldPath = readonly string[];

const SEGMENT = /^[^.[\]]+(?:\[\])?$/;

/** Parses a field path; BadRequest for an empty one, an empty member or a stray bracket. */
export function parseSearchPath(path: string): FieldPath {
  const segments = path.split('.');
  if (segments.length > MAX_SEGMENTS) throw new BadRequest(`search field "${path}" is nested too deeply`);
  return segments.map((segment) => {
    if (!SEGMENT.test(segment)) throw new BadRequest(`search field "${path}" is not a valid field path`);
    return segment.endsWith('[]') ? segment.slice(0, -2) : segment;
  });
}

/** The text one document contributes to the index: `title` is one line, `body` may span lines. */
export interface SearchText {
  title: string;
  body: string;
}

/** Collects strings (and numbers) found at `path` in `value`, appending to `out` until `budget` runs out. */
function collect(value: unknown, path: FieldPath, at: number, out: string[], budget: { left: number }): void {
  if (budget.left <= 0 || value === null || value === undefined) return;
  if (Array.isArray(value)) {
    for (const item of value) collect(item, path, at, out, budget);
    return;
  }
  if (at < path.length) {
    if (typeof value !== 'object') return;
    const name = path[at] as string;
    if (!Object.hasOwn(value, name)) return;
    collect((value as Record<string, unknown>)[name], path, at + 1, out, budget);
    return;
  }
  collectLeaf(value, 0, out, budget);
}

function collectLeaf(value: unknown, depth: number, out: string[], budget: { left: number }): void {
  if (budget.left <= 0) return;
  if (typeof value === 'string' || typeof value === 'number') {
    const text = String(value).trim();
    if (text === '') return;
    out.push(text.length > budget.left ? text.slice(0, budget.left) : text);
    budget.left -= text.length;
  } else if (depth < MAX_LEAF_DEPTH && typeof value === 'object' && value !== null) {
    for (const item of Array.isArray(value) ? value : Object.values(value)) {
      collectLeaf(item, depth + 1, out, budget);
    }
  }
}

/**
 * Reads the searchable text of a document. The title joins the title fields' values on one line,
 * skipping a value already contained in what came before (so `fullname` "Jeanne Dupont" followed by
 * `name.givenName` "Jeanne" stays "Jeanne Dupont"). The body joins the body fields' values by lines.
 * Both are cut to MAX_TITLE_CHARS / MAX_BODY_CHARS. Returns null when the document has no text at all.
 */
export function extractSearchText(
  doc: unknown,
  fields: { title: readonly FieldPath[]; body: readonly FieldPath[] },
): SearchText | null {
  const titleValues: string[] = [];
  const titleBudget = { left: MAX_TITLE_CHARS };
  for (const path of fields.title) collect(doc, path, 0, titleValues, titleBudget);
  let title = '';
  let folded = '';
  for (const value of titleValues) {
    const line = value.replace(/\s+/g, ' ');
    const foldedLine = fold(line);
    if (folded.includes(foldedLine)) continue;
    title = title === '' ? line : `${title} ${line}`;
    folded = `${folded} ${foldedLine}`;
  }
  const bodyValues: string[] = [];
  const bodyBudget = { left: MAX_BODY_CHARS };
  for (const path of fields.body) collect(doc, path, 0, bodyValues, bodyBudget);
  const body = bodyValues.join('\n');
  if (title === '' && body === '') return null;
  return { title: title.slice(0, MAX_TITLE_CHARS), body };
}
