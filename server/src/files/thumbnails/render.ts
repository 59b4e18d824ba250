import type { Sharp, SharpOptions } from 'sharp';
import { THUMBNAIL_SIZES, SIZE_NAMES, type ThumbnailSize } from './sizes.js';

/** One rendered thumbnail: WebP bytes and their dimensions. */
export interface Rendered {
  readonly size: ThumbnailSize;
  readonly width: number;
  readonly height: number;
  readonly data: Buffer;
}

export interface RenderLimits {
  /**
   * The most pixels (width × height) an input may announce. A small file can announce a huge image (a
   * decompression bomb); libvips refuses it from its header, before allocating anything.
   */
  maxPixels: number;
}

/** An input sharp cannot read: corrupt, truncated beyond repair, too many pixels, a format it lacks. */
export class UnreadableImage extends Error {}

/** The output: WebP, which every browser shows, keeps transparency, and is about a third smaller than JPEG. */
const WEBP = { quality: 78, effort: 2 } as const;

let loaded: Promise<(input: Buffer, options?: SharpOptions) => Sharp> | undefined;

/**
 * sharp (and libvips with it, tens of MB) is loaded on the first thumbnail, never at start-up: the stack
 * idles under its memory budget. Its operation cache is off and one thread decodes, since a personal
 * cloud makes thumbnails now and then, and a cache would keep decoded images resident.
 */
function loadSharp(): Promise<(input: Buffer, options?: SharpOptions) => Sharp> {
  loaded ??= import('sharp').then(({ default: sharp }) => {
    sharp.cache(false);
    sharp.concurrency(1);
    return sharp;
  });
  return loaded;
}

/**
 * Renders the three sizes of an image: the input is decoded once, turned upright by its EXIF
 * orientation and scaled to the largest box (never enlarged), and the smaller sizes are made from that
 * scaled copy. Metadata (EXIF, GPS) is left out of the thumbnails. Throws UnreadableImage for an input
 * that cannot be decoded or announces more than `maxPixels`.
 */
export async function renderThumbnails(input: Buffer, limits: RenderLimits): Promise<Rendered[]> {
  const sharp = await loadSharp();
  const largest = Math.max(...Object.values(THUMBNAIL_SIZES));
  const box = (side: number) =>
    ({ width: side, height: side, fit: 'inside', withoutEnlargement: true }) as const;
  try {
    // `failOn: 'error'`: a photo with a harmless warning (a truncated tail, stray bytes) still gets
    // thumbnails, as browsers still show it; an input libvips cannot decode at all is refused.
    const base = await sharp(input, { limitInputPixels: limits.maxPixels, failOn: 'error', autoOrient: true })
      .resize(box(largest))
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    const raw = { width: base.info.width, height: base.info.height, channels: base.info.channels };
    const rendered: Rendered[] = [];
    for (const size of SIZE_NAMES) {
      const { data, info } = await sharp(base.data, { raw })
        .resize(box(THUMBNAIL_SIZES[size]))
        .webp(WEBP)
        .toBuffer({ resolveWithObject: true });
      rendered.push({ size, width: info.width, height: info.height, data });
    }
    return rendered;
  } catch (error) {
    throw new UnreadableImage(error instanceof Error ? error.message : String(error), { cause: error });
  }
}
