import { describe, expect, it } from 'vitest';
import { createToken, findToken, parseDuration, revokeToken } from '../../src/auth/tokens.js';
import { BadRequest } from '../../src/errors.js';
import { SqliteStore } from '../../src/ports/store/sqlite/sqlite-store.js';
import { tempDir } from '../support/stores.js';

describe('bearer tokens', () => {
  it('finds a token by its string until it expires or is revoked', async () => {
    const store = new SqliteStore(tempDir());
    const storage = await store.open(await store.instances.create('a.localhost'));
    let now = 1_000_000;
    const ctx = { records: storage.records, now: () => now };
    const rules = [{ type: 'io.nuage.todos', verbs: 'ALL' as const }];
    const { token, record } = await createToken(ctx, { rules, ttlMs: 60_000 });
    expect((await findToken(ctx, token))?.rules).toEqual(rules);
    expect(await findToken(ctx, token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A'))).toBeNull();
    expect(await findToken(ctx, 'garbage')).toBeNull();
    now += 61_000;
    expect(await findToken(ctx, token)).toBeNull();
    const forever = await createToken(ctx, { rules });
    await revokeToken(ctx, forever.record.id);
    expect(await findToken(ctx, forever.token)).toBeNull();
    // The secret is the last 43 characters (ids and secrets are base64url, which may contain '_').
    expect(record.secretHash).not.toContain(token.slice(-43));
    expect(record.secretHash).toMatch(/^[0-9a-f]{64}$/);
    await store.close();
  });

  it('reads durations in seconds, minutes, hours and days', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('15m')).toBe(900_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('7d')).toBe(604_800_000);
    for (const bad of ['', '1', 'h', '1w', '-1h', '0s', '1.5h'])
      expect(() => parseDuration(bad), bad).toThrow(BadRequest);
  });
});
