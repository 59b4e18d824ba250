import type { FileEntry } from '@nuage/client';
import { Button, Dialog, Spinner, useT, useToast } from '@nuage/ui';
import type { JSX } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { messageOf, type DriveApi } from './api.js';
import { Nothing } from './entry-browser.js';
import { formatDate } from './format.js';
import { Thumbnail } from './thumbnail.js';
import { useLiveReload } from './use-folder.js';

/** The trash: each entry where it was, restorable, or deletable for good after a confirmation. */
export function TrashView({ api }: { api: DriveApi }): JSX.Element {
  const t = useT();
  const toast = useToast();
  const [entries, setEntries] = useState<FileEntry[] | null>(null);
  const [doomed, setDoomed] = useState<FileEntry | null>(null);
  const reload = useCallback(() => {
    api.files
      .trashed()
      .then(setEntries, (failure: unknown) => toast.show(messageOf(failure), { kind: 'error' }));
  }, [api, toast]);
  useEffect(reload, [reload]);
  useLiveReload(api.client, reload);

  const act = async (run: () => Promise<unknown>, done: string) => {
    try {
      await run();
      toast.show(done, { kind: 'success' });
    } catch (failure) {
      toast.show(messageOf(failure), { kind: 'error' });
    }
    reload();
  };
  const locale = document.documentElement.lang || 'en';

  return (
    <div class="drive-page">
      <h2 class="drive-heading">{t('nav.trash')}</h2>
      <p class="drive-muted">{t('trash.intro')}</p>
      {!entries ? <Spinner /> : null}
      {entries?.length === 0 ? <Nothing title={t('trash.empty.title')} text={t('trash.empty.text')} /> : null}
      <ul class="drive-entries__items drive-entries__items--list" aria-label={t('nav.trash')}>
        {(entries ?? []).map((entry) => (
          <li key={entry.id} class="drive-entry drive-entry--trash">
            <Thumbnail client={api.client} entry={entry} />
            <span class="drive-entry__text">
              <span class="drive-entry__name">{entry.name}</span>
              <span class="drive-entry__meta">
                {entry.path} · {formatDate(entry.updated_at, locale)}
              </span>
            </span>
            <span class="drive-entry__actions">
              <Button
                variant="ghost"
                icon="restore"
                aria-label={t('trash.restoreNamed', { name: entry.name })}
                onClick={() =>
                  void act(() => api.files.restore(entry.id), t('trash.restored', { name: entry.name }))
                }
              >
                <span class="drive-wide">{t('trash.restore')}</span>
              </Button>
              <Button
                variant="ghost"
                icon="trash"
                aria-label={t('trash.destroyNamed', { name: entry.name })}
                onClick={() => setDoomed(entry)}
              >
                <span class="drive-wide">{t('trash.destroy')}</span>
              </Button>
            </span>
          </li>
        ))}
      </ul>
      <Dialog
        open={doomed !== null}
        title={t('trash.confirmTitle', { name: doomed?.name ?? '' })}
        onClose={() => setDoomed(null)}
        actions={
          <>
            <Button onClick={() => setDoomed(null)}>{t('common.cancel')}</Button>
            <Button
              variant="danger"
              onClick={() => {
                const entry = doomed;
                setDoomed(null);
                if (entry)
                  void act(() => api.files.destroy(entry.id), t('trash.destroyed', { name: entry.name }));
              }}
            >
              {t('trash.destroy')}
            </Button>
          </>
        }
      >
        <p>{t('trash.confirmText')}</p>
      </Dialog>
    </div>
  );
}
