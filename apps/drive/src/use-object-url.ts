import type { FileEntry, NuageClient } from '@nuage/client';
import { useEffect, useState } from 'preact/hooks';

/** The stack's thumbnail sizes (docs/files.md, Thumbnails) the Drive shows: grid tiles and previews. */
export type ThumbnailSize = 'medium' | 'large';

export interface ObjectUrlOptions {
  /** Ask for this thumbnail first: a few kilobytes of WebP instead of the whole image. */
  thumbnail?: ThumbnailSize;
  /** When there is no thumbnail (not made yet, or none for this file), fetch the file itself; default true. */
  fallback?: boolean;
}

/**
 * A file's content, or its thumbnail, as an object URL for `<img>`: an image address cannot carry the
 * bearer token. The thumbnail URL names the content (`?v=<sha256>`), so the browser keeps it in its cache
 * for good and a new content is a new URL. Fetched only while `enabled`, and revoked when the
 * component goes or the file changes.
 */
export function useObjectUrl(
  client: NuageClient,
  file: FileEntry,
  enabled: boolean,
  options: ObjectUrlOptions = {},
): string | null {
  const [url, setUrl] = useState<string | null>(null);
  const { thumbnail, fallback = true } = options;
  useEffect(() => {
    if (!enabled) return;
    const abort = new AbortController();
    const signal = abort.signal;
    let made: string | null = null;
    const original = () => client.files.download(file.id, { signal });
    const fetched = thumbnail
      ? client
          .request(`/files/${encodeURIComponent(file.id)}/thumbnails/${thumbnail}`, {
            signal,
            ...(file.sha256 === undefined ? {} : { query: { v: file.sha256 } }),
          })
          .catch((error: unknown) => {
            if (signal.aborted || !fallback) throw error;
            return original();
          })
      : original();
    fetched
      .then((response) => response.blob())
      .then((blob) => {
        made = URL.createObjectURL(blob);
        setUrl(made);
      })
      .catch(() => setUrl(null));
    return () => {
      abort.abort();
      if (made) URL.revokeObjectURL(made);
    };
  }, [client, file.id, file.rev, file.sha256, enabled, thumbnail, fallback]);
  return url;
}
