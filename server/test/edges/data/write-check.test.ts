import { describe, expect, it } from 'vitest';
import { writeCheck } from '../../../src/edges/data/access.js';
import { Forbidden } from '../../../src/errors.js';
import { OWNER, parseRules, type PermissionSet } from '../../../src/permissions/permissions.js';

const T = 'io.nuage.todos';
const rules = (input: unknown): PermissionSet => ({ kind: 'rules', rules: parseRules(input) });
const doc = (fields: Record<string, unknown>) => ({ _id: 'a', _rev: '1-a', ...fields });

describe('the write check of a data request', () => {
  it('is not needed by the owner, nor by a token that may PUT and DELETE the whole doctype', () => {
    expect(writeCheck(OWNER, T)).toBeUndefined();
    expect(writeCheck(rules([{ type: T }]), T)).toBeUndefined();
    expect(writeCheck(rules([{ type: T, verbs: ['PUT', 'DELETE'] }]), T)).toBeUndefined();
  });

  it('is still made for a token that may not delete, and refuses its deletions', () => {
    const check = writeCheck(rules([{ type: T, verbs: ['GET', 'POST', 'PUT'] }]), T);
    expect(check).toBeDefined();
    expect(() => check?.(doc({}), doc({ title: 'x' }))).not.toThrow();
    expect(() => check?.(doc({}), { ...doc({}), _deleted: true })).toThrow(Forbidden);
  });

  it('is still made for a selector-scoped token, and refuses documents out of its reach', () => {
    const check = writeCheck(rules([{ type: T, selector: 'list', values: ['home'] }]), T);
    expect(check).toBeDefined();
    expect(() => check?.(null, doc({ list: 'home' }))).not.toThrow();
    expect(() => check?.(null, doc({ list: 'work' }))).toThrow(Forbidden);
  });
});
