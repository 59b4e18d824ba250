import { describe, expect, it } from 'vitest';

import { decodeBookmark, encodeBookmark, isAfterBookmark } from '../../../src/data/mango/index.js';
import { expect400 } from './helpers.js';

describe('bookmarks', () => {
  it('round-trip an index position (key and doc id)', () => {
    const bookmark = { key: Buffer.from([0x40, 0x00, 0xff, 0x10]), docId: 'doc/😀' };
    const encoded = encodeBookmark(bookmark);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeBookmark(encoded)).toEqual(bookmark);
  });

  it('round-trip a full-scan position (doc id only) and an empty key', () => {
    expect(decodeBookmark(encodeBookmark({ docId: 'a' }))).toEqual({ docId: 'a' });
    expect(decodeBookmark(encodeBookmark({ key: Buffer.alloc(0), docId: '' }))).toEqual({
      key: Buffer.alloc(0),
      docId: '',
    });
  });

  it('refuses anything that is not a bookmark with a 400', () => {
    const valid = encodeBookmark({ key: Buffer.from([1, 2, 3]), docId: 'x' });
    const forged = (body: unknown): string => Buffer.from(JSON.stringify(body)).toString('base64url');
    for (const bad of [
      '',
      'nil',
      '!!!',
      'a+b/',
      valid + '=',
      valid.slice(0, -3),
      Buffer.from('not json').toString('base64url'),
      forged([1]),
      forged({ v: 2, d: 'x' }),
      forged({ v: 1 }),
      forged({ v: 1, d: 5 }),
      forged({ v: 1, d: 'x', k: 5 }),
      forged({ v: 1, d: 'x', k: '***' }),
      forged({ v: 1, d: 'x', extra: true }),
      'A'.repeat(70_000),
      42,
      null,
    ]) {
      expect400(() => decodeBookmark(bad), /invalid bookmark/);
    }
  });

  it('tell which rows come after the bookmarked one, in either direction', () => {
    const bookmark = { key: Buffer.from([5]), docId: 'm' };
    expect(isAfterBookmark({ key: Buffer.from([5]), docId: 'n' }, bookmark, false)).toBe(true);
    expect(isAfterBookmark({ key: Buffer.from([5]), docId: 'm' }, bookmark, false)).toBe(false);
    expect(isAfterBookmark({ key: Buffer.from([4]), docId: 'z' }, bookmark, false)).toBe(false);
    expect(isAfterBookmark({ key: Buffer.from([5, 0]), docId: 'a' }, bookmark, false)).toBe(true);
    expect(isAfterBookmark({ key: Buffer.from([4]), docId: 'z' }, bookmark, true)).toBe(true);
    expect(isAfterBookmark({ key: Buffer.from([5]), docId: 'l' }, bookmark, true)).toBe(true);
    expect(isAfterBookmark({ docId: 'b' }, { docId: 'a' }, false)).toBe(true);
    expect(isAfterBookmark({ docId: '\uffff' }, { docId: '😀' }, false)).toBe(false);
  });
});
