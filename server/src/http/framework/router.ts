/**
 * A small router: static paths in a map, patterned ones (`:param` for one segment, a trailing `*` for
 * the rest of the path) tried most specific first: fewer parameters first, wildcards last, then in
 * registration order, so `/data/:doctype/_changes` wins over `/data/:doctype/:id` whatever the order
 * edges register them. Parameters are percent-decoded.
 */
export interface Match<T> {
  value: T;
  params: Record<string, string>;
}

interface Pattern<T> {
  regex: RegExp;
  names: string[];
  value: T;
  /** Sort key: wildcard patterns after all others, then by number of parameters. */
  weight: number;
}

export class Router<T> {
  private readonly statics = new Map<string, T>();
  private readonly patterns: Pattern<T>[] = [];

  add(path: string, value: T): void {
    if (!path.includes(':') && !path.includes('*')) {
      this.statics.set(path, value);
      return;
    }
    const names: string[] = [];
    const source = path
      .split('/')
      .map((segment) => {
        if (segment === '*') {
          names.push('*');
          return '(.*)';
        }
        if (segment.startsWith(':')) {
          names.push(segment.slice(1));
          return '([^/]+)';
        }
        return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('/');
    const weight = (names.includes('*') ? 1000 : 0) + names.length;
    const at = this.patterns.findIndex((p) => p.weight > weight);
    const pattern = { regex: new RegExp(`^${source}$`), names, value, weight };
    if (at < 0) this.patterns.push(pattern);
    else this.patterns.splice(at, 0, pattern);
  }

  find(path: string): Match<T> | null {
    const hit = this.statics.get(path);
    if (hit !== undefined) return { value: hit, params: {} };
    for (const pattern of this.patterns) {
      const m = pattern.regex.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      pattern.names.forEach((name, i) => {
        params[name] = decodeURIComponent(m[i + 1] ?? '');
      });
      return { value: pattern.value, params };
    }
    return null;
  }
}
