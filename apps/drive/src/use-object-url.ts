import type { NuageClient } from '@nuage/client';
import { useEffect, useState } from 'preact/hooks';

/**
 * A file's content as an object URL, for `<img>`: an image address cannot carry the bearer token.
 * Fetched only while `enabled`, and revoked when the component goes or the file changes.
 */
export function useObjectUrl(client: NuageClient, id: string, rev: string, enabled: boolean): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!enabled) return;
    const abort = new AbortController();
    let made: string | null = null;
    client.files
      .download(id, { signal: abort.signal })
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
  }, [client, id, rev, enabled]);
  return url;
}
