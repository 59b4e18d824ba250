import { BadRequest } from '../errors.js';

/**
 * A file or directory name as stored: NFC, so `é` typed as one code point or as `e` + accent is the same
 * name. Refused (BadRequest): empty, `.`, `..`, anything with `/`, NUL or another control character, a
 * lone surrogate, more than 255 UTF-8 bytes.
 * Names arrive already percent-decoded, so `%2e%2e` reaches here as `..` and is refused too.
 */
export function checkName(input: unknown): string {
  if (typeof input !== 'string') throw new BadRequest('a name is required');
  const name = input.normalize('NFC');
  if (name === '') throw new BadRequest('a name may not be empty');
  if (name === '.' || name === '..') throw new BadRequest(`"${name}" is not a valid name`);
  if (name.includes('/') || name.includes('\0')) throw new BadRequest('a name may not contain / or NUL');
  // Control characters cannot appear in XML (WebDAV listings) and most file systems refuse them; a lone
  // surrogate is not Unicode text at all and cannot be percent-encoded into a URL.
  if (/[\x01-\x1f\x7f]/.test(name)) throw new BadRequest('a name may not contain control characters');
  if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(name)) {
    throw new BadRequest('a name must be well-formed Unicode');
  }
  if (Buffer.byteLength(name, 'utf8') > 255) throw new BadRequest('a name may not exceed 255 bytes');
  return name;
}

/** The names of a `/a/b/c` path, each checked. */
export function splitPath(path: string): string[] {
  return path
    .split('/')
    .filter((part) => part !== '')
    .map(checkName);
}
