/**
 * CouchDB revision trees as pure functions over JSON-serialisable data: revision ids (rev.ts), the tree
 * and its queries (tree.ts), and the edits, merges and stemming that change it (edit.ts).
 */
export {
  MAX_REVISION_IDS,
  bodyJson,
  canonicalJson,
  formatRev,
  isRevHash,
  newRevHash,
  nextRev,
  nextRevOfJson,
  parseRev,
  parseRevisions,
  type Rev,
  type RevisionPath,
} from './rev.js';
export {
  conflicts,
  deletedConflicts,
  emptyTree,
  hasRev,
  isLeaf,
  leaves,
  parseTree,
  revisionsFor,
  revsDiff,
  revsInfo,
  treeJson,
  winningRev,
  type Leaf,
  type RevInfo,
  type RevNode,
  type RevTree,
} from './tree.js';
export { applyEdit, editParent, mergePath, stem, type Edit, type MergeResult } from './edit.js';
