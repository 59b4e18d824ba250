import { BadRequest } from '../errors.js';

/** The HTTP-shaped verbs a permission rule may grant. `ALL` grants every verb. */
export const VERBS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type Verb = (typeof VERBS)[number];

/**
 * One rule of a permission set: which doctype, which verbs, and optionally which documents
 * (`selector` names a field, `values` the allowed values of it; no selector means every document).
 */
export interface PermissionRule {
  type: string;
  verbs: readonly Verb[] | 'ALL';
  selector?: string;
  values?: readonly string[];
  description?: string;
}

/**
 * What a caller may do. The owner (session, Basic auth with the owner's or a device password) holds
 * `{ kind: 'owner' }`; a token holds its rules. This is the only shape every edge checks against.
 */
export type PermissionSet = { kind: 'owner' } | { kind: 'rules'; rules: readonly PermissionRule[] };

export const OWNER: PermissionSet = { kind: 'owner' };

/** A doctype is reverse-DNS-ish: lowercase letters, digits, dots, dashes and underscores. */
const DOCTYPE = /^[a-z0-9][a-z0-9_.-]{0,127}$/;

export function isDoctype(name: string): boolean {
  return DOCTYPE.test(name) && !name.includes('..');
}

/**
 * The single door: may `perms` do `verb` on `doctype` (and, when given, on this document)?
 * A rule with a selector only covers documents whose field has one of the listed values; when no
 * document is given, such a rule only grants access to the documents it names, so a caller holding
 * only selector rules cannot list a whole doctype.
 */
export function can(
  perms: PermissionSet,
  verb: Verb,
  doctype: string,
  doc?: Readonly<Record<string, unknown>>,
): boolean {
  if (perms.kind === 'owner') return true;
  return perms.rules.some((rule) => ruleAllows(rule, verb, doctype, doc));
}

/** Whether the caller may do `verb` on every document of the doctype (needed for listings and feeds). */
export function canWhole(perms: PermissionSet, verb: Verb, doctype: string): boolean {
  if (perms.kind === 'owner') return true;
  return perms.rules.some(
    (rule) => rule.type === doctype && rule.selector === undefined && verbAllowed(rule, verb),
  );
}

/**
 * Whether some rule lets the caller do `verb` on at least part of the doctype. A caller with none gets
 * 403 for the doctype as a whole; one with only selector rules gets the documents they name.
 */
export function canAny(perms: PermissionSet, verb: Verb, doctype: string): boolean {
  if (perms.kind === 'owner') return true;
  return perms.rules.some((rule) => rule.type === doctype && verbAllowed(rule, verb));
}

/** Filters `docs` down to those the caller may `verb`: bulk checks return the allowed subset. */
export function allowedSubset<T extends Readonly<Record<string, unknown>>>(
  perms: PermissionSet,
  verb: Verb,
  doctype: string,
  docs: readonly T[],
): T[] {
  if (canWhole(perms, verb, doctype)) return [...docs];
  return docs.filter((doc) => can(perms, verb, doctype, doc));
}

/** The doctypes a caller may read at least partly (used to scope search and listings). */
export function readableDoctypes(perms: PermissionSet): 'all' | string[] {
  if (perms.kind === 'owner') return 'all';
  return [...new Set(perms.rules.filter((r) => verbAllowed(r, 'GET')).map((r) => r.type))];
}

function verbAllowed(rule: PermissionRule, verb: Verb): boolean {
  return rule.verbs === 'ALL' || rule.verbs.includes(verb);
}

function ruleAllows(
  rule: PermissionRule,
  verb: Verb,
  doctype: string,
  doc: Readonly<Record<string, unknown>> | undefined,
): boolean {
  if (rule.type !== doctype || !verbAllowed(rule, verb)) return false;
  if (rule.selector === undefined) return true;
  if (doc === undefined) return false;
  const value = doc[rule.selector];
  return typeof value === 'string' && (rule.values ?? []).includes(value);
}

/**
 * Parses the command-line scope form `<doctype>[:VERB,VERB]` (no verbs means ALL) into a rule.
 * Throws BadRequest with a one-line reason on anything else.
 */
export function parseScope(scope: string): PermissionRule {
  const [type = '', verbList, ...rest] = scope.split(':');
  if (rest.length > 0 || !isDoctype(type)) {
    throw new BadRequest(`invalid scope "${scope}": expected <doctype>[:VERB,VERB]`);
  }
  if (verbList === undefined || verbList === '' || verbList.toUpperCase() === 'ALL') {
    return { type, verbs: 'ALL' };
  }
  const verbs = verbList.split(',').map((v) => v.trim().toUpperCase());
  for (const v of verbs) {
    if (!(VERBS as readonly string[]).includes(v)) {
      throw new BadRequest(`invalid verb "${v}" in scope "${scope}": use ${VERBS.join(', ')} or ALL`);
    }
  }
  return { type, verbs: [...new Set(verbs)] as Verb[] };
}

/** Validates an untrusted permission set (e.g. stored JSON) into rules. */
export function parseRules(input: unknown): PermissionRule[] {
  if (!Array.isArray(input)) throw new BadRequest('permissions must be an array of rules');
  return input.map((raw: unknown) => {
    if (typeof raw !== 'object' || raw === null) throw new BadRequest('a permission rule must be an object');
    const r = raw as Record<string, unknown>;
    if (typeof r.type !== 'string' || !isDoctype(r.type)) throw new BadRequest('a rule needs a valid type');
    let verbs: PermissionRule['verbs'];
    if (r.verbs === 'ALL' || r.verbs === undefined) verbs = 'ALL';
    else if (Array.isArray(r.verbs) && r.verbs.every((v) => (VERBS as readonly unknown[]).includes(v))) {
      verbs = r.verbs as Verb[];
    } else throw new BadRequest(`invalid verbs in the rule for ${r.type}`);
    const rule: PermissionRule = { type: r.type, verbs };
    if (r.selector !== undefined) {
      if (typeof r.selector !== 'string') throw new BadRequest('a rule selector must be a field name');
      if (!Array.isArray(r.values) || !r.values.every((v) => typeof v === 'string')) {
        throw new BadRequest('a rule with a selector needs string values');
      }
      rule.selector = r.selector;
      rule.values = r.values;
    }
    if (typeof r.description === 'string') rule.description = r.description;
    return rule;
  });
}
