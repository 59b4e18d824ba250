import { BadRequest } from '../../errors.js';

/**
 * The three sizes of a thumbnail, each the side of the square box the image is fitted into (aspect
 * kept, never enlarged): `small` for icons and lists, `medium` for grids, `large` for previews.
 */
export const THUMBNAIL_SIZES = { small: 64, medium: 256, large: 1024 } as const;

export type ThumbnailSize = keyof typeof THUMBNAIL_SIZES;

export const SIZE_NAMES = Object.keys(THUMBNAIL_SIZES) as ThumbnailSize[];

/** A size named in a URL; BadRequest for anything else. */
export function parseSize(value: unknown): ThumbnailSize {
  if (typeof value === 'string' && Object.hasOwn(THUMBNAIL_SIZES, value)) return value as ThumbnailSize;
  throw new BadRequest(`the size must be one of ${SIZE_NAMES.join(', ')}`, { extra: { sizes: SIZE_NAMES } });
}
