import { canWhole } from '../../permissions/permissions.js';
import { KINDS } from '../../pim/kinds.js';
import type { ObjectData } from '../../pim/pim-service.js';
import { requireAuth } from '../../http/context.js';
import type { PimDav } from './context.js';
import { paths, pathOf, type Target } from './paths.js';
import type { PropContext, Resource } from './properties.js';

/** What property values need besides the resource: the owner's name and whether the caller may write. */
export function propContextOf(dav: PimDav): PropContext {
  const perms = requireAuth(dav.request);
  const kind =
    dav.target.type === 'home' || dav.target.type === 'collection' || dav.target.type === 'object'
      ? dav.target.kind
      : 'calendar';
  return { owner: dav.owner, writable: KINDS[kind].objectDoctypes.every((d) => canWhole(perms, 'PUT', d)) };
}

/** The resource a target names, loaded (NotFound when its collection or object does not exist). */
export async function resourceOf(dav: PimDav, target: Target): Promise<Resource> {
  const href = pathOf(target, dav.owner);
  switch (target.type) {
    case 'root':
    case 'principals':
    case 'principal':
      return { type: target.type, href };
    case 'home':
      return { type: 'home', kind: target.kind, href };
    case 'collection':
      return collectionResource(dav, target.kind, target.id);
    case 'object': {
      const data = await dav.pim.getObject(dav.scope, target.kind, target.id, target.href);
      return objectResource(dav, target.kind, target.id, data);
    }
  }
}

/** A collection as a resource; its sync state is read only if a property asks for it. */
export async function collectionResource(
  dav: PimDav,
  kind: 'addressbook' | 'calendar',
  id: string,
): Promise<Resource> {
  const collection = await dav.pim.getCollection(dav.scope, kind, id);
  let sync: ReturnType<PimDav['pim']['syncState']> | undefined;
  return {
    type: 'collection',
    kind,
    href: paths.collection(dav.owner, kind, id),
    collection,
    sync: () => (sync ??= dav.pim.syncState(dav.scope, kind, id)),
  };
}

/** An object as a resource, with its text when known. */
export function objectResource(
  dav: PimDav,
  kind: 'addressbook' | 'calendar',
  collectionId: string,
  ref: { href: string; etag: string } | ObjectData,
): Resource {
  return {
    type: 'object',
    kind,
    href: paths.object(dav.owner, kind, collectionId, ref.href),
    ref: { href: ref.href, etag: ref.etag },
    ...('text' in ref ? { data: ref } : {}),
  };
}
