import type { FindService } from '../data/find.js';
import type { DataScope } from '../data/format.js';
import { FILES, type FileDoc } from './file-doc.js';
import type { Resolved } from './tree.js';

/** The Mango index the tree is looked up by: every entry by its directory, then its name. */
const INDEX = { index: { fields: ['dir_id', 'name'] }, ddoc: 'io.nuage.files.tree', name: 'dir-name' };
/** `_find`'s limit when every match is wanted (a directory listing). */
const ALL = Number.MAX_SAFE_INTEGER;

/**
 * Lookups of the file tree by `(dir_id, name)` on a Mango index of `io.nuage.files`, created in each
 * instance on first use, so a path walk, a clash check or a listing reads only the entries concerned
 * instead of every file document (docs/files.md, "Scale"). Answers include trashed entries, as a scan
 * would: callers filter. Names are compared exactly here, whatever the index's collation thinks equal.
 */
export class TreeIndex {
  private readonly ready = new Map<string, Promise<unknown>>();

  constructor(private readonly find: FindService) {}

  /** Every entry whose parent is `dirId`, trashed ones included. */
  async children(scope: DataScope, dirId: string): Promise<FileDoc[]> {
    // A json index serves only selectors that require each of its fields: `name` is always a string.
    return this.query(scope, { dir_id: dirId, name: { $type: 'string' } });
  }

  /** The entries named `name` in `dirId` (at most one live one), trashed ones included. */
  async named(scope: DataScope, dirId: string, name: string): Promise<FileDoc[]> {
    return (await this.query(scope, { dir_id: dirId, name })).filter((doc) => doc.name === name);
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

  private async query(scope: DataScope, selector: Record<string, unknown>): Promise<FileDoc[]> {
    await this.ensureIndex(scope);
    const { docs } = await this.find.find(scope, FILES, { selector, limit: ALL });
    return (docs as unknown as FileDoc[]).filter(
      (doc) => (doc.type === 'directory' || doc.type === 'file') && typeof doc.path === 'string',
    );
  }

  /** Creates the index once per instance and process (creating it again is a no-op: `exists`). */
  private ensureIndex(scope: DataScope): Promise<unknown> {
    const id = scope.instance.id;
    let ready = this.ready.get(id);
    if (!ready) {
      ready = this.find.createIndex(scope, FILES, INDEX);
      this.ready.set(id, ready);
      ready.catch(() => this.ready.delete(id));
    }
    return ready;
  }
}
