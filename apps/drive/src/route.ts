import { ROOT_DIR_ID } from '@nuage/client';
import { useEffect, useState } from 'preact/hooks';

/** What the Drive shows: a folder, the trash, or the results of a name search. */
export type Route = { kind: 'folder'; id: string } | { kind: 'trash' } | { kind: 'search'; q: string };

/**
 * Routes live in the hash (`#/folder/<id>`, `#/trash`, `#/search/<q>`), so Back and Forward walk the
 * folders and a reload stays where it was, without the server knowing the app's paths.
 */
export function parseRoute(hash: string): Route {
  const [kind = '', rest = ''] = hash.replace(/^#\/?/, '').split(/\/(.*)/s);
  const value = safeDecode(rest);
  if (kind === 'trash') return { kind: 'trash' };
  if (kind === 'search' && value) return { kind: 'search', q: value };
  if (kind === 'folder' && value) return { kind: 'folder', id: value };
  return { kind: 'folder', id: ROOT_DIR_ID };
}

export function hrefOf(route: Route): string {
  if (route.kind === 'trash') return '#/trash';
  if (route.kind === 'search') return `#/search/${encodeURIComponent(route.q)}`;
  return route.id === ROOT_DIR_ID ? '#/' : `#/folder/${encodeURIComponent(route.id)}`;
}

export function navigate(route: Route): void {
  location.hash = hrefOf(route);
}

/** The current route, following the hash. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const follow = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', follow);
    return () => removeEventListener('hashchange', follow);
  }, []);
  return route;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return '';
  }
}
