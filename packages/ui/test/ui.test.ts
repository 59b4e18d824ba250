import { describe, expect, it } from 'vitest';
import { createT, mergeDictionaries, UI_MESSAGES } from '../src/i18n.js';
import { homeUrl } from '../src/home.js';
import { wrapTarget } from '../src/focus.js';
import { ICON_NAMES } from '../src/icons.js';

describe('t()', () => {
  const dictionaries = mergeDictionaries(UI_MESSAGES, {
    en: { 'notes.count': '{count} notes', 'notes.title': 'Notes' },
    fr: { 'notes.count': '{count} notes', 'notes.title': 'Notes', 'ui.close': 'Fermer la fenêtre' },
  });

  it('translates into the locale, falling back to its language, then English, then the key', () => {
    const fr = createT(dictionaries, 'fr-CA');
    expect(fr('ui.home')).toBe('Accueil');
    expect(fr('ui.close')).toBe('Fermer la fenêtre');
    const de = createT(dictionaries, 'de');
    expect(de('ui.home')).toBe('Home');
    expect(de('no.such.key')).toBe('no.such.key');
  });

  it('fills placeholders and leaves unknown ones as they are', () => {
    const en = createT(dictionaries, 'en');
    expect(en('notes.count', { count: 3 })).toBe('3 notes');
    expect(createT({ en: { x: 'a {b} {c}' } }, 'en')('x', { b: 1 })).toBe('a 1 {c}');
  });

  it('does not read inherited properties as translations', () => {
    expect(createT({ en: {} }, 'en')('toString')).toBe('toString');
  });
});

describe('homeUrl', () => {
  it('names the Home app below the instance domain, keeping scheme and port', () => {
    expect(homeUrl('http://localhost:8080')).toBe('http://home.localhost:8080/');
    expect(homeUrl('https://alice.example.org', 'notes.alice.example.org')).toBe(
      'https://home.alice.example.org/',
    );
  });

  it('uses the flat form when the page itself is a flat app origin', () => {
    expect(homeUrl('https://alice.example.org', 'alice-notes.example.org')).toBe(
      'https://alice-home.example.org/',
    );
  });
});

describe('focus trap', () => {
  const items = ['first', 'middle', 'last'];
  it('wraps Tab from the last item to the first and Shift+Tab from the first to the last', () => {
    expect(wrapTarget(items, 'last', false)).toBe('first');
    expect(wrapTarget(items, 'first', true)).toBe('last');
  });
  it('lets the browser move focus inside, and pulls it back in from outside', () => {
    expect(wrapTarget(items, 'middle', false)).toBeNull();
    expect(wrapTarget(items, 'middle', true)).toBeNull();
    expect(wrapTarget(items, null, false)).toBe('first');
    expect(wrapTarget([], null, false)).toBeNull();
  });
});

describe('icons', () => {
  it('has the set apps need', () => {
    for (const name of [
      'folder',
      'file',
      'upload',
      'download',
      'trash',
      'restore',
      'share',
      'search',
      'settings',
    ]) {
      expect(ICON_NAMES).toContain(name);
    }
    expect(ICON_NAMES).toEqual(expect.arrayContaining(['apps', 'plus', 'close']));
  });
});
