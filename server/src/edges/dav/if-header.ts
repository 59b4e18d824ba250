import { BadRequest } from '../../errors.js';

/** One condition of an If list: a state token (`<opaquelocktoken:…>`) or an entity tag, maybe negated. */
export interface IfCondition {
  not: boolean;
  kind: 'token' | 'etag';
  value: string;
}

/** One parenthesised list; all its conditions must hold. `resource` is the tag's URI, absent when untagged. */
export interface IfList {
  resource: string | undefined;
  conditions: IfCondition[];
}

/** What a condition is checked against: the resource's entity tag and the tokens of the locks on it. */
export interface IfState {
  etag: string | undefined;
  lockTokens: readonly string[];
}

/**
 * Parses an If header (RFC 4918 §10.4): untagged lists `(<token> ["etag"]) (Not <DAV:no-lock>)` or
 * lists tagged with a resource `<http://host/path> (…)`. A malformed header is a BadRequest.
 */
export function parseIf(header: string | string[] | undefined): IfList[] {
  if (header === undefined) return [];
  const text = Array.isArray(header) ? header.join(' ') : header;
  const lists: IfList[] = [];
  let resource: string | undefined;
  let i = 0;
  let tagged: boolean | undefined;
  const fail = (why: string): never => {
    throw new BadRequest(`malformed If header: ${why}`);
  };
  const until = (close: string): string => {
    const end = text.indexOf(close, i + 1);
    if (end < 0) fail(`missing ${close}`);
    const value = text.slice(i + 1, end);
    i = end + 1;
    return value;
  };
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '<') {
      if (tagged === false) fail('a resource tag after untagged lists');
      tagged = true;
      resource = until('>');
    } else if (c === '(') {
      if (tagged === undefined) tagged = false;
      if (tagged && resource === undefined) fail('a tagged list without its resource');
      i++;
      const conditions: IfCondition[] = [];
      for (;;) {
        while (i < text.length && /\s/.test(text[i]!)) i++;
        if (i >= text.length) fail('unclosed list');
        if (text[i] === ')') {
          i++;
          break;
        }
        let not = false;
        if (/^not\b/i.test(text.slice(i, i + 4))) {
          not = true;
          i += 3;
          while (i < text.length && /\s/.test(text[i]!)) i++;
        }
        if (text[i] === '<') conditions.push({ not, kind: 'token', value: until('>').trim() });
        else if (text[i] === '[') conditions.push({ not, kind: 'etag', value: etagUntilBracket() });
        else fail(`unexpected "${text[i] ?? ''}"`);
      }
      if (conditions.length === 0) fail('an empty list');
      lists.push({ resource, conditions });
    } else {
      fail(`unexpected "${c}"`);
    }
  }
  if (lists.length === 0) fail('no list');
  return lists;

  /** An entity tag in brackets; its quoted part may itself hold `]`. */
  function etagUntilBracket(): string {
    let j = i + 1;
    let quoted = false;
    for (; j < text.length; j++) {
      if (text[j] === '"') quoted = !quoted;
      else if (text[j] === ']' && !quoted) break;
    }
    if (j >= text.length) fail('missing ]');
    const value = text.slice(i + 1, j).trim();
    i = j + 1;
    return value;
  }
}

/** Every state token the header names, negated or not: the lock tokens the client submits. */
export function submittedTokens(lists: readonly IfList[]): string[] {
  return lists.flatMap((l) => l.conditions.filter((c) => c.kind === 'token').map((c) => c.value));
}

/** Entity tags compare weakly here (§10.4.4 uses them only to tell whether the resource changed). */
function sameEtag(a: string, b: string): boolean {
  const bare = (t: string) => t.replace(/^W\//, '');
  return bare(a) === bare(b);
}

function holds(condition: IfCondition, state: IfState): boolean {
  const match =
    condition.kind === 'token'
      ? state.lockTokens.includes(condition.value)
      : state.etag !== undefined && sameEtag(condition.value, state.etag);
  return condition.not ? !match : match;
}

/**
 * Evaluates the header: the lists are grouped by the resource they apply to (untagged ones to the
 * request URI), and for every resource at least one of its lists must hold. False means 412.
 */
export async function evaluateIf(
  lists: readonly IfList[],
  stateOf: (resource: string | undefined) => Promise<IfState>,
): Promise<boolean> {
  const groups = new Map<string | undefined, IfList[]>();
  for (const list of lists) groups.set(list.resource, [...(groups.get(list.resource) ?? []), list]);
  for (const [resource, group] of groups) {
    const state = await stateOf(resource);
    if (!group.some((list) => list.conditions.every((c) => holds(c, state)))) return false;
  }
  return true;
}
