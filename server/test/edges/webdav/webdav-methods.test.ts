import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT_ID } from '../../../src/files/file-doc.js';
import { davStack, multistatus, propfindBody, type DavResponse, type DavOptions } from './dav-client.js';

type Dav = (method: string, path: string, options?: DavOptions) => Promise<DavResponse>;
type Entry = { id: string; name: string; path: string; size?: number; trashed?: boolean };

describe('WebDAV on /dav/files/: the methods of class 1', () => {
  let dispose: () => Promise<void>;
  let dav: Dav;
  let rest: (method: string, path: string, body?: Buffer) => Promise<DavResponse>;

  beforeAll(async () => {
    const s = await davStack();
    dispose = () => s.t.dispose();
    dav = s.dav;
    rest = (method, path, body) => s.dav(method, path, body === undefined ? {} : { body });
  });
  afterAll(async () => dispose());

  it('answers OPTIONS with DAV: 1, 2 and the methods it allows, even before authentication', async () => {
    const res = await dav('OPTIONS', '/dav/files/', { anonymous: true });
    expect(res.status).toBe(200);
    expect(res.headers.dav).toBe('1, 2');
    for (const m of ['PROPFIND', 'PROPPATCH', 'MKCOL', 'COPY', 'MOVE', 'LOCK', 'UNLOCK', 'PUT']) {
      expect(res.headers.allow).toContain(m);
    }
  });

  it('asks for Basic credentials, and refuses wrong ones', async () => {
    const anonymous = await dav('PROPFIND', '/dav/files/', { anonymous: true, headers: { depth: '0' } });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toMatch(/^Basic/);
    const wrong = await dav('PROPFIND', '/dav/files/', {
      anonymous: true,
      headers: { depth: '0', authorization: `Basic ${Buffer.from('alice:nope').toString('base64')}` },
    });
    expect(wrong.status).toBe(401);
  });

  it('PUT creates a file (201), GET reads it back, a second PUT replaces it (204)', async () => {
    expect(
      (await dav('PUT', '/dav/files/hello.txt', { body: 'hello', headers: { 'content-type': 'text/plain' } }))
        .status,
    ).toBe(201);
    const got = await dav('GET', '/dav/files/hello.txt');
    expect(got.status).toBe(200);
    expect(got.text).toBe('hello');
    expect(got.headers['content-type']).toBe('text/plain');
    expect(got.headers.etag).toBe(`"${createHash('sha256').update('hello').digest('hex').slice(0, 32)}"`);
    expect((await dav('PUT', '/dav/files/hello.txt', { body: 'hello again' })).status).toBe(204);
    expect((await dav('GET', '/dav/files/hello.txt')).text).toBe('hello again');
  });

  it('serves HEAD, Range (206) and refuses a range outside the file (416)', async () => {
    await dav('PUT', '/dav/files/digits.txt', { body: '0123456789' });
    const head = await dav('HEAD', '/dav/files/digits.txt');
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe('10');
    expect(head.body.length).toBe(0);
    const part = await dav('GET', '/dav/files/digits.txt', { headers: { range: 'bytes=2-4' } });
    expect(part.status).toBe(206);
    expect(part.text).toBe('234');
    expect(part.headers['content-range']).toBe('bytes 2-4/10');
    expect((await dav('GET', '/dav/files/digits.txt', { headers: { range: 'bytes=20-' } })).status).toBe(416);
  });

  it('streams a large PUT body and stores it whole', async () => {
    async function* chunks() {
      for (let i = 0; i < 64; i++) yield Buffer.alloc(64 * 1024, i);
    }
    const hash = createHash('sha256');
    for await (const c of chunks()) hash.update(c);
    const res = await dav('PUT', '/dav/files/large.bin', {
      body: Readable.from(chunks()),
      headers: { 'transfer-encoding': 'chunked' },
    });
    expect(res.status).toBe(201);
    const back = await dav('GET', '/dav/files/large.bin');
    expect(back.body.length).toBe(4 * 1024 * 1024);
    expect(createHash('sha256').update(back.body).digest('hex')).toBe(hash.digest('hex'));
  });

  it('refuses PUT without a parent (409) and on a collection (405)', async () => {
    expect((await dav('PUT', '/dav/files/nowhere/x.txt', { body: 'x' })).status).toBe(409);
    await dav('MKCOL', '/dav/files/put-coll/');
    expect((await dav('PUT', '/dav/files/put-coll/', { body: 'x' })).status).toBe(405);
  });

  it('MKCOL makes a collection (201); again is 405, without a parent 409, with a body 415', async () => {
    expect((await dav('MKCOL', '/dav/files/coll/')).status).toBe(201);
    expect((await dav('MKCOL', '/dav/files/coll/')).status).toBe(405);
    expect((await dav('MKCOL', '/dav/files/missing/coll/')).status).toBe(409);
    const withBody = await dav('MKCOL', '/dav/files/coll2/', {
      body: '<x/>',
      headers: { 'content-type': 'text/xml' },
    });
    expect(withBody.status).toBe(415);
    expect((await dav('PROPFIND', '/dav/files/coll2/', { headers: { depth: '0' } })).status).toBe(404);
  });

  it('PROPFIND Depth 0 describes the resource, Depth 1 its members too', async () => {
    await dav('MKCOL', '/dav/files/pf/');
    await dav('PUT', '/dav/files/pf/a.txt', { body: 'aaa' });
    await dav('MKCOL', '/dav/files/pf/sub/');
    const zero = await dav('PROPFIND', '/dav/files/pf/', { headers: { depth: '0' } });
    expect(zero.status).toBe(207);
    expect(zero.headers['content-type']).toMatch(/xml/);
    const [self] = await multistatus(zero.text);
    expect(self!.href).toBe('/dav/files/pf/');
    expect(self!.props['{DAV:}resourcetype']!.element.children).toHaveLength(1);
    const one = await multistatus(
      (await dav('PROPFIND', '/dav/files/pf/', { headers: { depth: '1' } })).text,
    );
    expect(one.map((r) => r.href)).toEqual(['/dav/files/pf/', '/dav/files/pf/sub/', '/dav/files/pf/a.txt']);
    const file = one[2]!;
    expect(file.props['{DAV:}getcontentlength']!.value).toBe('3');
    expect(file.props['{DAV:}getetag']!.value).toMatch(/^"[0-9a-f]{32}"$/);
    expect(file.props['{DAV:}getlastmodified']!.value).toMatch(/GMT$/);
    expect(file.props['{DAV:}supportedlock']).toBeDefined();
  });

  it('PROPFIND for named properties answers 404 for the ones the resource lacks', async () => {
    const res = await dav('PROPFIND', '/dav/files/pf/', {
      headers: { depth: '0' },
      body: propfindBody('displayname', 'getcontentlength'),
    });
    const [r] = await multistatus(res.text);
    expect(r!.props['{DAV:}displayname']).toMatchObject({ status: 'HTTP/1.1 200 OK', value: 'pf' });
    expect(r!.props['{DAV:}getcontentlength']!.status).toBe('HTTP/1.1 404 Not Found');
  });

  it('refuses PROPFIND with Depth: infinity (or none, which means infinity) with 403 propfind-finite-depth', async () => {
    for (const headers of [{ depth: 'infinity' }, {}] as Record<string, string>[]) {
      const res = await dav('PROPFIND', '/dav/files/', { headers });
      expect(res.status).toBe(403);
      expect(res.text).toContain('<D:propfind-finite-depth/>');
      expect(res.text).toContain('xmlns:D="DAV:"');
    }
  });

  it('answers 400, never 500, to XML that is malformed, misuses namespaces or carries a DTD', async () => {
    const bodies = [
      '<D:propfind xmlns:D="DAV:"><D:prop>',
      '<propfind>',
      '<D:propfind xmlns:D="DAV:"><D:prop><bar:foo xmlns:bar=""/></D:prop></D:propfind>',
      '<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY lol "lol">]><D:propfind xmlns:D="DAV:"><D:allprop/></D:propfind>',
      '<D:propfind xmlns:D="DAV:"><D:prop><x:y/></D:prop></D:propfind>',
      '<D:notpropfind xmlns:D="DAV:"/>',
    ];
    for (const body of bodies) {
      const res = await dav('PROPFIND', '/dav/files/', {
        headers: { depth: '0', 'content-type': 'application/xml' },
        body,
      });
      expect(res.status, body).toBe(400);
    }
    const patch = await dav('PROPPATCH', '/dav/files/hello.txt', { body: '<<<' });
    expect(patch.status).toBe(400);
  });

  it('PROPPATCH keeps dead properties, with namespaces and markup, and removes them', async () => {
    const set = `<?xml version="1.0"?><D:propertyupdate xmlns:D="DAV:" xmlns:Z="urn:example:z">
      <D:set><D:prop><Z:color>blue</Z:color><Z:rich><Z:b lang="en">bold</Z:b> &amp; text</Z:rich></D:prop></D:set>
    </D:propertyupdate>`;
    const res = await dav('PROPPATCH', '/dav/files/hello.txt', { body: set });
    expect(res.status).toBe(207);
    expect((await multistatus(res.text))[0]!.props['{urn:example:z}color']!.status).toBe('HTTP/1.1 200 OK');
    const body =
      '<D:propfind xmlns:D="DAV:" xmlns:Z="urn:example:z"><D:prop><Z:color/><Z:rich/></D:prop></D:propfind>';
    const [r] = await multistatus(
      (await dav('PROPFIND', '/dav/files/hello.txt', { headers: { depth: '0' }, body })).text,
    );
    expect(r!.props['{urn:example:z}color']!.value).toBe('blue');
    const rich = r!.props['{urn:example:z}rich']!;
    expect(rich.value).toBe('bold & text');
    expect(rich.element.children[0]).toMatchObject({
      ns: 'urn:example:z',
      local: 'b',
      attributes: [{ local: 'lang', value: 'en' }],
    });

    const remove = `<D:propertyupdate xmlns:D="DAV:" xmlns:Z="urn:example:z"><D:remove><D:prop><Z:color/></D:prop></D:remove></D:propertyupdate>`;
    expect((await dav('PROPPATCH', '/dav/files/hello.txt', { body: remove })).status).toBe(207);
    const [after] = await multistatus(
      (await dav('PROPFIND', '/dav/files/hello.txt', { headers: { depth: '0' }, body })).text,
    );
    expect(after!.props['{urn:example:z}color']!.status).toBe('HTTP/1.1 404 Not Found');
  });

  it('refuses to PROPPATCH a protected property: 403 for it, 424 for the rest, nothing written', async () => {
    const body = `<D:propertyupdate xmlns:D="DAV:" xmlns:Z="urn:example:z"><D:set><D:prop><Z:other>x</Z:other><D:getetag>"forged"</D:getetag></D:prop></D:set></D:propertyupdate>`;
    const [r] = await multistatus((await dav('PROPPATCH', '/dav/files/hello.txt', { body })).text);
    expect(r!.props['{DAV:}getetag']!.status).toBe('HTTP/1.1 403 Forbidden');
    expect(r!.props['{urn:example:z}other']!.status).toBe('HTTP/1.1 424 Failed Dependency');
    const find =
      '<D:propfind xmlns:D="DAV:" xmlns:Z="urn:example:z"><D:prop><Z:other/></D:prop></D:propfind>';
    const [after] = await multistatus(
      (await dav('PROPFIND', '/dav/files/hello.txt', { headers: { depth: '0' }, body: find })).text,
    );
    expect(after!.props['{urn:example:z}other']!.status).toBe('HTTP/1.1 404 Not Found');
  });

  it('DELETE moves the entry to the trash (204); it is then gone (404) and its name free', async () => {
    await dav('PUT', '/dav/files/doomed.txt', { body: 'bye' });
    expect((await dav('DELETE', '/dav/files/doomed.txt')).status).toBe(204);
    expect((await dav('GET', '/dav/files/doomed.txt')).status).toBe(404);
    expect((await dav('DELETE', '/dav/files/doomed.txt')).status).toBe(404);
    const trash = JSON.parse((await rest('GET', '/files/trash')).text) as { trashed: Entry[] };
    expect(trash.trashed.map((e) => e.path)).toContain('/doomed.txt');
    expect((await dav('PUT', '/dav/files/doomed.txt', { body: 'again' })).status).toBe(201);
  });

  it('DELETE of a collection takes everything below it; the root cannot be deleted', async () => {
    await dav('MKCOL', '/dav/files/tree/');
    await dav('PUT', '/dav/files/tree/leaf.txt', { body: 'l' });
    expect((await dav('DELETE', '/dav/files/tree/')).status).toBe(204);
    expect((await dav('GET', '/dav/files/tree/leaf.txt')).status).toBe(404);
    expect((await dav('DELETE', '/dav/files/')).status).toBe(403);
  });

  it('COPY: 201 to a new place, 412 over an existing one with Overwrite: F, 204 with T, 409 without a parent', async () => {
    await dav('PUT', '/dav/files/src.txt', { body: 'source' });
    const copy = (to: string, headers: Record<string, string> = {}) =>
      dav('COPY', '/dav/files/src.txt', {
        headers: { destination: `http://localhost/dav/files/${to}`, ...headers },
      });
    expect((await copy('dst.txt')).status).toBe(201);
    expect((await dav('GET', '/dav/files/dst.txt')).text).toBe('source');
    await dav('PUT', '/dav/files/src.txt', { body: 'changed' });
    expect((await copy('dst.txt', { overwrite: 'F' })).status).toBe(412);
    expect((await dav('GET', '/dav/files/dst.txt')).text).toBe('source');
    expect((await copy('dst.txt', { overwrite: 'T' })).status).toBe(204);
    expect((await dav('GET', '/dav/files/dst.txt')).text).toBe('changed');
    expect((await copy('no/parent.txt')).status).toBe(409);
    expect((await copy('src.txt')).status).toBe(403);
  });

  it('COPY of a collection takes its members at Depth infinity, only itself at Depth 0, with dead properties', async () => {
    await dav('MKCOL', '/dav/files/album/');
    await dav('PUT', '/dav/files/album/p1.jpg', { body: 'jpeg' });
    const patch = `<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><x xmlns="urn:x">kept</x></D:prop></D:set></D:propertyupdate>`;
    await dav('PROPPATCH', '/dav/files/album/', { body: patch });
    const copy = (to: string, depth: string) =>
      dav('COPY', '/dav/files/album/', { headers: { destination: `/dav/files/${to}/`, depth } });
    expect((await copy('album-deep', 'infinity')).status).toBe(201);
    expect((await dav('GET', '/dav/files/album-deep/p1.jpg')).text).toBe('jpeg');
    expect((await copy('album-shallow', '0')).status).toBe(201);
    expect((await dav('GET', '/dav/files/album-shallow/p1.jpg')).status).toBe(404);
    const find = '<D:propfind xmlns:D="DAV:"><D:prop><x xmlns="urn:x"/></D:prop></D:propfind>';
    const [r] = await multistatus(
      (await dav('PROPFIND', '/dav/files/album-shallow/', { headers: { depth: '0' }, body: find })).text,
    );
    expect(r!.props['{urn:x}x']!.value).toBe('kept');
    expect((await copy('album/inside', 'infinity')).status).toBe(403);
    expect((await copy('x', '1')).status).toBe(400);
  });

  it('refuses a Destination on another server (502) or outside the tree (403)', async () => {
    const to = (destination: string) => dav('COPY', '/dav/files/src.txt', { headers: { destination } });
    expect((await to('http://evil.example/dav/files/x.txt')).status).toBe(502);
    expect((await to('/files/x.txt')).status).toBe(403);
    expect((await dav('COPY', '/dav/files/src.txt')).status).toBe(400);
  });

  it('MOVE renames and moves files and collections, Overwrite as for COPY, and not into itself', async () => {
    await dav('MKCOL', '/dav/files/m1/');
    await dav('PUT', '/dav/files/m1/f.txt', { body: 'f' });
    const move = (from: string, to: string, headers: Record<string, string> = {}) =>
      dav('MOVE', `/dav/files/${from}`, {
        headers: { destination: `http://localhost:8080/dav/files/${to}`, ...headers },
      });
    expect((await move('m1/', 'm2/')).status).toBe(201);
    expect((await dav('GET', '/dav/files/m2/f.txt')).text).toBe('f');
    expect((await dav('GET', '/dav/files/m1/f.txt')).status).toBe(404);
    await dav('PUT', '/dav/files/other.txt', { body: 'o' });
    expect((await move('other.txt', 'm2/f.txt', { overwrite: 'F' })).status).toBe(412);
    expect((await move('other.txt', 'm2/f.txt')).status).toBe(204);
    expect((await dav('GET', '/dav/files/m2/f.txt')).text).toBe('o');
    expect((await dav('GET', '/dav/files/other.txt')).status).toBe(404);
    expect((await move('m2/', 'm2/deeper/')).status).toBe(403);
    expect((await move('ghost.txt', 'x.txt')).status).toBe(404);
  });

  it('serves the same tree as /files: a WebDAV PUT shows up in /files, a /files upload in WebDAV', async () => {
    await dav('MKCOL', '/dav/files/shared/');
    await dav('PUT', '/dav/files/shared/from-dav.txt', { body: 'via dav' });
    const listing = JSON.parse((await rest('GET', `/files/${ROOT_ID}/children`)).text) as {
      children: Entry[];
    };
    const dir = listing.children.find((c) => c.name === 'shared')!;
    const inside = JSON.parse((await rest('GET', `/files/${dir.id}/children`)).text) as { children: Entry[] };
    const file = inside.children.find((c) => c.name === 'from-dav.txt')!;
    expect(file).toMatchObject({ path: '/shared/from-dav.txt', size: 7 });
    expect((await rest('GET', `/files/download/${file.id}`)).text).toBe('via dav');

    const made = await rest('POST', `/files/${dir.id}?Type=file&Name=from-rest.txt`, Buffer.from('via rest'));
    expect(made.status).toBe(201);
    expect((await dav('GET', '/dav/files/shared/from-rest.txt')).text).toBe('via rest');
    const hrefs = (
      await multistatus((await dav('PROPFIND', '/dav/files/shared/', { headers: { depth: '1' } })).text)
    ).map((r) => r.href);
    expect(hrefs).toContain('/dav/files/shared/from-rest.txt');

    await rest('DELETE', `/files/${file.id}`);
    expect((await dav('GET', '/dav/files/shared/from-dav.txt')).status).toBe(404);
  });
});
