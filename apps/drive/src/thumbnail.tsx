import type { FileEntry, NuageClient } from '@nuage/client';
import { Icon } from '@nuage/ui';
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { hasThumbnails, isImage, THUMBNAIL_MAX_BYTES } from './format.js';
import { useObjectUrl } from './use-object-url.js';

/**
 * An entry's picture: a folder or file icon, or for an image its medium thumbnail from the stack,
 * fetched only once it scrolls into view. While the stack has none (just uploaded, or an image it
 * could not read), a small enough image is shown itself, scaled down by the browser.
 */
export function Thumbnail({ client, entry }: { client: NuageClient; entry: FileEntry }): JSX.Element {
  const box = useRef<HTMLSpanElement>(null);
  const [seen, setSeen] = useState(false);
  const wanted = hasThumbnails(entry);
  const url = useObjectUrl(client, entry, wanted && seen, {
    thumbnail: 'medium',
    fallback: isImage(entry) && (entry.size ?? 0) <= THUMBNAIL_MAX_BYTES,
  });

  useEffect(() => {
    const element = box.current;
    if (!wanted || !element) return;
    const observer = new IntersectionObserver((records) => {
      if (records.some((r) => r.isIntersecting)) {
        setSeen(true);
        observer.disconnect();
      }
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [wanted]);

  return (
    <span ref={box} class="drive-thumb">
      {url ? (
        <img src={url} alt="" decoding="async" />
      ) : (
        <Icon name={entry.type === 'directory' ? 'folder' : 'file'} size={28} />
      )}
    </span>
  );
}
