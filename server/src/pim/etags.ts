import { PreconditionFailed } from '../errors.js';

/** An object's resource name and entity tag (`"<_rev>"`: it changes whenever the document does). */
export interface ObjectRef {
  href: string;
  etag: string;
}

/** Conditional request headers, as sent: `If-Match` (etags or `*`) and `If-None-Match` (`*`, or etags). */
export interface Conditions {
  ifMatch?: string;
  ifNoneMatch?: string;
}

/** The strong etag of a document revision. */
export const etagOf = (rev: string): string => `"${rev}"`;

/** Whether an If-Match / If-None-Match value names this etag (`*` names any existing object). */
function namesEtag(header: string, etag: string | null): boolean {
  if (etag === null) return false;
  if (header.trim() === '*') return true;
  return header
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === etag || `"${tag}"` === etag);
}

/**
 * Checks conditional headers against the current object (null when there is none): PreconditionFailed
 * when If-Match names no current etag (or there is no object) or If-None-Match names the current one.
 */
export function checkConditions(conditions: Conditions, existing: { rev: string } | null): void {
  const etag = existing ? etagOf(existing.rev) : null;
  if (conditions.ifMatch !== undefined && !namesEtag(conditions.ifMatch, etag)) {
    throw new PreconditionFailed('If-Match does not name the current version');
  }
  if (conditions.ifNoneMatch !== undefined && namesEtag(conditions.ifNoneMatch, etag)) {
    throw new PreconditionFailed('If-None-Match names the current version');
  }
}
