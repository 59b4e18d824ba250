import { textMatches, type AddressFilter, type PropFilter, type TextMatch } from './filters.js';

/**
 * vCard properties whose value, as the filters read it (ical.js's values joined by `;` and `,`), is the
 * text after the colon byte for byte when that text holds no backslash (no escape to undo). Others (dates,
 * binary, anything with a value type ical.js rewrites) are never ruled out here.
 */
const VERBATIM = new Set([
  'FN',
  'N',
  'NICKNAME',
  'EMAIL',
  'ORG',
  'TITLE',
  'ROLE',
  'NOTE',
  'ADR',
  'CATEGORIES',
]);

/**
 * The values of property `name` in unfolded vCard text, as the filters would read them, or null when one
 * of its lines cannot be read so simply (quoted parameters, escapes).
 */
function verbatimValues(lines: readonly string[], name: string): string[] | null {
  const out: string[] = [];
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const head = line.slice(0, colon);
    const semicolon = head.indexOf(';');
    const full = semicolon < 0 ? head : head.slice(0, semicolon);
    // A group prefix (`item1.EMAIL`) is not part of the name.
    const propName = full.slice(full.lastIndexOf('.') + 1).toUpperCase();
    if (propName !== name) continue;
    const value = line.slice(colon + 1);
    if (head.includes('"') || value.includes('\\')) return null;
    out.push(value.endsWith('\r') ? value.slice(0, -1) : value);
  }
  return out;
}

/** The verdict of one prop-filter from the values of its property, as propMatches would give it. */
function propVerdict(lines: readonly string[], filter: PropFilter): boolean | undefined {
  const name = filter.name.toUpperCase();
  if (!VERBATIM.has(name) || (filter.params ?? []).length > 0) return undefined;
  const values = verbatimValues(lines, name);
  if (values === null) return undefined;
  if (filter.isNotDefined) return values.length === 0;
  const matches = filter.textMatches ?? [];
  if (matches.length === 0) return values.length > 0;
  const each = (value: string) => (m: TextMatch) => textMatches(value, m);
  return values.some((v) => (filter.test === 'allof' ? matches.every(each(v)) : matches.some(each(v))));
}

/**
 * Whether a vCard satisfies an addressbook-query filter, read from its text without parsing it, or
 * undefined when that cannot be told so (a parameter filter, a property other than plain text, a value
 * with escapes or quoted parameters): the caller then parses the card. A query on names or emails thus
 * parses no card at all. The values read are those ical.js gives (see VERBATIM), compared by the same
 * textMatches, so the answer is the same.
 */
export function vcardVerdict(text: string, filter: AddressFilter): boolean | undefined {
  if (filter.props.length === 0) return true;
  const lines = text.replace(/\r?\n[ \t]/g, '').split('\n');
  let unsure = false;
  for (const f of filter.props) {
    const verdict = propVerdict(lines, f);
    if (verdict === undefined) unsure = true;
    else if (verdict === (filter.test !== 'allof')) return verdict;
  }
  return unsure ? undefined : filter.test === 'allof';
}
