import { appHostname, originFor, type AppsDomains } from '../../apps/origins.js';
import type { Request } from '../../http/framework/request.js';

/** The instance's origin as this request's client reaches it (same scheme and port). */
export function instanceOrigin(request: Request, domain: string): string {
  return originFor(request.protocol, domain, request.headers.host);
}

/** An app's origin as this request's client reaches the instance. */
export function appOrigin(request: Request, domain: string, slug: string, mode: AppsDomains): string {
  return originFor(request.protocol, appHostname(domain, slug, mode), request.headers.host);
}
