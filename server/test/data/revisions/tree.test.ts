import { describe, it, expect } from 'vitest';
import { BadRequest, Conflict, NotFound } from '../../../src/errors.js';
import {
  applyEdit,
  conflicts,
  deletedConflicts,
  editParent,
  emptyTree,
  hasRev,
  isLeaf,
  leaves,
  mergePath,
  nextRev,
  parseTree,
  revisionsFor,
  revsDiff,
  revsInfo,
  stem,
  treeJson,
  winningRev,
  type RevTree,
} from '../../../src/data/revisions/index.js';

/** Freezes a tree all the way down, so that any mutation by the code under test throws. */
function frozen(tree: RevTree): RevTree {
  tree.nodes.forEach((node) => Object.freeze(node));
  Object.freeze(tree.nodes);
  return Object.freeze(tree);
}

/** Applies local edits in turn: each [parentRev, newRev, deleted?]. */
function edits(...steps: [string | null, string, boolean?][]): RevTree {
  return steps.reduce<RevTree>(
    (tree, [parentRev, newRev, deleted]) =>
      frozen(applyEdit(tree, { parentRev, newRev, deleted: deleted ?? false })),
    frozen(emptyTree()),
  );
}

/** Merges replicated paths in turn: each [newest rev, ...older hashes] with an optional deleted flag. */
function merged(...paths: { revs: string; deleted?: boolean }[]): RevTree {
  return paths.reduce<RevTree>((tree, { revs, deleted }) => {
    const [newest, ...older] = revs.split(' ');
    const [start, hash] = (newest as string).split('-');
    return frozen(
      mergePath(tree, { start: Number(start), ids: [hash as string, ...older] }, deleted ?? false).tree,
    );
  }, frozen(emptyTree()));
}

const CONFLICT = 'Document update conflict.';

describe('emptyTree', () => {
  it('has no revision, no leaf and no winner', () => {
    const tree = emptyTree();
    expect(leaves(tree)).toEqual([]);
    expect(winningRev(tree)).toBeNull();
    expect(conflicts(tree)).toEqual([]);
    expect(deletedConflicts(tree)).toEqual([]);
    expect(hasRev(tree, '1-a')).toBe(false);
  });
});

describe('applyEdit', () => {
  it('creates the first revision of a document', () => {
    const tree = edits([null, '1-a']);
    expect(leaves(tree)).toEqual([{ rev: '1-a', deleted: false }]);
    expect(winningRev(tree)).toEqual({ rev: '1-a', deleted: false });
  });

  it('gives a creation the one-node tree, deleted or not, and refuses a first revision past 1', () => {
    expect(applyEdit(emptyTree(), { parentRev: null, newRev: '1-a', deleted: false })).toEqual({
      nodes: [[1, 'a', -1, 0]],
    });
    const tombstone = applyEdit(emptyTree(), { parentRev: null, newRev: '1-a', deleted: true });
    expect(tombstone).toEqual({ nodes: [[1, 'a', -1, 1]] });
    expect(winningRev(tombstone)).toEqual({ rev: '1-a', deleted: true });
    expect(() => applyEdit(emptyTree(), { parentRev: null, newRev: '2-a', deleted: false })).toThrow(
      RangeError,
    );
    expect(() => applyEdit(emptyTree(), { parentRev: '1-a', newRev: '2-b', deleted: false })).toThrow(
      Conflict,
    );
    expect(() => applyEdit(emptyTree(), { parentRev: null, newRev: 'bad', deleted: false })).toThrow(
      BadRequest,
    );
  });

  it('extends a leaf, which stops being a leaf', () => {
    const tree = edits([null, '1-a'], ['1-a', '2-b'], ['2-b', '3-c']);
    expect(leaves(tree)).toEqual([{ rev: '3-c', deleted: false }]);
    expect(isLeaf(tree, '2-b')).toBe(false);
    expect(revisionsFor(tree, '3-c')).toEqual({ start: 3, ids: ['c', 'b', 'a'] });
  });

  it('records a deletion as a deleted leaf that wins when it is the only leaf', () => {
    const tree = edits([null, '1-a'], ['1-a', '2-d', true]);
    expect(winningRev(tree)).toEqual({ rev: '2-d', deleted: true });
  });

  it('rejects an edit whose parent is an inner revision with Conflict', () => {
    const tree = edits([null, '1-a'], ['1-a', '2-b']);
    expect(() => applyEdit(tree, { parentRev: '1-a', newRev: '2-x', deleted: false })).toThrow(Conflict);
    expect(() => applyEdit(tree, { parentRev: '1-a', newRev: '2-x', deleted: false })).toThrow(CONFLICT);
  });

  it('rejects an edit whose parent is unknown with Conflict', () => {
    const tree = edits([null, '1-a']);
    expect(() => applyEdit(tree, { parentRev: '1-zz', newRev: '2-x', deleted: false })).toThrow(Conflict);
  });

  it('rejects an edit naming a parent on a document that has none with Conflict', () => {
    expect(() => applyEdit(emptyTree(), { parentRev: '1-a', newRev: '2-b', deleted: false })).toThrow(
      Conflict,
    );
  });

  it('rejects a creation without parent while the document is alive with Conflict', () => {
    const tree = edits([null, '1-a']);
    expect(() => applyEdit(tree, { parentRev: null, newRev: '1-b', deleted: false })).toThrow(CONFLICT);
  });

  it('rejects a creation without parent while one conflict branch is still alive', () => {
    const tree = frozen(
      mergePath(
        edits([null, '1-a'], ['1-a', '2-b'], ['2-b', '3-d', true]),
        { start: 2, ids: ['c', 'a'] },
        false,
      ).tree,
    );
    expect(winningRev(tree)).toEqual({ rev: '2-c', deleted: false });
    expect(() => editParent(tree, null)).toThrow(Conflict);
  });

  it('re-creates a deleted document by extending its deleted winning leaf', () => {
    const deleted = edits([null, '1-a'], ['1-a', '2-d', true]);
    expect(editParent(deleted, null)).toBe('2-d');
    const tree = frozen(applyEdit(deleted, { parentRev: null, newRev: '3-r', deleted: false }));
    expect(winningRev(tree)).toEqual({ rev: '3-r', deleted: false });
    expect(leaves(tree)).toHaveLength(1);
    expect(revisionsFor(tree, '3-r')).toEqual({ start: 3, ids: ['r', 'd', 'a'] });
    expect(revsInfo(tree, '3-r', () => true).map((info) => info.status)).toEqual([
      'available',
      'deleted',
      'available',
    ]);
  });

  it('re-creates onto the winning deleted leaf when several branches are deleted', () => {
    let tree = edits([null, '1-a'], ['1-a', '2-b', true]);
    tree = mergePath(tree, { start: 3, ids: ['y', 'x', 'a'] }, true).tree;
    tree = mergePath(tree, { start: 3, ids: ['z', 'w', 'a'] }, true).tree;
    expect(editParent(tree, null)).toBe('3-z');
    tree = applyEdit(tree, { parentRev: null, newRev: '4-n', deleted: false });
    expect(winningRev(tree)).toEqual({ rev: '4-n', deleted: false });
    expect(deletedConflicts(tree)).toEqual(['3-y', '2-b']);
  });

  it('re-creates with a revision computed by nextRev from editParent', () => {
    const deleted = edits([null, '1-a'], ['1-a', '2-d', true]);
    const body = { title: 'back' };
    const newRev = nextRev({ parentRev: editParent(deleted, null), deleted: false, body });
    expect(newRev.startsWith('3-')).toBe(true);
    expect(winningRev(applyEdit(deleted, { parentRev: null, newRev, deleted: false }))?.rev).toBe(newRev);
  });

  it('lets a deletion be made without parent on an empty tree', () => {
    expect(winningRev(edits([null, '1-a', true]))).toEqual({ rev: '1-a', deleted: true });
  });

  it('lets a losing conflict leaf be edited, which is how conflicts are resolved', () => {
    const tree = frozen(
      mergePath(edits([null, '1-a'], ['1-a', '2-b']), { start: 2, ids: ['c', 'a'] }, false).tree,
    );
    expect(conflicts(tree)).toEqual(['2-b']);
    const resolved = applyEdit(tree, { parentRev: '2-b', newRev: '3-x', deleted: true });
    expect(winningRev(resolved)).toEqual({ rev: '2-c', deleted: false });
    expect(conflicts(resolved)).toEqual([]);
    expect(deletedConflicts(resolved)).toEqual(['3-x']);
  });

  it('lets a deleted leaf be edited by naming it', () => {
    const tree = edits([null, '1-a'], ['1-a', '2-d', true], ['2-d', '3-e']);
    expect(winningRev(tree)).toEqual({ rev: '3-e', deleted: false });
  });

  it('rejects a malformed parent or new revision with BadRequest', () => {
    const tree = edits([null, '1-a']);
    expect(() => applyEdit(tree, { parentRev: '1_a', newRev: '2-b', deleted: false })).toThrow(BadRequest);
    expect(() => applyEdit(tree, { parentRev: '1-a', newRev: '2-', deleted: false })).toThrow(BadRequest);
    expect(() => editParent(tree, 'x')).toThrow(BadRequest);
  });

  it('rejects a new revision at the wrong position as a programming error (RangeError)', () => {
    const tree = edits([null, '1-a']);
    expect(() => applyEdit(tree, { parentRev: '1-a', newRev: '3-b', deleted: false })).toThrow(RangeError);
    expect(() => applyEdit(emptyTree(), { parentRev: null, newRev: '2-b', deleted: false })).toThrow(
      RangeError,
    );
  });

  it('rejects a new revision that is already in the tree with Conflict', () => {
    const tree = merged({ revs: '2-b a' }, { revs: '1-x' });
    expect(() => applyEdit(tree, { parentRev: '1-x', newRev: '2-b', deleted: false })).toThrow(Conflict);
  });

  it('never modifies the tree it is given', () => {
    const tree = edits([null, '1-a']);
    const json = JSON.stringify(tree);
    applyEdit(tree, { parentRev: '1-a', newRev: '2-b', deleted: false });
    expect(JSON.stringify(tree)).toBe(json);
  });
});

describe('winningRev', () => {
  it('prefers a non-deleted leaf over a deeper deleted one', () => {
    const tree = merged({ revs: '5-e d c b a', deleted: true }, { revs: '2-x a' });
    expect(winningRev(tree)).toEqual({ rev: '2-x', deleted: false });
  });

  it('prefers the higher position among live leaves', () => {
    const tree = merged({ revs: '3-a b a' }, { revs: '2-z a' });
    expect(winningRev(tree)).toEqual({ rev: '3-a', deleted: false });
  });

  it('breaks position ties by the higher hash in plain code unit order, not locale order', () => {
    // 'a' (0x61) > 'Z' (0x5A) > '9' (0x39), though a locale comparison would put Z after a.
    const tree = merged({ revs: '2-Z a' }, { revs: '2-a a' }, { revs: '2-9 a' });
    expect(winningRev(tree)).toEqual({ rev: '2-a', deleted: false });
    expect(conflicts(tree)).toEqual(['2-Z', '2-9']);
  });

  it('compares positions as numbers, so 10 beats 9', () => {
    const tree = merged({ revs: '10-a' }, { revs: '9-b' });
    expect(winningRev(tree)?.rev).toBe('10-a');
  });

  it('chooses among deleted leaves by position then hash when every leaf is deleted', () => {
    const tree = merged(
      { revs: '2-b a', deleted: true },
      { revs: '2-c a', deleted: true },
      { revs: '1-z', deleted: true },
    );
    expect(winningRev(tree)).toEqual({ rev: '2-c', deleted: true });
    expect(conflicts(tree)).toEqual([]);
    expect(deletedConflicts(tree)).toEqual(['2-b', '1-z']);
  });
});

describe('leaves, conflicts and deletedConflicts', () => {
  const tree = merged(
    { revs: '3-c b a' },
    { revs: '3-d b a', deleted: true },
    { revs: '2-e a' },
    { revs: '4-f x y z', deleted: true },
    { revs: '1-q' },
  );

  it('lists every leaf best first with its deleted flag', () => {
    expect(leaves(tree)).toEqual([
      { rev: '3-c', deleted: false },
      { rev: '2-e', deleted: false },
      { rev: '1-q', deleted: false },
      { rev: '4-f', deleted: true },
      { rev: '3-d', deleted: true },
    ]);
  });

  it('reports the live losers as conflicts and the deleted losers as deleted conflicts', () => {
    expect(winningRev(tree)).toEqual({ rev: '3-c', deleted: false });
    expect(conflicts(tree)).toEqual(['2-e', '1-q']);
    expect(deletedConflicts(tree)).toEqual(['4-f', '3-d']);
  });
});

describe('isLeaf and hasRev', () => {
  const tree = merged({ revs: '3-c b a' }, { revs: '2-x a' });

  it('knows leaves from inner revisions', () => {
    expect(isLeaf(tree, '3-c')).toBe(true);
    expect(isLeaf(tree, '2-x')).toBe(true);
    expect(isLeaf(tree, '2-b')).toBe(false);
    expect(hasRev(tree, '2-b')).toBe(true);
    expect(hasRev(tree, '1-a')).toBe(true);
  });

  it('answers false for unknown or malformed revisions', () => {
    expect(hasRev(tree, '3-x')).toBe(false);
    expect(isLeaf(tree, '4-c')).toBe(false);
    expect(hasRev(tree, '03-c')).toBe(false);
    expect(isLeaf(tree, 'garbage')).toBe(false);
  });
});

describe('revisionsFor', () => {
  const tree = merged({ revs: '4-d c b a' }, { revs: '3-x b a' });

  it('lists the revision and its ancestors newest first', () => {
    expect(revisionsFor(tree, '4-d')).toEqual({ start: 4, ids: ['d', 'c', 'b', 'a'] });
    expect(revisionsFor(tree, '3-x')).toEqual({ start: 3, ids: ['x', 'b', 'a'] });
  });

  it('works from an inner revision too', () => {
    expect(revisionsFor(tree, '2-b')).toEqual({ start: 2, ids: ['b', 'a'] });
  });

  it('stops at the oldest revision kept after stemming', () => {
    expect(revisionsFor(stem(merged({ revs: '4-d c b a' }), 2), '4-d')).toEqual({
      start: 4,
      ids: ['d', 'c'],
    });
    // 2-b is kept for the leaf 3-x, and stays the parent of 3-c.
    expect(revisionsFor(stem(tree, 2), '4-d')).toEqual({ start: 4, ids: ['d', 'c', 'b'] });
  });

  it('throws NotFound for a revision not in the tree', () => {
    expect(() => revisionsFor(tree, '5-e')).toThrow(NotFound);
    expect(() => revisionsFor(tree, '5-e')).toThrow('missing');
  });
});

describe('revsInfo', () => {
  const tree = merged({ revs: '3-c b a' }, { revs: '2-d a', deleted: true });

  it('marks each ancestor available or missing as the caller knows its body', () => {
    expect(revsInfo(tree, '3-c', (rev) => rev !== '2-b')).toEqual([
      { rev: '3-c', status: 'available' },
      { rev: '2-b', status: 'missing' },
      { rev: '1-a', status: 'available' },
    ]);
  });

  it('marks deletions as deleted whatever the caller says', () => {
    expect(revsInfo(tree, '2-d', () => true)).toEqual([
      { rev: '2-d', status: 'deleted' },
      { rev: '1-a', status: 'available' },
    ]);
  });

  it('throws NotFound for a revision not in the tree', () => {
    expect(() => revsInfo(tree, '9-z', () => true)).toThrow(NotFound);
  });
});

describe('revsDiff', () => {
  const tree = merged({ revs: '3-c b a' }, { revs: '2-d a', deleted: true }, { revs: '5-q p' });

  it('reports nothing when every revision is known, inner ones included', () => {
    expect(revsDiff(tree, ['3-c', '1-a', '2-b'])).toEqual({ missing: [], possibleAncestors: [] });
  });

  it('reports unknown revisions once each, in the order asked', () => {
    expect(revsDiff(tree, ['9-z', '3-c', '4-x', '9-z']).missing).toEqual(['9-z', '4-x']);
  });

  it('offers as possible ancestors the leaves below the highest missing position, deleted ones too', () => {
    expect(revsDiff(tree, ['4-x']).possibleAncestors).toEqual(['2-d', '3-c']);
    expect(revsDiff(tree, ['6-y', '4-x']).possibleAncestors).toEqual(['2-d', '3-c', '5-q']);
    expect(revsDiff(tree, ['2-y']).possibleAncestors).toEqual([]);
  });

  it('treats every revision as missing from an empty tree, with no ancestors', () => {
    expect(revsDiff(emptyTree(), ['1-a', '2-b'])).toEqual({ missing: ['1-a', '2-b'], possibleAncestors: [] });
  });

  it('rejects a malformed revision with BadRequest', () => {
    expect(() => revsDiff(tree, ['3-c', 'nope'])).toThrow(BadRequest);
  });
});

describe('storage as JSON', () => {
  it('round-trips through JSON.stringify and JSON.parse unchanged', () => {
    const tree = stem(
      merged({ revs: '4-d c b a', deleted: true }, { revs: '3-x b a' }, { revs: '7-q p' }),
      3,
    );
    const back = parseTree(JSON.parse(JSON.stringify(tree)));
    expect(back).toEqual(tree);
    expect(leaves(back)).toEqual(leaves(tree));
    expect(revisionsFor(back, '4-d')).toEqual(revisionsFor(tree, '4-d'));
  });

  it('serialises the same revisions to the same JSON whatever the order they arrived in', () => {
    const one = merged({ revs: '3-c b a' }, { revs: '2-x a' }, { revs: '1-z' });
    const two = merged({ revs: '1-z' }, { revs: '2-x a' }, { revs: '3-c b a' });
    expect(JSON.stringify(one)).toBe(JSON.stringify(two));
  });

  it('is written by treeJson exactly as JSON.stringify writes it', () => {
    const trees = [
      emptyTree(),
      edits([null, '1-a']),
      edits([null, '1-a'], ['1-a', '2-d', true]),
      stem(merged({ revs: '4-d c b a', deleted: true }, { revs: '3-x b a' }, { revs: '7-q p' }), 3),
    ];
    for (const tree of trees) expect(treeJson(tree)).toBe(JSON.stringify(tree));
  });

  it('stays shallow JSON for a history of ten thousand revisions', () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => (10_000 - i).toString(36));
    const tree = mergePath(emptyTree(), { start: 10_000, ids }, false).tree;
    const text = JSON.stringify(tree);
    expect(text.length).toBeLessThan(250_000);
    const back = parseTree(JSON.parse(text));
    expect(winningRev(back)).toEqual({ rev: `10000-${ids[0]}`, deleted: false });
    expect(revisionsFor(back, `10000-${ids[0]}`).ids).toEqual(ids);
    expect(stem(back, 1000).nodes).toHaveLength(1000);
  });
});

describe('parseTree', () => {
  const good = merged({ revs: '2-b a' }, { revs: '2-c a' });

  it('returns a well-formed tree', () => {
    expect(parseTree(JSON.parse(JSON.stringify(good)))).toEqual(good);
    expect(parseTree({ nodes: [] })).toEqual(emptyTree());
  });

  it.each([
    ['not an object', 'x'],
    ['no nodes', {}],
    ['a node that is not a tuple', { nodes: [[1, 'a', -1]] }],
    ['a bad deleted flag', { nodes: [[1, 'a', -1, true]] }],
    ['a malformed revision', { nodes: [[0, 'a', -1, 0]] }],
    [
      'a parent after its child',
      {
        nodes: [
          [1, 'a', 1, 0],
          [2, 'b', -1, 0],
        ],
      },
    ],
    [
      'a parent at the wrong position',
      {
        nodes: [
          [1, 'a', -1, 0],
          [3, 'b', 0, 0],
        ],
      },
    ],
    [
      'nodes out of canonical order',
      {
        nodes: [
          [1, 'b', -1, 0],
          [1, 'a', -1, 0],
        ],
      },
    ],
    [
      'a duplicated revision',
      {
        nodes: [
          [1, 'a', -1, 0],
          [1, 'a', -1, 0],
        ],
      },
    ],
  ])('rejects %s as a corrupt tree (a server fault, not BadRequest)', (_why, input) => {
    let thrown: unknown;
    try {
      parseTree(input);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect(thrown).not.toBeInstanceOf(BadRequest);
    expect((thrown as Error).message).toMatch(/^Corrupt revision tree: /);
  });
});
