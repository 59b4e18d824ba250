import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../../src/auth/secrets.js';
import { createToken } from '../../../src/auth/tokens.js';
import type { DataScope } from '../../../src/data/format.js';
import { ROOT_ID, type FileDoc } from '../../../src/files/file-doc.js';
import { parseRules } from '../../../src/permissions/permissions.js';
import type { InstanceRecord } from '../../../src/ports/store/store.js';
import { multipartBody, rawRequest, type RawResponse } from '../../files/http-raw.js';
import { hasUnzip, unzipAll } from '../../files/unzip.js';
import { bearer, type Client } from '../../support/http-client.js';
import { csrfOf, startStack, type TestStack } from '../../support/stack.js';
import { STORE_ADAPTERS } from '../../support/stores.js';

const HOST = 'alice.localhost';
const HTML = { accept: 'text/html,application/xhtml+xml' };

interface ShareAnswer {
  id: string;
  url: string;
  mode: string;
  fileId: string;
  hasPassword: boolean;
  expiresAt: string | null;
}

describe.each(STORE_ADAPTERS)('share links on $name', (adapter) => {
  let t: TestStack;
  let instance: InstanceRecord;
  let scope: DataScope;
  let owner: Record<string, string>;
  let tokenFor: (rules: unknown) => Promise<Record<string, string>>;
  let browser: Client;
  const ids: Record<string, FileDoc> = {};
  const photo = randomBytes(40_000);

  const req = (
    method: string,
    path: string,
    options: { headers?: Record<string, string>; body?: Buffer | string } = {},
  ) => rawRequest(t.port, method, path, { host: HOST, ...options });
  const share = async (
    id: string,
    body: Record<string, unknown> = {},
  ): Promise<ShareAnswer & { secret: string }> => {
    const res = await req('POST', `/files/${id}/shares`, {
      headers: { ...owner, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status, res.text).toBe(201);
    const answer = res.json<ShareAnswer>();
    return { ...answer, secret: new URL(answer.url).pathname.slice('/s/'.length) };
  };
  const put = (dir: string, name: string, content: Buffer | string, mime = 'text/plain') =>
    t.stack.files.upload(scope, dir, name, Readable.from([Buffer.from(content)]), { mime });
  const names = async (dirId: string) => (await t.stack.files.children(scope, dirId)).map((c) => c.name);

  beforeAll(async () => {
    t = await startStack({ adapter });
    instance = await t.stack.instances.create(HOST, { name: 'alice', password: 'alice password' });
    scope = { instance, storage: await t.stack.instances.storage(instance) };
    const accounts = await t.stack.instances.accounts(instance);
    tokenFor = async (rules) => bearer((await createToken(accounts, { rules: parseRules(rules) })).token);
    owner = await tokenFor([{ type: 'io.nuage.files', verbs: 'ALL' }]);
    browser = t.client.forHost(HOST);
    expect((await browser.post('/auth/login', { form: { password: 'alice password' } })).status).toBe(303);

    const files = t.stack.files;
    ids.photos = await files.createDirectory(scope, ROOT_ID, 'Photos');
    ids.unicode = await put(ids.photos._id, 'été 日本 🎉.txt', 'unicode');
    ids.pic = await put(ids.photos._id, 'pic.jpg', photo, 'image/jpeg');
    ids.page = await put(ids.photos._id, 'page.html', '<script>alert(1)</script>', 'text/html');
    ids.empty = await files.createDirectory(scope, ids.photos._id, 'Empty');
    ids.sub = await files.createDirectory(scope, ids.photos._id, 'Sub');
    ids.deep = await put(ids.sub._id, 'deep.txt', 'deep');
    ids.trashedDir = await files.createDirectory(scope, ids.photos._id, 'Trashed');
    await put(ids.trashedDir._id, 'secret.txt', 'in the trash');
    await files.trash(scope, ids.trashedDir._id);
    ids.gone = await put(ids.photos._id, 'gone.txt', 'gone');
    await files.trash(scope, ids.gone._id);
    ids.outside = await put(ROOT_ID, 'outside.txt', 'content of the outside file');
    ids.drop = await files.createDirectory(scope, ROOT_ID, 'Dropbox');
    ids.existing = await put(ids.drop._id, 'a.txt', 'already here');
  });
  afterAll(async () => {
    await t.dispose();
  });

  describe('the owner’s API', () => {
    it('creates a link with session and CSRF token, shown once, stored only as a hash', async () => {
      const csrf = await csrfOf(browser);
      const refused = await browser.post(`/files/${ids.photos!._id}/shares`, { json: { mode: 'read' } });
      expect(refused.status).toBe(403);
      const res = await browser.post(`/files/${ids.photos!._id}/shares`, {
        json: { mode: 'read', label: 'Holidays' },
        headers: { 'x-csrf-token': csrf },
      });
      expect(res.status).toBe(201);
      const answer = res.json<ShareAnswer & { label: string }>();
      expect(answer.url).toMatch(new RegExp(`^http://${HOST.replace('.', '\\.')}/s/[A-Za-z0-9_-]{32}$`));
      const secret = answer.url.split('/s/')[1]!;
      expect(answer).toMatchObject({
        mode: 'read',
        fileId: ids.photos!._id,
        hasPassword: false,
        label: 'Holidays',
      });
      expect(answer.id).toBe(sha256(secret));
      expect(JSON.stringify(await t.stack.files.get(scope, ids.photos!._id))).not.toContain(secret);
      const stored = await (await t.stack.instances.storage(instance)).records.list('file-share', Date.now());
      expect(JSON.stringify(stored)).not.toContain(secret);

      const listed = await req('GET', `/files/${ids.photos!._id}/shares`, { headers: owner });
      const shares = listed.json<{ shares: Record<string, unknown>[] }>().shares;
      expect(shares.map((s) => s.id)).toContain(answer.id);
      for (const s of shares) {
        expect(s).not.toHaveProperty('url');
        expect(s).not.toHaveProperty('passwordHash');
      }
    });

    it('refuses bad input with 400 problem+json', async () => {
      const bodies: [string, unknown][] = [
        [ids.photos!._id, { mode: 'write' }],
        [ids.photos!._id, { password: '' }],
        [ids.photos!._id, { password: 42 }],
        [ids.photos!._id, { expiresAt: 'tomorrow-ish' }],
        [ids.photos!._id, { expiresAt: Date.now() - 1000 }],
        [ids.photos!._id, { label: 'x'.repeat(201) }],
        [ids.photos!._id, [1, 2]],
        [ids.deep!._id, { mode: 'upload' }],
        [ids.gone!._id, {}],
      ];
      for (const [id, body] of bodies) {
        const res = await req('POST', `/files/${id}/shares`, {
          headers: { ...owner, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.headers['content-type']).toContain('application/problem+json');
      }
      const missing = await req('POST', '/files/nope/shares', {
        headers: { ...owner, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(missing.status).toBe(404);
    });

    it('needs io.nuage.files, and a token that may create anything for a drop box', async () => {
      expect((await req('POST', `/files/${ids.photos!._id}/shares`)).status).toBe(401);
      const notes = await tokenFor([{ type: 'io.nuage.notes', verbs: 'ALL' }]);
      expect((await req('POST', `/files/${ids.photos!._id}/shares`, { headers: notes })).status).toBe(403);
      const readOnly = await tokenFor([{ type: 'io.nuage.files', verbs: ['GET'] }]);
      const headers = { ...readOnly, 'content-type': 'application/json' };
      const read = await req('POST', `/files/${ids.drop!._id}/shares`, { headers, body: '{"mode":"read"}' });
      expect(read.status).toBe(201);
      const upload = await req('POST', `/files/${ids.drop!._id}/shares`, {
        headers,
        body: '{"mode":"upload"}',
      });
      expect(upload.status).toBe(403);
    });

    it('revokes a link: it then answers 404 exactly like an unknown one', async () => {
      const link = await share(ids.photos!._id);
      expect((await req('GET', `/s/${link.secret}`, { headers: HTML })).status).toBe(200);
      expect((await req('DELETE', `/files/shares/${link.id}`, { headers: owner })).status).toBe(204);
      const revoked = await req('GET', `/s/${link.secret}`, { headers: HTML });
      const unknown = await req('GET', `/s/${'A'.repeat(32)}`, { headers: HTML });
      expect(revoked.status).toBe(404);
      expect(revoked.text).toBe(unknown.text);
      expect((await req('GET', `/s/${link.secret}/download/Sub/deep.txt`)).status).toBe(404);
      expect((await req('DELETE', `/files/shares/${link.id}`, { headers: owner })).status).toBe(404);
      const listed = await req('GET', `/files/${ids.photos!._id}/shares`, { headers: owner });
      expect(listed.json<{ shares: { id: string }[] }>().shares.map((s) => s.id)).not.toContain(link.id);
    });
  });

  describe('a read-only folder link', () => {
    let link: ShareAnswer & { secret: string };
    let base: string;
    beforeAll(async () => {
      link = await share(ids.photos!._id);
      base = `/s/${link.secret}`;
    });

    it('lists the folder as a page without JavaScript, with a strict CSP and no Referer', async () => {
      const res = await req('GET', base, { headers: HTML });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("default-src 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('script-src');
      expect(res.text).not.toMatch(/<script|\son\w+=/i);
      // The one stylesheet is allowed by its hash.
      const style = /<style>([\s\S]*?)<\/style>/.exec(res.text)![1]!;
      expect(csp).toContain(`'sha256-${createHash('sha256').update(style).digest('base64')}'`);
      for (const name of ['Sub/', 'Empty/', 'été 日本 🎉.txt', 'pic.jpg', 'page.html'])
        expect(res.text).toContain(name);
      for (const name of ['gone.txt', 'Trashed', 'outside.txt', ids.photos!._id])
        expect(res.text).not.toContain(name);
      expect(res.text).toContain(`<img class="thumb" src="${base}/download/pic.jpg?thumbnail=small"`);
      expect(res.text).toContain(`href="${base}/zip"`);
      expect(res.text).toContain(`href="${base}/download/${encodeURIComponent('été 日本 🎉.txt')}"`);
    });

    it('browses a subfolder with breadcrumbs that stay inside the share', async () => {
      const res = await req('GET', `${base}?path=Sub`, { headers: HTML });
      expect(res.status).toBe(200);
      expect(res.text).toContain(`href="${base}/download/Sub/deep.txt"`);
      expect(res.text).toContain(`<a href="${base}">Photos</a> / <a href="${base}?path=Sub">Sub</a>`);
      expect(res.text).toContain(`href="${base}/zip?path=Sub"`);
    });

    it('downloads files with Range, ETag and 304, like the files API', async () => {
      const deep = await req('GET', `${base}/download/Sub/deep.txt`);
      expect(deep.status).toBe(200);
      expect(deep.text).toBe('deep');
      expect(deep.headers['referrer-policy']).toBe('no-referrer');
      expect(deep.headers.etag).toBe(`"${ids.deep!.sha256?.slice(0, 32)}"`);
      const unicode = await req('GET', `${base}/download/${encodeURIComponent('été 日本 🎉.txt')}`);
      expect(unicode.text).toBe('unicode');
      const nfd = await req(
        'GET',
        `${base}/download/${encodeURIComponent('été 日本 🎉.txt'.normalize('NFD'))}`,
      );
      expect(nfd.text).toBe('unicode');
      const part = await req('GET', `${base}/download/pic.jpg`, { headers: { range: 'bytes=100-199' } });
      expect(part.status).toBe(206);
      expect(part.body.equals(photo.subarray(100, 200))).toBe(true);
      const cached = await req('GET', `${base}/download/pic.jpg`, {
        headers: { 'if-none-match': `"${ids.pic!.sha256?.slice(0, 32)}"` },
      });
      expect(cached.status).toBe(304);
      expect(
        (await req('GET', `${base}/download/pic.jpg`, { headers: { range: 'bytes=99999999-' } })).status,
      ).toBe(416);
      const head = await req('HEAD', `${base}/download/pic.jpg`);
      expect(head.status).toBe(200);
      expect(head.headers['content-length']).toBe(String(photo.length));
    });

    it('serves shared HTML as a sandboxed attachment, never as a page of this origin', async () => {
      const res = await req('GET', `${base}/download/page.html`);
      expect(res.headers['content-disposition']).toMatch(/^attachment;/);
      expect(res.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    });

    it.skipIf(!hasUnzip())('downloads everything, or a subfolder, as a zip', async () => {
      const all = await req('GET', `${base}/zip`);
      expect(all.status).toBe(200);
      expect(all.headers['content-disposition']).toContain('filename="Photos.zip"');
      const { tree } = unzipAll(all.body);
      expect([...tree.keys()].sort()).toEqual(
        [
          'Photos',
          'Photos/Empty',
          'Photos/Sub',
          'Photos/Sub/deep.txt',
          'Photos/page.html',
          'Photos/pic.jpg',
          'Photos/été 日本 🎉.txt',
        ].sort(),
      );
      expect(tree.get('Photos/pic.jpg')?.equals(photo)).toBe(true);
      const sub = unzipAll((await req('GET', `${base}/zip?path=Sub`)).body).tree;
      expect([...sub.keys()].sort()).toEqual(['Sub', 'Sub/deep.txt']);
    });

    const escapes = [
      '../outside.txt',
      '..%2foutside.txt',
      '..%2Foutside.txt',
      '%2e%2e/outside.txt',
      '%2e%2e%2foutside.txt',
      '.%2e/outside.txt',
      'Sub/../../outside.txt',
      'Sub/..%2f..%2foutside.txt',
      '..%5coutside.txt',
      '..\\outside.txt',
      '%5c..%5coutside.txt',
      '%c0%ae%c0%ae/outside.txt',
      '%c0%ae%c0%ae%c0%afoutside.txt',
      '%e0%80%ae%e0%80%ae/outside.txt',
      '%ef%bc%8e%ef%bc%8e/outside.txt',
      '%ef%bc%8e%ef%bc%8e%ef%bc%8foutside.txt',
      '%e2%80%a4%e2%80%a4/outside.txt',
      '%252e%252e/outside.txt',
      'Sub%00/deep.txt',
      'Sub/deep.txt%00',
      '%2foutside.txt',
      '/outside.txt',
      'Trashed/secret.txt',
      'gone.txt',
      ids.outside?._id ?? 'outside-id',
    ];

    it.each(escapes)('cannot reach anything outside the share or in the trash: %s', async (path) => {
      const res = await req(
        'GET',
        `/s/${link.secret}/download/${path.replace('outside-id', ids.outside!._id)}`,
      );
      expect([400, 404]).toContain(res.status);
      expect(res.text).not.toContain('content of the outside file');
      expect(res.text).not.toContain('in the trash');
    });

    it.each([
      '..',
      'Sub/..',
      'Sub/../..',
      '/',
      '..%2f',
      '%2e%2e',
      '．．',
      'Trashed',
      'Sub\\..\\..',
      '\u0000',
    ])('cannot browse or zip outside the share with ?path=%s', async (path) => {
      for (const route of ['', '/zip']) {
        const res = await req('GET', `/s/${link.secret}${route}?path=${encodeURIComponent(path)}`, {
          headers: HTML,
        });
        expect([400, 404]).toContain(res.status);
        expect(res.headers['referrer-policy']).toBe('no-referrer');
        expect(res.text).not.toContain('outside.txt');
      }
    });

    it('takes no uploads', async () => {
      const res = await req('PUT', `/s/${link.secret}/upload/x.txt`, { body: 'x' });
      expect(res.status).toBe(404);
      expect(await names(ids.photos!._id)).not.toContain('x.txt');
    });

    it('vanishes while its folder, or a folder above it, is in the trash', async () => {
      const box = await t.stack.files.createDirectory(scope, ROOT_ID, 'Box');
      const inner = await t.stack.files.createDirectory(scope, box._id, 'Inner');
      await put(inner._id, 'f.txt', 'f');
      const boxLink = await share(box._id);
      const innerLink = await share(inner._id);
      await t.stack.files.trash(scope, box._id);
      expect((await req('GET', `/s/${boxLink.secret}`, { headers: HTML })).status).toBe(404);
      expect((await req('GET', `/s/${innerLink.secret}/download/f.txt`)).status).toBe(404);
      await t.stack.files.restore(scope, box._id);
      expect((await req('GET', `/s/${innerLink.secret}/download/f.txt`)).text).toBe('f');
    });
  });

  describe('a single shared file', () => {
    it('shows its page and downloads by its name or no name, nothing else', async () => {
      const link = await share(ids.pic!._id);
      const base = `/s/${link.secret}`;
      const page = await req('GET', base, { headers: HTML });
      expect(page.text).toContain('pic.jpg');
      expect(page.text).toContain(`<img class="preview" src="${base}/download/pic.jpg?thumbnail=large"`);
      expect((await req('GET', `${base}/download/pic.jpg`)).body.equals(photo)).toBe(true);
      expect((await req('GET', `${base}/download/`)).body.equals(photo)).toBe(true);
      for (const path of ['other.jpg', 'pic.jpg/x', '../Sub/deep.txt', '..', 'deep.txt']) {
        expect([400, 404]).toContain((await req('GET', `${base}/download/${path}`)).status);
      }
    });
  });

  describe('a password-protected link', () => {
    it('asks for the password, refuses a wrong one, then opens with a cookie scoped to the link', async () => {
      const link = await share(ids.photos!._id, { password: 'open sesame' });
      expect(link.hasPassword).toBe(true);
      const base = `/s/${link.secret}`;
      const form = await req('GET', base, { headers: HTML });
      expect(form.status).toBe(200);
      expect(form.text).toContain('type="password"');
      expect(form.text).not.toContain('pic.jpg');
      expect((await req('GET', `${base}/download/pic.jpg`)).status).toBe(401);
      expect((await req('GET', `${base}/zip`)).status).toBe(401);

      const formHeaders = { ...HTML, 'content-type': 'application/x-www-form-urlencoded' };
      const wrong = await req('POST', base, { headers: formHeaders, body: 'password=nope' });
      expect(wrong.status).toBe(401);
      expect(wrong.text).toContain('Wrong password.');
      const right = await req('POST', base, { headers: formHeaders, body: 'password=open%20sesame' });
      expect(right.status).toBe(303);
      expect(right.headers.location).toBe(base);
      const setCookie = right.headers['set-cookie']![0]!;
      expect(setCookie).toContain(`Path=${base}`);
      expect(setCookie).toContain('HttpOnly');
      const cookie = setCookie.split(';')[0]!;
      const listing = await req('GET', base, { headers: { ...HTML, cookie } });
      expect(listing.text).toContain('pic.jpg');
      expect((await req('GET', `${base}/download/Sub/deep.txt`, { headers: { cookie } })).text).toBe('deep');

      // The cookie opens this link only.
      const other = await share(ids.photos!._id, { password: 'open sesame' });
      expect(
        (await req('GET', `/s/${other.secret}/download/Sub/deep.txt`, { headers: { cookie } })).status,
      ).toBe(401);
    });

    it('locks out an address after ten wrong passwords', async () => {
      const link = await share(ids.photos!._id, { password: 'right one' });
      const formHeaders = { ...HTML, 'content-type': 'application/x-www-form-urlencoded' };
      for (let i = 0; i < 10; i++) {
        expect(
          (await req('POST', `/s/${link.secret}`, { headers: formHeaders, body: 'password=wrong' })).status,
        ).toBe(401);
      }
      const locked = await req('POST', `/s/${link.secret}`, {
        headers: formHeaders,
        body: 'password=right%20one',
      });
      expect(locked.status).toBe(429);
      expect(locked.headers['retry-after']).toBeDefined();
      expect(locked.text).toContain('Too many wrong passwords');
    });
  });

  describe('an upload-only link (a drop box)', () => {
    let base: string;
    beforeAll(async () => {
      base = `/s/${(await share(ids.drop!._id, { mode: 'upload' })).secret}`;
    });

    it('shows an upload form and never what the folder holds', async () => {
      const res = await req('GET', base, { headers: HTML });
      expect(res.status).toBe(200);
      expect(res.text).toContain('enctype="multipart/form-data"');
      expect(res.text).not.toContain('a.txt');
      expect((await req('GET', `${base}/download/a.txt`)).status).toBe(404);
      expect((await req('GET', `${base}/zip`)).status).toBe(404);
      expect((await req('GET', `${base}?path=a.txt`, { headers: HTML })).text).not.toContain('already here');
    });

    it('takes a PUT, giving a clashing name a suffix instead of overwriting', async () => {
      const res = await req('PUT', `${base}/upload/a.txt`, { body: 'new content' });
      expect(res.status).toBe(201);
      expect(res.json()).toEqual({ name: 'a (1).txt', size: 11 });
      const again = await req('PUT', `${base}/upload/a.txt`, { body: 'newer' });
      expect(again.json<{ name: string }>().name).toBe('a (2).txt');
      const kept = await t.stack.files.download(scope, ids.existing!._id);
      let text = '';
      for await (const chunk of kept.stream) text += String(chunk);
      expect(text).toBe('already here');
    });

    it('takes a browser form with several files, streamed, and says how many arrived', async () => {
      const big = randomBytes(300_000);
      const { body, contentType } = multipartBody(
        [
          { filename: 'a.txt', content: 'from the form', type: 'text/plain' },
          { filename: 'photo 日本.jpg', content: big, type: 'image/jpeg' },
        ],
        { note: 'ignored' },
      );
      const res = await req('POST', `${base}/upload`, {
        headers: { ...HTML, 'content-type': contentType },
        body,
      });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`${base}?received=2`);
      const after = await t.stack.files.children(scope, ids.drop!._id);
      const photoDoc = after.find((c) => c.name === 'photo 日本.jpg')!;
      expect(photoDoc.mime).toBe('image/jpeg');
      expect(photoDoc.sha256).toBe(createHash('sha256').update(big).digest('hex'));
      expect(after.map((c) => c.name)).toContain('a (3).txt');
      const thanks = await req('GET', res.headers.location!, { headers: HTML });
      expect(thanks.text).toContain('Received 2 files');
      expect(thanks.text).not.toContain('photo 日本.jpg');
    });

    it('works for a logged-in owner too, whose session grants nothing here and needs no CSRF token', async () => {
      const { body, contentType } = multipartBody([{ filename: 'owner.txt', content: 'mine' }]);
      const res = await browser.post(`${base}/upload`, {
        body,
        headers: { ...HTML, 'content-type': contentType },
      });
      expect(res.status).toBe(303);
      expect(await names(ids.drop!._id)).toContain('owner.txt');
    });

    it.each([
      ['PUT', '%2e%2e'],
      ['PUT', '..%2foutside.txt'],
      ['PUT', '%c0%ae%c0%ae'],
      ['PUT', 'a%00b'],
    ])('refuses a bad name (%s %s) and keeps nothing', async (method, name) => {
      const before = await names(ids.drop!._id);
      const res = await req(method, `${base}/upload/${name}`, { body: 'evil' });
      expect([400, 404]).toContain(res.status);
      expect(await names(ids.drop!._id)).toEqual(before);
      expect(await names(ROOT_ID)).not.toContain('outside.txt (1)');
    });

    it.each(['../escape.txt', 'a/b.txt', '..', ''])(
      'refuses a form file named %j and keeps nothing',
      async (filename) => {
        const before = await names(ids.drop!._id);
        const { body, contentType } = multipartBody([{ filename, content: 'evil' }]);
        const res = await req('POST', `${base}/upload`, { headers: { 'content-type': contentType }, body });
        expect(res.status).toBe(400);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(await names(ids.drop!._id)).toEqual(before);
        expect(await names(ROOT_ID)).not.toContain('escape.txt');
      },
    );

    it('refuses a truncated or malformed form with 400 and keeps nothing', async () => {
      const before = await names(ids.drop!._id);
      const { body, contentType } = multipartBody([{ filename: 'cut.txt', content: 'x'.repeat(1000) }]);
      const cut = await req('POST', `${base}/upload`, {
        headers: { 'content-type': contentType },
        body: body.subarray(0, body.length - 40),
      });
      expect(cut.status).toBe(400);
      const noBoundary = await req('POST', `${base}/upload`, {
        headers: { 'content-type': 'multipart/form-data' },
        body: 'x',
      });
      expect(noBoundary.status).toBe(400);
      expect(await names(ids.drop!._id)).toEqual(before);
    });
  });

  describe('expiry', () => {
    it('answers 404 once a link has expired, like an unknown link', async () => {
      const link = await share(ids.photos!._id, {
        expiresAt: new Date(Date.now() + 60 * 60_000).toISOString(),
      });
      expect(link.expiresAt).not.toBeNull();
      expect((await req('GET', `/s/${link.secret}/download/Sub/deep.txt`)).text).toBe('deep');
      t.advance(2 * 60 * 60_000);
      const page = await req('GET', `/s/${link.secret}`, { headers: HTML });
      expect(page.status).toBe(404);
      expect(page.text).toBe((await req('GET', `/s/${'B'.repeat(32)}`, { headers: HTML })).text);
      expect((await req('GET', `/s/${link.secret}/download/Sub/deep.txt`)).status).toBe(404);
      const listed = await req('GET', `/files/${ids.photos!._id}/shares`, { headers: owner });
      expect(listed.json<{ shares: { id: string }[] }>().shares.map((s) => s.id)).not.toContain(link.id);
    });
  });
});

describe('a drop box over quota', () => {
  let t: TestStack;
  let scope: DataScope;
  let base: string;
  const req = (
    method: string,
    path: string,
    options: { headers?: Record<string, string>; body?: Buffer } = {},
  ) => rawRequest(t.port, method, path, { ...options });
  const blobCount = async () => (await t.stack.files.usage(scope)).used;

  beforeAll(async () => {
    t = await startStack({ config: { quotaBytes: 100_000 } });
    const [instance] = await t.stack.instances.list();
    scope = { instance: instance!, storage: await t.stack.instances.storage(instance!) };
    const drop = await t.stack.files.createDirectory(scope, ROOT_ID, 'Drop');
    const accounts = await t.stack.instances.accounts(instance!);
    const token = (
      await createToken(accounts, { rules: parseRules([{ type: 'io.nuage.files', verbs: 'ALL' }]) })
    ).token;
    const res = await req('POST', `/files/${drop._id}/shares`, {
      headers: { ...bearer(token), 'content-type': 'application/json' },
      body: Buffer.from('{"mode":"upload"}'),
    });
    base = new URL(res.json<{ url: string }>().url).pathname;
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('answers 413 and keeps nothing, for a PUT and for a form', async () => {
    const big = randomBytes(150_000);
    const put: RawResponse = await req('PUT', `${base}/upload/big.bin`, { body: big });
    expect(put.status).toBe(413);
    const { body, contentType } = multipartBody([{ filename: 'big.bin', content: big }]);
    const form = await req('POST', `${base}/upload`, { headers: { 'content-type': contentType }, body });
    expect(form.status).toBe(413);
    expect(await blobCount()).toBe(0);
    expect(
      await t.stack.files.children(scope, (await t.stack.files.resolve(scope, ['Drop'])).entry!._id),
    ).toEqual([]);
  });
});
