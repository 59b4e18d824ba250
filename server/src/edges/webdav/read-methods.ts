import { BadRequest, Forbidden, NotFound } from '../../errors.js';
import type { FileDoc } from '../../files/file-doc.js';
import { parseDepth } from '../dav/headers.js';
import { Multistatus } from '../dav/multistatus.js';
import { DAV_NS, elements, escapeXml, is, type XmlElement } from '../dav/xml.js';
import { sendFile } from '../files/send-file.js';
import { xmlBody } from '../dav/body.js';
import { allow, etagOf, type Dav } from './context.js';
import { hrefOf, lockPathOf } from './paths.js';
import { propstatsOf, type PropContext, type PropRequest } from './properties.js';

/** The entry the request URI names; NotFound when there is none. */
export function existing(dav: Dav): FileDoc {
  if (!dav.target.entry) throw new NotFound(`nothing at ${dav.request.path}`);
  return dav.target.entry;
}

/** GET and HEAD: a file's content (Range, If-None-Match), or a small HTML index of a collection. */
export async function get(dav: Dav): Promise<unknown> {
  allow(dav, 'GET');
  const entry = existing(dav);
  const { request, reply } = dav;
  reply.header('etag', etagOf(entry)).header('last-modified', new Date(entry.updated_at).toUTCString());
  if (entry.type === 'directory')
    return reply
      .type('text/html; charset=utf-8')
      .send(indexPage(dav, await dav.files.children(dav.scope, entry._id)));
  // A file downloads exactly as from the files API: Range, If-None-Match, HEAD.
  return sendFile(request, reply, dav.files, dav.scope, entry);
}

function indexPage(dav: Dav, children: FileDoc[]): string {
  const items = children
    .map((c) => {
      const href = hrefOf([...dav.names, c.name], c.type === 'directory');
      return `<li><a href="${escapeXml(href)}">${escapeXml(c.name)}${c.type === 'directory' ? '/' : ''}</a></li>`;
    })
    .join('');
  return `<!doctype html><meta charset="utf-8"><title>${escapeXml(dav.request.path)}</title><ul>${items}</ul>`;
}

/**
 * PROPFIND (RFC 4918 §9.1) with Depth 0 or 1. Depth infinity is refused with 403 and
 * DAV:propfind-finite-depth: walking a whole tree in one answer is a denial of service waiting to happen.
 */
export async function propfind(dav: Dav): Promise<unknown> {
  allow(dav, 'GET');
  const depth = dav.request.headers.depth === undefined ? 'infinity' : dav.request.headers.depth;
  if (String(depth).trim().toLowerCase() === 'infinity') {
    throw new Forbidden('PROPFIND with Depth: infinity is not served', {
      davCondition: 'propfind-finite-depth',
    });
  }
  const finite = parseDepth(depth, ['0', '1'], '1');
  const what = propRequestOf(await xmlBody(dav.request));
  const entry = existing(dav);
  let usage: Promise<{ used: number; quota: number | undefined }> | undefined;
  const ctx: PropContext = {
    locks: await dav.locks.all(),
    now: dav.now(),
    usage: () => (usage ??= dav.files.usage(dav.scope)),
  };
  const multistatus = new Multistatus();
  const add = async (doc: FileDoc, names: string[]) =>
    multistatus.addProps(
      hrefOf(names, doc.type === 'directory'),
      await propstatsOf(doc, lockPathOf(names), what, ctx),
    );
  await add(entry, dav.names);
  if (finite === '1' && entry.type === 'directory') {
    for (const child of await dav.files.children(dav.scope, entry._id))
      await add(child, [...dav.names, child.name]);
  }
  return dav.reply.code(207).type('application/xml; charset=utf-8').send(multistatus.toString());
}

/** Reads a `DAV:propfind` body; none at all means allprop (§9.1). */
function propRequestOf(body: XmlElement | null): PropRequest {
  if (body === null) return { kind: 'allprop', include: [] };
  if (!is(body, DAV_NS, 'propfind')) throw new BadRequest('the body must be a DAV:propfind element');
  const [first] = elements(body);
  if (!first) throw new BadRequest('DAV:propfind needs prop, propname or allprop');
  const namesIn = (el: XmlElement | undefined) =>
    el ? elements(el).map(({ ns, local }) => ({ ns, local })) : [];
  if (is(first, DAV_NS, 'propname')) return { kind: 'propname' };
  if (is(first, DAV_NS, 'allprop'))
    return { kind: 'allprop', include: namesIn(elements(body, DAV_NS, 'include')[0]) };
  if (is(first, DAV_NS, 'prop')) return { kind: 'prop', props: namesIn(first) };
  throw new BadRequest('DAV:propfind needs prop, propname or allprop');
}
