import { BATCH, type ContactsApi } from './contacts-api.js';
import type { ContactFields } from './types.js';
import { readVCards } from './vcard/read.js';

export interface ImportProgress {
  done: number;
  total: number;
}

export interface ImportOutcome {
  imported: number;
  /** Cards the server refused (each line of `_bulk_docs` says why). */
  failed: number;
}

/**
 * Imports the cards of a .vcf file into `addressbook`, `BATCH` at a time, reporting progress after
 * each batch. A UID seen twice (in the file, or already in the book) is dropped from the later card: DAV needs UIDs unique
 * within an address book, and the later card then gets its document id as UID.
 */
export async function importVcf(
  api: ContactsApi,
  text: string,
  addressbook: string,
  /** UIDs already in the address book: importing the same file twice must not repeat them. */
  existingUids: ReadonlySet<string>,
  onProgress: (progress: ImportProgress) => void,
): Promise<ImportOutcome> {
  const cards = readVCards(text).filter((card) => Object.keys(card).length > 0);
  const uids = new Set<string>(existingUids);
  const docs = cards.map((card): ContactFields & { addressbook: string } => {
    const { uid, ...rest } = card;
    const fresh = uid !== undefined && !uids.has(uid);
    if (fresh) uids.add(uid);
    return { ...rest, ...(fresh ? { uid } : {}), addressbook };
  });
  const outcome: ImportOutcome = { imported: 0, failed: 0 };
  onProgress({ done: 0, total: docs.length });
  let done = 0;
  for (const batch of batches(docs)) {
    const results = await api.bulk(batch);
    for (const result of results) {
      if ('ok' in result) outcome.imported++;
      else outcome.failed++;
    }
    done += batch.length;
    onProgress({ done, total: docs.length });
  }
  return outcome;
}

/** Characters of JSON per request at most: cards with photos are large, and the stack limits bodies. */
const BATCH_CHARS = 4_000_000;

/** Groups of at most BATCH documents and about BATCH_CHARS of JSON (a single larger card goes alone). */
function* batches<T>(docs: readonly T[]): Generator<T[]> {
  let batch: T[] = [];
  let size = 0;
  for (const doc of docs) {
    const length = JSON.stringify(doc).length;
    if (batch.length > 0 && (batch.length >= BATCH || size + length > BATCH_CHARS)) {
      yield batch;
      batch = [];
      size = 0;
    }
    batch.push(doc);
    size += length;
  }
  if (batch.length > 0) yield batch;
}
