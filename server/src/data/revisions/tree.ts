/**
 * The revision tree of one document, and the read-only questions asked of it.
 *
 * Representation. A tree is `{ nodes }`, a flat list of revisions, each the tuple
 * `[pos, hash, parent, deleted]`: `pos` and `hash` make the revision `pos-hash`, `parent` is the index
 * in `nodes` of its parent revision (-1 for a root: the first revision, or the oldest one kept after
 * stemming), and `deleted` is 1 for a deletion and 0 otherwise. The list is kept in one canonical order,
 * by position and then by hash (code unit order), so:
 *  - a parent always comes before its children (its position is one less);
 *  - the same set of revisions always serialises to the same JSON, whatever order the edits and merges
 *    arrived in;
 *  - there is no nesting. CouchDB and PouchDB nest `[hash, opts, children]` tuples instead, which is a
 *    few bytes smaller per revision, but a chain of revisions then becomes a JSON value nested as deep as
 *    the history is long, and V8's JSON.stringify overflows its stack at about 2,500 levels — within
 *    reach of a document with a raised revs_limit (measured on Node 20). Here JSON depth is 3, every
 *    walk below is a loop, and a revision costs under 50 bytes of JSON with a 32-hex hash.
 * Every function is pure: trees are never mutated, new trees are returned, and every tree round-trips
 * through JSON.stringify/JSON.parse unchanged. Leaves carry the bodies; which bodies are stored is the
 * caller's business (see mergePath's `noLongerLeaves`).
 */
import { NotFound } from '../../errors.js';
import { formatRev, parseRev, type RevisionPath } from './rev.js';

/** One revision: position, hash, index of the parent in `nodes` (-1 for a root), 1 if deleted else 0. */
export type RevNode = readonly [pos: number, hash: string, parent: number, deleted: 0 | 1];

/** The revision tree of a document (see the top of this file for the invariants). */
export interface RevTree {
  readonly nodes: readonly RevNode[];
}

/** A leaf revision: the tip of a branch. */
export interface Leaf {
  rev: string;
  deleted: boolean;
}

/** One entry of `_revs_info`. */
export interface RevInfo {
  rev: string;
  status: 'available' | 'missing' | 'deleted';
}

/** The tree of a document that has no revision yet. */
export function emptyTree(): RevTree {
  return { nodes: [] };
}

/**
 * Checks that an untrusted value (e.g. read back from storage) is a well-formed RevTree in canonical
 * order, and returns it. Throws a plain Error otherwise: a corrupt stored tree is a server fault, not a
 * client's.
 */
export function parseTree(input: unknown): RevTree {
  const fail = (why: string): never => {
    throw new Error(`Corrupt revision tree: ${why}.`);
  };
  if (input === null || typeof input !== 'object') return fail('not an object');
  const nodes = (input as { nodes?: unknown }).nodes;
  if (!Array.isArray(nodes)) return fail('nodes is not an array');
  const checked: RevNode[] = [];
  let previous: RevNode | undefined;
  for (const [i, node] of (nodes as unknown[]).entries()) {
    if (!Array.isArray(node) || node.length !== 4) return fail(`node ${i} is not a 4-tuple`);
    const [pos, hash, parent, deleted] = node as unknown[];
    if (typeof pos !== 'number' || typeof hash !== 'string' || typeof parent !== 'number') {
      return fail(`node ${i} has wrong types`);
    }
    if (deleted !== 0 && deleted !== 1) return fail(`node ${i} has a bad deleted flag`);
    parseRevOrFail(formatRev(pos, hash), fail);
    if (!Number.isInteger(parent) || parent < -1 || parent >= i) return fail(`node ${i} has a bad parent`);
    if (parent >= 0 && (checked[parent] as RevNode)[0] !== pos - 1) {
      return fail(`node ${i} is not one position after its parent`);
    }
    if (previous !== undefined && compareNodes(previous, [pos, hash, parent, deleted]) >= 0) {
      return fail(`node ${i} is out of order or duplicated`);
    }
    previous = [pos, hash, parent, deleted];
    checked.push(previous);
  }
  return { nodes: checked };
}

function parseRevOrFail(rev: string, fail: (why: string) => never): void {
  try {
    parseRev(rev);
  } catch {
    fail(`malformed revision ${JSON.stringify(rev.slice(0, 64))}`);
  }
}

/** Whether `rev` is a revision of the tree (leaf or not). Malformed strings are simply absent. */
export function hasRev(tree: RevTree, rev: string): boolean {
  return indexTree(tree).byRev.has(rev);
}

/** Whether `rev` is a leaf of the tree: present, with no child. */
export function isLeaf(tree: RevTree, rev: string): boolean {
  const index = indexTree(tree);
  const at = index.byRev.get(rev);
  return at !== undefined && index.childCount[at] === 0;
}

/**
 * Every leaf of the tree, best first by CouchDB's rule (see winningRev), so the first one is the
 * winner. Empty for an empty tree.
 */
export function leaves(tree: RevTree): Leaf[] {
  const { childCount } = indexTree(tree);
  const found: RevNode[] = tree.nodes.filter((_, i) => childCount[i] === 0);
  found.sort(compareLeaves);
  return found.map((node) => ({ rev: revOf(node), deleted: node[3] === 1 }));
}

/**
 * The winning revision, chosen as CouchDB does and thus identical on every replica holding the same
 * leaves: among the leaves, a non-deleted one beats a deleted one, then the higher position wins, then
 * the higher hash in plain string order. Null for an empty tree.
 */
export function winningRev(tree: RevTree): Leaf | null {
  // No revision, or a single one (every new document) that is its own winner: no index to build.
  if (tree.nodes.length === 0) return null;
  const only = tree.nodes.length === 1 ? tree.nodes[0] : undefined;
  if (only !== undefined) return { rev: revOf(only), deleted: only[3] === 1 };
  return leaves(tree)[0] ?? null;
}

/** `_conflicts`: the non-deleted leaves other than the winner, best first. */
export function conflicts(tree: RevTree): string[] {
  return leaves(tree)
    .slice(1)
    .filter((leaf) => !leaf.deleted)
    .map((leaf) => leaf.rev);
}

/** `_deleted_conflicts`: the deleted leaves other than the winner, best first. */
export function deletedConflicts(tree: RevTree): string[] {
  return leaves(tree)
    .slice(1)
    .filter((leaf) => leaf.deleted)
    .map((leaf) => leaf.rev);
}

/**
 * `_revisions` for `?revs=true`: `rev` and its ancestors back to the oldest one kept, newest first.
 * Throws NotFound ('missing') if `rev` is not in the tree.
 */
export function revisionsFor(tree: RevTree, rev: string): RevisionPath {
  const ids: string[] = [];
  const at = find(tree, rev);
  for (let i = at; i >= 0; i = (tree.nodes[i] as RevNode)[2]) ids.push((tree.nodes[i] as RevNode)[1]);
  return { start: (tree.nodes[at] as RevNode)[0], ids };
}

/**
 * `_revs_info` for `?revs_info=true`: `rev` and its ancestors, newest first, each `deleted` if it is a
 * deletion, else `available` if `availableBody(rev)` says its body is stored, else `missing`.
 * Throws NotFound ('missing') if `rev` is not in the tree.
 */
export function revsInfo(tree: RevTree, rev: string, availableBody: (rev: string) => boolean): RevInfo[] {
  const info: RevInfo[] = [];
  for (let i = find(tree, rev); i >= 0; i = (tree.nodes[i] as RevNode)[2]) {
    const node = tree.nodes[i] as RevNode;
    const nodeRev = revOf(node);
    const status = node[3] === 1 ? 'deleted' : availableBody(nodeRev) ? 'available' : 'missing';
    info.push({ rev: nodeRev, status });
  }
  return info;
}

/**
 * `_revs_diff` for one document: `missing` lists the given revisions absent from the tree (first
 * occurrence order, without duplicates); `possibleAncestors` lists the leaves whose position is lower
 * than that of some missing revision, as CouchDB reports them (empty when nothing is missing).
 * Throws BadRequest if a revision is malformed.
 */
export function revsDiff(
  tree: RevTree,
  revs: readonly string[],
): { missing: string[]; possibleAncestors: string[] } {
  const { byRev, childCount } = indexTree(tree);
  const missing: string[] = [];
  const seen = new Set<string>();
  let highestMissing = 0;
  for (const rev of revs) {
    const { pos } = parseRev(rev);
    if (byRev.has(rev) || seen.has(rev)) continue;
    seen.add(rev);
    missing.push(rev);
    highestMissing = Math.max(highestMissing, pos);
  }
  const possibleAncestors = tree.nodes
    .filter((node, i) => childCount[i] === 0 && node[0] < highestMissing)
    .map(revOf);
  return { missing, possibleAncestors };
}

// ---- Internals shared with edit.ts (not re-exported by index.ts) ----

/**
 * The tree as JSON, exactly as JSON.stringify writes it, several times faster: a store writes the tree
 * of every document of a bulk write.
 */
export function treeJson(tree: RevTree): string {
  let out = '{"nodes":[';
  const nodes = tree.nodes;
  for (let i = 0; i < nodes.length; i++) {
    const [pos, hash, parent, deleted] = nodes[i] as RevNode;
    out += `${i === 0 ? '' : ','}[${pos},${JSON.stringify(hash)},${parent},${deleted}]`;
  }
  return `${out}]}`;
}

/** Lookups over a tree: revision string → index, and the number of children of each node. */
export interface TreeIndex {
  byRev: Map<string, number>;
  childCount: number[];
}

export function indexTree(tree: RevTree): TreeIndex {
  const byRev = new Map<string, number>();
  const childCount = new Array<number>(tree.nodes.length).fill(0);
  tree.nodes.forEach((node, i) => {
    byRev.set(revOf(node), i);
    if (node[2] >= 0) childCount[node[2]] = (childCount[node[2]] as number) + 1;
  });
  return { byRev, childCount };
}

export function revOf(node: RevNode): string {
  return formatRev(node[0], node[1]);
}

/** Canonical order of nodes: by position, then by hash in code unit order. */
function compareNodes(a: RevNode, b: RevNode): number {
  return a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);
}

/** Leaf order, best first: non-deleted before deleted, then higher position, then higher hash. */
function compareLeaves(a: RevNode, b: RevNode): number {
  return a[3] - b[3] || compareNodes(b, a);
}

/** A mutable node used while building a tree; `parent` indexes the same working list. */
export interface WorkNode {
  pos: number;
  hash: string;
  parent: number;
  deleted: 0 | 1;
}

export function toWork(tree: RevTree): WorkNode[] {
  return tree.nodes.map(([pos, hash, parent, deleted]) => ({ pos, hash, parent, deleted }));
}

/** Sorts a working list into canonical order (parents keep coming first) and freezes it into a tree. */
export function fromWork(work: readonly WorkNode[]): RevTree {
  const order = work
    .map((_, i) => i)
    .sort((i, j) => {
      const a = work[i] as WorkNode;
      const b = work[j] as WorkNode;
      return a.pos - b.pos || (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0);
    });
  const newIndex = new Array<number>(work.length);
  order.forEach((old, i) => (newIndex[old] = i));
  const nodes = order.map((old): RevNode => {
    const w = work[old] as WorkNode;
    return [w.pos, w.hash, w.parent < 0 ? -1 : (newIndex[w.parent] as number), w.deleted];
  });
  return { nodes };
}

function find(tree: RevTree, rev: string): number {
  const at = indexTree(tree).byRev.get(rev);
  if (at === undefined) throw new NotFound('missing');
  return at;
}
