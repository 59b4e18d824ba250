import type { Request } from '../../http/framework/request.js';
import { readBody } from '../../http/framework/body.js';
import { parseXml, type XmlElement } from '../dav/xml.js';

/** DAV request bodies (PROPFIND, PROPPATCH, LOCK) are small XML documents; more than this is refused (413). */
const XML_BODY_LIMIT = 1024 * 1024;

/** Whether the request announces a body at all. */
export function hasBody(request: Request): boolean {
  const length = request.headers['content-length'];
  return (length !== undefined && length !== '0') || request.headers['transfer-encoding'] !== undefined;
}

/** The request's XML body parsed (BadRequest if malformed), or null when it is empty. */
export async function xmlBody(request: Request): Promise<XmlElement | null> {
  if (!hasBody(request)) return null;
  const bytes = await readBody(request.raw, XML_BODY_LIMIT);
  const text = bytes.toString('utf8');
  if (text.trim() === '') return null;
  return parseXml(text);
}
