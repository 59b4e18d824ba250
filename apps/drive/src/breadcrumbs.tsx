import type { FileEntry } from '@nuage/client';
import { useT } from '@nuage/ui';
import type { JSX } from 'preact';
import { hrefOf } from './route.js';

/** Where the folder is, each step a link; the root reads "My files" rather than "/". */
export function Breadcrumbs({
  ancestors,
  dir,
}: {
  ancestors: readonly FileEntry[];
  dir: FileEntry;
}): JSX.Element {
  const t = useT();
  const name = (entry: FileEntry) => (entry.dir_id ? entry.name : t('nav.files'));
  return (
    <nav class="drive-crumbs" aria-label={t('crumbs.label')}>
      <ol>
        {ancestors.map((entry) => (
          <li key={entry.id}>
            <a href={hrefOf({ kind: 'folder', id: entry.id })}>{name(entry)}</a>
          </li>
        ))}
        <li>
          <span aria-current="page">{name(dir)}</span>
        </li>
      </ol>
    </nav>
  );
}
