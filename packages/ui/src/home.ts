/**
 * The Home app's address for an instance, as the stack names app origins: `home.<instance domain>`,
 * or `<label>-home.<rest>` when the instance uses flat app domains (one-level wildcard certificates).
 * Pass the page's own host name to tell which: an app page of a flat instance is not below its domain.
 */
export function homeUrl(instance: string, pageHostname?: string): string {
  const url = new URL(instance);
  const domain = url.hostname;
  const dot = domain.indexOf('.');
  const flat = pageHostname !== undefined && dot > 0 && !pageHostname.endsWith(`.${domain}`);
  url.hostname = flat ? `${domain.slice(0, dot)}-home.${domain.slice(dot + 1)}` : `home.${domain}`;
  return `${url.origin}/`;
}
