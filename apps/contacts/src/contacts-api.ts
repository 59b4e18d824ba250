import { NuageError, type BulkResult, type Documents, type NuageClient } from '@nuage/client';
import {
  ADDRESS_BOOKS,
  CONTACTS,
  FIELD_NAMES,
  type AddressBook,
  type AddressBookDoc,
  type Contact,
  type ContactDoc,
  type ContactFields,
} from './types.js';

/** The id and name the DAV edge gives its default address book (server/src/edges/pimdav/context.ts). */
const DEFAULT_BOOK = { _id: 'contacts', name: 'Contacts' };
/** Documents per `_bulk_docs` request: big enough to be quick, small enough to show progress. */
export const BATCH = 200;
/** Documents per `_all_docs` page while loading. */
const PAGE = 1000;

/** Design documents (the server's Mango indexes) live among the contacts: they are not contacts. */
const isContact = (doc: { _id: string } | null | undefined): doc is ContactDoc =>
  !!doc && !doc._id.startsWith('_design/');

/** Reads and writes contacts and address books through the data API, with the app's token. */
export class ContactsApi {
  readonly contacts: Documents<Contact>;
  private readonly books: Documents<AddressBook>;

  constructor(client: NuageClient) {
    this.contacts = client.documents<Contact>(CONTACTS);
    this.books = client.documents<AddressBook>(ADDRESS_BOOKS);
  }

  /**
   * The address books, making the default one when there is none: the DAV edge makes it only on a
   * phone's first sync, and a contact outside any address book would never reach the phone. It takes
   * the DAV default's id, so an app and a phone starting at the same time still make one book.
   */
  async addressBooks(): Promise<AddressBookDoc[]> {
    const books = await this.listBooks();
    if (books.length > 0) return books;
    try {
      await this.books.create(DEFAULT_BOOK);
    } catch (error) {
      if (!(error instanceof NuageError && error.code === 'conflict')) throw error;
    }
    return this.listBooks();
  }

  private async listBooks(): Promise<AddressBookDoc[]> {
    const result = await this.books.all();
    return result.rows.flatMap((row) => (row.doc && !row.id.startsWith('_design/') ? [row.doc] : []));
  }

  /** Every contact, page by page; `onPage` sees the list grow so the first names show at once. */
  async loadAll(onPage?: (sofar: ContactDoc[]) => void): Promise<ContactDoc[]> {
    const all: ContactDoc[] = [];
    let startKey: string | undefined;
    for (;;) {
      const page = await this.contacts.all({ limit: PAGE, ...(startKey ? { startKey, skip: 1 } : {}) });
      for (const row of page.rows) if (isContact(row.doc)) all.push(row.doc);
      onPage?.(all);
      const last = page.rows[page.rows.length - 1];
      if (page.rows.length < PAGE || !last) return all;
      startKey = last.id;
    }
  }

  /** Writes a new contact into `addressbook`, without `href`: DAV serves it as `<_id>.vcf`. */
  create(fields: ContactFields, addressbook: string): Promise<ContactDoc> {
    return this.contacts.create({ ...fields, addressbook });
  }

  /**
   * Saves edited fields over `stored`: members the app does not own (raw, rawHash, href, another app's
   * members) stay as stored, and a field removed in the editor is removed from the document.
   */
  update(stored: ContactDoc, fields: ContactFields): Promise<ContactDoc> {
    const next: ContactDoc = { _id: stored._id, _rev: stored._rev };
    for (const [key, value] of Object.entries(stored)) {
      if (!FIELD_KEYS.has(key)) (next as unknown as Record<string, unknown>)[key] = value;
    }
    return this.contacts.update({ ...next, ...fields, _id: stored._id, _rev: stored._rev });
  }

  remove(contact: ContactDoc): Promise<unknown> {
    return this.contacts.remove(contact);
  }

  /** One `_bulk_docs` request; refused lines are returned for the caller to count. */
  bulk(docs: Parameters<Documents<Contact>['bulk']>[0]): Promise<BulkResult[]> {
    return this.contacts.bulk(docs);
  }
}

/** The structured field names: everything else in a stored contact is kept as it is on save. */
export const FIELD_KEYS = new Set<string>(FIELD_NAMES);
