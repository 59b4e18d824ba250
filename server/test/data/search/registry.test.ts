import { describe, expect, it } from 'vitest';
import { BadRequest } from '../../../src/errors.js';
import {
  extractSearchText,
  indexTokens,
  MAX_BODY_CHARS,
  parseSearchPath,
  SEARCHABLE,
  SearchRegistry,
  tsvectorText,
} from '../../../src/data/search/index.js';

describe('search paths', () => {
  it('parses dotted paths with array markers', () => {
    expect(parseSearchPath('emails[].address')).toEqual(['emails', 'address']);
    expect(parseSearchPath('name.givenName')).toEqual(['name', 'givenName']);
  });

  it.each(['', 'a..b', 'a[0]', 'a[]b', '.a', 'a.'])('refuses %j', (path) => {
    expect(() => parseSearchPath(path)).toThrow(BadRequest);
  });
});

describe('extractSearchText', () => {
  const registry = new SearchRegistry();

  it('reads a contact: names as the title, emails and organisation as the body', () => {
    const contact = {
      fullname: 'Jeanne Dupont',
      name: { givenName: 'Jeanne', familyName: 'Dupont' },
      email: [{ address: 'jeanne@example.org' }, { address: 'jd@work.example' }],
      org: 'ACME',
    };
    expect(registry.extract('io.nuage.contacts', contact)).toEqual({
      title: 'Jeanne Dupont',
      body: 'jeanne@example.org\njd@work.example\nACME',
    });
    expect(
      registry.extract('io.nuage.contacts', { name: { givenName: 'Jeanne', familyName: 'Dupont' } }),
    ).toEqual({ title: 'Jeanne Dupont', body: '' });
  });

  it('takes every string under an object or array leaf (mail addresses in any shape)', () => {
    const mail = {
      subject: 'Lunch',
      from: { name: 'Élodie', address: 'elodie@example.org' },
      to: ['bob@example.org', { name: 'Carol', address: 'carol@example.org' }],
      text: 'See you at noon',
    };
    expect(registry.extract('io.nuage.mail', mail)?.body).toBe(
      'Élodie\nelodie@example.org\nbob@example.org\nCarol\ncarol@example.org\nSee you at noon',
    );
  });

  it('ignores what is not there, inherited members and non-text values', () => {
    const doc = Object.create({ title: 'inherited' }) as Record<string, unknown>;
    doc.content = [true, null, 42, { deep: { deeper: { deepest: { tooDeep: 'x' } } } }];
    expect(registry.extract('io.nuage.notes', doc)).toEqual({ title: '', body: '42' });
    expect(registry.extract('io.nuage.notes', {})).toBeNull();
    expect(registry.extract('io.nuage.unknown', { title: 'x' })).toBeNull();
  });

  it('caps the body', () => {
    const text = extractSearchText({ a: 'x'.repeat(MAX_BODY_CHARS * 2) }, { title: [], body: [['a']] });
    expect(text?.body.length).toBe(MAX_BODY_CHARS);
  });
});

describe('SearchRegistry', () => {
  it('knows the built-in doctypes', () => {
    const registry = new SearchRegistry();
    expect(registry.doctypes()).toEqual(Object.keys(SEARCHABLE).sort());
    expect(registry.isSearchable('io.nuage.files')).toBe(true);
  });

  it('accepts doctypes declared at runtime and says when a declaration changes something', () => {
    const registry = new SearchRegistry({});
    expect(registry.declare('com.example.recipes', { title: ['name'], body: ['steps[].text'] })).toBe(true);
    expect(registry.declare('com.example.recipes', { title: ['name'], body: ['steps[].text'] })).toBe(false);
    expect(registry.extract('com.example.recipes', { name: 'Crêpes', steps: [{ text: 'Mix' }] })).toEqual({
      title: 'Crêpes',
      body: 'Mix',
    });
    expect(registry.forget('com.example.recipes')).toBe(true);
    expect(registry.isSearchable('com.example.recipes')).toBe(false);
  });

  it('refuses bad declarations', () => {
    const registry = new SearchRegistry({});
    expect(() => registry.declare('Bad Doctype', { title: ['a'], body: [] })).toThrow(BadRequest);
    expect(() => registry.declare('a.b', { title: [], body: [] })).toThrow(BadRequest);
    expect(() => registry.declare('a.b', { title: ['a..b'], body: [] })).toThrow(BadRequest);
  });
});

describe('index tokens', () => {
  it('builds a tsvector with title weight A and body weight B after a gap', () => {
    const tokens = indexTokens({ title: 'Jeanne Dupont', body: 'jeanne@example.org' });
    expect(tokens).toEqual({ title: ['jeanne', 'dupont'], body: ['jeanne', 'example', 'org'] });
    expect(tsvectorText(tokens)).toBe("'jeanne':1A,4B 'dupont':2A 'example':5B 'org':6B");
  });
});
