import { describe, expect, it } from 'vitest';
import { renderThumbnails, UnreadableImage } from '../../../src/files/thumbnails/render.js';
import { inspect, twoColourImage } from './images.js';

const LIMITS = { maxPixels: 100_000_000 };

const bySize = async (input: Buffer, limits = LIMITS) =>
  Object.fromEntries(
    await Promise.all(
      (await renderThumbnails(input, limits)).map(async (r) => {
        const seen = await inspect(r.data);
        // What the renderer reports is what the bytes hold.
        expect([seen.width, seen.height]).toEqual([r.width, r.height]);
        return [r.size, seen] as const;
      }),
    ),
  );

describe('rendering thumbnails', () => {
  it('fits a landscape PNG into 64, 256 and 1024 pixel boxes, as WebP, keeping its aspect', async () => {
    const sizes = await bySize(await twoColourImage(2000, 1000, 'png'));
    expect(sizes.small).toMatchObject({ format: 'webp', width: 64, height: 32 });
    expect(sizes.medium).toMatchObject({ format: 'webp', width: 256, height: 128 });
    expect(sizes.large).toMatchObject({ format: 'webp', width: 1024, height: 512 });
  });

  it('never enlarges a small image', async () => {
    const sizes = await bySize(await twoColourImage(100, 40, 'jpeg'));
    expect(sizes.large).toMatchObject({ width: 100, height: 40 });
    expect(sizes.medium).toMatchObject({ width: 100, height: 40 });
    expect(sizes.small).toMatchObject({ width: 64, height: 26 });
  });

  it('turns a JPEG upright by its EXIF orientation', async () => {
    // Stored 300×100, red on the left; orientation 6 means "turn 90° clockwise to view": 100×300, red on top.
    const sizes = await bySize(await twoColourImage(300, 100, 'jpeg', { orientation: 6 }));
    expect(sizes.large).toMatchObject({ width: 100, height: 300 });
    const upright = await bySize(await twoColourImage(300, 100, 'jpeg'));
    expect(upright.large).toMatchObject({ width: 300, height: 100, redTopLeft: true });
    // Turned clockwise, the red left half becomes the top: the top-left pixel is red, the image tall.
    expect(sizes.large?.redTopLeft).toBe(true);
    const turnedBack = await bySize(await twoColourImage(300, 100, 'jpeg', { orientation: 8 }));
    // Turned anticlockwise, the red half goes to the bottom.
    expect(turnedBack.large).toMatchObject({ width: 100, height: 300, redTopLeft: false });
  });

  it('refuses an image announcing more pixels than the limit, before decoding it', async () => {
    const bomb = await twoColourImage(2000, 1000, 'png');
    await expect(renderThumbnails(bomb, { maxPixels: 1_000_000 })).rejects.toBeInstanceOf(UnreadableImage);
    await expect(renderThumbnails(bomb, { maxPixels: 2_000_000 })).resolves.toHaveLength(3);
  });

  it('refuses bytes that only start like an image', async () => {
    const corrupt = Buffer.concat([
      (await twoColourImage(50, 50, 'png')).subarray(0, 40),
      Buffer.alloc(200, 7),
    ]);
    await expect(renderThumbnails(corrupt, LIMITS)).rejects.toBeInstanceOf(UnreadableImage);
  });
});
