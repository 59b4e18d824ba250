/**
 * The three ways a revision tree changes: a local edit (new_edits=true), a replicated path
 * (new_edits=false), and stemming to the revs_limit. All pure: the input tree is never modified.
 */
import { Conflict } from '../../errors.js';
import { formatRev, parseRev, parseRevisions, type RevisionPath } from './rev.js';
import {
  fromWork,
  indexTree,
  isLeaf,
  toWork,
  winningRev,
  type RevNode,
  type RevTree,
  type WorkNode,
} from './tree.js';

/** A local edit: `newRev` extends `parentRev` (null: a creation, or a re-creation after a deletion). */
export interface Edit {
  parentRev: string | null;
  newRev: string;
  deleted: boolean;
}

/** What mergePath did. */
export interface MergeResult {
  /** The merged tree (the input tree itself when nothing changed). */
  tree: RevTree;
  /** The path's newest revision was not in the tree before: its body is to be stored. */
  added: boolean;
  /** The tree differs from the input: a revision, a parent link or a deleted flag was learnt. */
  changed: boolean;
  /** Revisions that were leaves before and are not any more: their stored bodies may be dropped. */
  noLongerLeaves: string[];
}

const CONFLICT = 'Document update conflict.';

/**
 * The revision a local edit will extend, or throws. With a `parentRev`, it must be a current leaf of the
 * tree (deleted or not, winning or not), and is returned. With null, the edit is a creation: allowed on
 * an empty tree (returns null) or when the winning leaf is deleted, in which case that deleted leaf is
 * returned and the new revision extends it, as CouchDB does. Throws Conflict ('Document update
 * conflict.') otherwise, and BadRequest if `parentRev` is malformed.
 */
export function editParent(tree: RevTree, parentRev: string | null): string | null {
  if (parentRev === null) {
    const winner = winningRev(tree);
    if (winner === null) return null;
    if (winner.deleted) return winner.rev;
    throw new Conflict(CONFLICT);
  }
  parseRev(parentRev);
  if (!isLeaf(tree, parentRev)) throw new Conflict(CONFLICT);
  return parentRev;
}

/**
 * Applies a local edit (new_edits=true, an ordinary PUT or DELETE) and returns the new tree. The parent
 * is resolved by editParent (so Conflict and BadRequest as there); `newRev` must be well formed
 * (BadRequest), one position past the resolved parent, or 1 when there is none (RangeError otherwise:
 * compute it with nextRev from editParent's answer), and not already in the tree (Conflict).
 */
export function applyEdit(tree: RevTree, edit: Edit): RevTree {
  const { pos, hash } = parseRev(edit.newRev);
  const parent = editParent(tree, edit.parentRev);
  if (tree.nodes.length === 0) {
    // A creation (editParent allows nothing else on an empty tree): the one-node tree fromWork would
    // build, without its index and sorting. Bulk writes of new documents take this path every time.
    if (pos !== 1) throw new RangeError(`New revision ${edit.newRev} does not follow nothing.`);
    return { nodes: [[pos, hash, -1, edit.deleted ? 1 : 0]] };
  }
  const expected = parent === null ? 1 : parseRev(parent).pos + 1;
  if (pos !== expected) {
    throw new RangeError(`New revision ${edit.newRev} does not follow ${parent ?? 'nothing'}.`);
  }
  const { byRev } = indexTree(tree);
  if (byRev.has(edit.newRev)) throw new Conflict(CONFLICT);
  const work = toWork(tree);
  work.push({
    pos,
    hash,
    parent: parent === null ? -1 : (byRev.get(parent) as number),
    deleted: edit.deleted ? 1 : 0,
  });
  return fromWork(work);
}

/**
 * Merges a replicated revision path (new_edits=false): `path.ids[0]` is the newest hash, at position
 * `path.start`, and `deleted` tells whether that newest revision is a deletion (ancestors new to the tree
 * are recorded as not deleted). The result holds the union of the tree and the path:
 *  - a path sharing a revision with the tree is grafted there (extending a leaf, or starting a new
 *    conflict branch below an inner revision);
 *  - a path sharing nothing becomes a new root (a new conflict branch);
 *  - ancestors older than a root (one stemmed away, say) are put back above it; stem again afterwards;
 *  - a revision already in the tree keeps its parent (should the path name another ancestor, which
 *    honest hashes rule out, the merge stops there);
 *  - deleted flags are only ever learnt, never lost: ancestors arrive without theirs, so a revision
 *    first seen as an ancestor becomes deleted when a path ending at it says so, and a deleted revision
 *    stays deleted;
 *  - merging a path already present changes nothing and returns `changed: false`.
 * Merging the same paths in any order gives the same tree (stemming in between aside). Callers keep
 * bodies for leaves only: store one when `added`, drop those in `noLongerLeaves`. Throws BadRequest on a
 * malformed path.
 */
export function mergePath(tree: RevTree, path: RevisionPath, deleted: boolean): MergeResult {
  const { start, ids } = parseRevisions(path);
  const { byRev, childCount } = indexTree(tree);
  const work = toWork(tree);
  const noLongerLeaves: string[] = [];
  let added = false;
  let changed = false;
  // Walk from the newest revision to the oldest, adding what is missing and linking each revision
  // without a parent to the next one of the path. `child` is the previous (younger) revision's index.
  let child: number | undefined;
  for (let i = 0; i < ids.length; i++) {
    const pos = start - i;
    const hash = ids[i] as string;
    const rev = formatRev(pos, hash);
    if (child !== undefined) {
      const known = (work[child] as WorkNode).parent;
      if (known >= 0) {
        const parent = work[known] as WorkNode;
        if (parent.hash !== hash) break; // A different recorded ancestry wins over the path's.
        child = known;
        continue;
      }
    }
    let at = byRev.get(rev);
    if (at === undefined) {
      at = work.push({ pos, hash, parent: -1, deleted: i === 0 && deleted ? 1 : 0 }) - 1;
      byRev.set(rev, at);
      childCount.push(0);
      added ||= i === 0;
      changed = true;
    } else if (child !== undefined) {
      if (childCount[at] === 0) noLongerLeaves.push(rev);
    } else if (deleted && (work[at] as WorkNode).deleted === 0) {
      // Known so far only as someone's ancestor, which carries no flag: learn that it is a deletion.
      (work[at] as WorkNode).deleted = 1;
      changed = true;
    }
    if (child !== undefined) {
      (work[child] as WorkNode).parent = at;
      childCount[at] = (childCount[at] as number) + 1;
      changed = true;
    }
    child = at;
  }
  return changed
    ? { tree: fromWork(work), added, changed, noLongerLeaves }
    : { tree, added, changed, noLongerLeaves };
}

/**
 * Stems the tree to a revs_limit of `depth`, exactly as CouchDB does: keeps the revisions within `depth`
 * revisions of some leaf (the leaf counting as the first) and drops the rest. So every leaf keeps its
 * newest `depth` revisions of history and every leaf is kept; a revision whose parent is dropped becomes a
 * root at its own position. A revision kept for one leaf stays linked to its other descendants, so a
 * path through a fork less than `depth` revisions below a leaf may stay longer than `depth` (CouchDB
 * does not cut such a path apart either). Paths can still be merged into the result. Returns the input
 * tree itself when nothing is dropped; RangeError if `depth` is not a positive integer.
 */
export function stem(tree: RevTree, depth: number): RevTree {
  if (!Number.isSafeInteger(depth) || depth < 1) throw new RangeError(`Invalid stemming depth: ${depth}.`);
  const nodes = tree.nodes;
  // No node can be `depth` revisions from a leaf when there are no more nodes than that.
  if (nodes.length <= depth) return tree;
  // Distance from each node to its nearest leaf. Children come after their parent in canonical order,
  // so one backward pass settles every node before its parent is reached.
  const distance = new Array<number>(nodes.length).fill(Infinity);
  for (let i = nodes.length - 1; i >= 0; i--) {
    if (distance[i] === Infinity) distance[i] = 0;
    const parent = (nodes[i] as RevNode)[2];
    if (parent >= 0) distance[parent] = Math.min(distance[parent] as number, (distance[i] as number) + 1);
  }
  if (distance.every((d) => d < depth)) return tree;
  const newIndex = new Array<number>(nodes.length).fill(-1);
  const work: WorkNode[] = [];
  nodes.forEach(([pos, hash, parent, deleted], i) => {
    if ((distance[i] as number) >= depth) return;
    newIndex[i] = work.length;
    work.push({ pos, hash, parent: parent < 0 ? -1 : (newIndex[parent] as number), deleted });
  });
  return fromWork(work);
}
