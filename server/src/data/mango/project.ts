import { getField, parseFieldPath } from './field-path.js';

/** Sets an own property, even one named `__proto__`. */
function define(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Keeps only the listed fields of a document (the `fields` of a `_find` request), keeping the nested
 * structure: `project({a: {b: 1, c: 2}, d: 3}, ["a.b"])` is `{a: {b: 1}}`. Missing fields are left out;
 * a field listed together with one of its sub-fields is kept whole. Path segments always produce objects
 * (`"tags.0"` gives `{tags: {"0": …}}`, as CouchDB does). Nothing is copied from or written to `doc`
 * beyond what is needed: kept values are shared with it, not cloned. `_id`/`_rev` are only kept when
 * listed, like CouchDB.
 */
export function project(
  doc: Readonly<Record<string, unknown>>,
  fields: readonly string[],
): Record<string, unknown> {
  const paths = fields.map(parseFieldPath).sort((a, b) => a.length - b.length);
  const result: Record<string, unknown> = {};
  // The objects created here (the only ones written to), and the paths already copied whole.
  const created = new Set<object>([result]);
  const whole: string[][] = [];
  for (const path of paths) {
    if (whole.some((w) => w.every((s, i) => path[i] === s))) continue;
    const found = getField(doc, path);
    if (found === undefined) continue;
    let target = result;
    for (const segment of path.slice(0, -1)) {
      const existing = Object.hasOwn(target, segment) ? target[segment] : undefined;
      if (typeof existing === 'object' && existing !== null && created.has(existing)) {
        target = existing as Record<string, unknown>;
      } else {
        const next: Record<string, unknown> = {};
        created.add(next);
        define(target, segment, next);
        target = next;
      }
    }
    const last = path[path.length - 1] as string;
    define(target, last, found.value);
    whole.push(path);
  }
  return result;
}
