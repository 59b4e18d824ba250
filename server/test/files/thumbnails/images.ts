import sharp from 'sharp';

/**
 * Real images for thumbnail tests, made by sharp itself: a left half red and a right half blue, so a
 * test can tell which way a thumbnail was turned by the colour of its left column.
 */
export function twoColourImage(
  width: number,
  height: number,
  format: 'png' | 'jpeg',
  options: { orientation?: number } = {},
): Promise<Buffer> {
  const half = Math.floor(width / 2);
  const side = (r: number, b: number, w: number) =>
    sharp({ create: { width: w, height, channels: 3, background: { r, g: 0, b } } })
      .png()
      .toBuffer();
  return Promise.all([side(255, 0, half), side(0, 255, width - half)]).then(([left, right]) => {
    let image = sharp({ create: { width, height, channels: 3, background: '#000' } }).composite([
      { input: left, left: 0, top: 0 },
      { input: right, left: half, top: 0 },
    ]);
    image = format === 'png' ? image.png() : image.jpeg({ quality: 90 });
    if (options.orientation !== undefined) image = image.withMetadata({ orientation: options.orientation });
    return image.toBuffer();
  });
}

/** The dimensions of an image, and whether its top-left pixel is mostly red. */
export async function inspect(
  image: Buffer,
): Promise<{ format: string; width: number; height: number; redTopLeft: boolean }> {
  const meta = await sharp(image).metadata();
  const { data } = await sharp(image)
    .extract({ left: 0, top: 0, width: 1, height: 1 })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    format: meta.format ?? '',
    width: meta.width ?? 0,
    height: meta.height ?? 0,
    redTopLeft: (data[0] ?? 0) > 200 && (data[2] ?? 0) < 60,
  };
}
