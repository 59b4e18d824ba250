import type { DocumentService } from '../data/documents.js';
import type { DataScope } from '../data/format.js';
import { BadRequest, Conflict, NotFound, PimPrecondition, PreconditionFailed } from '../errors.js';
import { randomId } from '../random-id.js';
import type { DocumentStore } from '../ports/store/documents.js';
import { checkConditions, etagOf, type Conditions, type ObjectRef } from './etags.js';
import { collectionBody, toCollection, type Collection, type CollectionProps } from './collections.js';
import {
  matchesAddressFilter,
  matchesCalendarFilter,
  type AddressFilter,
  type CalendarFilter,
} from './filters.js';
import { covers, expandedOverlaps, expandEvent, type ExpandedEvent } from './expanded.js';
import { busyPeriods, type BusyPeriod } from './free-busy.js';
import { loadIcal, type Ical } from './ical.js';
import { parseCalendarObject, type CalendarObject } from './icalendar.js';
import { contentTypeOf, doctypeOfComponent, EVENTS, KINDS, type CollectionKind } from './kinds.js';
import { MemberCache } from './member-cache.js';
import { createIndexes, memberByHref, membersByUid, type Member } from './members.js';
import {
  bodyFromResource,
  parseResource,
  rawIsCurrent,
  renderResource,
  spanVerdict,
  type RenderOptions,
} from './resources.js';
import { changesBetween, parseSyncToken, syncStateOf, type SyncChanges, type SyncState } from './sync.js';
import { vcardVerdict } from './text-prefilter.js';
import { parseVCard } from './vcard.js';

export type { Conditions, ObjectRef, SyncChanges, SyncState };

/** An object as a DAV GET serves it. */
export interface ObjectData extends ObjectRef {
  /** The vCard or iCalendar text (see resources.ts for how it is made). */
  text: string;
  contentType: string;
  /** The document behind it. */
  doctype: string;
  id: string;
}

/** What a PUT gives back. */
export interface PutResult extends ObjectRef {
  created: boolean;
  id: string;
  doctype: string;
}

export interface PimServiceOptions {
  /** PRODID of texts made from structured fields. */
  prodId?: string;
  /** New document ids when a resource name cannot be one (32 random hex digits by default). */
  newId?: () => string;
}

const WRITE_ATTEMPTS = 3;
/** Resource names: one path segment, no control characters. */
const HREF = /^(?!\.\.?$)[^/\\\u0000-\u001f\u007f]{1,255}$/;
/** Resource names that can be document ids too (so a tombstone's id still names its resource). */
const ID_LIKE = /^[A-Za-z0-9][A-Za-z0-9@._~+-]{0,199}$/;
const DTSTAMP = '20000101T000000Z';

function checkHref(href: string): void {
  if (!HREF.test(href)) throw new BadRequest(`invalid resource name ${JSON.stringify(href.slice(0, 64))}`);
}

/**
 * Address books and calendars over the documents service, for the CardDAV and CalDAV edges; it knows
 * nothing of HTTP or XML. Collections are documents of `io.nuage.contacts.addressbooks` and
 * `io.nuage.calendars`; objects are documents of `io.nuage.contacts`, `io.nuage.events` and
 * `io.nuage.todos` naming their collection (`addressbook` / `calendar`) and resource name (`href`), so
 * apps see plain documents. Like DocumentService it checks no permissions: edges do, first.
 */
export class PimService {
  private readonly prodId: string;
  private readonly newId: () => string;
  private readonly render: RenderOptions;
  private readonly indexed = new WeakMap<DocumentStore, Map<CollectionKind, Promise<void>>>();
  private readonly cache = new MemberCache();
  /** What a member's revision gives, computed once: members of the cache are read again and again. */
  private readonly derived = new WeakMap<Member, Derived>();

  constructor(
    private readonly documents: DocumentService,
    options: PimServiceOptions = {},
  ) {
    this.prodId = options.prodId ?? '-//Nuage//Nuage PIM//EN';
    this.newId = options.newId ?? randomId;
    this.render = { prodId: this.prodId, dtstamp: DTSTAMP };
  }

  // ---- collections

  /** Creates an address book or calendar, with `id` when given (Conflict if it exists), else a new id. */
  async createCollection(
    scope: DataScope,
    kind: CollectionKind,
    props: CollectionProps & { id?: string },
  ): Promise<Collection> {
    const { id, ...rest } = props;
    const body = collectionBody(kind, rest, null);
    const doctype = KINDS[kind].collectionDoctype;
    const written = await this.documents.put(scope, doctype, id ?? this.newId(), body);
    return toCollection(kind, written.id, written.rev, body);
  }

  /** Every collection of a kind, by id. */
  async listCollections(scope: DataScope, kind: CollectionKind): Promise<Collection[]> {
    const all = await this.documents.allDocs(scope, KINDS[kind].collectionDoctype, { includeDocs: true });
    return all.rows.flatMap((row) =>
      'id' in row && row.doc ? [toCollection(kind, row.id, row.value.rev, row.doc)] : [],
    );
  }

  /** One collection; NotFound when it does not exist (or was deleted). */
  async getCollection(scope: DataScope, kind: CollectionKind, id: string): Promise<Collection> {
    const { _id, _rev, ...body } = await this.documents.get(scope, KINDS[kind].collectionDoctype, id);
    return toCollection(kind, _id, _rev, body);
  }

  /** Changes a collection's properties (null removes one); other members of its document stay. */
  async updateCollection(
    scope: DataScope,
    kind: CollectionKind,
    id: string,
    props: CollectionProps,
  ): Promise<Collection> {
    const doctype = KINDS[kind].collectionDoctype;
    for (let attempt = 1; ; attempt++) {
      const { _id, _rev, ...previous } = await this.documents.get(scope, doctype, id);
      const body = collectionBody(kind, props, previous);
      try {
        const written = await this.documents.put(scope, doctype, id, body, { rev: _rev });
        return toCollection(kind, id, written.rev, body);
      } catch (error) {
        if (!(error instanceof Conflict) || attempt >= WRITE_ATTEMPTS) throw error;
      }
    }
  }

  /**
   * Deletes a collection and its objects. Their tombstones keep `addressbook`/`calendar` and `href`, so
   * a sync from before reports them deleted (until the collection is gone, when the edge answers 404).
   */
  async deleteCollection(scope: DataScope, kind: CollectionKind, id: string): Promise<void> {
    const collection = await this.getCollection(scope, kind, id);
    const members = await this.members(scope, kind, id);
    const field = KINDS[kind].field;
    for (const doctype of KINDS[kind].objectDoctypes) {
      const docs = members
        .filter((m) => m.doctype === doctype)
        .map((m) => ({ _id: m.id, _rev: m.rev, _deleted: true, [field]: id, href: m.href }));
      for (let i = 0; i < docs.length; i += 500) {
        await this.documents.bulkDocs(scope, doctype, docs.slice(i, i + 500));
      }
    }
    await this.documents.delete(scope, KINDS[kind].collectionDoctype, id, collection.rev);
  }

  // ---- objects

  /**
   * Stores vCard/iCalendar text as the object `href` of a collection, creating or replacing it; its
   * structured fields are parsed from the text (other members of the document stay). PreconditionFailed
   * when `If-Match` does not name the current etag or `If-None-Match: *` finds one; PimPrecondition for
   * invalid text, a UID another object of the collection has (no-uid-conflict, with its href), or a
   * component the calendar does not hold; NotFound for an unknown collection.
   */
  async putObject(
    scope: DataScope,
    kind: CollectionKind,
    collectionId: string,
    href: string,
    text: string,
    conditions: Conditions = {},
  ): Promise<PutResult> {
    checkHref(href);
    const collection = await this.getCollection(scope, kind, collectionId);
    const ical = await loadIcal();
    const parsed = parseResource(ical, kind, text, collection.components);
    const field = KINDS[kind].field;
    for (let attempt = 1; ; attempt++) {
      const existing = await this.member(scope, kind, collectionId, href);
      checkConditions(conditions, existing);
      if (parsed.uid !== undefined) {
        const clash = (await this.byUid(scope, kind, collectionId, parsed.uid)).find(
          (m) => m.id !== existing?.id,
        );
        if (clash) {
          const namespace =
            kind === 'addressbook' ? 'urn:ietf:params:xml:ns:carddav' : 'urn:ietf:params:xml:ns:caldav';
          throw new PimPrecondition(
            { namespace, name: 'no-uid-conflict' },
            `UID ${parsed.uid} is already used by ${clash.href}`,
            clash.href,
          );
        }
      }
      const membership = { [field]: collectionId, href };
      try {
        if (existing && existing.doctype === parsed.doctype) {
          const body = bodyFromResource(parsed, text, membership, existing.body);
          const written = await this.documents.put(scope, parsed.doctype, existing.id, body, {
            rev: existing.rev,
          });
          return { href, etag: etagOf(written.rev), created: false, id: written.id, doctype: parsed.doctype };
        }
        if (existing) {
          // An event became a todo (or the reverse): the object moves to the other doctype.
          await this.documents.put(
            scope,
            existing.doctype,
            existing.id,
            { _deleted: true, ...membership },
            { rev: existing.rev },
          );
        }
        const body = bodyFromResource(parsed, text, membership, null);
        const id = await this.idFor(scope, kind, parsed.doctype, collectionId, href);
        const written = await this.documents.put(scope, parsed.doctype, id, body);
        return {
          href,
          etag: etagOf(written.rev),
          created: existing === null,
          id: written.id,
          doctype: parsed.doctype,
        };
      } catch (error) {
        if (!(error instanceof Conflict)) throw error;
        if (conditions.ifMatch !== undefined || conditions.ifNoneMatch !== undefined) {
          throw new PreconditionFailed('the object changed meanwhile', { cause: error });
        }
        if (attempt >= WRITE_ATTEMPTS) throw error;
      }
    }
  }

  /** The object `href` of a collection: its text and etag. NotFound when there is none. */
  async getObject(
    scope: DataScope,
    kind: CollectionKind,
    collectionId: string,
    href: string,
  ): Promise<ObjectData> {
    checkHref(href);
    const member = await this.member(scope, kind, collectionId, href);
    if (!member) throw new NotFound('missing');
    return this.data(await loadIcal(), member);
  }

  /** Deletes the object `href` (NotFound if none; PreconditionFailed if `If-Match` names another etag). */
  async deleteObject(
    scope: DataScope,
    kind: CollectionKind,
    collectionId: string,
    href: string,
    conditions: Conditions = {},
  ): Promise<void> {
    checkHref(href);
    const member = await this.member(scope, kind, collectionId, href);
    if (!member) throw new NotFound('missing');
    checkConditions(conditions, member);
    const tombstone = { _deleted: true, [KINDS[kind].field]: collectionId, href };
    try {
      await this.documents.put(scope, member.doctype, member.id, tombstone, { rev: member.rev });
    } catch (error) {
      if (error instanceof Conflict)
        throw new PreconditionFailed('the object changed meanwhile', { cause: error });
      throw error;
    }
  }

  /** Every object of a collection: name and etag, by name. NotFound for an unknown collection. */
  async listObjects(scope: DataScope, kind: CollectionKind, collectionId: string): Promise<ObjectRef[]> {
    await this.getCollection(scope, kind, collectionId);
    const members = await this.members(scope, kind, collectionId);
    // Members come sorted by href.
    return members.map((m) => ({ href: m.href, etag: etagOf(m.rev) }));
  }

  /** The objects named (addressbook-multiget, calendar-multiget), in order; `missing` for unknown names. */
  async multiget(
    scope: DataScope,
    kind: CollectionKind,
    collectionId: string,
    hrefs: readonly string[],
  ): Promise<(ObjectData | { href: string; missing: true })[]> {
    await this.getCollection(scope, kind, collectionId);
    const ical = await loadIcal();
    let byHref: Map<string, Member> | undefined;
    if (hrefs.length > 20) {
      byHref = new Map((await this.members(scope, kind, collectionId)).map((m) => [m.href, m]));
    }
    const out: (ObjectData | { href: string; missing: true })[] = [];
    for (const href of hrefs) {
      const member = byHref
        ? (byHref.get(href) ?? null)
        : HREF.test(href)
          ? await this.member(scope, kind, collectionId, href)
          : null;
      out.push(member ? this.data(ical, member) : { href, missing: true });
    }
    return out;
  }

  // ---- sync

  /** A collection's ctag and current sync token (see sync.ts). NotFound for an unknown collection. */
  syncState(scope: DataScope, kind: CollectionKind, collectionId: string): Promise<SyncState> {
    return syncStateOf(this.documents, scope, kind, collectionId);
  }

  /**
   * The objects of a collection changed and deleted since `token` (a sync token this service gave; see
   * sync.ts); with none (an initial sync) every object. InvalidSyncToken for a token it did not give,
   * NotFound for an unknown collection.
   */
  async changesSince(
    scope: DataScope,
    kind: CollectionKind,
    collectionId: string,
    token: string | null,
  ): Promise<SyncChanges> {
    await this.getCollection(scope, kind, collectionId);
    const now = await scope.storage.documents.updateSeq();
    if (token === null || token === '') {
      return {
        syncToken: String(now),
        changed: await this.listObjects(scope, kind, collectionId),
        deleted: [],
      };
    }
    const since = parseSyncToken(token, now);
    return changesBetween(this.documents, scope, kind, collectionId, since, now);
  }

  // ---- queries

  /** addressbook-query: the objects of an address book whose vCard matches `filter`, at most `limit`. */
  async queryAddressBook(
    scope: DataScope,
    collectionId: string,
    filter: AddressFilter,
    options: { limit?: number } = {},
  ): Promise<ObjectData[]> {
    await this.getCollection(scope, 'addressbook', collectionId);
    const ical = await loadIcal();
    const out: ObjectData[] = [];
    for (const member of await this.members(scope, 'addressbook', collectionId)) {
      if (options.limit !== undefined && out.length >= options.limit) break;
      const data = this.data(ical, member);
      // Text-matches on plain text properties are settled from the text; only other cards are parsed.
      const verdict = vcardVerdict(data.text, filter);
      if (verdict ?? matchesAddressFilter(parseVCard(ical, data.text), filter)) out.push(data);
    }
    return out;
  }

  /**
   * calendar-query: the objects of a calendar holding `filter.component` that match it, recurrences
   * expanded for the time range. Floating times are read in the calendar's time zone unless the
   * filter names one.
   */
  async queryCalendar(scope: DataScope, collectionId: string, filter: CalendarFilter): Promise<ObjectData[]> {
    const collection = await this.getCollection(scope, 'calendar', collectionId);
    const ical = await loadIcal();
    const doctype = doctypeOfComponent(filter.component);
    const zone = filter.floatingZone ?? collection.timezone;
    const from = filter.timeRange?.start?.getTime() ?? -8.64e15;
    const to = filter.timeRange?.end?.getTime() ?? 8.64e15;
    const out: ObjectData[] = [];
    const onlyTime = (filter.props ?? []).length === 0;
    for (const member of await this.members(scope, 'calendar', collectionId)) {
      if (member.doctype !== doctype) continue;
      const verdict = spanVerdict(doctype, member.body, from, to, this.current(member));
      if (verdict === 'out') continue;
      const data = this.data(ical, member);
      // An exact instance in range settles a time-range-only filter without parsing.
      if (verdict === 'in' && onlyTime) {
        out.push(data);
        continue;
      }
      const memo = this.memo(member);
      if (onlyTime && doctype === EVENTS && filter.timeRange?.start && filter.timeRange.end) {
        // An event its span does not settle (recurring, floating) is expanded once per revision, zone
        // and window, then tested from its instants.
        if (!memo.expanded || !covers(memo.expanded, from, to, zone)) {
          const object = parseCalendarObject(ical, data.text);
          memo.expanded = expandEvent(ical, object, from, to, zone) ?? undefined;
        }
        if (memo.expanded) {
          if (expandedOverlaps(memo.expanded, from, to)) out.push(data);
          continue;
        }
      }
      const object = parseCalendarObject(ical, data.text);
      if (matchesCalendarFilter(ical, object, { ...filter, ...(zone ? { floatingZone: zone } : {}) }))
        out.push(data);
    }
    return out;
  }

  /** Busy time in [start, end) over some calendars (RFC 4791 7.10); see free-busy.ts. */
  async freeBusy(
    scope: DataScope,
    collectionIds: readonly string[],
    range: { start: Date; end: Date },
  ): Promise<BusyPeriod[]> {
    if (!(range.start.getTime() < range.end.getTime()))
      throw new BadRequest('a free-busy range ends after it starts');
    const ical = await loadIcal();
    const objects: CalendarObject[] = [];
    let zone: string | undefined;
    for (const id of collectionIds) {
      zone ??= (await this.getCollection(scope, 'calendar', id)).timezone;
      for (const member of await this.members(scope, 'calendar', id)) {
        const verdict = spanVerdict(
          EVENTS,
          member.body,
          range.start.getTime(),
          range.end.getTime(),
          this.current(member),
        );
        if (member.doctype !== EVENTS || verdict === 'out') continue;
        objects.push(parseCalendarObject(ical, this.data(ical, member).text));
      }
    }
    return busyPeriods(ical, objects, range, zone);
  }

  // ---- helpers

  private memo(member: Member): Derived {
    let memo = this.derived.get(member);
    if (!memo) this.derived.set(member, (memo = { current: rawIsCurrent(member.doctype, member.body) }));
    return memo;
  }

  /** Whether the member's fields are still those of its raw text (a hash of them, so remembered). */
  private current(member: Member): boolean {
    return this.memo(member).current;
  }

  private data(ical: Ical, member: Member): ObjectData {
    const memo = this.memo(member);
    memo.data ??= {
      href: member.href,
      etag: etagOf(member.rev),
      text: renderResource(ical, member.doctype, member.id, member.body, this.render, memo.current),
      contentType: contentTypeOf(member.doctype),
      doctype: member.doctype,
      id: member.id,
    };
    return memo.data;
  }

  private async ready(scope: DataScope, kind: CollectionKind): Promise<DocumentStore> {
    const store = scope.storage.documents;
    let byKind = this.indexed.get(store);
    if (!byKind) this.indexed.set(store, (byKind = new Map<CollectionKind, Promise<void>>()));
    let done = byKind.get(kind);
    if (!done) {
      const kinds = byKind;
      done = createIndexes(store, kind);
      kinds.set(kind, done);
      done.catch(() => kinds.delete(kind));
    }
    await done;
    return store;
  }

  /** Every object of a collection, by href (shared: never mutate them). */
  private async members(
    scope: DataScope,
    kind: CollectionKind,
    collectionId: string,
  ): Promise<readonly Member[]> {
    return this.cache.members(await this.ready(scope, kind), kind, collectionId);
  }

  private async member(
    scope: DataScope,
    kind: CollectionKind,
    collectionId: string,
    href: string,
  ): Promise<Member | null> {
    return memberByHref(await this.ready(scope, kind), kind, collectionId, href);
  }

  private async byUid(
    scope: DataScope,
    kind: CollectionKind,
    collectionId: string,
    uid: string,
  ): Promise<Member[]> {
    return membersByUid(await this.ready(scope, kind), kind, collectionId, uid);
  }

  /**
   * The id of a new object: its resource name without extension when that can be an id and is free
   * (or a tombstone of this collection's), so that a deletion by id elsewhere still names the resource;
   * otherwise a new one. A tombstone is written over without a revision, as CouchDB allows.
   */
  private async idFor(
    scope: DataScope,
    kind: CollectionKind,
    doctype: string,
    collectionId: string,
    href: string,
  ): Promise<string> {
    const spec = KINDS[kind];
    if (href.endsWith(spec.extension)) {
      const base = href.slice(0, -spec.extension.length);
      if (ID_LIKE.test(base)) {
        const [doc] = await scope.storage.documents.getDocs(doctype, [base]);
        if (!doc) return base;
        const owner = doc.body[spec.field];
        if (doc.deleted && (owner === collectionId || owner === undefined)) return base;
      }
    }
    return this.newId();
  }
}

/** What one revision of an object gives, computed on first need. */
interface Derived {
  /** Whether its fields are still those of its raw text (see resources.ts). */
  current: boolean;
  data?: ObjectData;
  /** An event's instances, for time-range queries. */
  expanded?: ExpandedEvent;
}
