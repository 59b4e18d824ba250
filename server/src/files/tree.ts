import type { FileDoc } from './file-doc.js';

/** Where a path of names leads: the live entry there (or null), and the directory that holds or would hold it. */
export interface Resolved {
  entry: FileDoc | null;
  /** The live directory the last name lives in; null when a step on the way is missing or is a file. */
  parent: FileDoc | null;
}

/**
 * Walks names from the root by ids over a snapshot of the tree: `dir_id` and `name` of live entries,
 * never the stored `path`, because the children of a trashed directory keep their paths while being out
 * of reach (docs/files.md). Names must already be checked (NFC, no `/`).
 */
export function walk(root: FileDoc, docs: readonly FileDoc[], names: readonly string[]): Resolved {
  const byParent = new Map<string, FileDoc>();
  for (const doc of docs) if (!doc.trashed) byParent.set(`${doc.dir_id}\u0000${doc.name}`, doc);
  let entry: FileDoc | null = root;
  let parent: FileDoc | null = null;
  for (const name of names) {
    parent = entry?.type === 'directory' ? entry : null;
    entry = parent ? (byParent.get(`${parent._id}\u0000${name}`) ?? null) : null;
  }
  return { entry, parent };
}

/**
 * The live entries below a directory over a snapshot of the tree, by `dir_id` (never the stored
 * `path`): a trashed entry and everything under it are left out. Depth first, each directory before
 * its contents, siblings directories first and then by name (as listings show them).
 */
export function below(docs: readonly FileDoc[], dirId: string): FileDoc[] {
  const byParent = new Map<string, FileDoc[]>();
  for (const doc of docs) {
    if (doc.trashed) continue;
    const siblings = byParent.get(doc.dir_id);
    if (siblings) siblings.push(doc);
    else byParent.set(doc.dir_id, [doc]);
  }
  const out: FileDoc[] = [];
  const visit = (id: string): void => {
    const children = (byParent.get(id) ?? []).sort(listingOrder);
    for (const child of children) {
      out.push(child);
      if (child.type === 'directory') visit(child._id);
    }
  };
  visit(dirId);
  return out;
}

/** Directories first, then by name (code point order). */
export function listingOrder(a: FileDoc, b: FileDoc): number {
  if (a.type !== b.type) return a.type === 'directory' ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
