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

/**
 * The (instance domain, slug) pairs a host name may stand for if it is an app's, most likely first:
 * in flat mode `alice-drive.example.org` → (alice.example.org, drive), and, for single-label instances
 * (which always use nested names), `drive.localhost` → (localhost, drive).
 */
export function splitAppHostname(name: string, mode: AppsDomains): { domain: string; slug: string }[] {
  const dot = name.indexOf('.');
  if (dot <= 0) return [];
  const label = name.slice(0, dot);
  const rest = name.slice(dot + 1);
  if (mode === 'nested') return [{ domain: rest, slug: label }];
  const found: { domain: string; slug: string }[] = [];
  const dash = label.lastIndexOf('-');
  if (dash > 0) found.push({ domain: `${label.slice(0, dash)}.${rest}`, slug: label.slice(dash + 1) });
  if (!rest.includes('.')) found.push({ domain: rest, slug: label });
  return found;
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
