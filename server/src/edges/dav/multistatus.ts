import { STATUS_CODES } from 'node:http';
import { DAV_NS, escapeXml } from './xml.js';

/** `HTTP/1.1 404 Not Found`, as a DAV:status element holds it. */
export function statusLine(code: number): string {
  return `HTTP/1.1 ${code} ${STATUS_CODES[code] ?? ''}`;
}

/**
 * A property element with its value (already XML), in the form our multistatus expects: `D:` for the
 * DAV namespace (declared at the root), a default-namespace declaration for any other. Local names come
 * from parsed XML or from our own constants, so they are valid names as they are.
 */
export function propElement(ns: string, local: string, valueXml = ''): string {
  const name = ns === DAV_NS ? `D:${local}` : local;
  const decl = ns === DAV_NS ? '' : ` xmlns="${escapeXml(ns)}"`;
  return valueXml === '' ? `<${name}${decl}/>` : `<${name}${decl}>${valueXml}</${name}>`;
}

/** The properties of one resource that share one status. */
export interface PropStat {
  status: number;
  /** Each a whole property element (see propElement), or a stored dead property. */
  props: string[];
  /** A `DAV:error` precondition for this group (e.g. cannot-modify-protected-property). */
  condition?: string;
}

/**
 * A `207 Multi-Status` body (RFC 4918 §13) built response by response. Hrefs are escaped here; values
 * were escaped when their elements were made. Empty propstat groups are left out.
 */
export class Multistatus {
  private readonly parts: string[] = [];

  /** A response carrying properties grouped by status. */
  addProps(href: string, propstats: readonly PropStat[]): void {
    const groups = propstats
      .filter((p) => p.props.length > 0)
      .map((p) => {
        const error = p.condition ? `<D:error><D:${p.condition}/></D:error>` : '';
        return `<D:propstat><D:prop>${p.props.join('')}</D:prop><D:status>${statusLine(p.status)}</D:status>${error}</D:propstat>`;
      });
    this.parts.push(`<D:response><D:href>${escapeXml(href)}</D:href>${groups.join('')}</D:response>`);
  }

  /** A response carrying only a status for the resource (COPY, MOVE, DELETE, LOCK failures). */
  addStatus(href: string, status: number, condition?: string): void {
    const error = condition ? `<D:error><D:${condition}/></D:error>` : '';
    this.parts.push(
      `<D:response><D:href>${escapeXml(href)}</D:href><D:status>${statusLine(status)}</D:status>${error}</D:response>`,
    );
  }

  /** The whole body; `trailer` is XML placed after the responses (RFC 6578's `DAV:sync-token`). */
  toString(trailer = ''): string {
    return `<?xml version="1.0" encoding="utf-8"?>\n<D:multistatus xmlns:D="DAV:">${this.parts.join('')}${trailer}</D:multistatus>\n`;
  }
}
