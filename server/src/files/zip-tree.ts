import type { DataScope } from '../data/format.js';
import type { FileDoc } from './file-doc.js';
import type { FilesService } from './files-service.js';
import type { ZipEntry } from './zip.js';

/** Contents that deflate would only waste time on: they are stored as they are. */
const COMPRESSED =
  /^(image\/(jpeg|png|gif|webp|heic|heif|avif)|video\/|audio\/(mpeg|mp4|aac|ogg|opus|flac)|application\/(zip|gzip|x-7z-compressed|x-rar-compressed|x-xz|x-bzip2|zstd|pdf))/;

/**
 * The zip entries of a selection of the tree: a file as itself, a directory as a folder holding its live
 * contents (empty folders included). The root directory's contents go at the top. `keep` drops entries
 * a partial reach may not read. Only metadata is gathered here; each file is opened when the writer
 * reaches it.
 */
export async function zipEntries(
  files: FilesService,
  scope: DataScope,
  roots: readonly FileDoc[],
  keep: (doc: FileDoc) => boolean = () => true,
): Promise<ZipEntry[]> {
  const names = new ArchiveNames();
  const entries: ZipEntry[] = [];
  const add = (doc: FileDoc, path: string): void => {
    if (doc.type === 'directory') {
      entries.push({ name: `${path}/`, type: 'directory', modified: new Date(doc.updated_at) });
      return;
    }
    entries.push({
      name: path,
      type: 'file',
      modified: new Date(doc.updated_at),
      size: doc.size ?? 0,
      compress: !COMPRESSED.test(doc.mime ?? ''),
      open: async () => (await files.download(scope, doc._id)).stream,
    });
  };
  for (const root of roots) {
    if (!keep(root)) continue;
    if (root.type === 'file') {
      add(root, names.take('', root.name));
      continue;
    }
    const prefix = new Map<string, string>();
    if (root.name === '') prefix.set(root._id, '');
    else {
      const path = names.take('', root.name);
      prefix.set(root._id, path);
      add(root, path);
    }
    for (const doc of await files.descendants(scope, root._id)) {
      const parent = prefix.get(doc.dir_id);
      // A parent left out (not readable) hides what is below it.
      if (parent === undefined || !keep(doc)) continue;
      const path = names.take(parent, doc.name);
      if (doc.type === 'directory') prefix.set(doc._id, path);
      add(doc, path);
    }
  }
  return entries;
}

/**
 * Paths inside the archive, unique. A backslash becomes `_`: our names may hold one, but Windows
 * extractors read it as a separator, and `..\..\x` must not climb out of the folder it is unpacked in.
 * Two selected entries with one name (from different folders) get ` (2)`, ` (3)`…
 */
class ArchiveNames {
  private readonly taken = new Set<string>();

  take(parent: string, name: string): string {
    const safe = name.replaceAll('\\', '_');
    const dot = safe.lastIndexOf('.');
    const [stem, ext] = dot > 0 ? [safe.slice(0, dot), safe.slice(dot)] : [safe, ''];
    for (let n = 1; ; n++) {
      const candidate = `${parent === '' ? '' : `${parent}/`}${n === 1 ? safe : `${stem} (${n})${ext}`}`;
      if (!this.taken.has(candidate)) {
        this.taken.add(candidate);
        return candidate;
      }
    }
  }
}
