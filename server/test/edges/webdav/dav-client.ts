import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { elements, parseXml, textOf, type XmlElement } from '../../../src/edges/dav/xml.js';
import { rawRequest } from '../../files/http-raw.js';
import { basic } from '../../support/http-client.js';
import { onboard, startStack, type TestStack } from '../../support/stack.js';
import type { Config } from '../../../src/config.js';

export interface DavResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
}

export interface DavOptions {
  headers?: Record<string, string>;
  body?: string | Buffer | Readable;
  /** Send no credentials. */
  anonymous?: boolean;
}

export const OWNER = { user: 'alice', password: 'correct horse battery' };

/** A real stack with an onboarded owner, and a WebDAV client speaking Basic to it as a sync client would. */
export async function davStack(config: Partial<Config> = {}) {
  const t: TestStack = await startStack({ config });
  await onboard(t.client, OWNER.user, OWNER.password);
  const auth = basic(OWNER.user, OWNER.password);
  const dav = (method: string, path: string, options: DavOptions = {}): Promise<DavResponse> =>
    rawRequest(t.port, method, path, {
      headers: { ...(options.anonymous ? {} : auth), ...options.headers },
      ...(options.body === undefined ? {} : { body: options.body }),
    });
  return { t, dav, auth };
}

/** `<D:prop>` XML naming DAV: properties, for PROPFIND bodies. */
export function propfindBody(...names: string[]): string {
  return `<?xml version="1.0"?><D:propfind xmlns:D="DAV:"><D:prop>${names.map((n) => `<D:${n}/>`).join('')}</D:prop></D:propfind>`;
}

/** One `DAV:response` of a multistatus, read into href → { status → {clark name → text} }. */
export interface ParsedResponse {
  href: string;
  status?: string;
  props: Record<string, { status: string; value: string; element: XmlElement }>;
}

/** Parses a 207 body with our own parser (tested on its own in xml.test.ts). */
export async function multistatus(text: string): Promise<ParsedResponse[]> {
  const root = await parseXml(text);
  return elements(root, 'DAV:', 'response').map((r) => {
    const out: ParsedResponse = { href: textOf(elements(r, 'DAV:', 'href')[0]!), props: {} };
    const status = elements(r, 'DAV:', 'status')[0];
    if (status) out.status = textOf(status);
    for (const ps of elements(r, 'DAV:', 'propstat')) {
      const st = textOf(elements(ps, 'DAV:', 'status')[0]!);
      for (const p of elements(elements(ps, 'DAV:', 'prop')[0]!)) {
        out.props[`{${p.ns}}${p.local}`] = { status: st, value: textOf(p), element: p };
      }
    }
    return out;
  });
}
