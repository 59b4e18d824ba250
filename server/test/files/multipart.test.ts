import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BadRequest } from '../../src/errors.js';
import { eachFilePart, multipartBoundary } from '../../src/edges/files/multipart.js';
import { multipartBody } from './http-raw.js';

/** The body cut into pieces of `size` bytes, as a slow network would deliver it. */
async function* pieces(body: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let at = 0; at < body.length; at += size) yield body.subarray(at, at + size);
}

async function read(body: Buffer, contentType: string, size: number) {
  return eachFilePart(pieces(body, size), multipartBoundary(contentType), async (part) => {
    const chunks: Buffer[] = [];
    for await (const chunk of part.stream) chunks.push(chunk as Buffer);
    return { field: part.field, filename: part.filename, type: part.type, content: Buffer.concat(chunks) };
  });
}

describe('the streaming multipart/form-data reader', () => {
  // Content that looks like a boundary's beginning must pass through untouched.
  const tricky = Buffer.concat([
    Buffer.from('\r\n--'),
    randomBytes(100_000),
    Buffer.from('\r\n------nuage\r\n'),
  ]);
  const { body, contentType } = multipartBody(
    [
      { filename: 'été.bin', content: tricky, type: 'application/x-thing' },
      { filename: 'empty.txt', content: '' },
    ],
    { note: 'a plain field, skipped' },
  );

  it.each([1, 7, 64, 1000, 65536, body.length])(
    'hands each file over intact, in chunks of %i bytes',
    async (size) => {
      const parts = await read(body, contentType, size);
      expect(parts.map((p) => [p.field, p.filename, p.type])).toEqual([
        ['file', 'été.bin', 'application/x-thing'],
        ['file', 'empty.txt', 'application/octet-stream'],
      ]);
      expect(parts[0]!.content.equals(tricky)).toBe(true);
      expect(parts[1]!.content.length).toBe(0);
    },
  );

  it('refuses a body without its closing boundary, erroring the part being read', async () => {
    let seen: unknown;
    const cut = body.subarray(0, body.length - 30);
    await expect(
      eachFilePart(pieces(cut, 4096), multipartBoundary(contentType), async (part) => {
        try {
          for await (const _ of part.stream) void _;
        } catch (error) {
          seen = error;
          throw error;
        }
      }),
    ).rejects.toThrow(BadRequest);
    expect(seen).toBeInstanceOf(BadRequest);
  });

  it('refuses other content types and a missing boundary', () => {
    expect(() => multipartBoundary('application/json')).toThrow(BadRequest);
    expect(() => multipartBoundary('multipart/form-data')).toThrow(BadRequest);
    expect(multipartBoundary('multipart/form-data; boundary="a b"')).toBe('a b');
  });
});
