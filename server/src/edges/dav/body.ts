import { readBody } from '../../http/framework/body.js';
import type { Request } from '../../http/framework/request.js';
import { parseXml, type XmlElement } from './xml.js';

/** DAV request bodies (PROPFIND, REPORT, MKCOL…) are small XML documents; more is refused (413). */
export const XML_BODY_LIMIT = 1024 * 1024;

/** Whether the request announces a body at all. */
export function hasBody(request: Request): boolean {
  const length = request.headers['content-length'];
  return (length !== undefined && length !== '0') || request.headers['transfer-encoding'] !== undefined;
}

/** The request body as UTF-8 text, at most `limit` bytes (PayloadTooLarge beyond); '' when there is none. */
export async function textBody(request: Request, limit: number): Promise<string> {
  if (!hasBody(request)) return '';
  return (await readBody(request.raw, limit)).toString('utf8');
}

/** The request's XML body parsed (BadRequest if malformed), or null when it is empty. */
export async function xmlBody(request: Request): Promise<XmlElement | null> {
  const text = await textBody(request, XML_BODY_LIMIT);
  if (text.trim() === '') return null;
  return parseXml(text);
}
