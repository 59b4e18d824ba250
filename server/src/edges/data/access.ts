import { Forbidden, NotFound } from '../../errors.js';
import { requireAuth } from '../../http/context.js';
import type { Request } from '../../http/framework/request.js';
import { can, canAny, canWhole, type PermissionSet, type Verb } from '../../permissions/permissions.js';
import type { DocView } from '../../ports/store/documents.js';

/**
 * How much of a doctype the caller may `verb`: all of it, only the documents its selector rules name
 * (results are then filtered one by one), or nothing (403, the doctype as a whole is refused).
 */
export type Reach = { kind: 'whole'; perms: PermissionSet } | { kind: 'partial'; perms: PermissionSet };

export function reach(request: Request, verb: Verb, doctype: string): Reach {
  const perms = requireAuth(request);
  if (canWhole(perms, verb, doctype)) return { kind: 'whole', perms };
  if (canAny(perms, verb, doctype)) return { kind: 'partial', perms };
  throw new Forbidden(`this token may not ${verb} ${doctype}`);
}

/** A predicate keeping the documents the caller may read (everything for a whole reach). */
export function readFilter(
  r: Reach,
  doctype: string,
): ((doc: Record<string, unknown>) => boolean) | undefined {
  if (r.kind === 'whole') return undefined;
  return (doc) => can(r.perms, 'GET', doctype, doc);
}

/** Throws NotFound (not 403: existence stays hidden) when a partial reach does not cover this document. */
export function checkReadable(r: Reach, doctype: string, doc: Record<string, unknown>): void {
  if (r.kind === 'partial' && !can(r.perms, 'GET', doctype, doc)) throw new NotFound('missing');
}

/**
 * The in-transaction check for writes: creating needs POST or PUT, changing needs PUT, deleting needs
 * DELETE, and a selector rule must cover the document both before and after the write, so a token
 * cannot move a document into or out of what it may touch. None (undefined) when the caller may PUT and
 * DELETE every document of the doctype: the check could then refuse nothing, and skipping it spares
 * building two views of every document of a bulk write.
 */
export function writeCheck(
  perms: PermissionSet,
  doctype: string,
): ((current: DocView | null, next: DocView) => void) | undefined {
  if (canWhole(perms, 'PUT', doctype) && canWhole(perms, 'DELETE', doctype)) return undefined;
  return (current, next) => {
    const live = current !== null && current._deleted !== true;
    const allowed = (verbs: Verb[], doc: DocView) => verbs.some((verb) => can(perms, verb, doctype, doc));
    let ok: boolean;
    // A tombstone has no fields for a selector to look at: a deletion is judged on what it deletes.
    if (next._deleted) ok = live ? allowed(['DELETE'], current) : allowed(['DELETE'], next);
    else if (live) ok = allowed(['PUT'], current) && allowed(['PUT'], next);
    else ok = allowed(['POST', 'PUT'], next);
    if (!ok) throw new Forbidden(`this token may not write this ${doctype} document`);
  };
}
