import { describe, expect, it } from 'vitest';
import { BadRequest } from '../../src/errors.js';
import { namesFromQuery, namesFromUrlPath } from '../../src/files/share-paths.js';

describe('paths inside a share', () => {
  it('splits a URL path before decoding each name once, NFC', () => {
    expect(namesFromUrlPath('')).toEqual([]);
    expect(namesFromUrlPath('a/b%20c/d.txt')).toEqual(['a', 'b c', 'd.txt']);
    expect(namesFromUrlPath('cafe%CC%81')).toEqual(['café']);
    expect(namesFromUrlPath('%252e%252e')).toEqual(['%2e%2e']);
  });

  it.each([
    ['..', 'a plain ..'],
    ['a/../b', 'a .. in the middle'],
    ['.', 'a .'],
    ['%2e%2e', 'an encoded ..'],
    ['%2E%2E/x', 'an upper-case encoded ..'],
    ['a%2fb', 'an encoded slash'],
    ['a%2F..%2Fb', 'an encoded slash around ..'],
    ['%c0%ae%c0%ae', 'overlong UTF-8 dots'],
    ['%e0%80%ae', 'a three-byte overlong dot'],
    ['%ff', 'invalid UTF-8'],
    ['a%00b', 'NUL'],
    ['a%0ab', 'a control character'],
    ['a//b', 'an empty segment'],
    ['a/', 'a trailing slash'],
    ['%', 'a lone percent'],
  ])('refuses %s (%s)', (raw) => {
    expect(() => namesFromUrlPath(raw)).toThrow(BadRequest);
  });

  it.each([
    ['..%5c..%5cetc', '..\\..\\etc'],
    ['%ef%bc%8e%ef%bc%8e', '．．'],
    ['%e2%80%a4%e2%80%a4', '\u2024\u2024'],
    ['..%e2%81%84x', '..\u2044x'],
  ])('keeps %s as one ordinary name, looked up among the share’s own entries', (raw, name) => {
    expect(namesFromUrlPath(raw)).toEqual([name]);
  });

  it('reads a query path (decoded by the URL parser) the same way', () => {
    expect(namesFromQuery(undefined)).toEqual([]);
    expect(namesFromQuery('a/b')).toEqual(['a', 'b']);
    for (const bad of ['..', 'a/..', '/a', 'a\u0000', 'a\ufffdb']) {
      expect(() => namesFromQuery(bad)).toThrow(BadRequest);
    }
  });
});
