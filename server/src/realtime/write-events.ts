import type { DocBody, DocEdit, DocumentStore, DocView, WriteResult } from '../ports/store/documents.js';
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
    for (let i = 0; i < results.length; i++) {
      const result = results[i] as WriteResult;
      const edit = edits[i];
      if (!result.ok || !edit) continue;
      events.push(new EditEvent(doctype, result.id, result.rev, edit));
    }
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

/**
 * The event of a new edit. Its document is built on first use: most batches reach no socket that
 * subscribed to them, and copying every body of a bulk write for nobody was a cost of each one.
 * `toJSON` writes it like a plain event, for a bus between processes.
 */
class EditEvent implements DocumentEvent {
  readonly kind: EventKind;
  readonly #body: DocBody;
  readonly #deleted: boolean;
  #view: DocView | undefined;

  constructor(
    readonly doctype: string,
    readonly id: string,
    readonly rev: string,
    edit: DocEdit,
  ) {
    // A creation has no parent revision, which includes re-creating a deleted document.
    this.kind = edit.deleted ? 'DELETED' : edit.parentRev ? 'UPDATED' : 'CREATED';
    this.#body = edit.body;
    this.#deleted = edit.deleted;
  }

  get doc(): DocView {
    this.#view ??= { ...this.#body, _id: this.id, _rev: this.rev, ...(this.#deleted && { _deleted: true }) };
    return this.#view;
  }

  toJSON(): DocumentEvent {
    return { kind: this.kind, doctype: this.doctype, id: this.id, rev: this.rev, doc: this.doc };
  }
}
