import {
  applyEdit,
  bodyJson,
  editParent,
  emptyTree,
  formatRev,
  mergePath,
  nextRevOfJson,
  stem,
  treeJson,
  winningRev,
  type Leaf,
  type RevTree,
} from '../../data/revisions/index.js';
import { BadRequest, NuageError } from '../../errors.js';
import {
  DEFAULT_REVS_LIMIT,
  type DocBody,
  type DocEdit,
  type DocView,
  type WriteOptions,
  type WriteResult,
  type WrittenDoc,
} from './documents.js';

/**
 * The part of `writeDocs` that both adapters share: given the stored state of the documents a batch
 * touches, apply its edits in memory with the pure revision functions and say what to store. Adapters
 * only load (inside their transaction, rows locked) and persist, so SQLite and PostgreSQL cannot drift
 * apart in what a batch means.
 */

/** A document as an adapter loads it before a batch. */
export interface LoadedDoc {
  id: string;
  tree: RevTree;
  rev: string;
  deleted: boolean;
  seq: number;
  /**
   * JSON text of stored leaf bodies by revision: always the winner's; the other leaves' too when the
   * tree has more than one leaf (see {@link leafCount}), since a batch may make one of them win.
   */
  bodies: Map<string, string>;
}

/** What an adapter stores for one document the batch changed. */
export interface DocWrite {
  id: string;
  existed: boolean;
  rev: string;
  deleted: boolean;
  seq: number;
  /** The revision tree as JSON. */
  tree: string;
  /** The winning revision's body as JSON. */
  body: string;
  /** When the non-winning leaves changed: their bodies, to replace every stored one. Else null. */
  others: [rev: string, body: string][] | null;
}

export interface BatchOutcome {
  writes: DocWrite[];
  /** The documents whose winning revision changed, for write participants. */
  written: WrittenDoc[];
  /** Change of the doctype's live and deleted counts. */
  liveDelta: number;
  deletedDelta: number;
  /** The last seq assigned (the input seq when nothing changed). */
  updateSeq: number;
}

interface Pending {
  id: string;
  before: LoadedDoc | null;
  tree: RevTree;
  winner: Leaf | null;
  bodies: Map<string, string>;
  /** The revision this batch wrote last and its body object: most documents get one edit. */
  lastRev: string | null;
  lastBody: DocBody | null;
  /** Other parsed bodies (written earlier in this batch, or parsed on demand); made when first needed. */
  objects: Map<string, DocBody> | null;
  dirty: boolean;
}

/** Number of leaves of a tree, without building anything: adapters use it to decide what to load. */
export function leafCount(tree: RevTree): number {
  const hasChild = new Uint8Array(tree.nodes.length);
  for (const node of tree.nodes) if (node[2] >= 0) hasChild[node[2]] = 1;
  let count = 0;
  for (let i = 0; i < hasChild.length; i++) if (hasChild[i] === 0) count++;
  return count;
}

/** A body as the outside sees it: metadata first, then the members. */
export function docView(id: string, leaf: Leaf, body: DocBody): DocView {
  const view: DocView = { _id: id, _rev: leaf.rev, ...body };
  if (leaf.deleted) view._deleted = true;
  return view;
}

export class DocBatch {
  private readonly pending = new Map<string, Pending>();
  private readonly revsLimit: number;

  constructor(
    private readonly loaded: ReadonlyMap<string, LoadedDoc>,
    private readonly options: WriteOptions,
  ) {
    this.revsLimit = options.revsLimit ?? DEFAULT_REVS_LIMIT;
  }

  /** Applies one edit on top of the previous ones; a NuageError fails this edit only. */
  apply(edit: DocEdit): WriteResult {
    const state = this.stateOf(edit.id);
    try {
      return this.options.newEdits ? this.applyNew(edit, state) : this.applyReplicated(edit, state);
    } catch (error) {
      if (error instanceof NuageError) return { id: edit.id, ok: false, error };
      throw error;
    }
  }

  /** What to store, with sequence numbers counted on from `seq`, in order of first change. */
  finish(seq: number): BatchOutcome {
    const outcome: BatchOutcome = { writes: [], written: [], liveDelta: 0, deletedDelta: 0, updateSeq: seq };
    for (const state of this.pending.values()) {
      if (!state.dirty || state.winner === null) continue;
      const id = state.id;
      const winner = state.winner;
      const before = state.before;
      const docSeq = ++outcome.updateSeq;
      const body = state.bodies.get(winner.rev) as string;
      outcome.writes.push({
        id,
        existed: before !== null,
        rev: winner.rev,
        deleted: winner.deleted,
        seq: docSeq,
        tree: treeJson(state.tree),
        body,
        others: othersIfChanged(before, winner, state.bodies),
      });
      if (before === null || before.rev !== winner.rev || before.deleted !== winner.deleted) {
        outcome.written.push(new Written(id, state, winner, docSeq));
      }
      const wasLive = before !== null && !before.deleted;
      const wasDeleted = before !== null && before.deleted;
      outcome.liveDelta += (winner.deleted ? 0 : 1) - (wasLive ? 1 : 0);
      outcome.deletedDelta += (winner.deleted ? 1 : 0) - (wasDeleted ? 1 : 0);
    }
    return outcome;
  }

  private applyNew(edit: DocEdit, state: Pending): WriteResult {
    const parentRev = edit.parentRev ?? null;
    const parent = editParent(state.tree, parentRev);
    // The body is written once for storage and the revision hash together (see bodyJson).
    const json = bodyJson(edit.body);
    const rev = nextRevOfJson(parent, edit.deleted, json.canonical);
    this.runCheck(edit, state, { rev, deleted: edit.deleted });
    const tree = stem(
      applyEdit(state.tree, { parentRev, newRev: rev, deleted: edit.deleted }),
      this.revsLimit,
    );
    if (parent !== null) state.bodies.delete(parent);
    this.store(state, tree, rev, edit.body, json.text);
    return { id: edit.id, ok: true, rev };
  }

  private applyReplicated(edit: DocEdit, state: Pending): WriteResult {
    const path = edit.revisions;
    const first = path?.ids[0];
    if (path === undefined || first === undefined) {
      throw new BadRequest(`document ${edit.id} needs _revisions or _rev when new_edits is false`);
    }
    const rev = formatRev(path.start, first);
    const merged = mergePath(state.tree, path, edit.deleted);
    if (!merged.changed) return { id: edit.id, ok: true, rev };
    this.runCheck(edit, state, { rev, deleted: edit.deleted });
    for (const gone of merged.noLongerLeaves) state.bodies.delete(gone);
    const tree = stem(merged.tree, this.revsLimit);
    if (merged.added) this.store(state, tree, rev, edit.body, JSON.stringify(edit.body));
    else this.store(state, tree, null, null, null);
    return { id: edit.id, ok: true, rev };
  }

  /** Records the batch's new tree, and the body (with its JSON `text`) of a revision it added. */
  private store(
    state: Pending,
    tree: RevTree,
    rev: string | null,
    body: DocBody | null,
    text: string | null,
  ): void {
    if (rev !== null && body !== null && text !== null) {
      state.bodies.set(rev, text);
      if (state.lastRev !== null)
        (state.objects ??= new Map<string, DocBody>()).set(state.lastRev, state.lastBody as DocBody);
      state.lastRev = rev;
      state.lastBody = body;
    }
    state.tree = tree;
    state.winner = winningRev(tree);
    state.dirty = true;
  }

  private runCheck(edit: DocEdit, state: Pending, next: Leaf): void {
    const check = this.options.check;
    if (check === undefined) return;
    const winner = state.winner;
    const current = winner === null ? null : docView(edit.id, winner, objectOf(state, winner.rev));
    check(current, docView(edit.id, next, edit.body));
  }

  private stateOf(id: string): Pending {
    let state = this.pending.get(id);
    if (state === undefined) {
      const before = this.loaded.get(id) ?? null;
      state = {
        id,
        before,
        tree: before?.tree ?? emptyTree(),
        winner: before === null ? null : { rev: before.rev, deleted: before.deleted },
        bodies: new Map(before?.bodies),
        lastRev: null,
        lastBody: null,
        objects: null,
        dirty: false,
      };
      this.pending.set(id, state);
    }
    return state;
  }
}

/** The non-winning leaf bodies after the batch, or null when they are the ones already stored. */
function othersIfChanged(
  before: LoadedDoc | null,
  winner: Leaf,
  bodies: ReadonlyMap<string, string>,
): [string, string][] | null {
  // A new document whose only body is its winner's (every creation): nothing else to store.
  if (before === null && bodies.size === 1 && bodies.has(winner.rev)) return null;
  const after: [string, string][] = [];
  for (const entry of bodies) if (entry[0] !== winner.rev) after.push(entry);
  const storedBefore = before === null ? [] : [...before.bodies.keys()].filter((rev) => rev !== before.rev);
  if (
    after.length === storedBefore.length &&
    storedBefore.every((rev) => rev !== winner.rev && bodies.has(rev))
  ) {
    return null;
  }
  return after;
}

/** The parsed body of a leaf: the edit's own object when this batch wrote it, else parsed once. */
function objectOf(state: Pending, rev: string): DocBody {
  if (rev === state.lastRev) return state.lastBody as DocBody;
  let object = state.objects?.get(rev);
  if (object === undefined) {
    object = JSON.parse(state.bodies.get(rev) as string) as DocBody;
    (state.objects ??= new Map()).set(rev, object);
  }
  return object;
}

/**
 * A participant's view of a write; the document is built on first use (many participants skip it).
 * A class, so every view shares one getter: an object literal with a getter closure per document gets
 * a hidden class of its own, which cost a bulk write several microseconds a document.
 */
class Written implements WrittenDoc {
  readonly rev: string;
  readonly #state: Pending;
  readonly #winner: Leaf;
  #view: DocView | null | undefined;

  constructor(
    readonly id: string,
    state: Pending,
    winner: Leaf,
    readonly seq: number,
  ) {
    this.rev = winner.rev;
    this.#state = state;
    this.#winner = winner;
  }

  get doc(): DocView | null {
    const winner = this.#winner;
    this.#view ??= winner.deleted ? null : docView(this.id, winner, objectOf(this.#state, winner.rev));
    return this.#view;
  }
}
