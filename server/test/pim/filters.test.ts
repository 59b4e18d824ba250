import { describe, expect, it } from 'vitest';
import { matchesAddressFilter, textMatches } from '../../src/pim/filters.js';
import { loadIcal } from '../../src/pim/ical.js';
import { parseVCard } from '../../src/pim/vcard.js';
import { ANDROID_VCARD, IOS_VCARD, THUNDERBIRD_VCARD } from './fixtures.js';

const ical = await loadIcal();
const ios = parseVCard(ical, IOS_VCARD);
const android = parseVCard(ical, ANDROID_VCARD);
const thunderbird = parseVCard(ical, THUNDERBIRD_VCARD);

describe('text-match (RFC 6352 10.5.4)', () => {
  it('compares with i;unicode-casemap by default, ignoring case but not accents', () => {
    expect(textMatches('Amélie Poulain', { text: 'AMÉLIE' })).toBe(true);
    expect(textMatches('Amélie Poulain', { text: 'amelie' })).toBe(false);
    expect(textMatches('Straße', { text: 'STRASSE', match: 'equals' })).toBe(true);
  });

  it('supports equals, starts-with, ends-with, negate and the other collations', () => {
    expect(textMatches('jean@example.com', { text: 'JEAN@', match: 'starts-with' })).toBe(true);
    expect(textMatches('jean@example.com', { text: '.COM', match: 'ends-with' })).toBe(true);
    expect(textMatches('jean@example.com', { text: 'jean', match: 'equals' })).toBe(false);
    expect(textMatches('jean@example.com', { text: 'zoe', negate: true })).toBe(true);
    expect(textMatches('Jean', { text: 'jean', collation: 'i;octet' })).toBe(false);
    expect(textMatches('Émile', { text: 'émile', collation: 'i;ascii-casemap' })).toBe(false);
    expect(textMatches('JEAN', { text: 'jean', collation: 'i;ascii-casemap' })).toBe(true);
  });
});

describe('addressbook-query filters (RFC 6352 10.5)', () => {
  it('matches any prop-filter by default, or all of them with allof', () => {
    const filter = {
      props: [
        { name: 'FN', textMatches: [{ text: 'amélie' }] },
        { name: 'EMAIL', textMatches: [{ text: '@example.org', match: 'ends-with' as const }] },
      ],
    };
    expect(matchesAddressFilter(android, filter)).toBe(true);
    expect(matchesAddressFilter(thunderbird, filter)).toBe(false);
    expect(matchesAddressFilter(ios, { ...filter, test: 'allof' })).toBe(false);
    expect(matchesAddressFilter(android, { ...filter, test: 'allof' })).toBe(true);
  });

  it('looks at every instance of a property, e.g. the second email of a card', () => {
    expect(matchesAddressFilter(ios, { props: [{ name: 'EMAIL', textMatches: [{ text: 'acme' }] }] })).toBe(
      true,
    );
  });

  it('tests presence, absence and parameters', () => {
    expect(matchesAddressFilter(ios, { props: [{ name: 'PHOTO' }] })).toBe(true);
    expect(matchesAddressFilter(android, { props: [{ name: 'PHOTO' }] })).toBe(false);
    expect(matchesAddressFilter(android, { props: [{ name: 'PHOTO', isNotDefined: true }] })).toBe(true);
    const work = {
      name: 'EMAIL',
      params: [{ name: 'TYPE', textMatch: { text: 'work', match: 'equals' as const } }],
    };
    expect(matchesAddressFilter(ios, { props: [work] })).toBe(true);
    expect(matchesAddressFilter(android, { props: [work] })).toBe(false);
  });

  it('combines text-matches and param-filters of one prop-filter by its own test', () => {
    const both = {
      name: 'EMAIL',
      test: 'allof' as const,
      textMatches: [{ text: 'jean@' }],
      params: [{ name: 'TYPE', textMatch: { text: 'work', match: 'equals' as const } }],
    };
    // jean@example.com is not the work address, and the work address is not jean@…: no one instance has both.
    expect(matchesAddressFilter(ios, { props: [both] })).toBe(false);
    expect(matchesAddressFilter(ios, { props: [{ ...both, test: 'anyof' }] })).toBe(true);
  });

  it('matches structured values such as N by their text form', () => {
    expect(
      matchesAddressFilter(ios, {
        props: [{ name: 'N', textMatches: [{ text: 'Dupont;Jean', match: 'starts-with' }] }],
      }),
    ).toBe(true);
  });

  it('matches every card with an empty filter', () => {
    expect(matchesAddressFilter(ios, { props: [] })).toBe(true);
  });
});
