import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, NuageError, type TokenGrant } from '../src/index.js';
import { NOTES, startClientStack, type ClientStack } from './stack.js';

describe('tokens in @nuage/client', () => {
  let s: ClientStack;

  beforeAll(async () => {
    s = await startClientStack();
  });
  afterAll(async () => {
    await s.t.dispose();
  });

  it('refreshes an expired token once, then retries the call and succeeds', async () => {
    const short = await s.token([NOTES], 60_000);
    let refreshes = 0;
    const client = createClient({
      instance: s.instance,
      token: short.token,
      refresh: async () => {
        refreshes += 1;
        return s.token([NOTES], 3_600_000);
      },
    });
    const notes = client.documents<{ title: string }>('io.nuage.notes');
    await notes.create({ _id: 'before', title: 'while the token lives' });
    expect(refreshes).toBe(0);

    s.t.advance(120_000); // the stack's clock: the first token has expired
    const created = await notes.create({ _id: 'after', title: 'after expiry' });
    expect(created._rev).toMatch(/^1-/);
    expect(refreshes).toBe(1);
    // The fresh token is kept: no refresh for the next calls.
    expect((await notes.get('after')).title).toBe('after expiry');
    expect(refreshes).toBe(1);
  });

  it('shares one refresh between calls refused at the same time', async () => {
    const dead = await s.token([NOTES], 1_000);
    s.t.advance(2_000);
    let refreshes = 0;
    const client = createClient({
      instance: s.instance,
      token: dead.token,
      refresh: async () => {
        refreshes += 1;
        await new Promise((r) => setTimeout(r, 20));
        return s.token([NOTES]);
      },
    });
    const notes = client.documents('io.nuage.notes');
    await Promise.all([notes.all(), notes.all(), notes.all()]);
    expect(refreshes).toBe(1);
  });

  it('refreshes ahead of a known expiry instead of sending a token about to die', async () => {
    const grant = await s.token([NOTES], 3_600_000);
    const refreshed: TokenGrant[] = [];
    const client = createClient({
      instance: s.instance,
      token: grant.token,
      expiresAt: Date.now() + 10_000, // within the early-refresh margin
      refresh: async () => {
        const fresh = await s.token([NOTES], 3_600_000);
        refreshed.push(fresh);
        return fresh;
      },
    });
    await client.documents('io.nuage.notes').all();
    expect(refreshed).toHaveLength(1);
    expect(await client.token()).toBe(refreshed[0]!.token);
  });

  it('surfaces a refused token as a 401 NuageError when there is no way to refresh', async () => {
    const client = createClient({ instance: s.instance, token: 'nuage_notarealtoken_' + 'x'.repeat(43) });
    const error = await client
      .documents('io.nuage.notes')
      .all()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NuageError);
    expect(error).toMatchObject({ status: 401, code: 'unauthorized' });
  });

  it('gives up after one retry when even the fresh token is refused', async () => {
    let refreshes = 0;
    const client = createClient({
      instance: s.instance,
      token: 'nuage_notarealtoken_' + 'x'.repeat(43),
      refresh: async () => {
        refreshes += 1;
        return { token: 'nuage_stillnotreal_' + 'y'.repeat(43) };
      },
    });
    await expect(client.documents('io.nuage.notes').all()).rejects.toMatchObject({ status: 401 });
    expect(refreshes).toBe(1);
  });

  it('reports a server it cannot reach as a network NuageError', async () => {
    const client = createClient({ instance: 'http://127.0.0.1:9', token: 't' });
    await expect(client.documents('io.nuage.notes').all()).rejects.toMatchObject({
      status: 0,
      code: 'network_error',
    });
  });
});
