import { WebSocket } from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { fromEnv, fromPage, NuageError, readAppContext, type FetchLike } from '../src/index.js';
import { NOTES, startClientStack, type ClientStack } from './stack.js';

/** A page as the stack serves it: the bootstrap in `<meta name="nuage-app">` (attribute already decoded). */
function servePage(context: Record<string, unknown>): { reload: ReturnType<typeof vi.fn> } {
  const content = JSON.stringify(context);
  vi.stubGlobal('document', {
    querySelector: (selector: string) =>
      selector === 'meta[name="nuage-app"]'
        ? { getAttribute: (name: string) => (name === 'content' ? content : null) }
        : null,
  });
  const reload = vi.fn();
  vi.stubGlobal('location', { reload });
  return { reload };
}

describe('the page bootstrap (fromPage) and services (fromEnv)', () => {
  let s: ClientStack;
  /** What `/_nuage/token` answers next: a token of the app's rules, or 401 once the session ended. */
  let sessionAlive = true;
  let tokenCalls = 0;
  const appFetch: FetchLike = async (input, init) => {
    if (input === '/_nuage/token') {
      tokenCalls += 1;
      if (!sessionAlive) {
        return new Response(
          JSON.stringify({ status: 401, title: 'unauthorized', detail: 'the session ended' }),
          {
            status: 401,
            headers: { 'content-type': 'application/problem+json' },
          },
        );
      }
      return Response.json(await s.token([NOTES], 3_600_000));
    }
    return fetch(input, init);
  };

  beforeAll(async () => {
    s = await startClientStack();
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.unstubAllEnvs();
    sessionAlive = true;
    tokenCalls = 0;
  });
  afterAll(async () => {
    await s.t.dispose();
  });

  it('reads the context the stack put in the page', () => {
    servePage({
      instance: s.instance,
      app: 'template',
      token: 'nuage_x',
      expiresAt: 1790000000000,
      locale: 'fr',
    });
    expect(readAppContext()).toEqual({
      instance: s.instance,
      app: 'template',
      token: 'nuage_x',
      expiresAt: 1790000000000,
      locale: 'fr',
    });
  });

  it('refuses to start on a page the stack did not serve', () => {
    vi.stubGlobal('document', { querySelector: () => null });
    expect(() => fromPage()).toThrow(/nuage-app/);
  });

  it('gets a fresh token from /_nuage/token when the page token has expired, then retries', async () => {
    const old = await s.token([NOTES], 60_000);
    servePage({ instance: s.instance, app: 'template', token: old.token, expiresAt: null, locale: 'en' });
    const client = fromPage({ fetch: appFetch, WebSocket });
    expect(client.context.app).toBe('template');
    s.t.advance(120_000);
    const note = await client
      .documents<{ title: string }>('io.nuage.notes')
      .create({ title: 'from the page' });
    expect(note._rev).toMatch(/^1-/);
    expect(tokenCalls).toBe(1);
  });

  it('reloads the page when the owner session has ended', async () => {
    const old = await s.token([NOTES], 60_000);
    const { reload } = servePage({
      instance: s.instance,
      app: 'template',
      token: old.token,
      expiresAt: null,
      locale: 'en',
    });
    const client = fromPage({ fetch: appFetch });
    s.t.advance(120_000);
    sessionAlive = false;
    const error = await client
      .documents('io.nuage.notes')
      .all()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NuageError);
    expect(error).toMatchObject({ status: 401 });
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('never reloads a page served without a session (a public route)', async () => {
    const { reload } = servePage({
      instance: s.instance,
      app: 'template',
      token: null,
      expiresAt: null,
      locale: 'en',
    });
    sessionAlive = false;
    const client = fromPage({ fetch: appFetch });
    await expect(client.documents('io.nuage.notes').all()).rejects.toMatchObject({ status: 401 });
    expect(reload).not.toHaveBeenCalled();
  });

  it('builds a service client from NUAGE_URL and NUAGE_TOKEN', async () => {
    vi.stubEnv('NUAGE_URL', s.instance);
    vi.stubEnv('NUAGE_TOKEN', (await s.token([NOTES])).token);
    const client = fromEnv({ WebSocket });
    expect(client.instance).toBe(s.instance);
    await expect(client.documents('io.nuage.notes').all()).resolves.toMatchObject({
      rows: expect.any(Array),
    });
    vi.stubEnv('NUAGE_TOKEN', '');
    expect(() => fromEnv()).toThrow(/NUAGE_TOKEN/);
  });

  it('names its instance in X-Nuage-Instance when it reaches the stack on loopback', async () => {
    const loopback = s.instance.replace('//localhost', '//127.0.0.1');
    vi.stubEnv('NUAGE_URL', loopback);
    vi.stubEnv('NUAGE_TOKEN', (await s.token([NOTES])).token);
    vi.stubEnv('NUAGE_INSTANCE', '');
    await expect(fromEnv().documents('io.nuage.notes').all()).rejects.toMatchObject({ status: 404 });
    vi.stubEnv('NUAGE_INSTANCE', 'localhost');
    await expect(fromEnv().documents('io.nuage.notes').all()).resolves.toMatchObject({
      rows: expect.any(Array),
    });
  });
});
