import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../../src/auth/tokens.js';
import { ROOT_ID, type FileDoc } from '../../../src/files/file-doc.js';
import { parseRules } from '../../../src/permissions/permissions.js';
import { rawRequest, type RawResponse } from '../../files/http-raw.js';
import { hasUnzip, unzipAll } from '../../files/unzip.js';
import { bearer } from '../../support/http-client.js';
import { startStack, type TestStack } from '../../support/stack.js';

describe.skipIf(!hasUnzip())('zip downloads of the owner’s files', () => {
  let t: TestStack;
  let owner: Record<string, string>;
  let tokenFor: (rules: unknown) => Promise<Record<string, string>>;
  const ids: Record<string, FileDoc> = {};
  const big = randomBytes(2 * 1024 * 1024);
  const photo = randomBytes(50_000);

  const get = (path: string, headers: Record<string, string> = owner) =>
    rawRequest(t.port, 'GET', path, { host: 'alice.localhost', headers });
  const post = (path: string, json: unknown, headers: Record<string, string> = owner) =>
    rawRequest(t.port, 'POST', path, {
      host: 'alice.localhost',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(json),
    });
  const unzipped = (res: RawResponse) => {
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    const { test, tree } = unzipAll(res.body);
    expect(test).toContain('No errors detected');
    return tree;
  };

  beforeAll(async () => {
    t = await startStack();
    const instance = await t.stack.instances.create('alice.localhost', {
      name: 'alice',
      password: 'pw alice 123',
    });
    const accounts = await t.stack.instances.accounts(instance);
    tokenFor = async (rules) => bearer((await createToken(accounts, { rules: parseRules(rules) })).token);
    owner = await tokenFor([{ type: 'io.nuage.files', verbs: 'ALL' }]);
    const scope = { instance, storage: await t.stack.instances.storage(instance) };
    const files = t.stack.files;
    const put = (dir: string, name: string, content: Buffer | string, mime = 'text/plain') =>
      files.upload(scope, dir, name, Readable.from([Buffer.from(content)]), { mime });
    ids.photos = await files.createDirectory(scope, ROOT_ID, 'Photos');
    ids.unicode = await put(ids.photos._id, 'été 日本 🎉.txt', 'unicode');
    ids.big = await put(ids.photos._id, 'big.bin', big, 'application/octet-stream');
    ids.photo = await put(ids.photos._id, 'pic.jpg', photo, 'image/jpeg');
    ids.empty = await files.createDirectory(scope, ids.photos._id, 'Empty');
    ids.sub = await files.createDirectory(scope, ids.photos._id, 'Sub');
    ids.deep = await put(ids.sub._id, 'deep.txt', 'deep');
    ids.trashedDir = await files.createDirectory(scope, ids.photos._id, 'Trashed');
    await put(ids.trashedDir._id, 'secret.txt', 'in the trash');
    await files.trash(scope, ids.trashedDir._id);
    ids.gone = await put(ids.photos._id, 'gone.txt', 'gone');
    await files.trash(scope, ids.gone._id);
    ids.outside = await put(ROOT_ID, 'outside.txt', 'outside');
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('streams a folder with everything live below it, byte for byte, Unicode names and empty folders included', async () => {
    const res = await get(`/files/${ids.photos!._id}/zip`);
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="Photos.zip"; filename*=UTF-8''Photos.zip`,
    );
    expect(res.headers['content-length']).toBeUndefined();
    const tree = unzipped(res);
    expect([...tree.keys()].sort()).toEqual(
      [
        'Photos',
        'Photos/Empty',
        'Photos/Sub',
        'Photos/Sub/deep.txt',
        'Photos/big.bin',
        'Photos/pic.jpg',
        'Photos/été 日本 🎉.txt',
      ].sort(),
    );
    expect(tree.get('Photos/big.bin')?.equals(big)).toBe(true);
    expect(tree.get('Photos/pic.jpg')?.equals(photo)).toBe(true);
    expect(tree.get('Photos/été 日本 🎉.txt')?.toString()).toBe('unicode');
    expect(tree.get('Photos/Sub/deep.txt')?.toString()).toBe('deep');
  });

  it('answers HEAD with the headers only', async () => {
    const res = await rawRequest(t.port, 'HEAD', `/files/${ids.photos!._id}/zip`, {
      host: 'alice.localhost',
      headers: owner,
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['content-length']).toBeUndefined();
  });

  it('zips the root directory’s contents at the top of the archive', async () => {
    const tree = unzipped(await get(`/files/${ROOT_ID}/zip`));
    expect(tree.get('outside.txt')?.toString()).toBe('outside');
    expect(tree.get('Photos/Sub/deep.txt')?.toString()).toBe('deep');
    expect(tree.has('Photos/Trashed')).toBe(false);
  });

  it('zips a selection side by side with POST /files/zip', async () => {
    const res = await post('/files/zip', { ids: [ids.outside!._id, ids.sub!._id, ids.unicode!._id] });
    expect(res.headers['content-disposition']).toContain('filename="files.zip"');
    const tree = unzipped(res);
    expect([...tree.keys()].sort()).toEqual(['Sub', 'Sub/deep.txt', 'outside.txt', 'été 日本 🎉.txt'].sort());
  });

  it('zips a single file', async () => {
    const tree = unzipped(await get(`/files/${ids.deep!._id}/zip`));
    expect([...tree.entries()]).toEqual([['deep.txt', Buffer.from('deep')]]);
  });

  it('refuses a bad selection with 400 and an unknown id with 404', async () => {
    for (const body of [{}, { ids: [] }, { ids: 'x' }, { ids: [1] }, { ids: Array(1001).fill('a') }]) {
      const res = await post('/files/zip', body);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    expect((await post('/files/zip', { ids: [ids.outside!._id, 'nope'] })).status).toBe(404);
    expect((await get('/files/nope/zip')).status).toBe(404);
  });

  it('needs io.nuage.files: 401 without credentials, 403 for another doctype', async () => {
    expect((await get(`/files/${ids.photos!._id}/zip`, {})).status).toBe(401);
    const notes = await tokenFor([{ type: 'io.nuage.notes', verbs: 'ALL' }]);
    expect((await get(`/files/${ids.photos!._id}/zip`, notes)).status).toBe(403);
  });

  it('gives a selector-scoped token only what its rules cover', async () => {
    const scoped = await tokenFor([
      { type: 'io.nuage.files', verbs: ['GET'], selector: 'dir_id', values: [ids.photos!._id] },
    ]);
    expect((await get(`/files/${ids.photos!._id}/zip`, scoped)).status).toBe(404);
    // Sub is in Photos; deep.txt is in Sub, which the rule does not cover.
    const tree = unzipped(await get(`/files/${ids.sub!._id}/zip`, scoped));
    expect([...tree.keys()]).toEqual(['Sub']);
  });

  describe('one-minute download links, for pages that cannot put a token on a link', () => {
    it('downloads one file or a zip without credentials, until the link expires', async () => {
      const file = await post('/files/_download-links', { ids: [ids.big!._id] });
      expect(file.status).toBe(200);
      const { url } = JSON.parse(file.body.toString()) as { url: string };
      expect(url).toMatch(/^\/files\/dl\/[A-Za-z0-9_-]{32}$/);
      const got = await get(url, {});
      expect(got.status).toBe(200);
      expect(got.headers['content-disposition']).toContain('big.bin');
      expect(Buffer.compare(got.body, big)).toBe(0);

      const zip = await post('/files/_download-links', { ids: [ids.sub!._id, ids.unicode!._id], zip: true });
      const tree = unzipped(await get((JSON.parse(zip.body.toString()) as { url: string }).url, {}));
      expect([...tree.keys()].sort()).toEqual(['Sub', 'Sub/deep.txt', 'été 日本 🎉.txt']);

      t.advance(61_000);
      expect((await get(url, {})).status).toBe(404);
    });

    it('refuses a folder without zip, entries the caller may not read, and unknown links', async () => {
      expect((await post('/files/_download-links', { ids: [ids.photos!._id] })).status).toBe(400);
      expect((await post('/files/_download-links', { ids: [] })).status).toBe(400);
      const scoped = await tokenFor([
        { type: 'io.nuage.files', verbs: ['GET'], selector: 'dir_id', values: [ids.photos!._id] },
      ]);
      expect((await post('/files/_download-links', { ids: [ids.deep!._id] }, scoped)).status).toBe(404);
      expect((await get(`/files/dl/${'A'.repeat(32)}`, {})).status).toBe(404);
      expect((await get('/files/dl/short', {})).status).toBe(404);
    });
  });
});
