import { Readable } from 'node:stream';
import {
  BadRequest,
  Conflict,
  Forbidden,
  InsufficientStorage,
  MethodNotAllowed,
  PayloadTooLarge,
  UnsupportedMediaType,
} from '../../errors.js';
import type { FileDoc } from '../../files/file-doc.js';
import { parseDepth } from '../dav/headers.js';
import { Multistatus, propElement, type PropStat } from '../dav/multistatus.js';
import { clark, DAV_NS, elements, is, serializeXml } from '../dav/xml.js';
import { md5FromHeader } from '../files/headers.js';
import { hasBody, xmlBody } from '../dav/body.js';
import { allow, checkLocks, etagOf, type Dav } from './context.js';
import { existing } from './read-methods.js';
import { hrefOf } from './paths.js';
import { isProtected } from './properties.js';

/** The parent collection a new member goes into; Conflict (409) when it does not exist (§9.7.1, §9.3.1). */
export function parentFor(parent: FileDoc | null): FileDoc {
  if (!parent) throw new Conflict('the parent collection does not exist');
  return parent;
}

/** A full quota is 507 over WebDAV (RFC 4331 §6), where /files says 413. */
export function quotaAware<T>(work: Promise<T>): Promise<T> {
  return work.catch((error: unknown) => {
    if (error instanceof PayloadTooLarge) {
      throw new InsufficientStorage(error.message, { cause: error, davCondition: 'quota-not-exceeded' });
    }
    throw error;
  });
}

/**
 * PUT: the body streams into the BlobStore (never held whole), then the document is written — a new
 * file (201) or new content for an existing one (204). An interrupted or refused body leaves nothing.
 */
export async function put(dav: Dav): Promise<unknown> {
  const { request, reply, target } = dav;
  if (target.entry?.type === 'directory') throw new MethodNotAllowed('PUT on a collection');
  if (request.headers['content-range'] !== undefined)
    throw new BadRequest('PUT with Content-Range is not supported');
  const options = allow(dav, target.entry ? 'PUT' : 'POST');
  const parent = parentFor(target.parent);
  await checkLocks(dav, dav.names, { member: !target.entry });
  const contentType = request.headers['content-type'];
  const length = request.headers['content-length'];
  const expectedMd5 = md5FromHeader(request.headers['content-md5']);
  const upload = {
    ...options,
    ...(typeof contentType === 'string' && contentType !== ''
      ? { mime: contentType.split(';')[0]!.trim() }
      : {}),
    ...(typeof length === 'string' && /^\d+$/.test(length) ? { declaredSize: Number(length) } : {}),
    ...(expectedMd5 === undefined ? {} : { expectedMd5 }),
  };
  if (target.entry) {
    await quotaAware(dav.files.replace(dav.scope, target.entry._id, request.raw, upload));
    return reply.code(204).send();
  }
  const name = dav.names.at(-1)!;
  const file = await quotaAware(dav.files.upload(dav.scope, parent, name, request.raw, upload));
  return reply.code(201).header('etag', etagOf(file)).send();
}

/** An empty file at the request URI: what LOCK on an unmapped URL creates (RFC 4918 §7.3). */
export async function createEmpty(dav: Dav): Promise<FileDoc> {
  const options = allow(dav, 'POST');
  const parent = parentFor(dav.target.parent);
  return dav.files.upload(dav.scope, parent, dav.names.at(-1)!, Readable.from([]), options);
}

/** MKCOL (§9.3): 201; 405 if something is there, 409 without a parent, 415 with a body. */
export async function mkcol(dav: Dav): Promise<unknown> {
  if (hasBody(dav.request)) throw new UnsupportedMediaType('MKCOL with a body is not supported');
  if (dav.target.entry) throw new MethodNotAllowed('something already exists here');
  const options = allow(dav, 'POST');
  const parent = parentFor(dav.target.parent);
  await checkLocks(dav, dav.names, { member: true });
  await dav.files.createDirectory(dav.scope, parent._id, dav.names.at(-1)!, options);
  return dav.reply.code(201).send();
}

/**
 * DELETE (§9.6): moves the entry, with everything below it, to the trash, as /files does — it is
 * recoverable from there and frees the name at once. The locks on it and below it go with it.
 */
export async function remove(dav: Dav): Promise<unknown> {
  const entry = existing(dav);
  if (dav.names.length === 0) throw new Forbidden('the root collection cannot be deleted');
  parseDepth(dav.request.headers.depth, ['infinity'], 'infinity');
  const options = allow(dav, 'PUT');
  await checkLocks(dav, dav.names, { deep: true, member: true });
  await dav.files.trash(dav.scope, entry._id, options);
  await dav.locks.removeUnder(dav.path);
  return dav.reply.code(204).send();
}

/**
 * PROPPATCH (§9.2): sets and removes dead properties in document order, all or nothing. A protected
 * (live) property fails with 403 and every other one of the request with 424, and nothing is written.
 */
export async function proppatch(dav: Dav): Promise<unknown> {
  const entry = existing(dav);
  const options = allow(dav, 'PUT');
  await checkLocks(dav, dav.names);
  const body = await xmlBody(dav.request);
  if (!body || !is(body, DAV_NS, 'propertyupdate'))
    throw new BadRequest('the body must be a DAV:propertyupdate');
  const changes = new Map<string, string | null>();
  const names: { ns: string; local: string }[] = [];
  for (const op of elements(body, DAV_NS)) {
    if (op.local !== 'set' && op.local !== 'remove') continue;
    for (const prop of elements(op, DAV_NS, 'prop')) {
      for (const p of elements(prop)) {
        names.push({ ns: p.ns, local: p.local });
        changes.set(clark(p.ns, p.local), op.local === 'set' ? serializeXml(p) : null);
      }
    }
  }
  if (names.length === 0) throw new BadRequest('DAV:propertyupdate names no property');
  const refused = names.filter((n) => isProtected(n.ns, n.local));
  const unique = (list: typeof names) => [...new Map(list.map((n) => [clark(n.ns, n.local), n])).values()];
  let propstats: PropStat[];
  if (refused.length > 0) {
    const others = unique(names.filter((n) => !isProtected(n.ns, n.local)));
    propstats = [
      {
        status: 403,
        props: unique(refused).map((n) => propElement(n.ns, n.local)),
        condition: 'cannot-modify-protected-property',
      },
      { status: 424, props: others.map((n) => propElement(n.ns, n.local)) },
    ];
  } else {
    await dav.files.setProperties(dav.scope, entry._id, changes, options);
    propstats = [{ status: 200, props: unique(names).map((n) => propElement(n.ns, n.local)) }];
  }
  const multistatus = new Multistatus();
  multistatus.addProps(hrefOf(dav.names, entry.type === 'directory'), propstats);
  return dav.reply.code(207).type('application/xml; charset=utf-8').send(multistatus.toString());
}
