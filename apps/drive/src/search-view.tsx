import { ROOT_DIR_ID, type FileEntry } from '@nuage/client';
import { Spinner, useT } from '@nuage/ui';
import type { JSX } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { messageOf, type DriveApi } from './api.js';
import { EntryBrowser, Nothing } from './entry-browser.js';
import type { Layout } from './entry-list.js';

/** Entries whose name matches, wherever they are, with the same actions as in a folder. */
export function SearchView({ api, q, layout }: { api: DriveApi; q: string; layout: Layout }): JSX.Element {
  const t = useT();
  const [found, setFound] = useState<FileEntry[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [version, setVersion] = useState(0);
  const changed = useCallback(() => setVersion((v) => v + 1), []);

  useEffect(() => {
    let stale = false;
    api.search(q).then(
      (entries) => !stale && setFound(entries),
      (failure: unknown) => !stale && setError(failure),
    );
    return () => {
      stale = true;
    };
  }, [api, q, version]);

  return (
    <div class="drive-page">
      <h2 class="drive-heading">{t('search.title', { q })}</h2>
      {error ? <p class="drive-error">{messageOf(error)}</p> : null}
      {found ? (
        <EntryBrowser
          api={api}
          entries={found}
          layout={layout}
          label={t('search.title', { q })}
          here={ROOT_DIR_ID}
          changed={changed}
          showPath
          empty={<Nothing title={t('search.none.title')} text={t('search.none.text')} />}
        />
      ) : error ? null : (
        <Spinner />
      )}
    </div>
  );
}
