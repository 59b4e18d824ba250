import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../../src/auth/tokens.js';
import { ROOT_ID } from '../../../src/files/file-doc.js';
import { sweepOrphans } from '../../../src/files/orphans.js';
import { ThumbnailStore } from '../../../src/files/thumbnails/thumbnail-store.js';
import { DiskBlobStore } from '../../../src/ports/blob/disk-blob-store.js';
import { parseRules } from '../../../src/permissions/permissions.js';
import type { InstanceRecord, InstanceStore } from '../../../src/ports/store/store.js';
import { rawRequest } from '../../files/http-raw.js';
import { inspect, twoColourImage } from '../../files/thumbnails/images.js';
import { bearer } from '../../support/http-client.js';
import { startStack, type TestStack } from '../../support/stack.js';
import { STORE_ADAPTERS } from '../../support/stores.js';

type Entry = { id: string; sha256: string };

describe.each(STORE_ADAPTERS)('thumbnails on $name', (adapter) => {
  let t: TestStack;
  let instance: InstanceRecord;
  let storage: InstanceStore;
  let owner: Record<string, string>;
  let tokenFor: (rules: unknown) => Promise<Record<string, string>>;

  const raw = (
    method: string,
    path: string,
    options: { headers?: Record<string, string>; body?: Buffer } = {},
  ) =>
    rawRequest(t.port, method, path, {
      host: 'alice.localhost',
      headers: { ...owner, ...options.headers },
      ...(options.body ? { body: options.body } : {}),
    });

  const upload = async (name: string, body: Buffer, mime: string): Promise<Entry> => {
    const res = await raw('POST', `/files/${ROOT_ID}?Type=file&Name=${encodeURIComponent(name)}`, {
      body,
      headers: { 'content-type': mime },
    });
    expect(res.status).toBe(201);
    return res.json<Entry>();
  };

  const thumbnail = (id: string, size: string, headers: Record<string, string> = {}, query = '') =>
    raw('GET', `/files/${id}/thumbnails/${size}${query}`, { headers });

  /** The thumbnail jobs of one file, oldest first. */
  const jobsOf = async (id: string) =>
    (await storage.jobs.list({ worker: 'thumbnail', limit: 1000 }))
      .filter((j) => {
        const p = j.payload as { fileId?: string; event?: { id?: string } };
        return (p.event?.id ?? p.fileId) === id;
      })
      .reverse();

  /** Waits until the file has more than `before` thumbnail jobs and all of them have ended. */
  const settle = async (id: string, before = 0) => {
    for (let i = 0; i < 400; i++) {
      const jobs = await jobsOf(id);
      if (jobs.length > before && jobs.every((j) => j.state === 'done' || j.state === 'errored')) return jobs;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`the thumbnail jobs of ${id} did not end: ${JSON.stringify(await jobsOf(id))}`);
  };

  type Made = { content: string; sizes?: Record<string, { blob: string }> };
  const thumbnailsOf = (id: string) => storage.records.get<Made>('file-thumbnails', id, Date.now());
  const blobsOf = (record: Made | null) => Object.values(record?.sizes ?? {}).map((s) => s.blob);

  const blobFiles = async () =>
    (await readdir(join(t.dataDir, 'blobs', instance.id), { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile() && !e.parentPath.endsWith('tmp'))
      .map((e) => e.name)
      .sort();

  beforeAll(async () => {
    t = await startStack({ adapter });
    instance = await t.stack.instances.create('alice.localhost', {
      name: 'alice',
      password: 'alice password',
    });
    storage = await t.stack.store.open(instance);
    const accounts = await t.stack.instances.accounts(instance);
    tokenFor = async (rules) => bearer((await createToken(accounts, { rules: parseRules(rules) })).token);
    owner = await tokenFor([{ type: 'io.nuage.files', verbs: 'ALL' }]);
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('makes three WebP sizes of an uploaded PNG, served with an ETag of its content', async () => {
    const photo = await upload('wide.png', await twoColourImage(2000, 1000, 'png'), 'image/png');
    await settle(photo.id);
    const expected = { small: [64, 32], medium: [256, 128], large: [1024, 512] };
    for (const [size, [width, height]] of Object.entries(expected)) {
      const res = await thumbnail(photo.id, size);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('image/webp');
      expect(res.headers.etag).toBe(`"${photo.sha256}-${size}"`);
      expect(res.headers['cache-control']).toBe('private, no-cache');
      expect(await inspect(res.body)).toMatchObject({ format: 'webp', width, height, redTopLeft: true });
      const again = await thumbnail(photo.id, size, { 'if-none-match': res.headers.etag ?? '' });
      expect(again.status).toBe(304);
    }
  });

  it('previews images on a share link’s pages by their thumbnails, and falls back on the file itself', async () => {
    const album = (await raw('POST', `/files/${ROOT_ID}?Type=directory&Name=album`)).json<Entry>();
    const into = async (name: string, body: Buffer, mime: string) =>
      (
        await raw('POST', `/files/${album.id}?Type=file&Name=${name}`, {
          body,
          headers: { 'content-type': mime },
        })
      ).json<Entry>();
    const pic = await into('pic.png', await twoColourImage(400, 200, 'png'), 'image/png');
    await into('notes.txt', Buffer.from('just text'), 'text/plain');
    await settle(pic.id);
    const created = await raw('POST', `/files/${album.id}/shares`, {
      body: Buffer.from('{}'),
      headers: { 'content-type': 'application/json' },
    });
    const secret = new URL(created.json<{ url: string }>().url).pathname.split('/')[2];
    const page = (await rawRequest(t.port, 'GET', `/s/${secret}`, { host: 'alice.localhost' })).text;
    const src = /<img class="thumb" src="([^"]+)"/.exec(page)?.[1] ?? '';
    expect(src).toBe(`/s/${secret}/download/pic.png?thumbnail=small`);
    const small = await rawRequest(t.port, 'GET', src, { host: 'alice.localhost' });
    expect(small.headers['content-type']).toBe('image/webp');
    expect(await inspect(small.body)).toMatchObject({ width: 64, height: 32 });
    const text = await rawRequest(t.port, 'GET', `/s/${secret}/download/notes.txt?thumbnail=small`, {
      host: 'alice.localhost',
    });
    expect(text.text).toBe('just text');
    const wrong = await rawRequest(t.port, 'GET', `/s/${secret}/download/pic.png?thumbnail=huge`, {
      host: 'alice.localhost',
    });
    expect(wrong.status).toBe(400);
  });

  it('lets a URL naming the content be cached for good, and refuses it once the content is another', async () => {
    const photo = await upload('cached.png', await twoColourImage(300, 300, 'png'), 'image/png');
    await settle(photo.id);
    const res = await thumbnail(photo.id, 'medium', {}, `?v=${photo.sha256}`);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('private, max-age=31536000, immutable');
    expect((await thumbnail(photo.id, 'medium', {}, '?v=0123456789abcdef0123456789abcdef')).status).toBe(404);
  });

  it('turns an EXIF-rotated JPEG upright', async () => {
    const photo = await upload(
      'turned.jpg',
      await twoColourImage(600, 200, 'jpeg', { orientation: 6 }),
      'image/jpeg',
    );
    await settle(photo.id);
    const res = await thumbnail(photo.id, 'medium');
    expect(await inspect(res.body)).toMatchObject({ width: 85, height: 256, redTopLeft: true });
  });

  it('finds an image by its bytes when it came without a type', async () => {
    const photo = await upload(
      'IMG_0001.PNG',
      await twoColourImage(100, 50, 'png'),
      'application/octet-stream',
    );
    await settle(photo.id);
    expect(await inspect((await thumbnail(photo.id, 'large')).body)).toMatchObject({
      width: 100,
      height: 50,
    });
  });

  it('says 404 thumbnail_pending with Retry-After while the job has not run', async () => {
    const photo = await upload('soon.png', await twoColourImage(10, 10, 'png'), 'image/png');
    await settle(photo.id);
    // As before the job ran: no record for the file.
    const made = await thumbnailsOf(photo.id);
    await storage.records.delete('file-thumbnails', photo.id);
    const res = await thumbnail(photo.id, 'small');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ error: 'thumbnail_pending' });
    expect(res.headers['retry-after']).toBe('2');
    await storage.records.put('file-thumbnails', photo.id, made);
    expect((await thumbnail(photo.id, 'small')).status).toBe(200);
  });

  it('makes none for a file that is not an image, or only named like one: 404 not_found', async () => {
    const notes = await upload('notes.txt', Buffer.from('hello'), 'text/plain');
    const fake = await upload('fake.png', Buffer.from('this is text, not a picture'), 'image/png');
    await settle(fake.id);
    // The trigger's selector lets a text file queue no job at all; the image-named one was sniffed.
    expect(await jobsOf(notes.id)).toEqual([]);
    for (const id of [notes.id, fake.id]) {
      const res = await thumbnail(id, 'small');
      expect(res.status).toBe(404);
      expect(res.json()).toMatchObject({ error: 'not_found' });
    }
    expect((await thumbnail(ROOT_ID, 'small')).json()).toMatchObject({ error: 'not_found' });
  });

  it('fails the job of a corrupt image at once, and the stack carries on', async () => {
    const header = (await twoColourImage(50, 50, 'png')).subarray(0, 40);
    const broken = await upload('broken.png', Buffer.concat([header, Buffer.alloc(500, 9)]), 'image/png');
    const [job] = await settle(broken.id);
    expect(job).toMatchObject({ state: 'errored', attempts: 1 });
    expect(job?.error).toMatch(/unreadable image/);
    expect((await thumbnail(broken.id, 'small')).json()).toMatchObject({ error: 'not_found' });
    const next = await upload('after.png', await twoColourImage(20, 20, 'png'), 'image/png');
    await settle(next.id);
    expect((await thumbnail(next.id, 'small')).status).toBe(200);
  });

  it('answers 400 for an unknown size', async () => {
    const res = await thumbnail(ROOT_ID, 'huge');
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ sizes: ['small', 'medium', 'large'] });
  });

  it('asks the same permission as reading the file', async () => {
    const photo = await upload('private.png', await twoColourImage(20, 20, 'png'), 'image/png');
    await settle(photo.id);
    const notes = await tokenFor([{ type: 'io.nuage.notes', verbs: 'ALL' }]);
    expect((await thumbnail(photo.id, 'small', notes)).status).toBe(403);
    const other = await tokenFor([
      { type: 'io.nuage.files', verbs: ['GET'], selector: 'name', values: ['other.png'] },
    ]);
    expect((await thumbnail(photo.id, 'small', other)).status).toBe(404);
    const mine = await tokenFor([
      { type: 'io.nuage.files', verbs: ['GET'], selector: 'name', values: ['private.png'] },
    ]);
    expect((await thumbnail(photo.id, 'small', mine)).status).toBe(200);
  });

  it('makes new thumbnails when the content is replaced, and never serves the old ones', async () => {
    const photo = await upload('changing.png', await twoColourImage(400, 200, 'png'), 'image/png');
    const before = (await settle(photo.id)).length;
    const old = blobsOf(await thumbnailsOf(photo.id));
    const scope = { instance, storage };
    const replaced = await t.stack.files.replace(
      scope,
      photo.id,
      Readable.from([await twoColourImage(100, 400, 'png')]),
    );
    const res = await thumbnail(photo.id, 'large');
    if (res.status === 200) expect(res.headers.etag).toBe(`"${replaced.sha256}-large"`);
    else expect(res.json()).toMatchObject({ error: 'thumbnail_pending' });
    await settle(photo.id, before);
    const fresh = await thumbnail(photo.id, 'large');
    expect(fresh.headers.etag).toBe(`"${replaced.sha256}-large"`);
    expect(await inspect(fresh.body)).toMatchObject({ width: 100, height: 400 });
    // The old content's three thumbnails are gone, the new ones are there.
    const now = await blobFiles();
    const made = blobsOf(await thumbnailsOf(photo.id));
    expect(old.filter((b) => now.includes(b))).toEqual([]);
    expect(made.filter((b) => now.includes(b))).toHaveLength(3);
  });

  it('removes the thumbnails of a file deleted for good', async () => {
    const photo = await upload('doomed.png', await twoColourImage(300, 200, 'png'), 'image/png');
    const before = (await settle(photo.id)).length;
    const made = blobsOf(await thumbnailsOf(photo.id));
    expect(made).toHaveLength(3);
    expect((await raw('DELETE', `/files/${photo.id}`)).status).toBe(200);
    expect((await thumbnail(photo.id, 'small')).status).toBe(200); // in the trash, still a file
    expect((await raw('DELETE', `/files/trash/${photo.id}`)).status).toBe(204);
    await settle(photo.id, before + 1);
    expect(await storage.records.get('file-thumbnails', photo.id, Date.now())).toBeNull();
    const left = await blobFiles();
    expect(made.filter((b) => left.includes(b))).toEqual([]);
  });

  it('has the orphan sweep keep live thumbnails and reclaim those a crash left', async () => {
    const scope = { instance, storage };
    const photo = await upload('kept.png', await twoColourImage(300, 200, 'png'), 'image/png');
    await settle(photo.id);
    // A crash between a file's deletion and its thumbnail job: the record and its blobs are left.
    const lost = await upload('lost.png', await twoColourImage(300, 200, 'png'), 'image/png');
    await settle(lost.id);
    const lostBlobs = blobsOf(await thumbnailsOf(lost.id));
    expect(lostBlobs).toHaveLength(3);
    await t.stack.jobs.stop(); // the crash: no job runs after the deletion
    const doc = await t.stack.files.get(scope, lost.id);
    await t.stack.documents.delete(scope, 'io.nuage.files', lost.id, doc._rev);
    // The stack's own sweep, as its daily pass runs it: the grace period protects everything recent.
    expect(await t.stack.orphans.sweep(scope)).toEqual({ blobs: 0, temps: 0 });
    // The same over the same blobs with a cutoff past them all (as at start-up after a crash).
    const blobs = new DiskBlobStore(join(t.dataDir, 'blobs'));
    const store = new ThumbnailStore(blobs, Date.now);
    const swept = await sweepOrphans(t.stack.documents, blobs, scope, Date.now() + 1000, (s) =>
      store.referenced(s),
    );
    expect(swept.blobs).toBe(4); // the lost file's content and its three thumbnails
    const left = await blobFiles();
    for (const blob of lostBlobs) expect(left).not.toContain(blob);
    expect(await storage.records.get('file-thumbnails', lost.id, Date.now())).toBeNull();
    expect((await thumbnail(photo.id, 'medium')).status).toBe(200);
  });
});
