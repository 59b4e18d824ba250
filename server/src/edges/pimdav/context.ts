import { getOwner } from '../../auth/owner.js';
import { Conflict, Forbidden, NotFound } from '../../errors.js';
import { instanceOf, requireAuth, type InstanceContext } from '../../http/context.js';
import type { Reply } from '../../http/framework/reply.js';
import type { Request } from '../../http/framework/request.js';
import type { Verb } from '../../permissions/permissions.js';
import { KINDS, type CollectionKind } from '../../pim/kinds.js';
import type { PimService } from '../../pim/pim-service.js';
import { reach } from '../data/access.js';
import { targetOf, type Target } from './paths.js';

/** Everything a CardDAV/CalDAV method handler works with, resolved once per request. */
export interface PimDav {
  request: Request;
  reply: Reply;
  pim: PimService;
  scope: InstanceContext;
  /** The owner's name: the principal and the homes are named after it. */
  owner: string;
  target: Target;
  now: () => number;
}

/** Parses the request URI against the instance's owner (NotFound for another user's paths). */
export async function openPimDav(
  request: Request,
  reply: Reply,
  pim: PimService,
  now: () => number,
): Promise<PimDav> {
  requireAuth(request);
  const scope = instanceOf(request);
  const owner = (await getOwner(scope.accounts))?.name;
  if (owner === undefined) throw new NotFound('this instance has no owner yet');
  return { request, reply, pim, scope, owner, target: targetOf(request.path, owner), now };
}

/**
 * Asks the permission module for `verb` on a kind's doctypes (its collections and objects). DAV shows
 * whole collections, so a token limited to some documents by selector rules is refused rather than
 * shown part of them.
 */
export function allow(dav: PimDav, verb: Verb, kind: CollectionKind): void {
  for (const doctype of [KINDS[kind].collectionDoctype, ...KINDS[kind].objectDoctypes]) {
    if (reach(dav.request, verb, doctype).kind !== 'whole') {
      throw new Forbidden(`CardDAV and CalDAV need access to all of ${doctype}`);
    }
  }
}

/** The collections every fresh instance gets: an address book and a calendar of events and todos. */
const DEFAULTS: readonly { kind: CollectionKind; id: string; name: string }[] = [
  { kind: 'addressbook', id: 'contacts', name: 'Contacts' },
  { kind: 'calendar', id: 'calendar', name: 'Calendar' },
];
const DEFAULTS_RECORD = { kind: 'pimdav', id: 'defaults-created' };

/**
 * Creates the default address book and calendar on the first CardDAV/CalDAV request of an owner, once
 * per instance (a record remembers it, so collections the owner deletes later stay deleted). A kind
 * that already has a collection (an app made one) gets no default.
 */
export class DefaultCollections {
  private readonly done = new Set<string>();

  async ensure(dav: PimDav): Promise<void> {
    const id = dav.scope.instance.id;
    if (this.done.has(id) || requireAuth(dav.request).kind !== 'owner') return;
    const records = dav.scope.accounts.records;
    if ((await records.get(DEFAULTS_RECORD.kind, DEFAULTS_RECORD.id, dav.now())) === null) {
      for (const def of DEFAULTS) {
        if ((await dav.pim.listCollections(dav.scope, def.kind)).length > 0) continue;
        try {
          // A new calendar holds VEVENT and VTODO unless told otherwise.
          await dav.pim.createCollection(dav.scope, def.kind, { id: def.id, name: def.name });
        } catch (error) {
          if (!(error instanceof Conflict)) throw error;
        }
      }
      await records.put(DEFAULTS_RECORD.kind, DEFAULTS_RECORD.id, { at: dav.now() });
    }
    this.done.add(id);
  }
}
