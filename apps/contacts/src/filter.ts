import { displayName, fold } from './text.js';
import type { ContactDoc } from './types.js';

/** A contact with what the list shows and what type-ahead matches, computed once per revision. */
export interface Entry {
  contact: ContactDoc;
  name: string;
  /** Folded words of the name, emails, phones, organisation and groups. */
  words: string[];
  /** The folded name, for sorting. */
  sortKey: string;
}

/** The entry of a contact: its words are folded once, so each keystroke only compares prefixes. */
export function entryOf(contact: ContactDoc): Entry {
  const name = displayName(contact);
  const text = [
    name,
    contact.name?.familyName,
    contact.name?.givenName,
    contact.org,
    contact.title,
    ...(contact.emails ?? []).map((e) => e.address),
    ...(contact.phones ?? []).flatMap((p) => [p.number, p.number.replace(/\D/g, '')]),
    ...(contact.groups ?? []),
  ].join(' ');
  return {
    contact,
    name,
    words: [...new Set(fold(text).split(/[^\p{L}\p{N}]+/u))].filter(Boolean),
    sortKey: fold(name),
  };
}

/** Sorts entries by name, accents and case aside, those without a name last. */
export function sortEntries(entries: Entry[]): Entry[] {
  return entries.sort((a, b) => {
    if (!a.sortKey !== !b.sortKey) return a.sortKey ? -1 : 1;
    return a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0;
  });
}

/**
 * Type-ahead over the loaded contacts: every word typed must start one of the contact's words
 * ("jea heb" finds Jeanne Hébert), accents and case aside, like the stack's search. Done locally
 * because every contact is loaded anyway: 5000 entries take about a millisecond per keystroke.
 */
export function filterEntries(entries: readonly Entry[], query: string, group: string | null): Entry[] {
  const terms = fold(query)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  return entries.filter(
    (entry) =>
      (group === null || (entry.contact.groups ?? []).includes(group)) &&
      terms.every((term) => entry.words.some((word) => word.startsWith(term))),
  );
}

/** Every group used by some contact, with how many contacts are in it, by name. */
export function groupsOf(entries: readonly Entry[]): { name: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const entry of entries) {
    for (const group of entry.contact.groups ?? []) counts.set(group, (counts.get(group) ?? 0) + 1);
  }
  return [...counts]
    .map(([name, count]) => ({ name, count }))
    .sort((a, b) => fold(a.name).localeCompare(fold(b.name)));
}
