/**
 * Property-style tests over many random edit histories, with a fixed seed per case so that a failure
 * can be replayed. PouchDB's own merge module serves as an independent oracle for the winner and the
 * conflicts (only its public winningRev and collectConflicts are used).
 */
import { describe, it, expect } from 'vitest';
import { createRequire } from 'node:module';
import { Conflict } from '../../../src/errors.js';
import {
  applyEdit,
  conflicts,
  deletedConflicts,
  editParent,
  emptyTree,
  hasRev,
  leaves,
  mergePath,
  nextRev,
  parseTree,
  revisionsFor,
  stem,
  winningRev,
  type RevTree,
  type RevisionPath,
} from '../../../src/data/revisions/index.js';

// ---- The oracle ----

type PouchNode = [string, { status: string; deleted?: boolean }, PouchNode[]];
interface PouchMetadata {
  rev_tree: { pos: number; ids: PouchNode }[];
}
const load = createRequire(import.meta.url);
const pouch = load('pouchdb-merge') as {
  winningRev(metadata: PouchMetadata): string;
  collectConflicts(metadata: PouchMetadata): string[];
};

/** Our tree in PouchDB's nested form: roots `{ pos, ids: [hash, opts, children] }`. */
function toPouch(tree: RevTree): PouchMetadata {
  const made = tree.nodes.map(([, hash, , deleted]): PouchNode => [
    hash,
    deleted ? { status: 'available', deleted: true } : { status: 'available' },
    [],
  ]);
  const rev_tree: PouchMetadata['rev_tree'] = [];
  tree.nodes.forEach(([pos, , parent], i) => {
    const node = made[i] as PouchNode;
    if (parent < 0) rev_tree.push({ pos, ids: node });
    else (made[parent] as PouchNode)[2].push(node);
  });
  return { rev_tree };
}

// ---- Random histories ----

/** mulberry32: a small seeded PRNG returning floats in [0, 1). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)] as T;
}

function shuffled<T>(rand: () => number, items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

interface Revision {
  pos: number;
  hash: string;
  parent: number;
  deleted: boolean;
}

/**
 * The whole history of a document across replicas: 1 to 3 independent creations, then random edits,
 * each extending (mostly) a leaf or (sometimes) an inner revision, a fifth of them (or, in a quarter
 * of the histories, most of them) deletions. Short
 * hashes over letters and digits of both cases make position ties and case-sensitive ordering common.
 */
function randomHistory(rand: () => number): Revision[] {
  const history: Revision[] = [];
  const seen = new Set<string>();
  const add = (pos: number, parent: number, deleted: boolean) => {
    let hash: string;
    do {
      hash = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => pick(rand, [...ALPHABET])).join('');
    } while (seen.has(`${pos}-${hash}`));
    seen.add(`${pos}-${hash}`);
    history.push({ pos, hash, parent, deleted });
  };
  const roots = 1 + Math.floor(rand() * rand() * 3);
  for (let i = 0; i < roots; i++) add(1, -1, rand() < 0.1);
  // Some histories are mostly deletions, so that fully deleted documents come up often enough.
  const deletionRate = rand() < 0.25 ? 0.7 : 0.2;
  const edits = Math.floor(rand() * 40);
  for (let i = 0; i < edits; i++) {
    const childless = history.map((_, j) => j).filter((j) => !history.some((r) => r.parent === j));
    const parent = rand() < 0.75 ? pick(rand, childless) : Math.floor(rand() * history.length);
    add((history[parent] as Revision).pos + 1, parent, rand() < deletionRate);
  }
  return history;
}

function pathOf(history: Revision[], at: number): RevisionPath {
  const ids: string[] = [];
  for (let i = at; i >= 0; i = (history[i] as Revision).parent) ids.push((history[i] as Revision).hash);
  return { start: (history[at] as Revision).pos, ids };
}

interface Replicated {
  path: RevisionPath;
  deleted: boolean;
}

/**
 * What replication might deliver: the full path of every leaf, plus the paths of random older
 * revisions and random newest-first slices of paths (as from stemmed replicas).
 */
function replicatedPaths(rand: () => number, history: Revision[]): Replicated[] {
  const out: Replicated[] = [];
  const deletedAt = (i: number) => (history[i] as Revision).deleted;
  history.forEach((_, i) => {
    if (!history.some((r) => r.parent === i)) out.push({ path: pathOf(history, i), deleted: deletedAt(i) });
  });
  const extras = Math.floor(rand() * 6);
  for (let k = 0; k < extras; k++) {
    const i = Math.floor(rand() * history.length);
    const full = pathOf(history, i);
    const keep = rand() < 0.5 ? full.ids.length : 1 + Math.floor(rand() * full.ids.length);
    out.push({ path: { start: full.start, ids: full.ids.slice(0, keep) }, deleted: deletedAt(i) });
  }
  return out;
}

function mergeAll(tree: RevTree, paths: readonly Replicated[]): RevTree {
  return paths.reduce((acc, { path, deleted }) => mergePath(acc, path, deleted).tree, tree);
}

/** The leaves of a history, computed directly: revisions nobody extended. */
function historyLeaves(history: Revision[]): string[] {
  return history
    .filter((_, i) => !history.some((r) => r.parent === i))
    .map((r) => `${r.pos}-${r.hash}`)
    .sort();
}

const CASES = 300;

describe('merging random histories', () => {
  it('gives the same tree, winner and conflicts whatever the order the paths arrive in', () => {
    for (let seed = 1; seed <= CASES; seed++) {
      const rand = random(seed);
      const history = randomHistory(rand);
      const paths = replicatedPaths(rand, history);
      const reference = mergeAll(emptyTree(), paths);
      for (let order = 0; order < 5; order++) {
        const other = mergeAll(emptyTree(), shuffled(rand, paths));
        expect(other, `seed ${seed}, order ${order}`).toEqual(reference);
        expect(winningRev(other)).toEqual(winningRev(reference));
      }
      expect(
        leaves(reference)
          .map((leaf) => leaf.rev)
          .sort(),
        `seed ${seed}`,
      ).toEqual(historyLeaves(history));
      expect(reference.nodes, `seed ${seed}`).toHaveLength(history.length);
    }
  });

  it("agrees with PouchDB's winningRev and collectConflicts", () => {
    for (let seed = 1; seed <= CASES; seed++) {
      const rand = random(seed);
      const tree = mergeAll(emptyTree(), shuffled(rand, replicatedPaths(rand, randomHistory(rand))));
      const oracle = toPouch(tree);
      expect(winningRev(tree)?.rev, `seed ${seed}`).toBe(pouch.winningRev(oracle));
      expect([...conflicts(tree)].sort(), `seed ${seed}`).toEqual([...pouch.collectConflicts(oracle)].sort());
    }
  });

  it('draws histories varied enough to mean something (a guard on the generator)', () => {
    const seen = { conflicts: 0, deletedWinner: 0, deletedConflicts: 0, roots: 0, positionTies: 0 };
    for (let seed = 1; seed <= CASES; seed++) {
      const rand = random(seed);
      const tree = mergeAll(emptyTree(), replicatedPaths(rand, randomHistory(rand)));
      const all = leaves(tree);
      if (conflicts(tree).length > 0) seen.conflicts++;
      if (winningRev(tree)?.deleted) seen.deletedWinner++;
      if (deletedConflicts(tree).length > 0) seen.deletedConflicts++;
      if (tree.nodes.filter((node) => node[2] === -1).length > 1) seen.roots++;
      if (
        all.some(
          (leaf, i) => all.findIndex((other) => other.rev.split('-')[0] === leaf.rev.split('-')[0]) !== i,
        )
      ) {
        seen.positionTies++;
      }
    }
    for (const [what, count] of Object.entries(seen)) expect(count, what).toBeGreaterThan(CASES / 20);
  });

  it('agrees with PouchDB on stemmed trees too, and stemming never changes the winner', () => {
    for (let seed = 1; seed <= CASES; seed++) {
      const rand = random(seed);
      const full = mergeAll(emptyTree(), replicatedPaths(rand, randomHistory(rand)));
      const stemmed = stem(full, 1 + Math.floor(rand() * 5));
      const oracle = toPouch(stemmed);
      expect(winningRev(stemmed), `seed ${seed}`).toEqual(winningRev(full));
      expect(winningRev(stemmed)?.rev, `seed ${seed}`).toBe(pouch.winningRev(oracle));
      expect([...conflicts(stemmed)].sort(), `seed ${seed}`).toEqual(
        [...pouch.collectConflicts(oracle)].sort(),
      );
    }
  });

  it('splits the leaves into the winner, the conflicts and the deleted conflicts', () => {
    for (let seed = 1; seed <= CASES; seed++) {
      const rand = random(seed);
      const tree = mergeAll(emptyTree(), replicatedPaths(rand, randomHistory(rand)));
      const winner = winningRev(tree);
      const all = [winner?.rev, ...conflicts(tree), ...deletedConflicts(tree)].sort();
      expect(all, `seed ${seed}`).toEqual(
        leaves(tree)
          .map((leaf) => leaf.rev)
          .sort(),
      );
      // The winner is live whenever any leaf is.
      if (leaves(tree).some((leaf) => !leaf.deleted)) expect(winner?.deleted, `seed ${seed}`).toBe(false);
    }
  });

  it('is idempotent: merging every path again changes nothing', () => {
    for (let seed = 1; seed <= CASES; seed++) {
      const rand = random(seed);
      const paths = replicatedPaths(rand, randomHistory(rand));
      const tree = mergeAll(emptyTree(), paths);
      for (const { path, deleted } of shuffled(rand, paths)) {
        const again = mergePath(tree, path, deleted);
        expect(again.changed, `seed ${seed}`).toBe(false);
        expect(again.tree).toBe(tree);
      }
    }
  });

  it('reports added and noLongerLeaves so that storing bodies by them keeps exactly the leaf bodies', () => {
    for (let seed = 1; seed <= CASES; seed++) {
      const rand = random(seed);
      let tree = emptyTree();
      const bodies = new Set<string>();
      for (const { path, deleted } of shuffled(rand, replicatedPaths(rand, randomHistory(rand)))) {
        const result = mergePath(tree, path, deleted);
        if (result.added) bodies.add(`${path.start}-${path.ids[0]}`);
        for (const rev of result.noLongerLeaves) {
          expect(bodies.delete(rev), `seed ${seed}: ${rev} had a body`).toBe(true);
        }
        tree = result.tree;
        expect([...bodies].sort(), `seed ${seed}`).toEqual(
          leaves(tree)
            .map((leaf) => leaf.rev)
            .sort(),
        );
      }
    }
  });

  it('round-trips every tree through JSON and the parseTree check', () => {
    for (let seed = 1; seed <= CASES; seed++) {
      const rand = random(seed);
      const tree = stem(
        mergeAll(emptyTree(), replicatedPaths(rand, randomHistory(rand))),
        1 + Math.floor(rand() * 8),
      );
      expect(parseTree(JSON.parse(JSON.stringify(tree))), `seed ${seed}`).toEqual(tree);
    }
  });
});

describe('stemming random histories', () => {
  it('keeps exactly the revisions within depth of a leaf, each leaf with its newest depth revisions', () => {
    for (let seed = 1; seed <= CASES; seed++) {
      const rand = random(seed);
      const full = mergeAll(emptyTree(), replicatedPaths(rand, randomHistory(rand)));
      const depth = 1 + Math.floor(rand() * 6);
      const stemmed = stem(full, depth);
      const expected = new Set<string>();
      for (const leaf of leaves(full)) {
        const history = revisionsFor(full, leaf.rev);
        const kept = revisionsFor(stemmed, leaf.rev);
        expect(kept.ids.slice(0, depth), `seed ${seed}`).toEqual(history.ids.slice(0, depth));
        history.ids.slice(0, depth).forEach((hash, i) => expected.add(`${history.start - i}-${hash}`));
      }
      expect(stemmed.nodes.map((node) => `${node[0]}-${node[1]}`).sort(), `seed ${seed}`).toEqual(
        [...expected].sort(),
      );
      expect(leaves(stemmed), `seed ${seed}`).toEqual(leaves(full));
    }
  });

  it('stays put when the same paths are merged into the stemmed tree and it is stemmed again', () => {
    for (let seed = 1; seed <= CASES; seed++) {
      const rand = random(seed);
      const paths = replicatedPaths(rand, randomHistory(rand));
      const depth = 1 + Math.floor(rand() * 6);
      const stemmed = stem(mergeAll(emptyTree(), paths), depth);
      expect(stem(mergeAll(stemmed, shuffled(rand, paths)), depth), `seed ${seed}`).toEqual(stemmed);
    }
  });
});

describe('replicas editing and syncing at random', () => {
  /** Replication from one tree to another, as the replicator does: every leaf with its history. */
  function sync(from: RevTree, to: RevTree): RevTree {
    return leaves(from).reduce(
      (acc, leaf) => mergePath(acc, revisionsFor(from, leaf.rev), leaf.deleted).tree,
      to,
    );
  }

  it('converges on every replica to the same tree and the same winner', () => {
    for (let seed = 1; seed <= 100; seed++) {
      const rand = random(seed);
      const replicas: RevTree[] = [emptyTree(), emptyTree(), emptyTree()];
      let counter = 0;
      for (let step = 0; step < 40; step++) {
        const r = Math.floor(rand() * replicas.length);
        const tree = replicas[r] as RevTree;
        if (rand() < 0.3) {
          replicas[r] = sync(pick(rand, replicas), tree);
          continue;
        }
        const current = leaves(tree);
        // A creation, or an edit of a random leaf (usually the winner, as most clients do).
        const parentRev =
          current.length === 0 || (current[0]?.deleted && rand() < 0.5)
            ? null
            : rand() < 0.7
              ? (current[0]?.rev as string)
              : pick(rand, current).rev;
        const deleted = rand() < 0.2;
        const body = { n: counter++, replica: r };
        const newRev = nextRev({ parentRev: editParent(tree, parentRev), deleted, body });
        replicas[r] = applyEdit(tree, { parentRev, newRev, deleted });
        expect(hasRev(replicas[r], newRev)).toBe(true);
        if (parentRev !== null) {
          expect(() =>
            applyEdit(replicas[r] as RevTree, { parentRev, newRev: `${newRev}x`, deleted }),
          ).toThrow(Conflict);
        }
      }
      for (let round = 0; round < 2; round++) {
        for (let a = 0; a < replicas.length; a++) {
          for (let b = 0; b < replicas.length; b++)
            replicas[b] = sync(replicas[a] as RevTree, replicas[b] as RevTree);
        }
      }
      // Replication carries the deleted flag of leaves only (ancestors travel as bare hashes, as in
      // CouchDB), so an inner deletion stays known only where it was made: compare all but that.
      const shape = (tree: RevTree) => tree.nodes.map(([pos, hash, parent]) => [pos, hash, parent]);
      const [first, ...rest] = replicas as [RevTree, ...RevTree[]];
      for (const other of rest) {
        expect(shape(other), `seed ${seed}`).toEqual(shape(first));
        expect(leaves(other), `seed ${seed}`).toEqual(leaves(first));
      }
      expect(winningRev(first)?.rev, `seed ${seed}`).toBe(pouch.winningRev(toPouch(first)));
    }
  });
});
