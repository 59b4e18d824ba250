import type { NuageClient, RealtimeEvent } from '@nuage/client';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ContactsApi } from './contacts-api.js';
import { entryOf, sortEntries, type Entry } from './filter.js';
import { CONTACTS, type AddressBookDoc, type Contact, type ContactDoc } from './types.js';

export interface ContactsState {
  /** Sorted by name; null while the first page loads. */
  entries: Entry[] | null;
  /** The address book new contacts go into (the first one; made when there is none). */
  book: AddressBookDoc | null;
  /** Puts a written document in the list at once, without waiting for its realtime event. */
  apply: (doc: ContactDoc) => void;
  byId: (id: string) => ContactDoc | undefined;
}

/** Entries are computed once per document revision: a realtime batch re-folds only what changed. */
const entries = new WeakMap<ContactDoc, Entry>();
const cachedEntry = (doc: ContactDoc): Entry => {
  let entry = entries.get(doc);
  if (!entry) entries.set(doc, (entry = entryOf(doc)));
  return entry;
};

/**
 * Every contact, kept live: subscribe first, then load page by page (a write in between arrives as an
 * event), and reload after a reconnection, since events are not replayed. Events are applied in
 * batches every 200 ms: an import of thousands would otherwise re-sort the list thousands of times.
 */
export function useContacts(
  client: NuageClient,
  api: ContactsApi,
  onError: (e: unknown) => void,
): ContactsState {
  const docs = useRef(new Map<string, ContactDoc>());
  const [version, setVersion] = useState(-1);
  const [book, setBook] = useState<AddressBookDoc | null>(null);

  useEffect(() => {
    let pending: ContactDoc[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      timer = undefined;
      for (const doc of pending) {
        const old = docs.current.get(doc._id);
        // An event older than what a direct write already put in the list must not undo it.
        if (old && revNumber(old._rev) > revNumber(doc._rev)) continue;
        if (doc._deleted) docs.current.delete(doc._id);
        else docs.current.set(doc._id, doc);
      }
      pending = [];
      setVersion((v) => v + 1);
    };
    const stop = client.realtime.subscribe<Contact>(CONTACTS, (event: RealtimeEvent<Contact>) => {
      if (event.doc._id.startsWith('_design/')) return;
      pending.push(event.kind === 'DELETED' ? { ...event.doc, _deleted: true } : event.doc);
      timer ??= setTimeout(flush, 200);
    });
    const load = async () => {
      const all = await api.loadAll((sofar) => {
        for (const doc of sofar) docs.current.set(doc._id, doc);
        setVersion((v) => v + 1);
      });
      const ids = new Set(all.map((d) => d._id));
      for (const id of [...docs.current.keys()]) if (!ids.has(id)) docs.current.delete(id);
      setVersion((v) => v + 1);
    };
    let opened = 0;
    const stopState = client.realtime.onState((state) => {
      if (state === 'open' && opened++ > 0) load().catch(onError);
    });
    load().catch(onError);
    api
      .addressBooks()
      .then((books) => setBook(books[0] ?? null))
      .catch(onError);
    return () => {
      stop();
      stopState();
      if (timer) clearTimeout(timer);
    };
    // onError only shows a toast: re-subscribing when its identity changes would drop events.
  }, [client, api]);

  const list = useMemo(
    () => (version < 0 ? null : sortEntries([...docs.current.values()].map(cachedEntry))),
    [version],
  );
  return {
    entries: list,
    book,
    apply: (doc) => {
      if (doc._deleted) docs.current.delete(doc._id);
      else docs.current.set(doc._id, doc);
      setVersion((v) => v + 1);
    },
    byId: (id) => docs.current.get(id),
  };
}

/** The generation of a revision (`3-abc` → 3). */
function revNumber(rev: string): number {
  return Number.parseInt(rev, 10) || 0;
}
