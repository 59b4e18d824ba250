import { describe, expect, it } from 'vitest';
import {
  matchesAddressFilter,
  type AddressFilter,
  type Collation,
  type MatchType,
} from '../../src/pim/filters.js';
import { loadIcal } from '../../src/pim/ical.js';
import { vcardVerdict } from '../../src/pim/text-prefilter.js';
import { parseVCard } from '../../src/pim/vcard.js';
import { ANDROID_VCARD, IOS_VCARD, THUNDERBIRD_VCARD } from './fixtures.js';

const ical = await loadIcal();

const card = (lines: string[], eol = '\r\n'): string =>
  ['BEGIN:VCARD', 'VERSION:3.0', ...lines, 'END:VCARD', ''].join(eol);

/** Cards written to trip a reading of the raw text: escapes, groups, quotes, folding, Greek sigma. */
const TRICKY = [
  card(['UID:a', 'FN:Doe\\, John', 'N:Doe;John;;;']),
  card(['UID:b', 'FN:Marie Curie', 'item1.EMAIL;TYPE=work:marie@example.org', 'item1.X-ABLabel:Lab']),
  card(['UID:c', 'FN:Quoted', 'EMAIL;X-LABEL="home:main":quoted@example.org']),
  card(['UID:d', 'FN:Mar', ' ie Folded', 'NOTE:line one\\nline two']),
  card(['UID:e', 'FN:ΟΔΥΣΣΕΥΣ', 'N:ΟΔΥΣΣΕΥΣ;;;;']),
  card(['UID:f', 'fn:lower case names', 'org:ACME;R&D']),
  card(['UID:g', 'FN:Ünïcödé Straße', 'NICKNAME:Ü,Strasse', 'CATEGORIES:Friends,Work'], '\n'),
  card(['UID:h', 'FN:Émile Zola', 'TITLE:Écrivain', 'ADR;TYPE=home:;;1 rue de Médan;Médan;;78670;France']),
];
const CARDS = [IOS_VCARD, ANDROID_VCARD, THUNDERBIRD_VCARD, ...TRICKY];

const PROPS = ['FN', 'N', 'EMAIL', 'NOTE', 'ORG', 'TITLE', 'ADR', 'NICKNAME', 'CATEGORIES', 'TEL', 'BDAY'];
const NEEDLES = [
  'ma',
  'MA',
  'Marie',
  'doe, j',
  'doe\\, j',
  'home:main',
  'quoted@',
  'marie',
  'ie folded',
  'σσευς',
  'ΟΔΥΣΣΕΥΣ',
  'οδυσσευς',
  'acme;r',
  'ü',
  'strasse',
  'émile',
  'emile',
  'médan',
  'friends,w',
  'line two',
  '\n',
  '1980',
  '+33',
  'zoë',
];
const COLLATIONS: Collation[] = ['i;unicode-casemap', 'i;ascii-casemap', 'i;octet'];
const MATCHES: MatchType[] = ['contains', 'starts-with', 'ends-with', 'equals'];

describe('addressbook-query verdicts read from the vCard text', () => {
  it('gives the parsed filter’s answer whenever it gives one, whatever the property, collation or match type', () => {
    let checked = 0;
    let decided = 0;
    for (const text of CARDS) {
      const parsed = parseVCard(ical, text);
      for (const name of PROPS) {
        for (const needle of NEEDLES) {
          for (const collation of COLLATIONS) {
            for (const match of MATCHES) {
              for (const negate of [false, true]) {
                const filter: AddressFilter = {
                  props: [{ name, textMatches: [{ text: needle, collation, match, negate }] }],
                };
                const verdict = vcardVerdict(text, filter);
                checked++;
                if (verdict === undefined) continue;
                decided++;
                const expected = matchesAddressFilter(parsed, filter);
                if (verdict !== expected)
                  expect({ text, filter, verdict }).toEqual({ text, filter, expected });
              }
            }
          }
        }
      }
    }
    // Worth having: most of these are settled without parsing.
    expect(decided).toBeGreaterThan(checked / 2);
  });

  it('tells whether a property is there, and combines tests on one property with anyof and allof', () => {
    for (const text of CARDS) {
      const parsed = parseVCard(ical, text);
      for (const name of PROPS) {
        for (const filter of [
          { props: [{ name, isNotDefined: true }] },
          { props: [{ name }] },
          { props: [{ name, test: 'allof' as const, textMatches: [{ text: 'e' }, { text: 'a' }] }] },
          { props: [{ name, textMatches: [{ text: 'zz' }, { text: 'o' }] }] },
        ]) {
          const verdict = vcardVerdict(text, filter);
          if (verdict !== undefined) expect(verdict).toBe(matchesAddressFilter(parsed, filter));
        }
      }
    }
  });

  it('settles a plain text-match with case and accents as each collation compares them', () => {
    const fn = (text: string, collation?: Collation, match: MatchType = 'starts-with'): AddressFilter => ({
      props: [{ name: 'FN', textMatches: [{ text, match, ...(collation ? { collation } : {}) }] }],
    });
    expect(vcardVerdict(ANDROID_VCARD, fn('AMÉLIE'))).toBe(true);
    expect(vcardVerdict(ANDROID_VCARD, fn('amelie'))).toBe(false);
    expect(vcardVerdict(ANDROID_VCARD, fn('Poulain'))).toBe(false);
    expect(vcardVerdict(ANDROID_VCARD, fn('Poulain', undefined, 'ends-with'))).toBe(true);
    expect(vcardVerdict(ANDROID_VCARD, fn('AMÉLIE', 'i;ascii-casemap'))).toBe(false);
    expect(vcardVerdict(ANDROID_VCARD, fn('AMéLIE', 'i;ascii-casemap'))).toBe(true);
    expect(vcardVerdict(ANDROID_VCARD, fn('Amélie', 'i;octet'))).toBe(true);
    expect(vcardVerdict(ANDROID_VCARD, fn('amélie', 'i;octet'))).toBe(false);
  });

  it('leaves to the parser what it cannot read plainly: parameters, other properties, escapes, quotes', () => {
    const miss = { text: 'nobody-has-this' };
    expect(
      vcardVerdict(ANDROID_VCARD, { props: [{ name: 'X-PHONETIC-FIRST-NAME', textMatches: [miss] }] }),
    ).toBe(undefined);
    expect(vcardVerdict(ANDROID_VCARD, { props: [{ name: 'BDAY', textMatches: [miss] }] })).toBe(undefined);
    expect(
      vcardVerdict(ANDROID_VCARD, {
        props: [{ name: 'EMAIL', textMatches: [miss], params: [{ name: 'TYPE', isNotDefined: true }] }],
      }),
    ).toBe(undefined);
    expect(vcardVerdict(TRICKY[0] ?? '', { props: [{ name: 'FN', textMatches: [miss] }] })).toBe(undefined);
    expect(vcardVerdict(TRICKY[2] ?? '', { props: [{ name: 'EMAIL', textMatches: [miss] }] })).toBe(
      undefined,
    );
  });

  it('combines prop-filters with anyof and allof, settling what it can', () => {
    const hit = { name: 'FN', textMatches: [{ text: 'amélie' }] };
    const miss = { name: 'EMAIL', textMatches: [{ text: 'nobody@' }] };
    const unsure = { name: 'BDAY', textMatches: [{ text: '1980' }] };
    expect(vcardVerdict(ANDROID_VCARD, { props: [hit, miss] })).toBe(true);
    expect(vcardVerdict(ANDROID_VCARD, { test: 'allof', props: [hit, miss] })).toBe(false);
    expect(vcardVerdict(ANDROID_VCARD, { test: 'allof', props: [hit, hit] })).toBe(true);
    expect(vcardVerdict(ANDROID_VCARD, { props: [miss, unsure] })).toBe(undefined);
    expect(vcardVerdict(ANDROID_VCARD, { props: [hit, unsure] })).toBe(true);
    expect(vcardVerdict(ANDROID_VCARD, { test: 'allof', props: [miss, unsure] })).toBe(false);
    expect(vcardVerdict(ANDROID_VCARD, { props: [] })).toBe(true);
  });
});
