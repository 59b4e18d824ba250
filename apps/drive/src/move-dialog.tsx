import { ROOT_DIR_ID, type FileEntry, type NuageClient } from '@nuage/client';
import { Button, Dialog, Icon, Spinner, useT } from '@nuage/ui';
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { messageOf } from './api.js';

export interface MoveDialogProps {
  client: NuageClient;
  /** What moves: a folder cannot go into itself, so these are not offered as destinations. */
  moving: readonly FileEntry[];
  start: string;
  onMove: (dirId: string) => Promise<void>;
  onClose: () => void;
}

/** A folder picker: walk the folders, then move the selection into the one shown. */
export function MoveDialog({ client, moving, start, onMove, onClose }: MoveDialogProps): JSX.Element {
  const t = useT();
  const [at, setAt] = useState(start);
  const [listing, setListing] = useState<{ dir: FileEntry; folders: FileEntry[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const excluded = new Set(moving.map((e) => e.id));

  useEffect(() => {
    let stale = false;
    setListing(null);
    client.files.list(at).then(
      ({ dir, children }) => {
        if (!stale) setListing({ dir, folders: children.filter((c) => c.type === 'directory') });
      },
      (failure: unknown) => {
        if (!stale) setError(messageOf(failure));
      },
    );
    return () => {
      stale = true;
    };
  }, [client, at]);

  const move = async () => {
    setBusy(true);
    try {
      await onMove(at);
      onClose();
    } catch (failure) {
      setError(messageOf(failure));
      setBusy(false);
    }
  };

  const dir = listing?.dir;
  return (
    <Dialog
      open
      title={t('move.title', { count: moving.length })}
      onClose={onClose}
      actions={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button variant="primary" busy={busy} disabled={!dir} onClick={() => void move()}>
            {t('move.here')}
          </Button>
        </>
      }
    >
      <p class="drive-muted">{t('move.into', { path: dir?.path ?? '…' })}</p>
      {dir && dir.id !== ROOT_DIR_ID ? (
        <Button variant="ghost" icon="back" onClick={() => setAt(dir.dir_id || ROOT_DIR_ID)}>
          {t('move.up')}
        </Button>
      ) : null}
      {listing ? (
        <ul class="drive-picker" aria-label={t('move.folders')}>
          {listing.folders
            .filter((f) => !excluded.has(f.id))
            .map((folder) => (
              <li key={folder.id}>
                <button type="button" class="drive-picker__item" onClick={() => setAt(folder.id)}>
                  <Icon name="folder" />
                  {folder.name}
                </button>
              </li>
            ))}
        </ul>
      ) : error ? null : (
        <Spinner />
      )}
      {error ? <p class="drive-error">{error}</p> : null}
    </Dialog>
  );
}
