import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { manifestOf, writeAppRepo } from '../../support/apps.js';
import { bearer, Client } from '../../support/http-client.js';
import { csrfOf, onboard, startStack, tempDir, type TestStack } from '../../support/stack.js';

let t: TestStack;
let owner: Client;
let csrf: string;
let repos: string;

beforeEach(async () => {
  t = await startStack();
  owner = t.client;
  await onboard(owner);
  csrf = await csrfOf(owner);
  repos = tempDir();
});
afterEach(async () => {
  await t.dispose();
});

async function install(source: string): Promise<Record<string, unknown>> {
  const staged = await owner.post('/apps/_stage', { json: { source }, headers: { 'x-csrf-token': csrf } });
  expect(staged.status).toBe(200);
  const res = await owner.post('/apps/_install', {
    json: { staged: staged.json().staged },
    headers: { 'x-csrf-token': csrf },
  });
  expect(res.status).toBe(201);
  return res.json();
}

/** Opens an app as a browser does: instance `/open` → code → the app origin sets its own cookie. */
async function open(slug: string, path = '/'): Promise<Client> {
  const go = await owner.get(`/apps/${slug}/open?path=${encodeURIComponent(path)}`);
  expect(go.status).toBe(302);
  const target = new URL(String(go.headers.location));
  expect(target.hostname).toBe(`${slug}.localhost`);
  const app = owner.forHost(`${slug}.localhost:${t.port}`);
  const landed = await app.get(`${target.pathname}${target.search}`);
  expect(landed.status).toBe(302);
  expect(landed.headers.location).toBe(path);
  return app;
}

interface Bootstrap {
  token: string;
  instance: string;
  app: string;
  expiresAt: number;
}

function bootstrapOf(html: string): Bootstrap {
  const content = /<meta name="nuage-app" content="([^"]+)">/.exec(html)?.[1];
  if (!content) throw new Error('no bootstrap in the page');
  return JSON.parse(
    content.replace(/&#(\d+);/g, (_m, c: string) => String.fromCharCode(Number(c))),
  ) as Bootstrap;
}

describe('installing an app from a git repository', () => {
  it('stages it with the permissions it asks for, then installs it on consent', async () => {
    const source = writeAppRepo(join(repos, 'notes'), manifestOf('notes'));
    const staged = await owner.post('/apps/_stage', { json: { source }, headers: { 'x-csrf-token': csrf } });
    expect(staged.json()).toMatchObject({
      slug: 'notes',
      version: '1.0.0',
      permissions: { notes: { type: 'io.nuage.notes', verbs: ['GET', 'POST'] } },
      installed: null,
      asksForMore: true,
    });
    expect((await owner.get('/apps/notes')).status).toBe(404);

    await owner.post('/apps/_install', {
      json: { staged: staged.json().staged },
      headers: { 'x-csrf-token': csrf },
    });
    const listed = (await owner.get('/apps')).json<{ apps: { slug: string; url: string }[] }>().apps;
    expect(listed.map((a) => a.slug)).toContain('notes');
    expect(listed.find((a) => a.slug === 'notes')?.url).toBe('http://notes.localhost');
  });

  it('refuses a broken manifest, an unknown source and a missing ref with a 400, installing nothing', async () => {
    const bad = writeAppRepo(join(repos, 'bad'), { ...manifestOf('bad'), slug: 'Bad-Slug', version: 'one' });
    const res = await owner.post('/apps/_stage', {
      json: { source: bad },
      headers: { 'x-csrf-token': csrf },
    });
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ error: 'invalid_manifest' });
    expect(res.json<{ problems: string[] }>().problems).toHaveLength(2);

    const nowhere = await owner.post('/apps/_stage', {
      json: { source: 'ftp://example.org/app' },
      headers: { 'x-csrf-token': csrf },
    });
    expect(nowhere.status).toBe(400);
    const source = writeAppRepo(join(repos, 'ok'), manifestOf('ok'));
    const ref = await owner.post('/apps/_stage', {
      json: { source: source.replace('#main', '#no-such-branch') },
      headers: { 'x-csrf-token': csrf },
    });
    expect(ref.status).toBe(400);
    expect(ref.json()).toMatchObject({ error: 'source_unavailable' });
    expect(
      (
        await owner.post('/apps/_install', {
          json: { staged: 'AAAAAAAAAAAAAAAA' },
          headers: { 'x-csrf-token': csrf },
        })
      ).status,
    ).toBe(404);
  });

  it('refuses a manifest naming a file the app lacks', async () => {
    const source = writeAppRepo(join(repos, 'holes'), manifestOf('holes', { icon: 'missing.svg' }));
    const res = await owner.post('/apps/_stage', { json: { source }, headers: { 'x-csrf-token': csrf } });
    expect(res.status).toBe(400);
    expect(res.json<{ detail: string }>().detail).toContain('missing.svg');
  });

  it('needs the owner: no session, no install', async () => {
    const stranger = owner.forHost('localhost');
    const res = await stranger.post('/apps/_stage', { json: { source: 'home' } });
    expect(res.status).toBe(401);
  });
});

describe('an app on its own origin', () => {
  it('sends a visitor without an app session through the instance to log in', async () => {
    await install(writeAppRepo(join(repos, 'notes'), manifestOf('notes')));
    const anonymous = new Client(t.port, `notes.localhost:${t.port}`);
    const res = await anonymous.get('/some/page?x=1');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(
      `http://localhost:${t.port}/apps/notes/open?path=${encodeURIComponent('/some/page?x=1')}`,
    );
    const fresh = new Client(t.port, `localhost:${t.port}`);
    const login = await fresh.get('/apps/notes/open?path=%2F');
    expect(login.status).toBe(302);
    expect(login.headers.location).toMatch(/^\/auth\/login\?redirect=/);
  });

  it('serves the page with a token for exactly the granted permissions, under a strict CSP', async () => {
    await install(writeAppRepo(join(repos, 'notes'), manifestOf('notes')));
    const app = await open('notes');
    const page = await app.get('/');
    expect(page.status).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain(`connect-src 'self' http://localhost:${t.port} ws://localhost:${t.port}`);
    expect(csp).not.toContain('unsafe-eval');
    const boot = bootstrapOf(page.text);
    expect(boot).toMatchObject({ instance: `http://localhost:${t.port}`, app: 'notes' });

    const api = owner.forHost('localhost');
    const auth = { ...bearer(boot.token), origin: `http://notes.localhost:${t.port}` };
    const created = await api.post('/data/io.nuage.notes/', { json: { title: 'hello' }, headers: auth });
    expect(created.status).toBe(201);
    expect(created.headers['access-control-allow-origin']).toBe(`http://notes.localhost:${t.port}`);
    expect((await api.get('/data/io.nuage.notes/_all_docs', { headers: auth })).status).toBe(200);
    // Granted GET and POST only: no delete, no other doctype, no settings.
    const id = created.json<{ id: string; rev: string }>();
    expect((await api.delete(`/data/io.nuage.notes/${id.id}?rev=${id.rev}`, { headers: auth })).status).toBe(
      403,
    );
    expect((await api.get('/data/io.nuage.contacts/_all_docs', { headers: auth })).status).toBe(403);
    expect((await api.get('/apps', { headers: auth })).status).toBe(403);
  });

  it('refuses the token on another instance, after expiry, and once the owner logs out', async () => {
    await install(writeAppRepo(join(repos, 'notes'), manifestOf('notes')));
    await t.stack.instances.create('bob.localhost', { name: 'bob', password: 'correct horse battery' });
    const app = await open('notes');
    const { token } = bootstrapOf((await app.get('/')).text);
    const api = owner.forHost('localhost');
    expect((await api.get('/data/io.nuage.notes/', { headers: bearer(token) })).status).toBe(200);
    const bob = owner.forHost('bob.localhost');
    expect((await bob.get('/data/io.nuage.notes/', { headers: bearer(token) })).status).toBe(401);

    // A fresh token comes from the app origin while the session lives.
    const refreshed = await app.get('/_nuage/token');
    expect(refreshed.status).toBe(200);
    const next = refreshed.json<{ token: string; expiresAt: number }>();
    t.advance(61 * 60_000);
    expect((await api.get('/data/io.nuage.notes/', { headers: bearer(next.token) })).status).toBe(401);
    const again = (await app.get('/_nuage/token')).json<{ token: string }>().token;
    expect((await api.get('/data/io.nuage.notes/', { headers: bearer(again) })).status).toBe(200);

    await owner.post('/auth/logout', { headers: { 'x-csrf-token': csrf } });
    expect((await api.get('/data/io.nuage.notes/', { headers: bearer(again) })).status).toBe(401);
    expect((await app.get('/_nuage/token')).status).toBe(401);
    expect((await app.get('/')).status).toBe(302);
  });

  it('answers CORS preflights for installed apps only, never with credentials', async () => {
    await install(writeAppRepo(join(repos, 'notes'), manifestOf('notes')));
    const api = owner.forHost('localhost');
    const ask = (origin: string) =>
      api.request('OPTIONS', '/data/io.nuage.notes/', {
        headers: {
          origin,
          'access-control-request-method': 'PUT',
          'access-control-request-headers': 'authorization',
        },
      });
    const ok = await ask(`http://notes.localhost:${t.port}`);
    expect(ok.status).toBe(204);
    expect(ok.headers['access-control-allow-origin']).toBe(`http://notes.localhost:${t.port}`);
    expect(ok.headers['access-control-allow-headers']).toContain('Authorization');
    expect(ok.headers['access-control-allow-credentials']).toBeUndefined();
    for (const origin of [
      `http://evil.localhost:${t.port}`,
      'https://example.org',
      `http://notes.other:${t.port}`,
    ]) {
      expect((await ask(origin)).headers['access-control-allow-origin']).toBeUndefined();
    }
  });

  it('serves files with ETags, precompressed twins, immutable caching for hashed names, and no escape', async () => {
    const big = `export const words = ${JSON.stringify('lorem ipsum '.repeat(500))};`;
    await install(
      writeAppRepo(join(repos, 'notes'), manifestOf('notes'), {
        'index.html': '<html><head></head><body>hi</body></html>',
        'assets/main-4f3a9c1b.js': big,
        'plain.js': big,
      }),
    );
    const app = await open('notes');
    const hashed = await app.get('/assets/main-4f3a9c1b.js', { headers: { 'accept-encoding': 'gzip, br' } });
    expect(hashed.status).toBe(200);
    expect(hashed.headers['content-encoding']).toBe('br');
    expect(hashed.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(hashed.headers['content-type']).toBe('text/javascript; charset=utf-8');
    const head = await app.request('HEAD', '/plain.js');
    expect(head.headers['content-length']).toBe(String(Buffer.byteLength(big)));
    const plain = await app.get('/plain.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.text).toBe(big);
    expect(plain.headers['cache-control']).toBe('no-cache');
    const etag = String(plain.headers.etag);
    expect((await app.get('/plain.js', { headers: { 'if-none-match': etag } })).status).toBe(304);
    // Client-side routes fall back to the page; missing assets do not.
    expect((await app.get('/notes/42')).text).toContain('nuage-app');
    expect((await app.get('/missing.js')).status).toBe(404);
    for (const path of [
      '/../manifest.json',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/assets%2f..%2f..%2fmanifest.json',
      '/..%5c..%5cetc',
      '/.git/config',
    ]) {
      expect((await app.get(path)).status, path).toBe(404);
    }
    // The instance's API does not exist on an app origin.
    expect((await app.post('/data/io.nuage.notes/', { json: {} })).status).toBe(405);
  });
});

describe('updates and removal', () => {
  it('applies an update asking for no more at once, and holds one asking for more until consent', async () => {
    const dir = join(repos, 'notes');
    await install(writeAppRepo(dir, manifestOf('notes')));
    writeAppRepo(dir, manifestOf('notes', { version: '1.1.0' }));
    const quiet = await owner.post('/apps/notes/_update', { headers: { 'x-csrf-token': csrf } });
    expect(quiet.json()).toMatchObject({ applied: true, app: { version: '1.1.0', pendingUpdate: null } });

    const more = manifestOf('notes', {
      version: '2.0.0',
      permissions: {
        all: { type: 'io.nuage.notes', verbs: 'ALL' },
        contacts: { type: 'io.nuage.contacts', verbs: ['GET'] },
      },
    });
    writeAppRepo(dir, more);
    const asked = await owner.post('/apps/notes/_update', { headers: { 'x-csrf-token': csrf } });
    const body = asked.json<{
      applied: boolean;
      staged: { staged: string; asksForMore: boolean };
      app: { version: string };
    }>();
    expect(body.applied).toBe(false);
    expect(body.staged.asksForMore).toBe(true);
    expect(body.app.version).toBe('1.1.0');
    expect((await owner.get('/apps/notes')).json()).toMatchObject({ pendingUpdate: { version: '2.0.0' } });

    await owner.post('/apps/_install', {
      json: { staged: body.staged.staged },
      headers: { 'x-csrf-token': csrf },
    });
    expect((await owner.get('/apps/notes')).json()).toMatchObject({ version: '2.0.0', pendingUpdate: null });
  });

  it('removes the files, tokens and app sessions on uninstall, keeping the documents', async () => {
    await install(writeAppRepo(join(repos, 'notes'), manifestOf('notes')));
    const app = await open('notes');
    const { token } = bootstrapOf((await app.get('/')).text);
    const api = owner.forHost('localhost');
    expect(
      (await api.post('/data/io.nuage.notes/', { json: { title: 'kept' }, headers: bearer(token) })).status,
    ).toBe(201);
    const dir = String((await t.stack.apps.get(await scopeOf(), 'notes'))?.dir);
    expect(existsSync(dir)).toBe(true);

    expect((await owner.delete('/apps/notes', { headers: { 'x-csrf-token': csrf } })).status).toBe(204);
    expect(existsSync(dir)).toBe(false);
    expect((await api.get('/data/io.nuage.notes/', { headers: bearer(token) })).status).toBe(401);
    expect((await app.get('/')).status).toBe(404);
    const docs = await owner.get('/data/io.nuage.notes/_all_docs?include_docs=true');
    expect(docs.json<{ rows: { doc: { title: string } }[] }>().rows.map((r) => r.doc.title)).toEqual([
      'kept',
    ]);
  });
});

describe('uninstalling with the data', () => {
  // Doctypes of their own: the first-party apps installed by default use io.nuage.todos and others.
  it('deletes the documents of doctypes only that app used, and keeps shared ones', async () => {
    await install(writeAppRepo(join(repos, 'notes'), manifestOf('notes')));
    await install(
      writeAppRepo(
        join(repos, 'todo'),
        manifestOf('todo', {
          permissions: {
            todos: { type: 'org.example.todos', verbs: 'ALL' },
            notes: { type: 'io.nuage.notes', verbs: ['GET'] },
          },
        }),
      ),
    );
    const headers = { 'x-csrf-token': csrf };
    for (const doctype of ['io.nuage.notes', 'org.example.todos'])
      for (let i = 0; i < 3; i++) await owner.post(`/data/${doctype}/`, { json: { i }, headers });

    const gone = await owner.delete('/apps/todo?data=true', { headers });
    expect(gone.status).toBe(200);
    expect(gone.json()).toEqual({ deleted: 3 });
    const count = async (doctype: string) =>
      (await owner.get(`/data/${doctype}/`)).json<{ doc_count: number }>().doc_count;
    expect(await count('org.example.todos')).toBe(0);
    expect(await count('io.nuage.notes')).toBe(3); // still used by the notes app
  });
});

async function scopeOf() {
  const instance = await t.stack.instances.get('localhost');
  return { instance, storage: await t.stack.instances.storage(instance) };
}

describe('flat app domains', () => {
  it('serves the app of alice.localhost at alice-notes.localhost', async () => {
    const flat = await startStack({ config: { appsDomains: 'flat' } });
    try {
      await flat.stack.instances.create('alice.localhost', {
        name: 'alice',
        password: 'correct horse battery',
      });
      const alice = new Client(flat.port, 'alice.localhost');
      const login = await alice.post('/auth/login', {
        form: { name: 'alice', password: 'correct horse battery' },
      });
      expect(login.status).toBe(303);
      const token = await csrfOf(alice);
      const source = writeAppRepo(join(repos, 'notes'), manifestOf('notes'));
      const staged = await alice.post('/apps/_stage', {
        json: { source },
        headers: { 'x-csrf-token': token },
      });
      await alice.post('/apps/_install', {
        json: { staged: staged.json().staged },
        headers: { 'x-csrf-token': token },
      });
      const go = await alice.get('/apps/notes/open');
      const target = new URL(String(go.headers.location));
      expect(target.hostname).toBe('alice-notes.localhost');
      const app = alice.forHost('alice-notes.localhost');
      expect((await app.get(`${target.pathname}${target.search}`)).status).toBe(302);
      expect((await app.get('/')).text).toContain('nuage-app');
      // The nested name means nothing in flat mode.
      expect((await alice.forHost('notes.alice.localhost').get('/')).status).toBe(404);
    } finally {
      await flat.dispose();
    }
  });
});
