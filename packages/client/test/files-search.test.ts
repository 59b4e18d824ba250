import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, NuageError, ROOT_DIR_ID, type NuageClient } from '../src/index.js';
import { FILES, NOTES, startClientStack, type ClientStack } from './stack.js';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('files and search through @nuage/client', () => {
  let s: ClientStack;
  let client: NuageClient;

  beforeAll(async () => {
    s = await startClientStack();
    client = await s.client([FILES, NOTES]);
  });
  afterAll(async () => {
    await s.t.dispose();
  });

  it('uploads a Blob with progress and downloads the same bytes', async () => {
    const bytes = new Uint8Array(300_000).map((_, i) => (i * 7) % 256);
    const progress: number[] = [];
    const docs = await client.files.mkdir(ROOT_DIR_ID, 'docs');
    const file = await client.files.upload(docs.id, 'data.bin', new Blob([bytes]), {
      onProgress: (sent, total) => {
        expect(total).toBe(bytes.byteLength);
        progress.push(sent);
      },
    });
    expect(file).toMatchObject({ type: 'file', name: 'data.bin', path: '/docs/data.bin', size: 300_000 });
    expect(file.sha256).toBe(sha256(bytes));
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toBe(bytes.byteLength);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));

    const response = await client.files.download(file.id);
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(bytes);
    const range = await client.files.download(file.id, { range: { start: 10, end: 19 } });
    expect(range.status).toBe(206);
    expect(new Uint8Array(await range.arrayBuffer())).toEqual(bytes.slice(10, 20));
    expect(client.files.downloadUrl(file.id)).toBe(`${s.instance}/files/download/${file.id}`);
  });

  it('uploads a stream and text, lists, stats, renames, moves, trashes and restores', async () => {
    const stream = new Blob(['streamed ', 'content']).stream();
    const streamed = await client.files.upload(ROOT_DIR_ID, 'streamed.txt', stream, {
      contentType: 'text/plain',
    });
    expect(streamed).toMatchObject({ size: 16, mime: 'text/plain' });
    const text = await client.files.upload(ROOT_DIR_ID, 'hello.txt', 'héllo');
    expect(text.size).toBe(6);

    const archive = await client.files.mkdir(ROOT_DIR_ID, 'archive');
    const listing = await client.files.list();
    expect(listing.dir.path).toBe('/');
    expect(listing.children.map((c) => c.name)).toEqual(expect.arrayContaining(['archive', 'hello.txt']));
    expect((await client.files.get(text.id)).name).toBe('hello.txt');

    const renamed = await client.files.rename(text.id, 'bonjour.txt');
    expect(renamed.path).toBe('/bonjour.txt');
    const moved = await client.files.move(text.id, { dirId: archive.id });
    expect(moved.path).toBe('/archive/bonjour.txt');
    expect((await client.files.list(archive.id)).children.map((c) => c.name)).toEqual(['bonjour.txt']);

    const trashed = await client.files.trash(moved.id);
    expect(trashed.trashed).toBe(true);
    expect((await client.files.list(archive.id)).children).toEqual([]);
    expect((await client.files.trashed()).map((e) => e.id)).toContain(moved.id);
    const restored = await client.files.restore(moved.id);
    expect(restored.trashed).toBe(false);
    await client.files.trash(moved.id);
    await client.files.destroy(moved.id);
    await expect(client.files.get(moved.id)).rejects.toMatchObject({ status: 404 });
  });

  it('retries an upload with a fresh token after a 401, sending the content again', async () => {
    let refreshes = 0;
    const expired = await s.token([FILES], 60_000);
    s.t.advance(120_000);
    const retrying = createClient({
      instance: s.instance,
      token: expired.token,
      refresh: async () => {
        refreshes += 1;
        return s.token([FILES]);
      },
    });
    const sent: number[] = [];
    const file = await retrying.files.upload(ROOT_DIR_ID, 'retried.txt', new Blob(['twice sent']), {
      onProgress: (n) => sent.push(n),
    });
    expect(refreshes).toBe(1);
    expect(file.size).toBe(10);
    expect(await (await retrying.files.download(file.id)).text()).toBe('twice sent');
  });

  it('surfaces a name clash as a 409 and a bad checksum as a 412', async () => {
    await client.files.mkdir(ROOT_DIR_ID, 'twice');
    const clash = await client.files.mkdir(ROOT_DIR_ID, 'twice').catch((e: unknown) => e);
    expect(clash).toBeInstanceOf(NuageError);
    expect(clash).toMatchObject({ status: 409 });
    const wrong = Buffer.from(createHash('md5').update('other').digest()).toString('base64');
    await expect(
      client.files.upload(ROOT_DIR_ID, 'checked.txt', 'content', { md5: wrong }),
    ).rejects.toMatchObject({ status: 412 });
  });

  it('overwrites a file, keeping versions to download, restore and delete, guarded by ifMatch', async () => {
    const first = await client.files.upload(ROOT_DIR_ID, 'draft.md', 'first draft', {
      contentType: 'text/markdown',
    });
    const second = await client.files.replace(first.id, 'second draft', { ifMatch: first.rev });
    expect(second.size).toBe(12);
    const stale = await client.files
      .replace(first.id, 'lost', { ifMatch: first.rev })
      .catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(NuageError);
    expect((stale as NuageError).status).toBe(412);
    const [version] = await client.files.versions(first.id);
    expect(version).toMatchObject({ size: 11, mime: 'text/markdown' });
    expect(await (await client.files.downloadVersion(first.id, version!.id)).text()).toBe('first draft');
    const restored = await client.files.restoreVersion(first.id, version!.id);
    expect(restored.sha256).toBe(first.sha256);
    const kept = restored.versions?.[0]?.id ?? '';
    expect((await client.files.deleteVersion(first.id, kept)).versions).toBeUndefined();
  });

  it('follows the tree through its changes feed', async () => {
    const { last_seq } = await client.files.changes({ since: 'now' });
    const waiting = client.files.changes({
      since: last_seq,
      longpoll: true,
      timeoutMs: 10_000,
      includeDocs: true,
    });
    const made = await client.files.upload(ROOT_DIR_ID, 'new.txt', 'new');
    const { results } = await waiting;
    expect(results.map((row) => row.id)).toEqual([made.id]);
    expect(results[0]?.doc).toMatchObject({ name: 'new.txt', size: 3 });
    const slim = await client.files.changes({ since: last_seq, includeDocs: true, fields: ['name'] });
    expect(slim.results[0]?.doc).toEqual({ id: made.id, rev: made.rev, name: 'new.txt' });
  });

  it('refuses the file tree to a token without io.nuage.files', async () => {
    const notesOnly = await s.client([NOTES]);
    await expect(notesOnly.files.list()).rejects.toMatchObject({ status: 403 });
  });

  it('searches notes by word prefix, limited to the doctypes asked', async () => {
    const notes = client.documents<{ title: string; content: string }>('io.nuage.notes');
    await notes.create({ title: 'Jeanne Hébert', content: 'meeting about the garden' });
    await notes.create({ title: 'Groceries', content: 'milk, eggs' });
    const found = await client.search('jea');
    expect(found.results).toHaveLength(1);
    expect(found.results[0]).toMatchObject({ doctype: 'io.nuage.notes', title: 'Jeanne Hébert' });
    expect(found.results[0]!.titleHtml).toContain('<mark>');
    expect((await client.search('garden', { doctypes: ['io.nuage.notes'] })).results).toHaveLength(1);
    expect((await client.search('garden', { doctypes: ['io.nuage.files'] })).results).toHaveLength(0);
    expect(found.hasMore).toBe(false);
  });
});
