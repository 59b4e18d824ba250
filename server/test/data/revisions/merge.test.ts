import { describe, it, expect } from 'vitest';
import { BadRequest } from '../../../src/errors.js';
import {
  applyEdit,
  conflicts,
  emptyTree,
  hasRev,
  isLeaf,
  leaves,
  mergePath,
  parseTree,
  revisionsFor,
  revsInfo,
  stem,
  winningRev,
  type RevTree,
} from '../../../src/data/revisions/index.js';

function frozen(tree: RevTree): RevTree {
  tree.nodes.forEach((node) => Object.freeze(node));
  Object.freeze(tree.nodes);
  return Object.freeze(tree);
}

/** A path written as CouchDB revisions, newest first: '3-c b a' → { start: 3, ids: ['c', 'b', 'a'] }. */
function path(revs: string): { start: number; ids: string[] } {
  const [newest, ...older] = revs.split(' ');
  const [start, hash] = (newest as string).split('-');
  return { start: Number(start), ids: [hash as string, ...older] };
}

function merge(tree: RevTree, revs: string, deleted = false) {
  const result = mergePath(frozen(tree), path(revs), deleted);
  frozen(result.tree);
  return result;
}

function tree(...paths: string[]): RevTree {
  return paths.reduce((acc, revs) => merge(acc, revs).tree, emptyTree());
}

/** A linear history of `length` revisions, hashes h1…hN. */
function linear(length: number): RevTree {
  const ids = Array.from({ length }, (_, i) => `h${length - i}`);
  return mergePath(emptyTree(), { start: length, ids }, false).tree;
}

describe('mergePath', () => {
  it('adds a replicated path to an empty tree, the newest revision as the leaf', () => {
    const result = merge(emptyTree(), '3-c b a');
    expect(result).toMatchObject({ added: true, changed: true, noLongerLeaves: [] });
    expect(leaves(result.tree)).toEqual([{ rev: '3-c', deleted: false }]);
    expect(revisionsFor(result.tree, '3-c')).toEqual(path('3-c b a'));
  });

  it('marks only the newest revision of a deleted path as deleted', () => {
    const result = merge(emptyTree(), '3-c b a', true);
    expect(revsInfo(result.tree, '3-c', () => false).map((info) => info.status)).toEqual([
      'deleted',
      'missing',
      'missing',
    ]);
  });

  it('accepts a path that starts after position 1, as sent by a stemmed replica', () => {
    const result = merge(emptyTree(), '1002-z y');
    expect(revisionsFor(result.tree, '1002-z')).toEqual({ start: 1002, ids: ['z', 'y'] });
  });

  it('extends a leaf and reports that the former leaf is no longer one', () => {
    const result = merge(tree('2-b a'), '4-d c b a');
    expect(result).toMatchObject({ added: true, changed: true, noLongerLeaves: ['2-b'] });
    expect(leaves(result.tree)).toEqual([{ rev: '4-d', deleted: false }]);
  });

  it('starts a conflict branch below an inner revision, replacing no leaf', () => {
    const result = merge(tree('3-c b a'), '3-x b a');
    expect(result).toMatchObject({ added: true, noLongerLeaves: [] });
    expect(winningRev(result.tree)?.rev).toBe('3-x');
    expect(conflicts(result.tree)).toEqual(['3-c']);
  });

  it('adds a path sharing no revision as a new root: a conflict between two creations', () => {
    const result = merge(tree('2-b a'), '2-y x');
    expect(result).toMatchObject({ added: true, changed: true, noLongerLeaves: [] });
    expect(leaves(result.tree).map((leaf) => leaf.rev)).toEqual(['2-y', '2-b']);
    expect(result.tree.nodes.filter((node) => node[2] === -1)).toHaveLength(2);
  });

  it('is idempotent: merging a path already present changes nothing and says so', () => {
    const before = tree('3-c b a', '3-x b a');
    const result = merge(before, '3-c b a');
    expect(result).toEqual({ tree: before, added: false, changed: false, noLongerLeaves: [] });
    expect(result.tree).toBe(before);
  });

  it('changes nothing when merging the history of an inner revision', () => {
    const before = tree('4-d c b a');
    expect(merge(before, '2-b a')).toMatchObject({ added: false, changed: false });
    expect(merge(before, '3-c')).toMatchObject({ added: false, changed: false });
  });

  it('learns that a revision first seen as an ancestor is a deletion', () => {
    const before = tree('3-c b a');
    const result = merge(before, '2-b a', true);
    expect(result).toMatchObject({ added: false, changed: true, noLongerLeaves: [] });
    expect(revsInfo(result.tree, '3-c', () => true).map((info) => info.status)).toEqual([
      'available',
      'deleted',
      'available',
    ]);
  });

  it('never forgets that a revision is a deletion', () => {
    const before = tree('1-a');
    const deleted = merge(before, '2-b a', true).tree;
    const again = merge(deleted, '2-b a', false);
    expect(again.changed).toBe(false);
    expect(winningRev(again.tree)).toEqual({ rev: '2-b', deleted: true });
    expect(winningRev(merge(deleted, '3-c b a').tree)).toEqual({ rev: '3-c', deleted: false });
    expect(revsInfo(merge(deleted, '3-c b a').tree, '3-c', () => true)[1]).toEqual({
      rev: '2-b',
      status: 'deleted',
    });
  });

  it('accepts a deletion replicated onto a leaf', () => {
    const result = merge(tree('2-b a'), '3-d b a', true);
    expect(winningRev(result.tree)).toEqual({ rev: '3-d', deleted: true });
    expect(result.noLongerLeaves).toEqual(['2-b']);
  });

  it('links a lone ancestor that arrived first to the branch that descends from it', () => {
    const before = tree('1-a', '3-c b');
    expect(leaves(before)).toHaveLength(2);
    const result = merge(before, '3-c b a');
    expect(result).toMatchObject({ added: false, changed: true, noLongerLeaves: ['1-a'] });
    expect(leaves(result.tree)).toEqual([{ rev: '3-c', deleted: false }]);
    expect(revisionsFor(result.tree, '3-c')).toEqual(path('3-c b a'));
  });

  it('puts back ancestors older than a root, and stemming again removes them', () => {
    const stemmed = stem(tree('4-d c b a'), 2);
    const result = merge(stemmed, '5-e d c b a');
    expect(result).toMatchObject({ added: true, noLongerLeaves: ['4-d'] });
    expect(revisionsFor(result.tree, '5-e').ids).toEqual(['e', 'd', 'c', 'b', 'a']);
    expect(revisionsFor(stem(result.tree, 2), '5-e')).toEqual({ start: 5, ids: ['e', 'd'] });
  });

  it('keeps the recorded parent when a path names another ancestor for a known revision', () => {
    const result = merge(tree('2-b a'), '3-c b z');
    expect(revisionsFor(result.tree, '3-c')).toEqual(path('3-c b a'));
    expect(hasRev(result.tree, '1-z')).toBe(false);
  });

  it('rejects a malformed path with BadRequest and leaves the tree alone', () => {
    const before = tree('2-b a');
    const json = JSON.stringify(before);
    expect(() => mergePath(before, { start: 1, ids: ['b', 'a'] }, false)).toThrow(BadRequest);
    expect(() => mergePath(before, { start: 2, ids: [] }, false)).toThrow(BadRequest);
    expect(() => mergePath(before, { start: 2, ids: ['b-1'] }, false)).toThrow(BadRequest);
    expect(() => mergePath(before, { start: 0, ids: ['b'] }, false)).toThrow(BadRequest);
    expect(JSON.stringify(before)).toBe(json);
  });

  it('lets a local edit continue a replicated leaf', () => {
    const replicated = tree('2-b a');
    const next = applyEdit(replicated, { parentRev: '2-b', newRev: '3-c', deleted: false });
    expect(winningRev(next)?.rev).toBe('3-c');
  });
});

describe('stem', () => {
  it('returns the tree itself when it holds no more revisions than the depth', () => {
    const tree = linear(3);
    expect(stem(tree, 3)).toBe(tree);
    expect(stem(tree, 2).nodes).toHaveLength(2);
  });

  it('keeps the newest `depth` revisions of a linear history', () => {
    const stemmed = stem(linear(10), 3);
    expect(stemmed.nodes).toHaveLength(3);
    expect(revisionsFor(stemmed, '10-h10')).toEqual({ start: 10, ids: ['h10', 'h9', 'h8'] });
  });

  it('turns the oldest kept revision into a root at its own position', () => {
    const stemmed = stem(linear(10), 3);
    expect(stemmed.nodes[0]).toEqual([8, 'h8', -1, 0]);
    expect(parseTree(JSON.parse(JSON.stringify(stemmed)))).toEqual(stemmed);
  });

  it("cuts a 1500-revision history to CouchDB's default of 1000", () => {
    const stemmed = stem(linear(1500), 1000);
    expect(stemmed.nodes).toHaveLength(1000);
    expect(stemmed.nodes[0]).toEqual([501, 'h501', -1, 0]);
    expect(revisionsFor(stemmed, '1500-h1500').ids).toHaveLength(1000);
  });

  it('keeps every leaf, with the ancestors each needs, even on short branches', () => {
    const before = merge(linear(10), '2-x h1').tree;
    const stemmed = stem(before, 3);
    expect(leaves(stemmed)).toEqual(leaves(before));
    expect(revisionsFor(stemmed, '2-x')).toEqual({ start: 2, ids: ['x', 'h1'] });
    expect(revisionsFor(stemmed, '10-h10')).toEqual({ start: 10, ids: ['h10', 'h9', 'h8'] });
    expect(hasRev(stemmed, '2-h2')).toBe(false);
  });

  it('keeps a revision needed by a nearby leaf linked to its other children, as CouchDB does', () => {
    const stemmed = stem(tree('4-d c b a', '3-x b a'), 2);
    expect(revisionsFor(stemmed, '3-x')).toEqual({ start: 3, ids: ['x', 'b'] });
    expect(revisionsFor(stemmed, '4-d')).toEqual({ start: 4, ids: ['d', 'c', 'b'] });
    expect(hasRev(stemmed, '1-a')).toBe(false);
  });

  it('keeps only the leaves with a depth of 1', () => {
    const stemmed = stem(tree('4-d c b a', '3-x b a'), 1);
    expect(stemmed.nodes.map((node) => `${node[0]}-${node[1]}`)).toEqual(['3-x', '4-d']);
    expect(stemmed.nodes.every((node) => node[2] === -1)).toBe(true);
  });

  it('returns the very same tree when nothing is deeper than the limit', () => {
    const before = linear(5);
    expect(stem(before, 5)).toBe(before);
    expect(stem(emptyTree(), 1)).toEqual(emptyTree());
  });

  it('does not change who wins', () => {
    const before = tree('6-f e d c b a', '3-x b a');
    const after = merge(before, '4-y x b a', true).tree;
    expect(winningRev(stem(after, 2))).toEqual(winningRev(after));
    expect(conflicts(stem(after, 2))).toEqual(conflicts(after));
  });

  it.each([0, -1, 1.5, NaN, Infinity])('rejects a depth of %s with RangeError', (depth) => {
    expect(() => stem(linear(3), depth)).toThrow(RangeError);
  });

  it('never modifies the tree it is given', () => {
    const before = frozen(linear(10));
    const json = JSON.stringify(before);
    stem(before, 2);
    expect(JSON.stringify(before)).toBe(json);
  });
});

describe('stemming, then merging', () => {
  it('extends a stemmed leaf from a path carrying only the newest revisions', () => {
    const stemmed = stem(linear(10), 3);
    const result = mergePath(stemmed, { start: 11, ids: ['h11', 'h10'] }, false);
    expect(result).toMatchObject({ added: true, noLongerLeaves: ['10-h10'] });
    expect(revisionsFor(result.tree, '11-h11').ids).toEqual(['h11', 'h10', 'h9', 'h8']);
  });

  it('grafts a conflict branch onto a kept inner revision', () => {
    const stemmed = stem(linear(10), 3);
    const result = mergePath(stemmed, { start: 10, ids: ['zz', 'h9', 'h8', 'h7', 'h6'] }, false);
    expect(result.added).toBe(true);
    expect(leaves(result.tree).map((leaf) => leaf.rev)).toEqual(['10-zz', '10-h10']);
    expect(stem(result.tree, 3).nodes.map((node) => `${node[0]}-${node[1]}`)).toEqual([
      '8-h8',
      '9-h9',
      '10-h10',
      '10-zz',
    ]);
  });

  it('gives back the stemmed tree after merging a path it already holds and stemming again', () => {
    const full = linear(10);
    const stemmed = stem(full, 3);
    const again = mergePath(stemmed, revisionsFor(full, '10-h10'), false);
    expect(again.added).toBe(false);
    expect(stem(again.tree, 3)).toEqual(stemmed);
  });

  it('like CouchDB, brings back a stemmed revision replicated alone as a separate branch', () => {
    const stemmed = stem(linear(3), 2);
    const result = mergePath(stemmed, { start: 1, ids: ['h1'] }, false);
    expect(result.added).toBe(true);
    expect(isLeaf(result.tree, '1-h1')).toBe(true);
    expect(conflicts(result.tree)).toEqual(['1-h1']);
  });
});
