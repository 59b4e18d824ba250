import type { ContactFields } from './types.js';

/** Text folded for matching: accents removed (é = e), lower case, as the stack's search does. */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The name to show for a contact: FN, else N, else the organisation, else the first email or phone. */
export function displayName(contact: ContactFields): string {
  const n = contact.name;
  const fromParts = n
    ? [n.prefix, n.givenName, n.additionalNames, n.familyName, n.suffix].filter(Boolean).join(' ')
    : '';
  return (
    contact.fullname?.trim() ||
    fromParts ||
    contact.org ||
    contact.emails?.[0]?.address ||
    contact.phones?.[0]?.number ||
    ''
  );
}

/** Up to two initials for an avatar without a photo. */
export function initials(name: string): string {
  const words = name.split(/\s+/).filter((w) => /\p{L}/u.test(w));
  return words
    .slice(0, 2)
    .map((w) => [...w][0]?.toUpperCase() ?? '')
    .join('');
}

/** An email compared case-insensitively, without surrounding spaces. */
export function normaliseEmail(address: string): string {
  return address.trim().toLowerCase();
}

/**
 * A phone number reduced to its digits, the last nine of them: `+33 6 12 34 56 78` and
 * `06.12.34.56.78` are the same line, whatever the country prefix. Too short a number matches nothing.
 */
export function normalisePhone(number: string): string {
  const digits = number.replace(/\D/g, '');
  return digits.length < 6 ? '' : digits.slice(-9);
}

/** A name compared without accents, case, punctuation, or word order ("Hébert, Jeanne" = "jeanne hebert"). */
export function normaliseName(name: string): string {
  return fold(name)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter(Boolean)
    .sort()
    .join(' ');
}
