import type { Doc } from '@nuage/client';

/** The doctypes this app reads and writes (docs/pim.md). */
export const CONTACTS = 'io.nuage.contacts';
export const ADDRESS_BOOKS = 'io.nuage.contacts.addressbooks';

/** An email or phone entry's TYPE parameters, PREF flag and Apple label, as the server parses them. */
export interface Typed {
  types?: string[];
  pref?: boolean;
  label?: string;
}

export interface Email extends Typed {
  address: string;
}

export interface Phone extends Typed {
  number: string;
}

export interface Address extends Typed {
  pobox?: string;
  extended?: string;
  street?: string;
  locality?: string;
  region?: string;
  postalCode?: string;
  country?: string;
}

export interface StructuredName {
  familyName?: string;
  givenName?: string;
  additionalNames?: string;
  prefix?: string;
  suffix?: string;
}

/**
 * The structured fields of a contact, with the shapes `server/src/pim/vcard.ts` reads: a field in
 * another shape makes the server fall back to the old vCard text, so the app keeps to these exactly.
 */
export interface ContactFields {
  uid?: string;
  fullname?: string;
  name?: StructuredName;
  emails?: Email[];
  phones?: Phone[];
  addresses?: Address[];
  /** `YYYY-MM-DD`, or `--MM-DD` without a year. */
  birthday?: string;
  org?: string;
  department?: string;
  title?: string;
  note?: string;
  /** A URL or a `data:` URI. */
  photo?: string;
  groups?: string[];
  /** Ungrouped `X-` properties, in order. */
  custom?: { name: string; value: string }[];
}

/** A contact as stored: the fields, its address book, and what DAV keeps (never written by the app). */
export interface Contact extends ContactFields {
  addressbook?: string;
  href?: string;
  raw?: string;
  rawHash?: string;
}

export type ContactDoc = Doc<Contact>;

export interface AddressBook {
  name: string;
  description?: string;
}

export type AddressBookDoc = Doc<AddressBook>;

/**
 * The structured fields of a contact (docs/pim.md): what the app edits and compares with `raw`;
 * every other member of a stored contact is kept as it is on save.
 */
export const FIELD_NAMES = [
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
