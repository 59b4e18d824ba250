import type { DocEdit, DocumentStore, WriteResult } from '../ports/store/documents.js';
import type { DocumentEvent, EventKind } from './events.js';

/**
 * The realtime events of one committed `writeDocs` batch, one per successful edit. New edits carry the
 * revision just written (a creation has no parent revision, which includes re-creating a deleted
 * document). Replicated edits (`newEdits: false`) may not change the winner, so their documents are
 * read back and reported as they now stand: a first revision is a creation. Failed edits give none.
 */
export async function eventsOfBatch(
  store: DocumentStore,
  doctype: string,
  edits: readonly DocEdit[],
  results: readonly WriteResult[],
  newEdits: boolean,
): Promise<DocumentEvent[]> {
  if (newEdits) {
    const events: DocumentEvent[] = [];
    results.forEach((result, i) => {
      const edit = edits[i];
      if (!result.ok || !edit) return;
      const kind: EventKind = edit.deleted ? 'DELETED' : edit.parentRev ? 'UPDATED' : 'CREATED';
      const doc = {
        ...edit.body,
        _id: result.id,
        _rev: result.rev,
        ...(edit.deleted && { _deleted: true as const }),
      };
      events.push({ kind, doctype, id: result.id, rev: result.rev, doc });
    });
    return events;
  }
  const ids = [...new Set(results.filter((r) => r.ok).map((r) => r.id))];
  if (ids.length === 0) return [];
  const stored = await store.getDocs(doctype, ids);
  return stored.flatMap((doc) => {
    if (!doc) return [];
    const kind: EventKind = doc.deleted ? 'DELETED' : doc.rev.startsWith('1-') ? 'CREATED' : 'UPDATED';
    const view = { ...doc.body, _id: doc.id, _rev: doc.rev, ...(doc.deleted && { _deleted: true as const }) };
    return [{ kind, doctype, id: doc.id, rev: doc.rev, doc: view }];
  });
}
