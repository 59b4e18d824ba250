import type { DavCondition } from '../../errors.js';
import { DAV_NS, escapeXml } from './xml.js';

/**
 * The `DAV:error` body of RFC 4918 §16 naming the precondition or postcondition that failed, e.g.
 * `<D:error xmlns:D="DAV:"><D:propfind-finite-depth/></D:error>`, with the resources at fault if any.
 * A condition of another namespace (CalDAV, CardDAV) is written with that namespace as its default:
 * `<no-uid-conflict xmlns="urn:ietf:params:xml:ns:caldav"><D:href>…</D:href></no-uid-conflict>`.
 */
export function davErrorBody(condition: string | DavCondition, hrefs: readonly string[] = []): string {
  const { namespace, name } =
    typeof condition === 'string' ? { namespace: DAV_NS, name: condition } : condition;
  const tag = namespace === DAV_NS ? `D:${name}` : name;
  const decl = namespace === DAV_NS ? '' : ` xmlns="${escapeXml(namespace)}"`;
  const inner = hrefs.map((h) => `<D:href>${escapeXml(h)}</D:href>`).join('');
  const element = inner === '' ? `<${tag}${decl}/>` : `<${tag}${decl}>${inner}</${tag}>`;
  return `<?xml version="1.0" encoding="utf-8"?>\n<D:error xmlns:D="DAV:">${element}</D:error>\n`;
}

/**
 * The URL paths of the hrefs an error names: paths are kept, plain resource names are taken as members
 * of the collection holding `requestPath` (a PUT's conflicting sibling) and percent-encoded.
 */
export function resolveErrorHrefs(hrefs: readonly string[], requestPath: string): string[] {
  const collection = requestPath.endsWith('/')
    ? requestPath
    : requestPath.slice(0, requestPath.lastIndexOf('/') + 1);
  return hrefs.map((h) => (h.startsWith('/') ? h : `${collection}${encodeURIComponent(h)}`));
}
