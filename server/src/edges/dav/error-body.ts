import { escapeXml } from './xml.js';

/**
 * The `DAV:error` body of RFC 4918 §16 naming the precondition or postcondition that failed, e.g.
 * `<D:error xmlns:D="DAV:"><D:propfind-finite-depth/></D:error>`, with the resources at fault if any.
 */
export function davErrorBody(condition: string, hrefs: readonly string[] = []): string {
  const inner = hrefs.map((h) => `<D:href>${escapeXml(h)}</D:href>`).join('');
  const element = inner === '' ? `<D:${condition}/>` : `<D:${condition}>${inner}</D:${condition}>`;
  return `<?xml version="1.0" encoding="utf-8"?>\n<D:error xmlns:D="DAV:">${element}</D:error>\n`;
}
