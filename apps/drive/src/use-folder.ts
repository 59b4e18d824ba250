import { ROOT_DIR_ID, type FileEntry, type NuageClient } from '@nuage/client';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface Folder {
  dir: FileEntry;
  children: FileEntry[];
  /** The folders from the root down to `dir`'s parent, for the breadcrumbs. */
  ancestors: FileEntry[];
}

export interface FolderState {
  folder: Folder | null;
  error: unknown;
  reload: () => void;
}

/**
 * A folder's listing, kept current: reloaded after the app's own changes (`reload`) and when any file
 * changes elsewhere (realtime, debounced, since an upload of many files sends many events).
 */
export function useFolder(client: NuageClient, id: string): FolderState {
  const [folder, setFolder] = useState<Folder | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [version, setVersion] = useState(0);
  const reload = useCallback(() => setVersion((v) => v + 1), []);

  useEffect(() => {
    let stale = false;
    load(client, id).then(
      (loaded) => {
        if (stale) return;
        setFolder(loaded);
        setError(null);
      },
      (failure: unknown) => {
        if (!stale) setError(failure);
      },
    );
    return () => {
      stale = true;
    };
  }, [client, id, version]);

  useLiveReload(client, reload);
  return { folder: folder?.dir.id === id ? folder : null, error, reload };
}

/** Calls `reload` shortly after files change anywhere on the instance. */
export function useLiveReload(client: NuageClient, reload: () => void): void {
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => {
    const stop = client.realtime.subscribe('io.nuage.files', () => {
      clearTimeout(timer.current);
      timer.current = setTimeout(reload, 300);
    });
    return () => {
      clearTimeout(timer.current);
      stop();
    };
  }, [client, reload]);
}

async function load(client: NuageClient, id: string): Promise<Folder> {
  const { dir, children } = await client.files.list(id);
  return { dir, children, ancestors: await ancestorsOf(client, dir) };
}

/** Walks up by `dir_id`: entries carry their path as names only, not the ids the crumbs link to. */
async function ancestorsOf(client: NuageClient, dir: FileEntry): Promise<FileEntry[]> {
  const chain: FileEntry[] = [];
  let parent = dir.dir_id;
  while (dir.id !== ROOT_DIR_ID && parent && chain.length < 64) {
    const entry = await client.files.get(parent);
    chain.unshift(entry);
    if (entry.id === ROOT_DIR_ID) break;
    parent = entry.dir_id;
  }
  return chain;
}
