import type { FileEntry } from '@nuage/client';
import { useT, useToast } from '@nuage/ui';
import { useMemo } from 'preact/hooks';
import { messageOf, type DriveApi } from './api.js';
import { startDownload } from './start-download.js';

export interface EntryActions {
  /** A file as itself; a folder or several entries as one zip. */
  download: (entries: readonly FileEntry[]) => Promise<void>;
  trash: (entries: readonly FileEntry[]) => Promise<void>;
  move: (entries: readonly FileEntry[], dirId: string) => Promise<void>;
}

/**
 * What the selection bar and the list do to entries, with the toasts that say how it went. `changed`
 * reloads the view; moves throw so their dialog can show why.
 */
export function useActions(api: DriveApi, changed: () => void): EntryActions {
  const t = useT();
  const toast = useToast();
  return useMemo<EntryActions>(() => {
    const fail = (failure: unknown) => toast.show(messageOf(failure), { kind: 'error' });
    return {
      async download(entries) {
        const [first] = entries;
        if (!first) return;
        const dismiss = toast.show(t('download.preparing'), { timeout: 0 });
        try {
          const single = entries.length === 1 && first.type === 'file';
          startDownload(
            await api.downloadLink(
              entries.map((e) => e.id),
              !single,
            ),
          );
        } catch (failure) {
          fail(failure);
        } finally {
          dismiss();
        }
      },
      async trash(entries) {
        const done: FileEntry[] = [];
        for (const entry of entries) {
          try {
            await api.files.trash(entry.id);
            done.push(entry);
          } catch (failure) {
            fail(failure);
          }
        }
        changed();
        if (done.length === 0) return;
        toast.show(t('trash.moved', { count: done.length }), {
          kind: 'success',
          action: {
            label: t('trash.undo'),
            run: () => {
              void Promise.all(done.map((e) => api.files.restore(e.id)))
                .catch(fail)
                .finally(changed);
            },
          },
        });
      },
      async move(entries, dirId) {
        for (const entry of entries) {
          if (entry.dir_id !== dirId) await api.files.move(entry.id, { dirId });
        }
        changed();
        toast.show(t('move.done', { count: entries.length }), { kind: 'success' });
      },
    };
  }, [api, changed, t, toast]);
}
