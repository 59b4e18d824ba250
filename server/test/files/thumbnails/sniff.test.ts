import { describe, expect, it } from 'vitest';
import type { FileDoc } from '../../../src/files/file-doc.js';
import { mayBeImage, sniffImage } from '../../../src/files/thumbnails/sniff.js';
import { twoColourImage } from './images.js';

const file = (name: string, mime: string, size = 10) => ({ type: 'file', name, mime, size }) as FileDoc;

describe('telling images apart', () => {
  it('considers image mimes, and generic ones with an image extension, never SVG', () => {
    expect(mayBeImage(file('a.png', 'image/png'))).toBe(true);
    expect(mayBeImage(file('a', 'image/heic'))).toBe(true);
    expect(mayBeImage(file('IMG_1.JPG', 'application/octet-stream'))).toBe(true);
    expect(mayBeImage(file('a.bin', 'application/octet-stream'))).toBe(false);
    expect(mayBeImage(file('a.svg', 'image/svg+xml'))).toBe(false);
    expect(mayBeImage(file('a.png', 'text/plain'))).toBe(false);
    expect(mayBeImage(file('empty.png', 'image/png', 0))).toBe(false);
    expect(mayBeImage({ ...file('d.png', 'image/png'), type: 'directory' })).toBe(false);
  });

  it('reads the format from the first bytes, whatever the name says', async () => {
    expect(sniffImage(await twoColourImage(4, 4, 'png'))).toBe('png');
    expect(sniffImage(await twoColourImage(4, 4, 'jpeg'))).toBe('jpeg');
    expect(sniffImage(Buffer.from('GIF89a\x01\x00', 'latin1'))).toBe('gif');
    expect(sniffImage(Buffer.from('RIFF\x10\x00\x00\x00WEBPVP8 ', 'latin1'))).toBe('webp');
    expect(sniffImage(Buffer.from('\x00\x00\x00\x18ftypheic\x00\x00', 'latin1'))).toBe('heif');
    expect(sniffImage(Buffer.from('\x00\x00\x00\x18ftypisom\x00\x00', 'latin1'))).toBeNull();
    expect(sniffImage(Buffer.from('%PDF-1.7\n'))).toBeNull();
    expect(sniffImage(Buffer.alloc(0))).toBeNull();
  });
});
