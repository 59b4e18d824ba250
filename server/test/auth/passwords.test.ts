import { describe, expect, it } from 'vitest';
import { checkNewPassword, hashPassword, verifyPassword } from '../../src/auth/passwords.js';
import { BadRequest } from '../../src/errors.js';

describe('owner passwords', () => {
  it('verifies the right password against its scrypt hash and refuses others', async () => {
    const hash = await hashPassword('correct horse');
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(hash).not.toContain('correct horse');
    expect(await verifyPassword('correct horse', hash)).toBe(true);
    expect(await verifyPassword('correct hors', hash)).toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('same')).not.toBe(await hashPassword('same'));
  });

  it('treats a malformed stored hash as a mismatch', async () => {
    expect(await verifyPassword('x', 'md5$abc')).toBe(false);
    expect(await verifyPassword('x', '')).toBe(false);
  });

  it('refuses new passwords under 8 characters', () => {
    expect(() => checkNewPassword('1234567')).toThrow(BadRequest);
    expect(() => checkNewPassword('12345678')).not.toThrow();
  });
});
