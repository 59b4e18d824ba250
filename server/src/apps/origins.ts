/**
 * Each app has its own origin, so the browser keeps its storage, cookies and scripts apart from the
 * instance's and other apps'. Nested: `drive.alice.example.org`. Flat: `alice-drive.example.org`, for
 * hosts whose wildcard certificate covers only one level (`*.example.org`). An instance whose domain
 * is a single label (`localhost`) always uses nested names.
 */
export type AppsDomains = 'nested' | 'flat';

/** The host name (no port) of an app of an instance. */
export function appHostname(instanceDomain: string, slug: string, mode: AppsDomains): string {
  const dot = instanceDomain.indexOf('.');
  if (mode === 'flat' && dot > 0)
    return `${instanceDomain.slice(0, dot)}-${slug}.${instanceDomain.slice(dot + 1)}`;
  return `${slug}.${instanceDomain}`;
}

/** The (instance domain, slug) a host name would stand for if it were an app's, in the given mode. */
export function splitAppHostname(name: string, mode: AppsDomains): { domain: string; slug: string } | null {
  const dot = name.indexOf('.');
  if (dot <= 0) return null;
  const label = name.slice(0, dot);
  const rest = name.slice(dot + 1);
  if (mode === 'flat') {
    const dash = label.lastIndexOf('-');
    if (dash > 0 && rest.includes('.'))
      return { domain: `${label.slice(0, dash)}.${rest}`, slug: label.slice(dash + 1) };
  }
  // Nested names also serve flat mode's single-label instances (localhost).
  if (mode === 'nested' || !rest.includes('.')) return { domain: rest, slug: label };
  return null;
}

/** `scheme://host[:port]` for an origin on the same scheme and port as `requestHost`. */
export function originFor(
  protocol: 'http' | 'https',
  hostname: string,
  requestHost: string | undefined,
): string {
  const port = /:(\d+)$/.exec(requestHost ?? '')?.[1];
  const standard = (protocol === 'http' && port === '80') || (protocol === 'https' && port === '443');
  return `${protocol}://${hostname}${port && !standard ? `:${port}` : ''}`;
}
