import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { davStack, multistatus, propfindBody, type DavOptions, type DavResponse } from './dav-client.js';

type Dav = (method: string, path: string, options?: DavOptions) => Promise<DavResponse>;

const lockinfo = (scope: 'exclusive' | 'shared', owner = 'alice') =>
  `<?xml version="1.0"?><D:lockinfo xmlns:D="DAV:"><D:lockscope><D:${scope}/></D:lockscope>` +
  `<D:locktype><D:write/></D:locktype><D:owner><D:href>mailto:${owner}@example.org</D:href></D:owner></D:lockinfo>`;

describe('WebDAV class 2: locks on /dav/files/', () => {
  let dispose: () => Promise<void>;
  let advance: (ms: number) => void;
  let dav: Dav;
  const lock = async (
    path: string,
    scope: 'exclusive' | 'shared' = 'exclusive',
    headers: Record<string, string> = {},
  ) => {
    const res = await dav('LOCK', path, {
      body: lockinfo(scope),
      headers: { timeout: 'Second-600', ...headers },
    });
    return { res, token: /^<(.+)>$/.exec(String(res.headers['lock-token']))?.[1] ?? '' };
  };

  beforeAll(async () => {
    const s = await davStack();
    dispose = () => s.t.dispose();
    advance = (ms) => s.t.advance(ms);
    dav = s.dav;
  });
  afterAll(async () => dispose());

  it('grants an exclusive lock with a token, shown in lockdiscovery', async () => {
    await dav('PUT', '/dav/files/doc.txt', { body: 'v1' });
    const { res, token } = await lock('/dav/files/doc.txt');
    expect(res.status).toBe(200);
    expect(token).toMatch(/^opaquelocktoken:[0-9a-f-]{36}$/);
    expect(res.text).toContain('<D:exclusive/>');
    expect(res.text).toContain('mailto:alice@example.org');
    const [r] = await multistatus(
      (
        await dav('PROPFIND', '/dav/files/doc.txt', {
          headers: { depth: '0' },
          body: propfindBody('lockdiscovery'),
        })
      ).text,
    );
    expect(r!.props['{DAV:}lockdiscovery']!.value).toContain(token);
    await dav('UNLOCK', '/dav/files/doc.txt', { headers: { 'lock-token': `<${token}>` } });
  });

  it('refuses writes without the token (423 lock-token-submitted) and accepts them with it', async () => {
    const { token } = await lock('/dav/files/doc.txt');
    const refused = await dav('PUT', '/dav/files/doc.txt', { body: 'intruder' });
    expect(refused.status).toBe(423);
    expect(refused.text).toContain('<D:lock-token-submitted/>');
    for (const [method, headers] of [
      ['DELETE', {}],
      ['MOVE', { destination: '/dav/files/moved.txt' }],
      ['PROPPATCH', {}],
    ] as const) {
      const body =
        method === 'PROPPATCH'
          ? '<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><x xmlns="urn:x">1</x></D:prop></D:set></D:propertyupdate>'
          : undefined;
      expect(
        (await dav(method, '/dav/files/doc.txt', { headers, ...(body ? { body } : {}) })).status,
        method,
      ).toBe(423);
    }
    expect((await dav('GET', '/dav/files/doc.txt')).text).toBe('v1');
    const owner = await dav('PUT', '/dav/files/doc.txt', { body: 'v2', headers: { if: `(<${token}>)` } });
    expect(owner.status).toBe(204);
    expect((await dav('GET', '/dav/files/doc.txt')).text).toBe('v2');
    await dav('UNLOCK', '/dav/files/doc.txt', { headers: { 'lock-token': `<${token}>` } });
  });

  it('refuses a second lock on an exclusively locked resource, and lets shared locks share', async () => {
    const first = await lock('/dav/files/doc.txt');
    const second = await lock('/dav/files/doc.txt', 'shared');
    expect(second.res.status).toBe(423);
    expect(second.res.text).toContain('no-conflicting-lock');
    await dav('UNLOCK', '/dav/files/doc.txt', { headers: { 'lock-token': `<${first.token}>` } });
    const a = await lock('/dav/files/doc.txt', 'shared');
    const b = await lock('/dav/files/doc.txt', 'shared');
    expect([a.res.status, b.res.status]).toEqual([200, 200]);
    expect((await lock('/dav/files/doc.txt', 'exclusive')).res.status).toBe(423);
    expect(
      (await dav('PUT', '/dav/files/doc.txt', { body: 'b', headers: { if: `(<${b.token}>)` } })).status,
    ).toBe(204);
    for (const t of [a.token, b.token]) {
      expect(
        (await dav('UNLOCK', '/dav/files/doc.txt', { headers: { 'lock-token': `<${t}>` } })).status,
      ).toBe(204);
    }
  });

  it('evaluates If headers: tagged and untagged lists, entity tags, Not and DAV:no-lock', async () => {
    const { token } = await lock('/dav/files/doc.txt');
    const etag = String((await dav('HEAD', '/dav/files/doc.txt')).headers.etag);
    const put = (ifHeader: string) =>
      dav('PUT', '/dav/files/doc.txt', { body: 'b', headers: { if: ifHeader } });
    expect((await put(`(<${token}> [${etag}])`)).status).toBe(204);
    expect((await put(`(<${token}> ["not-the-etag"])`)).status).toBe(412);
    expect((await put(`(<${token}x>) (Not <DAV:no-lock>)`)).status).toBe(423);
    expect((await put(`(<DAV:no-lock>)`)).status).toBe(412);
    expect((await put(`<http://localhost/dav/files/doc.txt> (<${token}>)`)).status).toBe(204);
    expect((await put(`</dav/files/other.txt> (<${token}>)`)).status).toBe(412);
    expect((await put('(<unclosed')).status).toBe(400);
    await dav('UNLOCK', '/dav/files/doc.txt', { headers: { 'lock-token': `<${token}>` } });
    expect((await put('(<opaquelocktoken:made-up>)')).status).toBe(412);
    expect((await put('(["x"]) (<DAV:no-lock>)')).status).toBe(412);
    expect((await put('(["x"]) (Not <DAV:no-lock>)')).status).toBe(204);
  });

  it('UNLOCK needs the token of a lock on the resource (409 otherwise)', async () => {
    const { token } = await lock('/dav/files/doc.txt');
    const bogus = await dav('UNLOCK', '/dav/files/doc.txt', {
      headers: { 'lock-token': '<opaquelocktoken:bogus>' },
    });
    expect(bogus.status).toBe(409);
    expect(bogus.text).toContain('lock-token-matches-request-uri');
    expect((await dav('UNLOCK', '/dav/files/doc.txt')).status).toBe(400);
    expect(
      (await dav('UNLOCK', '/dav/files/doc.txt', { headers: { 'lock-token': `<${token}>` } })).status,
    ).toBe(204);
    expect((await dav('PUT', '/dav/files/doc.txt', { body: 'free' })).status).toBe(204);
  });

  it('a Depth infinity lock on a collection covers its members, and their creation', async () => {
    await dav('MKCOL', '/dav/files/locked/');
    await dav('PUT', '/dav/files/locked/member.txt', { body: 'm' });
    const { token } = await lock('/dav/files/locked/', 'exclusive', { depth: 'infinity' });
    expect((await dav('PUT', '/dav/files/locked/member.txt', { body: 'x' })).status).toBe(423);
    expect((await dav('PUT', '/dav/files/locked/new.txt', { body: 'x' })).status).toBe(423);
    expect((await dav('MKCOL', '/dav/files/locked/sub/')).status).toBe(423);
    expect((await lock('/dav/files/locked/member.txt')).res.status).toBe(423);
    const ok = await dav('PUT', '/dav/files/locked/new.txt', { body: 'x', headers: { if: `(<${token}>)` } });
    expect(ok.status).toBe(201);
    // A refresh through a member names the collection's lock (litmus: indirect_refresh).
    const refresh = await dav('LOCK', '/dav/files/locked/member.txt', {
      headers: { if: `(<${token}>)`, timeout: 'Second-900' },
    });
    expect(refresh.status).toBe(200);
    expect(refresh.text).toMatch(/Second-(900|899)/);
    expect((await dav('DELETE', '/dav/files/locked/', { headers: { if: `(<${token}>)` } })).status).toBe(204);
    // The lock went with the collection: a new one there is free.
    expect((await dav('MKCOL', '/dav/files/locked/')).status).toBe(201);
  });

  it('a Depth 0 lock on a collection guards its membership but not its members content', async () => {
    await dav('MKCOL', '/dav/files/shallow/');
    await dav('PUT', '/dav/files/shallow/a.txt', { body: 'a' });
    const { token } = await lock('/dav/files/shallow/', 'exclusive', { depth: '0' });
    expect((await dav('PUT', '/dav/files/shallow/a.txt', { body: 'changed' })).status).toBe(204);
    expect((await dav('PUT', '/dav/files/shallow/b.txt', { body: 'b' })).status).toBe(423);
    expect((await dav('DELETE', '/dav/files/shallow/a.txt')).status).toBe(423);
    await dav('UNLOCK', '/dav/files/shallow/', { headers: { 'lock-token': `<${token}>` } });
  });

  it('LOCK on an unmapped URL creates an empty locked file (201); without a parent it is 409', async () => {
    const { res, token } = await lock('/dav/files/reserved.txt');
    expect(res.status).toBe(201);
    const got = await dav('GET', '/dav/files/reserved.txt');
    expect(got.status).toBe(200);
    expect(got.body.length).toBe(0);
    expect((await dav('PUT', '/dav/files/reserved.txt', { body: 'x' })).status).toBe(423);
    expect(
      (await dav('PUT', '/dav/files/reserved.txt', { body: 'x', headers: { if: `(<${token}>)` } })).status,
    ).toBe(204);
    expect((await lock('/dav/files/no/parent.txt')).res.status).toBe(409);
  });

  it('a lock times out: after its Timeout the resource is free again', async () => {
    const { token } = await lock('/dav/files/doc.txt', 'exclusive', { timeout: 'Second-60' });
    expect((await dav('PUT', '/dav/files/doc.txt', { body: 'x' })).status).toBe(423);
    advance(61_000);
    expect((await dav('PUT', '/dav/files/doc.txt', { body: 'x' })).status).toBe(204);
    expect((await dav('LOCK', '/dav/files/doc.txt', { headers: { if: `(<${token}>)` } })).status).toBe(412);
  });

  it('a copy of a locked resource is not locked; a moved resource leaves its lock behind', async () => {
    const { token } = await lock('/dav/files/doc.txt');
    expect(
      (await dav('COPY', '/dav/files/doc.txt', { headers: { destination: '/dav/files/copy.txt' } })).status,
    ).toBe(201);
    expect((await dav('PUT', '/dav/files/copy.txt', { body: 'free' })).status).toBe(204);
    const moved = await dav('MOVE', '/dav/files/doc.txt', {
      headers: { destination: '/dav/files/doc2.txt', if: `(<${token}>)` },
    });
    expect(moved.status).toBe(201);
    expect((await dav('PUT', '/dav/files/doc2.txt', { body: 'free' })).status).toBe(204);
    expect((await dav('PUT', '/dav/files/doc.txt', { body: 'new' })).status).toBe(201);
  });

  it('refuses a lockinfo that is not one (400) and Depth 1 (400)', async () => {
    expect((await dav('LOCK', '/dav/files/doc2.txt', { body: '<D:lockinfo xmlns:D="DAV:"/>' })).status).toBe(
      400,
    );
    expect(
      (await dav('LOCK', '/dav/files/doc2.txt', { body: lockinfo('shared'), headers: { depth: '1' } }))
        .status,
    ).toBe(400);
  });
});
