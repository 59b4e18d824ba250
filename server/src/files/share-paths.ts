import { BadRequest, NotFound } from '../errors.js';
import type { DataScope } from '../data/format.js';
import type { FileDoc } from './file-doc.js';
import type { FilesService } from './files-service.js';
import { checkName } from './names.js';
import { walk } from './tree.js';

/**
 * The names of a path inside a share as it appears in a URL, not yet decoded
 * (`/s/<secret>/download/<this part>`): split on `/` first, then each segment percent-decoded once and
 * checked as a name. So `%2f` is a `/` inside one name (refused), `%2e%2e` is `..` (refused), an overlong
 * or otherwise malformed UTF-8 sequence such as `%c0%ae` is refused, and so are NUL, control characters
 * and empty segments. Everything else — a backslash, a fullwidth `．．`, `%252e` — is an ordinary name,
 * looked up among the shared folder's entries, so it can only ever name something inside it.
 */
export function namesFromUrlPath(raw: string): string[] {
  if (raw === '') return [];
  return raw.split('/').map((segment) => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      throw new BadRequest('malformed percent-encoding in the path');
    }
    return checkName(decoded);
  });
}

/** The names of a `path` query parameter (already decoded once by the URL parser), `/`-separated. */
export function namesFromQuery(value: string | undefined): string[] {
  if (value === undefined || value === '') return [];
  // URLSearchParams turns malformed UTF-8 into U+FFFD rather than failing: refuse it here.
  if (value.includes('\ufffd')) throw new BadRequest('malformed percent-encoding in the path');
  return value.split('/').map(checkName);
}

/**
 * The live entry at `names` below a shared entry, walked by name from the share's own entry over its
 * live descendants only (never by a client-given id, never by the stored `path`), so nothing outside
 * the share and nothing in the trash can be reached. A shared file answers to no path or to its own name.
 * NotFound otherwise.
 */
export async function resolveInShare(
  files: FilesService,
  scope: DataScope,
  root: FileDoc,
  names: readonly string[],
): Promise<FileDoc> {
  if (root.type === 'file') {
    if (names.length === 0 || (names.length === 1 && names[0] === root.name)) return root;
    throw new NotFound('nothing by that name in this share');
  }
  if (names.length === 0) return root;
  const { entry } = walk(root, await files.descendants(scope, root._id), names);
  if (!entry) throw new NotFound('nothing by that name in this share');
  return entry;
}
