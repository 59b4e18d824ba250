import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../../src/auth/tokens.js';
import { ROOT_ID } from '../../../src/files/file-doc.js';
import { parseRules } from '../../../src/permissions/permissions.js';
import { bearer, type Client } from '../../support/http-client.js';
import { startStack, type TestStack } from '../../support/stack.js';
import { STORE_ADAPTERS } from '../../support/stores.js';

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  json<T = Record<string, unknown>>(): T;
}

type Entry = {
  id: string;
  rev: string;
  name: string;
  path: string;
  size?: number;
  md5sum?: string;
  sha256?: string;
};

const MB = 1024 * 1024;

/** Five megabytes, produced chunk by chunk so the client streams them too. */
async function* fiveMegabytes(): AsyncGenerator<Buffer> {
  for (let i = 0; i < 80; i++) yield Buffer.alloc(64 * 1024, (i * 7) % 256);
}

describe.each(STORE_ADAPTERS)('the /files API on $name', (adapter) => {
  let t: TestStack;
  let alice: Client;
  let owner: Record<string, string>;
  let tokenFor: (rules: unknown) => Promise<Record<string, string>>;

  /** A request with a binary body (streamed when a Readable) and a binary answer. */
  const raw = (
    method: string,
    path: string,
    options: { headers?: Record<string, string>; body?: Buffer | Readable } = {},
  ): Promise<RawResponse> =>
    new Promise((resolve, reject) => {
      const headers: Record<string, string> = { host: 'alice.localhost', ...owner, ...options.headers };
      if (Buffer.isBuffer(options.body)) headers['content-length'] = String(options.body.length);
      const req = httpRequest({ host: '127.0.0.1', port: t.port, method, path, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            json: <T>() => JSON.parse(body.toString('utf8')) as T,
          });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      if (options.body instanceof Readable) options.body.pipe(req);
      else req.end(options.body);
    });

  const upload = (name: string, content: string | Buffer, headers: Record<string, string> = {}) =>
    raw('POST', `/files/${ROOT_ID}?Type=file&Name=${encodeURIComponent(name)}`, {
      body: Buffer.from(content),
      headers: { 'content-type': 'text/plain', ...headers },
    });

  const blobFiles = async () => {
    try {
      const entries = await readdir(join(t.dataDir, 'blobs'), { recursive: true, withFileTypes: true });
      return entries.filter((e) => e.isFile()).map((e) => e.name);
    } catch {
      return [];
    }
  };

  beforeAll(async () => {
    t = await startStack({ adapter });
    const instance = await t.stack.instances.create('alice.localhost', {
      name: 'alice',
      password: 'alice password',
    });
    alice = t.client.forHost('alice.localhost');
    const accounts = await t.stack.instances.accounts(instance);
    tokenFor = async (rules) => bearer((await createToken(accounts, { rules: parseRules(rules) })).token);
    owner = await tokenFor([{ type: 'io.nuage.files', verbs: 'ALL' }]);
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('streams a 5 MB upload and downloads it identical', async () => {
    const expected = createHash('sha256');
    for await (const chunk of fiveMegabytes()) expected.update(chunk);
    const res = await raw('POST', `/files/${ROOT_ID}?Type=file&Name=big.bin`, {
      body: Readable.from(fiveMegabytes()),
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(res.status).toBe(201);
    const file = res.json<Entry>();
    expect(file.size).toBe(5 * MB);
    const download = await raw('GET', `/files/download/${file.id}`);
    expect(download.status).toBe(200);
    expect(download.body.length).toBe(5 * MB);
    expect(createHash('sha256').update(download.body).digest('hex')).toBe(expected.digest('hex'));
    expect(download.headers['content-disposition']).toBe(
      `attachment; filename="big.bin"; filename*=UTF-8''big.bin`,
    );
  });

  it('sends a large range exactly, and survives a client that leaves midway', async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of fiveMegabytes()) chunks.push(chunk);
    const content = Buffer.concat(chunks);
    const res = await raw('POST', `/files/${ROOT_ID}?Type=file&Name=leave.bin`, { body: content });
    const file = res.json<Entry>();
    const [start, end] = [MB - 3, 4 * MB + 7]; // across the 1 MiB reads, neither end on a boundary
    const part = await raw('GET', `/files/download/${file.id}`, {
      headers: { range: `bytes=${start}-${end}` },
    });
    expect(part.status).toBe(206);
    expect(part.body.equals(content.subarray(start, end + 1))).toBe(true);

    // A client that reads the first bytes and hangs up: the stack goes on serving.
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: t.port,
          path: `/files/download/${file.id}`,
          headers: { host: 'alice.localhost', ...owner },
        },
        (response) => {
          response.once('data', () => {
            req.destroy();
            resolve();
          });
        },
      );
      req.on('error', (error) => (req.destroyed ? undefined : reject(error)));
      req.end();
    });
    const again = await raw('GET', `/files/download/${file.id}`);
    expect(again.status).toBe(200);
    expect(again.body.equals(content)).toBe(true);
  });

  it('serves a Range with 206, and 304 for a matching If-None-Match', async () => {
    const file = (await upload('range.txt', 'hello world')).json<Entry>();
    const part = await raw('GET', `/files/download/${file.id}`, { headers: { range: 'bytes=6-' } });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe('bytes 6-10/11');
    expect(part.body.toString()).toBe('world');
    const etag = part.headers.etag ?? '';
    expect(etag).toBe(`"${file.sha256?.slice(0, 32)}"`);
    const cached = await raw('GET', `/files/download/${file.id}`, { headers: { 'if-none-match': etag } });
    expect(cached.status).toBe(304);
    const outside = await raw('GET', `/files/download/${file.id}`, { headers: { range: 'bytes=50-60' } });
    expect(outside.status).toBe(416);
  });

  it('accepts a matching Content-MD5 and Digest', async () => {
    const md5 = createHash('md5').update('checked').digest('base64');
    const sha = createHash('sha256').update('checked').digest('base64');
    const res = await upload('checked.txt', 'checked', { 'content-md5': md5, digest: `sha-256=${sha}` });
    expect(res.status).toBe(201);
    // The MD5 a client sent and the stack checked is kept, for clients that compare with it.
    expect(res.json<Entry>().md5sum).toBe(createHash('md5').update('checked').digest('hex'));
  });

  it('answers 412 on a wrong Content-MD5 and keeps no document and no blob', async () => {
    const before = await blobFiles();
    const wrong = createHash('md5').update('something else').digest('base64');
    const res = await upload('wrong.txt', 'the content', { 'content-md5': wrong });
    expect(res.status).toBe(412);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(await blobFiles()).toEqual(before);
    const listing = (await raw('GET', `/files/${ROOT_ID}/children`)).json<{ children: Entry[] }>();
    expect(listing.children.map((c) => c.name)).not.toContain('wrong.txt');
  });

  it('answers 412 on a wrong Digest', async () => {
    const wrong = createHash('sha256').update('else').digest('base64');
    expect((await upload('wrong2.txt', 'content', { digest: `sha-256=${wrong}` })).status).toBe(412);
  });

  it('creates directories, refuses clashes (409) and bad names (400)', async () => {
    const dir = await raw('POST', `/files/${ROOT_ID}?Type=directory&Name=docs`);
    expect(dir.status).toBe(201);
    expect(dir.json<Entry>().path).toBe('/docs');
    expect((await raw('POST', `/files/${ROOT_ID}?Type=directory&Name=docs`)).status).toBe(409);
    expect((await raw('POST', `/files/${ROOT_ID}?Type=directory&Name=%2e%2e`)).status).toBe(400);
    expect((await raw('POST', `/files/${ROOT_ID}?Type=directory&Name=a%2Fb`)).status).toBe(400);
  });

  it('renames and moves with PATCH, refusing a move into itself', async () => {
    const a = (await raw('POST', `/files/${ROOT_ID}?Type=directory&Name=movable`)).json<Entry>();
    const patch = (id: string, json: unknown) =>
      alice.request('PATCH', `/files/${id}`, { json, headers: owner });
    const renamed = await patch(a.id, { name: 'moved' });
    expect(renamed.status).toBe(200);
    expect(renamed.json<Entry>().path).toBe('/moved');
    expect((await patch(a.id, { dir_id: a.id })).status).toBe(400);
  });

  it('trashes with DELETE, restores with POST /files/trash/:id, deletes for good', async () => {
    const file = (await upload('trashme.txt', 'bye')).json<Entry>();
    expect((await raw('DELETE', `/files/${file.id}`)).status).toBe(200);
    const names = async () =>
      (await raw('GET', `/files/${ROOT_ID}/children`))
        .json<{ children: Entry[] }>()
        .children.map((c) => c.name);
    expect(await names()).not.toContain('trashme.txt');
    const trash = (await raw('GET', '/files/trash')).json<{ trashed: Entry[] }>();
    expect(trash.trashed.map((c) => c.id)).toContain(file.id);
    expect((await raw('POST', `/files/trash/${file.id}`)).status).toBe(200);
    expect(await names()).toContain('trashme.txt');
    expect((await raw('DELETE', `/files/${file.id}`)).status).toBe(200);
    expect((await raw('DELETE', `/files/trash/${file.id}`)).status).toBe(204);
    expect((await raw('GET', `/files/${file.id}`)).status).toBe(404);
  });

  it('refuses a token without io.nuage.files (403)', async () => {
    const notes = await tokenFor([{ type: 'io.nuage.notes', verbs: 'ALL' }]);
    expect((await raw('GET', `/files/${ROOT_ID}`, { headers: notes })).status).toBe(403);
    const res = await raw('POST', `/files/${ROOT_ID}?Type=file&Name=x.txt`, {
      body: Buffer.from('x'),
      headers: notes,
    });
    expect(res.status).toBe(403);
  });

  it('shows an upload in the io.nuage.files changes feed and in search', async () => {
    const file = (await upload('quarterly-report.txt', 'numbers')).json<Entry>();
    const changes = await alice.get('/data/io.nuage.files/_changes', { headers: owner });
    expect(changes.json<{ results: { id: string }[] }>().results.map((r) => r.id)).toContain(file.id);
    const search = await alice.get('/search?q=quarterly', { headers: owner });
    expect(search.status).toBe(200);
    expect(search.json<{ results: { id: string }[] }>().results.map((r) => r.id)).toContain(file.id);
  });
});
