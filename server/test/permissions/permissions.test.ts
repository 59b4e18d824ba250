import { describe, expect, it } from 'vitest';
import { BadRequest } from '../../src/errors.js';
import {
  allowedSubset,
  can,
  canWhole,
  OWNER,
  parseRules,
  parseScope,
  readableDoctypes,
  type PermissionSet,
} from '../../src/permissions/permissions.js';

const token = (rules: unknown): PermissionSet => ({
  kind: 'rules',
  rules: parseRules(rules),
});

describe('permission checks', () => {
  it('lets the owner do everything', () => {
    expect(can(OWNER, 'DELETE', 'io.nuage.contacts')).toBe(true);
    expect(readableDoctypes(OWNER)).toBe('all');
  });

  it('grants a token only its doctypes and verbs', () => {
    const perms = token([{ type: 'io.nuage.todos', verbs: ['GET', 'POST'] }]);
    expect(can(perms, 'GET', 'io.nuage.todos')).toBe(true);
    expect(can(perms, 'POST', 'io.nuage.todos')).toBe(true);
    expect(can(perms, 'DELETE', 'io.nuage.todos')).toBe(false);
    expect(can(perms, 'GET', 'io.nuage.contacts')).toBe(false);
    expect(can(perms, 'GET', 'io.nuage.todos.secret')).toBe(false);
  });

  it('limits a selector rule to the documents it names', () => {
    const perms = token([{ type: 'io.nuage.files', verbs: 'ALL', selector: 'dir', values: ['photos'] }]);
    expect(can(perms, 'GET', 'io.nuage.files', { dir: 'photos' })).toBe(true);
    expect(can(perms, 'GET', 'io.nuage.files', { dir: 'taxes' })).toBe(false);
    expect(can(perms, 'GET', 'io.nuage.files')).toBe(false);
    expect(canWhole(perms, 'GET', 'io.nuage.files')).toBe(false);
    const docs = [{ dir: 'photos', n: 1 }, { dir: 'taxes', n: 2 }, { n: 3 }];
    expect(allowedSubset(perms, 'GET', 'io.nuage.files', docs)).toEqual([{ dir: 'photos', n: 1 }]);
  });

  it('lists the doctypes a token may read', () => {
    const perms = token([
      { type: 'io.nuage.todos', verbs: ['GET'] },
      { type: 'io.nuage.notes', verbs: ['POST'] },
    ]);
    expect(readableDoctypes(perms)).toEqual(['io.nuage.todos']);
  });
});

describe('scopes on the command line', () => {
  it('reads a doctype alone as every verb', () => {
    expect(parseScope('io.nuage.todos')).toEqual({ type: 'io.nuage.todos', verbs: 'ALL' });
  });

  it('reads a verb list, case-insensitively', () => {
    expect(parseScope('io.nuage.todos:get,put')).toEqual({ type: 'io.nuage.todos', verbs: ['GET', 'PUT'] });
  });

  it('refuses unknown verbs and malformed doctypes', () => {
    for (const bad of ['io.nuage.todos:FETCH', 'IO.Nuage', '../x', 'a:b:c', '', 'io..nuage']) {
      expect(() => parseScope(bad), bad).toThrow(BadRequest);
    }
  });
});

describe('stored permission sets', () => {
  it('refuses rules that are not rules', () => {
    for (const bad of [
      null,
      {},
      [1],
      [{ type: 'x y' }],
      [{ type: 'a', verbs: ['EAT'] }],
      [{ type: 'a', selector: 'f' }],
    ]) {
      expect(() => parseRules(bad)).toThrow(BadRequest);
    }
  });
});
