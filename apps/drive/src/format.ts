import type { FileEntry } from '@nuage/client';

/** Bytes as the owner reads them: 0 B, 12 KB, 3.4 MB (decimal units, like file managers). */
export function formatSize(bytes: number, locale: string): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = unit === 0 || value >= 10 ? 0 : 1;
  return `${value.toLocaleString(locale, { maximumFractionDigits: digits })} ${units[unit]}`;
}

export function formatDate(iso: string, locale: string): string {
  return new Date(iso).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
}

/** Images the browser can show; SVG is left out, since a shared SVG can carry script. */
const PREVIEWABLE = /^image\/(png|jpe?g|gif|webp|avif|bmp)$/;

/** Past this, an image without a thumbnail from the stack is not downloaded to be shown as one. */
export const THUMBNAIL_MAX_BYTES = 15_000_000;

/** Images the stack may make thumbnails of: the previewable ones, and photos browsers cannot show. */
const THUMBNAILED = /^image\/(heic|heif|tiff)$/;

export function isImage(entry: FileEntry): boolean {
  return entry.type === 'file' && PREVIEWABLE.test(entry.mime ?? '');
}

/** Whether to ask the stack for a thumbnail of this entry. */
export function hasThumbnails(entry: FileEntry): boolean {
  return isImage(entry) || (entry.type === 'file' && THUMBNAILED.test(entry.mime ?? ''));
}
