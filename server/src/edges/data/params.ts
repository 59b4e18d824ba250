import { BadRequest } from '../../errors.js';

/**
 * CouchDB query parameters: keys are JSON (`startkey="abc"`), flags are `true`/`false`, counts are
 * non-negative integers. Each reader throws BadRequest naming the parameter, so a client learns which
 * one was wrong.
 */
export function jsonParam(query: Record<string, string>, name: string): unknown {
  const raw = query[name];
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new BadRequest(`the ${name} parameter must be JSON (a string needs quotes: ${name}="abc")`);
  }
}

export function stringKeyParam(query: Record<string, string>, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = jsonParam(query, name);
    if (value === undefined) continue;
    if (typeof value !== 'string') throw new BadRequest(`the ${name} parameter must be a JSON string`);
    return value;
  }
  return undefined;
}

export function boolParam(query: Record<string, string>, name: string, fallback = false): boolean {
  const raw = query[name];
  if (raw === undefined) return fallback;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw new BadRequest(`the ${name} parameter must be true or false`);
}

export function intParam(
  query: Record<string, string>,
  name: string,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  const raw = query[name];
  if (raw === undefined) return undefined;
  if (!/^\d{1,16}$/.test(raw) || Number(raw) > max) {
    throw new BadRequest(`the ${name} parameter must be a whole number from 0 to ${max}`);
  }
  return Number(raw);
}

/** `since` is a number, `now`, or a CouchDB-style string seq whose numeric prefix we use (`"12-abc"`). */
export function sinceParam(
  raw: string | undefined,
  updateSeq: () => Promise<number>,
): Promise<number> | number {
  if (raw === undefined || raw === '' || raw === '0') return 0;
  if (raw === 'now') return updateSeq();
  const m = /^"?(\d{1,16})(?:-[^"]*)?"?$/.exec(raw);
  if (!m) throw new BadRequest('the since parameter must be a sequence number or "now"');
  return Number(m[1]);
}

export function stringListParam(value: unknown, name: string, max = 10_000): string[] {
  if (!Array.isArray(value) || value.length > max || !value.every((v) => typeof v === 'string')) {
    throw new BadRequest(`${name} must be an array of at most ${max} strings`);
  }
  return value;
}

/** The request's JSON object body (`{}` when there is none); anything else is a BadRequest. */
export function objectBody(request: { body: unknown }): Record<string, unknown> {
  const b = request.body;
  if (b === undefined) return {};
  if (typeof b !== 'object' || b === null || Array.isArray(b)) {
    throw new BadRequest('the body must be a JSON object');
  }
  return b as Record<string, unknown>;
}
