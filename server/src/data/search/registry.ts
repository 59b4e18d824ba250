import { BadRequest } from '../../errors.js';
import { extractSearchText, parseSearchPath, type FieldPath, type SearchText } from './extract.js';

/**
 * Which fields of a doctype are searched: `title` fields weigh more in ranking and give the hit's
 * title; `body` fields are searched and give the snippet. Paths as in {@link parseSearchPath}.
 */
export interface SearchFields {
  readonly title: readonly string[];
  readonly body: readonly string[];
}

/** The doctypes Nuage searches out of the box. Apps add theirs with {@link SearchRegistry.declare}. */
export const SEARCHABLE: Readonly<Record<string, SearchFields>> = {
  'io.nuage.contacts': {
    title: ['fullname', 'name.givenName', 'name.familyName'],
    body: ['emails[].address', 'email[].address', 'org', 'company'],
  },
  'io.nuage.notes': { title: ['title'], body: ['content'] },
  'io.nuage.mail': { title: ['subject'], body: ['from', 'to', 'body', 'text'] },
  'io.nuage.files': { title: ['name'], body: [] },
  'io.nuage.events': { title: ['summary'], body: ['description', 'location'] },
  'io.nuage.todos': { title: ['summary'], body: ['description'] },
  'io.nuage.bookmarks': { title: ['title'], body: ['url', 'description'] },
  'io.nuage.feeds.items': { title: ['title'], body: ['content'] },
};

const MAX_FIELDS = 32;
const DOCTYPE = /^[a-z0-9_$()+/-]+(?:\.[a-z0-9_$()+/-]+)*$/;

interface Compiled {
  declared: SearchFields;
  title: FieldPath[];
  body: FieldPath[];
}

/**
 * The searchable doctypes of one stack. It starts from {@link SEARCHABLE} and can grow at runtime (an
 * app declaring its own searchable fields). It is an object, not module state, so each stack (and each
 * test) has its own. A declaration only affects later writes: call the index's `reindex(doctype)` for
 * documents already stored.
 */
export class SearchRegistry {
  private readonly compiled = new Map<string, Compiled>();

  constructor(initial: Readonly<Record<string, SearchFields>> = SEARCHABLE) {
    for (const [doctype, fields] of Object.entries(initial)) this.declare(doctype, fields);
  }

  /**
   * Makes `doctype` searchable with these fields, replacing an earlier declaration. Returns true when
   * this changed anything (then the documents already stored need a reindex). BadRequest for an invalid
   * doctype name, a bad path, or no field at all.
   */
  declare(doctype: string, fields: SearchFields): boolean {
    if (!DOCTYPE.test(doctype)) throw new BadRequest(`"${doctype}" is not a valid doctype name`);
    const count = fields.title.length + fields.body.length;
    if (count === 0) throw new BadRequest(`doctype ${doctype} declares no searchable field`);
    if (count > MAX_FIELDS) throw new BadRequest(`doctype ${doctype} declares too many searchable fields`);
    const declared: SearchFields = { title: [...fields.title], body: [...fields.body] };
    const previous = this.compiled.get(doctype);
    if (previous !== undefined && JSON.stringify(previous.declared) === JSON.stringify(declared))
      return false;
    this.compiled.set(doctype, {
      declared,
      title: declared.title.map(parseSearchPath),
      body: declared.body.map(parseSearchPath),
    });
    return true;
  }

  /** Stops indexing `doctype`; returns whether it was searchable (then reindex it to drop its entries). */
  forget(doctype: string): boolean {
    return this.compiled.delete(doctype);
  }

  isSearchable(doctype: string): boolean {
    return this.compiled.has(doctype);
  }

  fieldsOf(doctype: string): SearchFields | undefined {
    return this.compiled.get(doctype)?.declared;
  }

  /** The searchable doctypes, sorted. */
  doctypes(): string[] {
    return [...this.compiled.keys()].sort();
  }

  /**
   * The text a document of `doctype` contributes to the index, or null when the doctype is not
   * searchable or the document has no text in its searchable fields.
   */
  extract(doctype: string, doc: unknown): SearchText | null {
    const compiled = this.compiled.get(doctype);
    return compiled === undefined ? null : extractSearchText(doc, compiled);
  }
}
