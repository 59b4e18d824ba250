import { PimPrecondition } from '../errors.js';
import { canonicalJson, parseComponent, type Ical, type IcalComponent, type IcalProperty } from './ical.js';

/** A postal address (ADR): the seven parts of RFC 6350 6.3.1. */
export interface ContactAddress {
  pobox?: string;
  extended?: string;
  street?: string;
  locality?: string;
  region?: string;
  postalCode?: string;
  country?: string;
  types?: string[];
  pref?: boolean;
  /** Apple's `itemN.X-ABLabel` of this entry. */
  label?: string;
}

/** An email address or phone number with its TYPE parameters and label. */
export interface ContactValue {
  types?: string[];
  pref?: boolean;
  label?: string;
}

/**
 * The structured fields of a contact (`io.nuage.contacts`), as apps and search read them. Every member
 * is optional; absent means the vCard has no such property.
 */
export interface ContactFields {
  uid?: string;
  fullname?: string;
  name?: {
    familyName?: string;
    givenName?: string;
    additionalNames?: string;
    prefix?: string;
    suffix?: string;
  };
  emails?: (ContactValue & { address: string })[];
  phones?: (ContactValue & { number: string })[];
  addresses?: ContactAddress[];
  /** `YYYY-MM-DD`, or `--MM-DD` without a year. */
  birthday?: string;
  org?: string;
  department?: string;
  title?: string;
  note?: string;
  /** A URL, or a `data:` URI holding the picture. */
  photo?: string;
  /** CATEGORIES. */
  groups?: string[];
  /** Ungrouped `X-` properties, in order. */
  custom?: { name: string; value: string }[];
}

/** The members of {@link ContactFields}, in the order they are compared and hashed. */
export const CONTACT_FIELDS = [
  'uid',
  'fullname',
  'name',
  'emails',
  'phones',
  'addresses',
  'birthday',
  'org',
  'department',
  'title',
  'note',
  'photo',
  'groups',
  'custom',
] as const satisfies readonly (keyof ContactFields)[];

export const invalidAddressData = (detail: string): PimPrecondition =>
  new PimPrecondition({ namespace: 'urn:ietf:params:xml:ns:carddav', name: 'valid-address-data' }, detail);

/** Parses vCard text (3.0 or 4.0): PimPrecondition `valid-address-data` when it is not one vCard. */
export function parseVCard(ical: Ical, text: string): IcalComponent {
  const parsed = parseComponent(ical, text, 'vcard');
  if (typeof parsed === 'string') throw invalidAddressData(`not a valid vCard: ${parsed}`);
  const version = parsed.getFirstPropertyValue('version');
  if (version !== '3.0' && version !== '4.0') throw invalidAddressData('a vCard needs VERSION 3.0 or 4.0');
  return parsed;
}

const str = (value: unknown): string =>
  typeof value === 'string'
    ? value
    : value === null || value === undefined
      ? ''
      : (value as { toString(): string }).toString();

function typesOf(prop: IcalProperty): { types?: string[]; pref?: boolean } {
  const raw: unknown = prop.getParameter('type');
  const list = (Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw]).flatMap((t) =>
    str(t).split(','),
  );
  const pref = list.some((t) => t.toLowerCase() === 'pref') || prop.getParameter('pref') !== undefined;
  const types = list.filter((t) => t.toLowerCase() !== 'pref' && t !== '').map((t) => t.toLowerCase());
  return { ...(types.length > 0 ? { types } : {}), ...(pref ? { pref: true } : {}) };
}

function labelOf(card: IcalComponent, prop: IcalProperty): { label?: string } {
  const group = prop.getParameter('group');
  if (typeof group !== 'string') return {};
  const label = card
    .getAllProperties('x-ablabel')
    .find((p) => str(p.getParameter('group')).toLowerCase() === group.toLowerCase());
  return label ? { label: str(label.getFirstValue()) } : {};
}

function parts(prop: IcalProperty | null): string[] {
  if (!prop) return [];
  const value: unknown = prop.getFirstValue();
  return Array.isArray(value)
    ? value.map((v) => (Array.isArray(v) ? v.map(str).join(',') : str(v)))
    : [str(value)];
}

function compact<T extends object>(value: T): T | undefined {
  const out = Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== '')) as T;
  return Object.keys(out).length > 0 ? out : undefined;
}

function birthdayOf(prop: IcalProperty | null): string | undefined {
  if (!prop) return undefined;
  const value: unknown = prop.getFirstValue();
  if (value && typeof value === 'object' && 'month' in value) {
    const t = value as { year: number | null; month: number | null; day: number | null };
    const pad = (n: number | null): string => String(n ?? 0).padStart(2, '0');
    // Apple writes a birthday without year as year 1604 (X-APPLE-OMIT-YEAR).
    const noYear = t.year === null || prop.getParameter('x-apple-omit-year') !== undefined;
    return `${noYear ? '-' : String(t.year).padStart(4, '0')}-${pad(t.month)}-${pad(t.day)}`;
  }
  return str(value) || undefined;
}

function photoOf(prop: IcalProperty | null): string | undefined {
  if (!prop) return undefined;
  const value: unknown = prop.getFirstValue();
  const text = value && typeof value === 'object' && 'value' in value ? str(value.value) : str(value);
  if (prop.getParameter('encoding') === undefined) return text || undefined;
  const type = str(prop.getParameter('type') ?? 'jpeg').toLowerCase();
  return `data:image/${type};base64,${text}`;
}

/** The structured fields of a parsed vCard. */
export function contactFieldsOf(card: IcalComponent): ContactFields {
  const one = (name: string): string | undefined => str(card.getFirstPropertyValue(name)) || undefined;
  const [familyName, givenName, additionalNames, prefix, suffix] = parts(card.getFirstProperty('n'));
  const [org, ...units] = parts(card.getFirstProperty('org'));
  const emails = card.getAllProperties('email').map((p) => ({
    address: str(p.getFirstValue()),
    ...typesOf(p),
    ...labelOf(card, p),
  }));
  const phones = card.getAllProperties('tel').map((p) => ({
    number: str(p.getFirstValue()).replace(/^tel:/i, ''),
    ...typesOf(p),
    ...labelOf(card, p),
  }));
  const addresses = card.getAllProperties('adr').map((p): ContactAddress => {
    const [pobox, extended, street, locality, region, postalCode, country] = parts(p);
    const address = compact({ pobox, extended, street, locality, region, postalCode, country }) ?? {};
    return { ...address, ...typesOf(p), ...labelOf(card, p) };
  });
  const groups = card.getAllProperties('categories').flatMap((p) => p.getValues().map(str));
  const custom = card
    .getAllProperties()
    .filter((p) => p.name.startsWith('x-') && p.name !== 'x-ablabel' && p.getParameter('group') === undefined)
    .map((p) => ({ name: p.name.toUpperCase(), value: p.getValues().map(str).join(',') }));
  const fields: ContactFields = {
    uid: one('uid'),
    fullname: one('fn'),
    name: compact({ familyName, givenName, additionalNames, prefix, suffix }),
    emails: emails.length > 0 ? emails : undefined,
    phones: phones.length > 0 ? phones : undefined,
    addresses: addresses.length > 0 ? addresses : undefined,
    birthday: birthdayOf(card.getFirstProperty('bday')),
    org: org || undefined,
    department: units.join(';') || undefined,
    title: one('title'),
    note: one('note'),
    photo: photoOf(card.getFirstProperty('photo')),
    groups: groups.length > 0 ? groups : undefined,
    custom: custom.length > 0 ? custom : undefined,
  };
  return compact(fields) ?? {};
}

/** The properties each structured field comes from, so a changed field replaces exactly those. */
const PROPERTIES: Record<(typeof CONTACT_FIELDS)[number], readonly string[]> = {
  uid: ['uid'],
  fullname: ['fn'],
  name: ['n'],
  emails: ['email'],
  phones: ['tel'],
  addresses: ['adr'],
  birthday: ['bday'],
  org: ['org'],
  department: ['org'],
  title: ['title'],
  note: ['note'],
  photo: ['photo'],
  groups: ['categories'],
  custom: [],
};

/**
 * Writes `fields` into `card` where they differ from what the card says, leaving every other
 * property (and the unchanged ones, with their groups and parameters) as it was. A changed field
 * replaces all its properties; `itemN.X-ABLabel` labels go and come with the entries they name.
 */
export function patchVCard(ical: Ical, card: IcalComponent, fields: ContactFields): void {
  const before = contactFieldsOf(card);
  const changed = CONTACT_FIELDS.filter((key) => canonicalJson(before[key]) !== canonicalJson(fields[key]));
  if (changed.length === 0) return;
  const v3 = card.getFirstPropertyValue('version') === '3.0';
  const groups = new Set<string>();
  for (const key of changed) {
    const names = key === 'custom' ? customNames(card) : PROPERTIES[key];
    for (const name of names) {
      for (const prop of card.getAllProperties(name)) {
        if (key === 'custom' && prop.getParameter('group') !== undefined) continue;
        const group = prop.getParameter('group');
        if (typeof group === 'string') groups.add(group.toLowerCase());
        card.removeProperty(prop);
      }
    }
  }
  for (const label of card.getAllProperties('x-ablabel')) {
    if (groups.has(str(label.getParameter('group')).toLowerCase())) card.removeProperty(label);
  }
  const add = (json: unknown[]): void => {
    card.addProperty(new ical.Property(json, card));
  };
  let nextItem = nextItemNumber(card);
  const labelled = (name: string, type: string, value: unknown, entry: ContactValue): void => {
    const params: Record<string, unknown> = {};
    const p: Record<string, unknown> = { ...params };
    const types = [...(entry.types ?? []), ...(entry.pref ? ['pref'] : [])];
    if (types.length > 0) p['type'] = types.length === 1 ? types[0] : types;
    if (entry.label !== undefined) {
      const group = `item${nextItem++}`;
      add([name, { ...p, group }, type, value]);
      add(['x-ablabel', { group }, 'unknown', entry.label]);
    } else {
      add([name, p, type, value]);
    }
  };
  const set = new Set<string>(changed);
  if (set.has('uid') && fields.uid) add(['uid', {}, 'text', fields.uid]);
  if (set.has('fullname') && fields.fullname) add(['fn', {}, 'text', fields.fullname]);
  if (set.has('name') && fields.name) {
    const n = fields.name;
    add([
      'n',
      {},
      'text',
      [n.familyName, n.givenName, n.additionalNames, n.prefix, n.suffix].map((s) => s ?? ''),
    ]);
  }
  for (const e of set.has('emails') ? (fields.emails ?? []) : []) labelled('email', 'text', e.address, e);
  for (const t of set.has('phones') ? (fields.phones ?? []) : [])
    labelled('tel', v3 ? 'phone-number' : 'text', t.number, t);
  for (const a of set.has('addresses') ? (fields.addresses ?? []) : []) {
    const value = [a.pobox, a.extended, a.street, a.locality, a.region, a.postalCode, a.country].map(
      (s) => s ?? '',
    );
    labelled('adr', 'text', value, a);
  }
  if (set.has('birthday') && fields.birthday)
    add(['bday', {}, v3 ? 'date' : 'date-and-or-time', fields.birthday]);
  if ((set.has('org') || set.has('department')) && (fields.org || fields.department)) {
    add(['org', {}, 'text', [fields.org ?? '', ...(fields.department ? fields.department.split(';') : [])]]);
  }
  if (set.has('title') && fields.title) add(['title', {}, 'text', fields.title]);
  if (set.has('note') && fields.note) add(['note', {}, 'text', fields.note]);
  if (set.has('photo') && fields.photo) add(photoProperty(fields.photo, v3));
  if (set.has('groups') && fields.groups?.length) add(['categories', {}, 'text', ...fields.groups]);
  for (const c of set.has('custom') ? (fields.custom ?? []) : [])
    add([c.name.toLowerCase(), {}, 'unknown', c.value]);
}

function customNames(card: IcalComponent): string[] {
  return [...new Set(card.getAllProperties().map((p) => p.name))].filter(
    (name) => name.startsWith('x-') && name !== 'x-ablabel',
  );
}

function nextItemNumber(card: IcalComponent): number {
  let max = 0;
  for (const prop of card.getAllProperties()) {
    const match = /^item(\d+)$/i.exec(str(prop.getParameter('group')));
    if (match) max = Math.max(max, Number(match[1]));
  }
  return max + 1;
}

function photoProperty(photo: string, v3: boolean): unknown[] {
  const data = /^data:image\/([a-z0-9.+-]+);base64,(.*)$/is.exec(photo);
  if (v3 && data)
    return ['photo', { encoding: 'b', type: (data[1] as string).toUpperCase() }, 'binary', data[2]];
  return ['photo', {}, 'uri', photo];
}

/**
 * A new vCard 3.0 (the version every CardDAV client reads) holding `fields`. FN and N, which vCard 3.0
 * requires, are derived from each other (or the organisation, or the first email) when absent.
 */
export function newVCard(ical: Ical, fields: ContactFields, prodId: string): IcalComponent {
  const card = parseVCard(ical, `BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:${prodId}\r\nEND:VCARD\r\n`);
  const fullname =
    fields.fullname ??
    ([
      fields.name?.prefix,
      fields.name?.givenName,
      fields.name?.additionalNames,
      fields.name?.familyName,
      fields.name?.suffix,
    ]
      .filter(Boolean)
      .join(' ') ||
      fields.org ||
      fields.emails?.[0]?.address ||
      '');
  patchVCard(ical, card, { ...fields, fullname, name: fields.name ?? {} });
  if (!card.getFirstProperty('n'))
    card.addProperty(new ical.Property(['n', {}, 'text', ['', '', '', '', '']], card));
  return card;
}
