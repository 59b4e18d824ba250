import type { FindService } from '../data/find.js';
import type { DataScope } from '../data/format.js';
import { keyRangeForPrefix, parseIndexRequest, type IndexDef } from '../data/mango/index.js';
import { DESIGN_PREFIX } from '../data/validate.js';
import { NotFound } from '../errors.js';
import { FILES, isEntry, type FileDoc } from './file-doc.js';
import type { Resolved } from './tree.js';

/** An index of the tree: the `_index` request that creates it, and the index as the store names it. */
interface TreeIndexDef {
  request: { index: Record<string, unknown>; ddoc: string; name: string };
  stored: IndexDef;
}

const defineIndex = (request: TreeIndexDef['request']): TreeIndexDef => ({
  request,
  stored: parseIndexRequest(request),
});

/** The Mango index the tree is looked up by: every entry by its directory, then its name. */
const TREE = defineIndex({
  index: { fields: ['dir_id', 'name'] },
  ddoc: 'io.nuage.files.tree',
  name: 'dir-name',
});
/**
 * The trash: a partial index that holds only trashed entries, so listing or emptying the trash reads
 * them and nothing else, and a write outside the trash adds no entry to it.
 */
const TRASH = defineIndex({
  index: { fields: ['trashed'], partial_filter_selector: { trashed: true } },
  ddoc: 'io.nuage.files.tree',
  name: 'trash',
});

/**
 * Lookups of the file tree by `(dir_id, name)` on a Mango index of `io.nuage.files`, created in each
 * instance on first use, so a path walk, a clash check or a listing reads only the entries concerned
 * instead of every file document (docs/files.md, "Scale"). Answers include trashed entries, as a scan
 * would: callers filter. Names are compared exactly here, whatever the index's collation thinks equal.
 *
 * Lookups read the index's key range straight from the store rather than through `_find`: every PUT,
 * GET and PROPFIND walks a path, and parsing and planning a selector per step cost more than the scan.
 */
export class TreeIndex {
  /** Per instance id and index name: the creation of the index, once per process. */
  private readonly ready = new Map<string, Promise<unknown>>();

  constructor(private readonly find: FindService) {}

  /** Every entry whose parent is `dirId`, trashed ones included. */
  async children(scope: DataScope, dirId: string): Promise<FileDoc[]> {
    return this.query(scope, TREE, [dirId]);
  }

  /** The entries named `name` in `dirId` (at most one live one), trashed ones included. */
  async named(scope: DataScope, dirId: string, name: string): Promise<FileDoc[]> {
    return (await this.query(scope, TREE, [dirId, name])).filter((doc) => doc.name === name);
  }

  /** Every entry flagged `trashed` (not what lies below a trashed directory: its entries keep `false`). */
  async trashed(scope: DataScope): Promise<FileDoc[]> {
    return (await this.query(scope, TRASH, [true])).filter((doc) => doc.trashed);
  }

  /**
   * Every entry below `dirId`, found directory by directory on the index (one lookup per directory
   * instead of a scan of the whole tree). Without `withTrashed`, a trashed entry and what it holds are
   * left out, as `tree.ts`'s `below` does.
   */
  async subtree(scope: DataScope, dirId: string, withTrashed: boolean): Promise<FileDoc[]> {
    const found: FileDoc[] = [];
    for (let dirs = [dirId]; dirs.length > 0;) {
      const next: string[] = [];
      for (const dir of dirs) {
        for (const entry of await this.children(scope, dir)) {
          if (entry.trashed && !withTrashed) continue;
          found.push(entry);
          if (entry.type === 'directory') next.push(entry._id);
        }
      }
      dirs = next;
    }
    return found;
  }

  /** `tree.ts`'s `walk`, one indexed lookup per name instead of over a snapshot of the whole tree. */
  async walk(scope: DataScope, root: FileDoc, names: readonly string[]): Promise<Resolved> {
    let entry: FileDoc | null = root;
    let parent: FileDoc | null = null;
    for (const name of names) {
      parent = entry?.type === 'directory' ? entry : null;
      entry = parent ? ((await this.named(scope, parent._id, name)).find((d) => !d.trashed) ?? null) : null;
    }
    return { entry, parent };
  }

  /** The entries whose leading fields in `index` equal `values` (e.g. the directory, then the name). */
  private async query(scope: DataScope, index: TreeIndexDef, values: readonly unknown[]): Promise<FileDoc[]> {
    const indexes = scope.storage.documents.indexes;
    const range = keyRangeForPrefix(values);
    await this.ensureIndex(scope, index);
    let rows;
    try {
      rows = await indexes.scan(FILES, index.stored, { range });
    } catch (error) {
      // Someone deleted the index through `_index`: make it again.
      if (!(error instanceof NotFound)) throw error;
      await this.ensureIndex(scope, index, true);
      rows = await indexes.scan(FILES, index.stored, { range });
    }
    const docs: FileDoc[] = [];
    for (const row of rows) {
      const doc = { _id: row.id, _rev: row.rev, ...row.body };
      if (!doc._id.startsWith(DESIGN_PREFIX) && isEntry(doc)) docs.push(doc);
    }
    return docs;
  }

  /**
   * Creates an index once per instance and process (creating it again is a no-op: `exists`), or
   * `again` when it turned out to be gone.
   */
  private ensureIndex(scope: DataScope, index: TreeIndexDef, again = false): Promise<unknown> {
    const key = `${scope.instance.id} ${index.request.name}`;
    let ready = again ? undefined : this.ready.get(key);
    if (!ready) {
      ready = this.find.createIndex(scope, FILES, index.request);
      this.ready.set(key, ready);
      ready.catch(() => this.ready.delete(key));
    }
    return ready;
  }
}
