import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { davStack, multistatus, propfindBody, type DavOptions, type DavResponse } from './dav-client.js';

type Dav = (method: string, path: string, options?: DavOptions) => Promise<DavResponse>;
const quotaBody = propfindBody('quota-available-bytes', 'quota-used-bytes');

describe('WebDAV quota (RFC 4331)', () => {
  let dispose: () => Promise<void>;
  let dav: Dav;
  let dataDir: string;

  beforeAll(async () => {
    const s = await davStack({ quotaBytes: 1000 });
    dispose = () => s.t.dispose();
    dav = s.dav;
    dataDir = s.t.dataDir;
  });
  afterAll(async () => dispose());

  const blobs = async () => {
    const entries = await readdir(join(dataDir, 'blobs'), { recursive: true, withFileTypes: true }).catch(
      () => [],
    );
    return entries.filter((e) => e.isFile()).length;
  };

  it('reports quota-used-bytes and quota-available-bytes, only when asked by name', async () => {
    await dav('PUT', '/dav/files/a.bin', { body: Buffer.alloc(300) });
    const [r] = await multistatus(
      (await dav('PROPFIND', '/dav/files/', { headers: { depth: '0' }, body: quotaBody })).text,
    );
    expect(r!.props['{DAV:}quota-used-bytes']!.value).toBe('300');
    expect(r!.props['{DAV:}quota-available-bytes']!.value).toBe('700');
    const [all] = await multistatus((await dav('PROPFIND', '/dav/files/', { headers: { depth: '0' } })).text);
    expect(all!.props['{DAV:}quota-used-bytes']).toBeUndefined();
  });

  it('answers 507 with DAV:quota-not-exceeded to a PUT that cannot fit, keeping nothing', async () => {
    const before = await blobs();
    const announced = await dav('PUT', '/dav/files/big.bin', { body: Buffer.alloc(800) });
    expect(announced.status).toBe(507);
    expect(announced.text).toContain('<D:quota-not-exceeded/>');
    expect((await dav('GET', '/dav/files/big.bin')).status).toBe(404);
    expect(await blobs()).toBe(before);
  });

  it('answers 507 when a streamed body without a length outgrows the room, keeping nothing', async () => {
    const before = await blobs();
    const res = await dav('PUT', '/dav/files/stream.bin', {
      body: (await import('node:stream')).Readable.from([Buffer.alloc(500), Buffer.alloc(500)]),
      headers: { 'transfer-encoding': 'chunked' },
    });
    expect(res.status).toBe(507);
    expect((await dav('GET', '/dav/files/stream.bin')).status).toBe(404);
    expect(await blobs()).toBe(before);
  });

  it('lets a PUT replace a file with the room its old content frees', async () => {
    expect((await dav('PUT', '/dav/files/a.bin', { body: Buffer.alloc(900) })).status).toBe(204);
    expect(
      (await dav('COPY', '/dav/files/a.bin', { headers: { destination: '/dav/files/b.bin' } })).status,
    ).toBe(507);
  });
});

describe('WebDAV quota without a limit', () => {
  it('leaves quota-available-bytes out (404) and still counts the bytes used', async () => {
    const s = await davStack();
    try {
      await s.dav('PUT', '/dav/files/a.bin', { body: Buffer.alloc(42) });
      const [r] = await multistatus(
        (await s.dav('PROPFIND', '/dav/files/', { headers: { depth: '0' }, body: quotaBody })).text,
      );
      expect(r!.props['{DAV:}quota-used-bytes']!.value).toBe('42');
      expect(r!.props['{DAV:}quota-available-bytes']!.status).toBe('HTTP/1.1 404 Not Found');
    } finally {
      await s.t.dispose();
    }
  });
});
