import type { FileDoc } from '../file-doc.js';

/** The raster formats thumbnails are made of: what sharp's bundled libvips decodes. */
export type ImageFormat = 'jpeg' | 'png' | 'gif' | 'webp' | 'heif' | 'tiff';

/** Mime types that say nothing of the content: such a file is judged by its name's extension. */
const GENERIC_MIME = new Set(['', 'application/octet-stream', 'binary/octet-stream']);
const IMAGE_EXTENSION = /\.(jpe?g|png|gif|webp|heic|heif|avif|tiff?)$/i;
/** ISO-BMFF brands of HEIF images (HEIC, AVIF); other brands (mp4, mov…) are videos. */
const HEIF_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1', 'avif', 'avis']);

/**
 * Whether a file may be an image worth decoding, from its metadata alone: an `image/*` mime other than
 * SVG (a vector image needs no thumbnail, and rendering one would run librsvg on untrusted input), or a
 * generic mime with an image extension (WebDAV clients often send no type). The bytes decide next.
 */
export function mayBeImage(file: FileDoc): boolean {
  if (file.type !== 'file' || (file.size ?? 0) === 0) return false;
  const mime = (file.mime ?? '').toLowerCase();
  if (mime.startsWith('image/')) return !mime.startsWith('image/svg');
  return GENERIC_MIME.has(mime) && IMAGE_EXTENSION.test(file.name);
}

/**
 * `mayBeImage` as a Mango selector, for the trigger that queues thumbnail jobs: files that cannot be
 * images (most of a synced folder) then queue none.
 */
export function mayBeImageSelector(): Record<string, unknown> {
  return {
    type: 'file',
    size: { $gt: 0 },
    $or: [
      { mime: { $regex: '(?i)^image/(?!svg)' } },
      { mime: { $in: [...GENERIC_MIME] }, name: { $regex: `(?i)${IMAGE_EXTENSION.source}` } },
    ],
  };
}

/**
 * The format the first bytes of a file announce (magic numbers), or null: a file is decoded only when
 * its content is an image, whatever its name or mime claim.
 */
export function sniffImage(head: Uint8Array): ImageFormat | null {
  const ascii = (start: number, end: number) => Buffer.from(head.subarray(start, end)).toString('latin1');
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  if (ascii(0, 8) === '\x89PNG\r\n\x1a\n') return 'png';
  if (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a') return 'gif';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp';
  if (ascii(4, 8) === 'ftyp' && HEIF_BRANDS.has(ascii(8, 12))) return 'heif';
  if (ascii(0, 4) === 'II*\0' || ascii(0, 4) === 'MM\0*') return 'tiff';
  return null;
}
