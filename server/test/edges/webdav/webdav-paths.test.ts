import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT_ID } from '../../../src/files/file-doc.js';
import { davStack, multistatus, type DavOptions, type DavResponse } from './dav-client.js';

type Dav = (method: string, path: string, options?: DavOptions) => Promise<DavResponse>;

describe('WebDAV paths: names are NFC and nothing climbs out of the tree', () => {
  let dispose: () => Promise<void>;
  let dav: Dav;

  beforeAll(async () => {
    const s = await davStack();
    dispose = () => s.t.dispose();
    dav = s.dav;
    await dav('MKCOL', '/dav/files/box/');
  });
  afterAll(async () => dispose());

  it.each([
    ['a raw ..', '/dav/files/box/../../etc/passwd'],
    ['a percent-encoded ..', '/dav/files/box/%2e%2e/%2e%2e/etc/passwd'],
    ['a mixed-case encoded ..', '/dav/files/box/.%2E/x'],
    ['an encoded slash', '/dav/files/box/..%2f..%2fetc'],
    ['an overlong UTF-8 dot', '/dav/files/box/%c0%ae%c0%ae/x'],
    ['an overlong UTF-8 slash', '/dav/files/box/%c0%afetc'],
    ['a NUL', '/dav/files/box/a%00b'],
    ['a control character', '/dav/files/box/a%01b'],
    ['a lone dot', '/dav/files/box/./x'],
    ['a fragment', '/dav/files/box/x#frag'],
  ])('refuses %s in the request URI with a 4xx, never 500, writing nothing', async (_what, path) => {
    for (const method of ['PUT', 'MKCOL', 'PROPFIND', 'DELETE']) {
      const res = await dav(method, path, method === 'PUT' ? { body: 'x' } : { headers: { depth: '0' } });
      expect(res.status, `${method} ${path}`).toBeGreaterThanOrEqual(400);
      expect(res.status, `${method} ${path}`).toBeLessThan(500);
    }
    const root = await multistatus((await dav('PROPFIND', '/dav/files/', { headers: { depth: '1' } })).text);
    expect(root.map((r) => r.href).sort()).toEqual(['/dav/files/', '/dav/files/box/']);
  });

  it('refuses the same tricks in a Destination', async () => {
    await dav('PUT', '/dav/files/box/f.txt', { body: 'f' });
    for (const destination of [
      '/dav/files/box/%2e%2e/%2e%2e/x',
      'http://localhost/dav/files/../../x',
      '/dav/files/%c0%ae%c0%ae/x',
      '/dav/x',
    ]) {
      const res = await dav('COPY', '/dav/files/box/f.txt', { headers: { destination } });
      expect(res.status, destination).toBeGreaterThanOrEqual(400);
      expect(res.status, destination).toBeLessThan(500);
    }
  });

  it('takes a backslash as an ordinary character of a name, inside the tree', async () => {
    expect((await dav('PUT', '/dav/files/box/..%5c..%5cescape.txt', { body: 'kept' })).status).toBe(201);
    const [, entry] = await multistatus(
      (await dav('PROPFIND', '/dav/files/box/', { headers: { depth: '1' } })).text,
    );
    expect(entry!.props['{DAV:}displayname']!.value).toBe('..\\..\\escape.txt');
    expect(entry!.href).toBe('/dav/files/box/..%5C..%5Cescape.txt');
  });

  it('stores names NFC: the NFD and NFC spellings of a name are the same file, listed NFC', async () => {
    const nfd = encodeURIComponent('cafe\u0301.txt');
    const nfc = encodeURIComponent('caf\u00e9.txt');
    expect((await dav('PUT', `/dav/files/box/${nfd}`, { body: 'accent' })).status).toBe(201);
    expect((await dav('GET', `/dav/files/box/${nfc}`)).text).toBe('accent');
    expect((await dav('PUT', `/dav/files/box/${nfc}`, { body: 'again' })).status).toBe(204);
    const hrefs = (
      await multistatus((await dav('PROPFIND', '/dav/files/box/', { headers: { depth: '1' } })).text)
    ).map((r) => r.href);
    expect(hrefs).toContain(`/dav/files/box/${nfc}`);
    const children = JSON.parse((await dav('GET', `/files/${ROOT_ID}/children`)).text) as {
      children: { name: string }[];
    };
    expect(children.children.map((c) => c.name)).toContain('box');
  });

  it('serves any Unicode name, astral planes included', async () => {
    const name = encodeURIComponent('日本語 🌍 ñ.txt');
    expect((await dav('PUT', `/dav/files/box/${name}`, { body: 'unicode' })).status).toBe(201);
    expect((await dav('GET', `/dav/files/box/${name}`)).text).toBe('unicode');
  });
});
