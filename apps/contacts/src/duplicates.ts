import { normaliseEmail, normaliseName, normalisePhone } from './text.js';
import type { ContactDoc, ContactFields } from './types.js';
import type { Entry } from './filter.js';

/** Two contacts that look like the same person, and why. */
export interface DuplicatePair {
  a: ContactDoc;
  b: ContactDoc;
  reason: 'email' | 'phone' | 'name';
  /** The shared email, phone or name, to show. */
  shared: string;
}

/**
 * Pairs of contacts sharing an email, a phone number (its last nine digits) or a name (accents, case,
 * punctuation and word order aside). Keys are hashed into buckets, so 5000 contacts cost one pass;
 * each pair is suggested once, for its strongest reason.
 */
export function findDuplicates(entries: readonly Entry[]): DuplicatePair[] {
  const buckets = new Map<string, { shared: string; contacts: ContactDoc[] }>();
  const add = (key: string, shared: string, contact: ContactDoc) => {
    const bucket = buckets.get(key) ?? { shared, contacts: [] };
    if (!bucket.contacts.includes(contact)) bucket.contacts.push(contact);
    buckets.set(key, bucket);
  };
  for (const { contact, name } of entries) {
    for (const e of contact.emails ?? []) {
      const key = normaliseEmail(e.address);
      if (key) add(`email:${key}`, e.address, contact);
    }
    for (const p of contact.phones ?? []) {
      const key = normalisePhone(p.number);
      if (key) add(`phone:${key}`, p.number, contact);
    }
    const key = normaliseName(name);
    if (key) add(`name:${key}`, name, contact);
  }
  const seen = new Set<string>();
  const pairs: DuplicatePair[] = [];
  for (const [key, { shared, contacts }] of buckets) {
    // A bucket of dozens (a shared switchboard number) is not a duplicate; it would flood the list.
    if (contacts.length < 2 || contacts.length > 5) continue;
    const reason = key.slice(0, key.indexOf(':')) as DuplicatePair['reason'];
    for (let i = 0; i < contacts.length; i++) {
      for (let j = i + 1; j < contacts.length; j++) {
        const a = contacts[i] as ContactDoc;
        const b = contacts[j] as ContactDoc;
        const id = [a._id, b._id].sort().join('\n');
        if (seen.has(id)) continue;
        seen.add(id);
        pairs.push({ a, b, reason, shared });
      }
    }
  }
  return pairs;
}

/** Entries of `extra` whose key is not already among `base`'s, appended after them. */
function union<T>(base: T[] | undefined, extra: T[] | undefined, key: (item: T) => string): T[] | undefined {
  const out = [...(base ?? [])];
  const keys = new Set(out.map(key));
  for (const item of extra ?? []) {
    const k = key(item);
    if (!keys.has(k)) {
      keys.add(k);
      out.push(item);
    }
  }
  return out.length > 0 ? out : undefined;
}

/**
 * The fields of `keep` after merging `other` into it: emails, phones, addresses, groups and custom
 * entries are united (duplicates by normalised value dropped); a single field `keep` lacks is taken
 * from `other`. `keep`'s uid stays, so the phone keeps its card and sees the other one deleted.
 */
export function mergeFields(keep: ContactFields, other: ContactFields): ContactFields {
  const address = (a: NonNullable<ContactFields['addresses']>[number]) =>
    [a.street, a.locality, a.postalCode, a.country].map((s) => (s ?? '').trim().toLowerCase()).join('|');
  const single = ['fullname', 'birthday', 'org', 'department', 'title', 'photo'] as const;
  const merged: ContactFields = { ...keep };
  for (const key of single) if (!merged[key] && other[key]) merged[key] = other[key];
  if (!merged.name && other.name) merged.name = other.name;
  if (other.note && other.note !== keep.note)
    merged.note = keep.note ? `${keep.note}\n\n${other.note}` : other.note;
  const emails = union(keep.emails, other.emails, (e) => normaliseEmail(e.address));
  const phones = union(keep.phones, other.phones, (p) => normalisePhone(p.number) || p.number);
  const addresses = union(keep.addresses, other.addresses, address);
  const groups = union(keep.groups, other.groups, (g) => g);
  const custom = union(keep.custom, other.custom, (c) => `${c.name}\n${c.value}`);
  return { ...merged, emails, phones, addresses, groups, custom };
}
