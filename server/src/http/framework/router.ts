/**
 * A small router: static paths in a map, patterned ones (`:param` for one segment, a trailing `*` for
 * the rest of the path) tried in registration order. Parameters are percent-decoded.
 */
export interface Match<T> {
  value: T;
  params: Record<string, string>;
}

interface Pattern<T> {
  regex: RegExp;
  names: string[];
  value: T;
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
    this.patterns.push({ regex: new RegExp(`^${source}$`), names, value });
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
