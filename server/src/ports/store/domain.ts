import { BadRequest } from '../../errors.js';

/**
 * Instance domains name directories on disk and schemas in PostgreSQL, so they are validated strictly:
 * lowercase DNS labels joined by dots, at most 253 characters. Returns the normalised domain.
 */
export function normaliseDomain(input: string): string {
  const domain = input.trim().toLowerCase().replace(/\.$/, '');
  const label = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
  if (domain.length === 0 || domain.length > 253 || !domain.split('.').every((l) => label.test(l))) {
    throw new BadRequest(`invalid instance domain "${input}": use a host name such as alice.example.org`);
  }
  return domain;
}
