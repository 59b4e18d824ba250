import { ROOT_DIR_ID } from '@nuage/client';
import { AppShell, Button, useT } from '@nuage/ui';
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { DriveApi } from './api.js';
import type { Layout } from './entry-list.js';
import { FolderView } from './folder-view.js';
import { hrefOf, useRoute, type Route } from './route.js';
import { SearchBox } from './search-box.js';
import { SearchView } from './search-view.js';
import { TrashView } from './trash-view.js';
import { useUploads } from './use-uploads.js';

const LAYOUT_KEY = 'nuage.drive.layout';

/** The Drive: sections (files, trash), the search box, and the view the route names. */
export function DriveApp({ api }: { api: DriveApi }): JSX.Element {
  const t = useT();
  const route = useRoute();
  const uploads = useUploads(api.client);
  const [layout, setLayout] = useState<Layout>(() => (readLayout() === 'grid' ? 'grid' : 'list'));
  const toggle = () => {
    const next = layout === 'list' ? 'grid' : 'list';
    setLayout(next);
    saveLayout(next);
  };
  return (
    <AppShell
      appName={t('app.name')}
      instance={api.client.instance}
      actions={
        <Button variant="ghost" icon={layout === 'list' ? 'apps' : 'menu'} onClick={toggle}>
          <span class="drive-wide">{layout === 'list' ? t('layout.grid') : t('layout.list')}</span>
        </Button>
      }
    >
      <div class="drive-bar">
        <nav class="drive-tabs" aria-label={t('nav.label')}>
          <Tab route={route} to={{ kind: 'folder', id: ROOT_DIR_ID }} label={t('nav.files')} />
          <Tab route={route} to={{ kind: 'trash' }} label={t('nav.trash')} />
        </nav>
        <SearchBox initial={route.kind === 'search' ? route.q : ''} />
      </div>
      {route.kind === 'trash' ? (
        <TrashView api={api} />
      ) : route.kind === 'search' ? (
        <SearchView api={api} q={route.q} layout={layout} />
      ) : (
        <FolderView api={api} id={route.id} layout={layout} uploads={uploads} />
      )}
    </AppShell>
  );
}

function Tab({ route, to, label }: { route: Route; to: Route; label: string }): JSX.Element {
  const current = route.kind === to.kind || (route.kind === 'search' && to.kind === 'folder');
  return (
    <a
      class="drive-tab"
      href={hrefOf(to)}
      aria-current={current && route.kind !== 'search' ? 'page' : undefined}
    >
      {label}
    </a>
  );
}

function readLayout(): string | null {
  try {
    return localStorage.getItem(LAYOUT_KEY);
  } catch {
    return null; // Storage refused (private modes): the list it is.
  }
}

function saveLayout(layout: Layout): void {
  try {
    localStorage.setItem(LAYOUT_KEY, layout);
  } catch {
    // Not kept: the choice lasts until the page is reloaded.
  }
}
