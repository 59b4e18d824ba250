import { BadRequest, Forbidden } from '../../errors.js';
import { checkName } from '../../files/names.js';

/** Where the file tree is served over WebDAV. */
export const MOUNT = '/dav/files';

/**
 * The names of the tree path a request URI under MOUNT names, each checked as a stored name (NFC, not
 * empty, no `/` or NUL). Every segment is percent-decoded once, on its own, so `%2F` stays inside a
 * name (and is then refused) and cannot split one. A `.` or `..` segment is refused in any spelling that
 * decodes to it (`%2e%2e`, `.%2E`); invalid UTF-8 such as the overlong `%c0%ae` fails to decode and is
 * refused; a backslash is an ordinary character of a name. None of this can climb out of the tree
 * anyway: the tree is walked by ids from the root, never through a file system path.
 */
export function namesOf(rawPath: string): string[] {
  if (rawPath !== MOUNT && !rawPath.startsWith(`${MOUNT}/`)) throw new Forbidden('outside the WebDAV tree');
  if (rawPath.includes('#')) throw new BadRequest('a request URI may not hold a fragment');
  const names: string[] = [];
  for (const segment of rawPath.slice(MOUNT.length).split('/')) {
    if (segment === '') continue;
    let name: string;
    try {
      name = decodeURIComponent(segment);
    } catch {
      throw new BadRequest('malformed percent-encoding in the path');
    }
    if (name === '.' || name === '..') throw new BadRequest('dot segments are not accepted in paths');
    names.push(checkName(name));
  }
  return names;
}

/** The URL path of the entry at `names`: each segment encoded, collections ending with `/`. */
export function hrefOf(names: readonly string[], collection: boolean): string {
  const path = names.map((n) => encodeURIComponent(n)).join('/');
  if (path === '') return `${MOUNT}/`;
  return `${MOUNT}/${path}${collection ? '/' : ''}`;
}

/** The key locks are kept under (see dav/locks.ts): the decoded path, no trailing slash. */
export function lockPathOf(names: readonly string[]): string {
  return names.length === 0 ? MOUNT : `${MOUNT}/${names.join('/')}`;
}
