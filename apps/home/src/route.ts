import { useEffect, useState } from 'preact/hooks';

/** Where the Home is: the hash, so the browser's back button and reloads keep the view. */
export type Route =
  | { view: 'launcher' }
  | { view: 'store' }
  | { view: 'notifications' }
  | { view: 'settings' }
  | { view: 'app'; slug: string };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#\/?/, '');
  if (path === 'store') return { view: 'store' };
  if (path === 'settings') return { view: 'settings' };
  if (path === 'notifications') return { view: 'notifications' };
  const app = /^apps\/([a-z][a-z0-9]{1,31})$/.exec(path);
  if (app?.[1]) return { view: 'app', slug: app[1] };
  return { view: 'launcher' };
}

export function hrefOf(route: Route): string {
  return route.view === 'launcher' ? '#/' : route.view === 'app' ? `#/apps/${route.slug}` : `#/${route.view}`;
}

/** The current route, following hash changes. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = () => {
      setRoute(parseRoute(location.hash));
      window.scrollTo(0, 0);
    };
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

export function go(route: Route): void {
  location.hash = hrefOf(route);
}
