import { Conflict, Forbidden, NotFound } from '../../errors.js';
import { textBody } from '../dav/body.js';
import { allow, type PimDav } from './context.js';
import { deleteCollection } from './collections.js';

/** The largest vCard or iCalendar object a PUT may send (photos inline make cards big). */
const OBJECT_LIMIT = 10 * 1024 * 1024;

const header = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value.join(', ') : value;

/** The object the request URI names, or Forbidden (a method only objects answer). */
function objectTarget(dav: PimDav) {
  if (dav.target.type !== 'object') throw new Forbidden(`${dav.request.method} is for objects only`);
  return dav.target;
}

/** GET and HEAD of an object: its text, ETag and type; If-None-Match answers 304. */
export async function get(dav: PimDav): Promise<unknown> {
  const target = objectTarget(dav);
  allow(dav, 'GET', target.kind);
  const data = await dav.pim.getObject(dav.scope, target.kind, target.id, target.href);
  const { reply } = dav;
  reply.header('etag', data.etag);
  const ifNoneMatch = header(dav.request.headers['if-none-match']);
  if (
    ifNoneMatch !== undefined &&
    ifNoneMatch.split(',').some((t) => t.trim() === data.etag || t.trim() === '*')
  ) {
    return reply.code(304).send();
  }
  reply.type(data.contentType).header('content-length', Buffer.byteLength(data.text));
  if (dav.request.method === 'HEAD') return reply.send();
  return reply.send(data.text);
}

/**
 * PUT of a vCard or iCalendar object, creating (201) or replacing (204) it, with If-Match and
 * If-None-Match (412 when they do not hold). The text is checked by the service: invalid data, a UID
 * used by another object, or a component the calendar does not hold are 403 with their CalDAV or
 * CardDAV precondition. A missing collection is 409 (RFC 4918 §9.7.1).
 */
export async function put(dav: PimDav): Promise<unknown> {
  const target = objectTarget(dav);
  allow(dav, 'PUT', target.kind);
  try {
    await dav.pim.getCollection(dav.scope, target.kind, target.id);
  } catch (error) {
    if (error instanceof NotFound) throw new Conflict('the collection does not exist', { cause: error });
    throw error;
  }
  const text = await textBody(dav.request, OBJECT_LIMIT);
  const ifMatch = header(dav.request.headers['if-match']);
  const ifNoneMatch = header(dav.request.headers['if-none-match']);
  const result = await dav.pim.putObject(dav.scope, target.kind, target.id, target.href, text, {
    ...(ifMatch === undefined ? {} : { ifMatch }),
    ...(ifNoneMatch === undefined ? {} : { ifNoneMatch }),
  });
  return dav.reply
    .header('etag', result.etag)
    .code(result.created ? 201 : 204)
    .send();
}

/** DELETE of an object (If-Match honoured) or of a whole collection. */
export async function remove(dav: PimDav): Promise<unknown> {
  const { target } = dav;
  if (target.type === 'collection') return deleteCollection(dav, target.kind, target.id);
  if (target.type !== 'object') throw new Forbidden('only collections and objects can be deleted');
  allow(dav, 'DELETE', target.kind);
  const ifMatch = header(dav.request.headers['if-match']);
  await dav.pim.deleteObject(
    dav.scope,
    target.kind,
    target.id,
    target.href,
    ifMatch === undefined ? {} : { ifMatch },
  );
  return dav.reply.code(204).send();
}
