import type { Request } from './framework/request.js';
import type { Session } from '../auth/sessions.js';
import type { TokenRecord } from '../auth/tokens.js';
import type { AccountContext } from '../auth/context.js';
import { Forbidden, NotFound, Unauthorized } from '../errors.js';
import { can, type PermissionSet, type Verb } from '../permissions/permissions.js';
import type { InstanceRecord, InstanceStore } from '../ports/store/store.js';

/** Which site a Host header reached. */
export type Site =
  | { kind: 'none' }
  | { kind: 'instance'; instance: InstanceRecord }
  | { kind: 'app'; instance: InstanceRecord; slug: string };

/** Who is calling, and with which permission set. */
export type Principal =
  | { kind: 'anonymous' }
  | { kind: 'session'; session: Session; cookie: string; perms: PermissionSet }
  | { kind: 'basic'; device: string | null; perms: PermissionSet }
  | { kind: 'token'; token: TokenRecord; perms: PermissionSet };

/** Per-request state the instance router sets before any route runs. */
export interface InstanceContext {
  instance: InstanceRecord;
  storage: InstanceStore;
  accounts: AccountContext;
}

declare module './framework/request.js' {
  interface Request {
    site: Site;
    principal: Principal;
    ctx: InstanceContext | null;
  }
}

/** The instance this request reached; routes on the instance origin only run when there is one. */
export function instanceOf(request: Request): InstanceContext {
  if (!request.ctx) throw new NotFound('no such instance');
  return request.ctx;
}

/** Requires any authenticated caller and returns its permissions. */
export function requireAuth(request: Request): PermissionSet {
  const p = request.principal;
  if (p.kind === 'anonymous') throw new Unauthorized('authentication required');
  return p.perms;
}

/** Requires the owner (a session or Basic auth with the owner's or a device password). */
export function requireOwner(request: Request): void {
  const perms = requireAuth(request);
  if (perms.kind !== 'owner') throw new Forbidden('only the owner may do this');
}

/** Requires the owner's browser session (settings pages). */
export function requireSession(request: Request): Extract<Principal, { kind: 'session' }> {
  const p = request.principal;
  if (p.kind !== 'session') throw new Unauthorized('log in first');
  return p;
}

/**
 * The permission check every edge calls before touching a service. A caller who may not read the
 * document learns the same as for a missing one, so 404 rather than 403 when `hideExistence` is set.
 */
export function requirePermission(
  request: Request,
  verb: Verb,
  doctype: string,
  doc?: Readonly<Record<string, unknown>>,
  options: { hideExistence?: boolean } = {},
): PermissionSet {
  const perms = requireAuth(request);
  if (!can(perms, verb, doctype, doc)) {
    if (options.hideExistence) throw new NotFound('not found');
    throw new Forbidden(`this token may not ${verb} ${doctype}`);
  }
  return perms;
}
