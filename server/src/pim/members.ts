import { keyRangeForPrefix, parseIndexRequest } from '../data/mango/index.js';
import type { DocBody, DocumentStore } from '../ports/store/documents.js';
import { KINDS, type CollectionKind } from './kinds.js';

/** The design document of the Mango indexes the PIM services keep on object doctypes. */
export const PIM_DDOC = '_design/nuage-pim';

/** An object of a collection: its document (winning revision) and its resource name. */
export interface Member {
  doctype: string;
  id: string;
  rev: string;
  body: DocBody;
  href: string;
}

/**
 * The indexes: members of a collection (listing), by resource name (GET/PUT/DELETE of one object), by
 * UID (the no-uid-conflict check). Each is a range scan, so no operation reads a whole collection to
 * find one object.
 */
function indexDefs(field: string): ReturnType<typeof parseIndexRequest>[] {
  return [
    { name: 'by-collection', fields: [field] },
    { name: 'by-href', fields: [field, 'href'] },
    { name: 'by-uid', fields: [field, 'uid'] },
  ].map(({ name, fields }) => parseIndexRequest({ ddoc: PIM_DDOC, name, index: { fields } }));
}

/**
 * Creates the indexes of a kind's object doctypes (idempotent: `exists` when they are there). The
 * scans below need them: call this once per store first (PimService does, and remembers it).
 */
export async function createIndexes(store: DocumentStore, kind: CollectionKind): Promise<void> {
  const spec = KINDS[kind];
  for (const doctype of spec.objectDoctypes) {
    for (const def of indexDefs(spec.field)) await store.indexes.create(doctype, def);
  }
}

/** The resource name of an object document: its `href`, or its id with the kind's extension. */
export function hrefOf(kind: CollectionKind, id: string, body: Readonly<DocBody>): string {
  const href = body['href'];
  return typeof href === 'string' && href !== '' ? href : `${id}${KINDS[kind].extension}`;
}

async function scan(
  store: DocumentStore,
  kind: CollectionKind,
  name: string,
  prefix: readonly unknown[],
  limit?: number,
): Promise<Member[]> {
  const out: Member[] = [];
  for (const doctype of KINDS[kind].objectDoctypes) {
    const rows = await store.indexes.scan(
      doctype,
      { ddoc: PIM_DDOC, name },
      { range: keyRangeForPrefix(prefix), ...(limit === undefined ? {} : { limit }) },
    );
    for (const row of rows) {
      out.push({ doctype, id: row.id, rev: row.rev, body: row.body, href: hrefOf(kind, row.id, row.body) });
    }
  }
  return out;
}

/** Every live object of a collection. */
export function membersOf(
  store: DocumentStore,
  kind: CollectionKind,
  collectionId: string,
): Promise<Member[]> {
  return scan(store, kind, 'by-collection', [collectionId]);
}

/** The objects of a collection that have this UID (more than one only if written around the service). */
export function membersByUid(
  store: DocumentStore,
  kind: CollectionKind,
  collectionId: string,
  uid: string,
): Promise<Member[]> {
  return scan(store, kind, 'by-uid', [collectionId, uid]);
}

/**
 * The live object of a collection named `href`: the document whose `href` it is, or a document
 * without `href` whose id plus the kind's extension it is (one an app created). Null when none.
 */
export async function memberByHref(
  store: DocumentStore,
  kind: CollectionKind,
  collectionId: string,
  href: string,
): Promise<Member | null> {
  const [found] = await scan(store, kind, 'by-href', [collectionId, href], 1);
  if (found) return found;
  const spec = KINDS[kind];
  if (!href.endsWith(spec.extension)) return null;
  const id = href.slice(0, -spec.extension.length);
  if (id === '' || id.startsWith('_')) return null;
  for (const doctype of spec.objectDoctypes) {
    const [doc] = await store.getDocs(doctype, [id]);
    if (doc && !doc.deleted && doc.body[spec.field] === collectionId && doc.body['href'] === undefined) {
      return { doctype, id, rev: doc.rev, body: doc.body, href };
    }
  }
  return null;
}
