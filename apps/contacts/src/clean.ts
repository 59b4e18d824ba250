import type { Address, ContactFields, StructuredName } from './types.js';

const trimmed = (value: string | undefined): string | undefined => value?.trim() || undefined;

/** Drops members that are undefined; undefined when none is left. */
function compact<T extends object>(value: T): T | undefined {
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  return entries.length > 0 ? (Object.fromEntries(entries) as T) : undefined;
}

const nonEmpty = <T>(list: T[]): T[] | undefined => (list.length > 0 ? list : undefined);

/**
 * The fields of an edited draft as they are stored: text trimmed, empty entries and members dropped.
 * The server keeps no empty strings or lists either, so an untouched field compares equal to what it
 * parsed from the vCard and the phone's text keeps that property as it was.
 */
export function cleanFields(draft: ContactFields): ContactFields {
  const name: StructuredName = {
    familyName: trimmed(draft.name?.familyName),
    givenName: trimmed(draft.name?.givenName),
    additionalNames: trimmed(draft.name?.additionalNames),
    prefix: trimmed(draft.name?.prefix),
    suffix: trimmed(draft.name?.suffix),
  };
  const addresses = (draft.addresses ?? []).flatMap((a): Address[] => {
    const parts = {
      pobox: trimmed(a.pobox),
      extended: trimmed(a.extended),
      street: trimmed(a.street),
      locality: trimmed(a.locality),
      region: trimmed(a.region),
      postalCode: trimmed(a.postalCode),
      country: trimmed(a.country),
    };
    return compact(parts) ? [compact({ ...a, ...parts }) as Address] : [];
  });
  return (
    compact({
      uid: draft.uid,
      fullname: trimmed(draft.fullname),
      name: compact(name),
      emails: nonEmpty(
        (draft.emails ?? []).map((e) => ({ ...e, address: e.address.trim() })).filter((e) => e.address),
      ),
      phones: nonEmpty(
        (draft.phones ?? []).map((p) => ({ ...p, number: p.number.trim() })).filter((p) => p.number),
      ),
      addresses: nonEmpty(addresses),
      birthday: trimmed(draft.birthday),
      org: trimmed(draft.org),
      department: trimmed(draft.department),
      title: trimmed(draft.title),
      note: draft.note?.trim() ? draft.note.replace(/\s+$/, '') : undefined,
      photo: draft.photo || undefined,
      groups: nonEmpty([...new Set((draft.groups ?? []).map((g) => g.trim()).filter(Boolean))]),
      custom: nonEmpty(
        (draft.custom ?? [])
          .map((c) => ({ name: c.name.trim().toUpperCase(), value: c.value.trim() }))
          .filter((c) => c.name && c.value),
      ),
    }) ?? {}
  );
}

/** A birthday the server reads: `YYYY-MM-DD` or `--MM-DD`. */
export const BIRTHDAY = /^(\d{4}|-)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** A property name a vCard can carry (RFC 6350 3.3: letters, digits and dashes). */
export const PROPERTY_NAME = /^[A-Za-z][A-Za-z0-9-]*$/;
