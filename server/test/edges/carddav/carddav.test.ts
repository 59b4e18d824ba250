import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CARDDAV, CS, multistatus, NS, pimStack, prop, responseFor, vcard } from '../caldav/pim-dav.js';

type Pim = Awaited<ReturnType<typeof pimStack>>;

const BOOK = '/dav/addressbooks/alice/contacts/';

describe('CardDAV (RFC 6352) over a real stack', () => {
  let s: Pim;

  beforeAll(async () => {
    s = await pimStack();
  });
  afterAll(async () => {
    await s?.t.dispose();
  });

  const put = (name: string, text: string, headers: Record<string, string> = {}) =>
    s.dav('PUT', `${BOOK}${name}`, { body: text, headers: { 'content-type': 'text/vcard', ...headers } });

  describe('discovery', () => {
    it('redirects /.well-known/carddav to /dav/ without asking for credentials', async () => {
      const res = await s.dav('PROPFIND', '/.well-known/carddav', { anonymous: true });
      expect(res.status).toBe(301);
      expect(res.headers.location).toBe('/dav/');
    });

    it('asks for Basic credentials on /dav/', async () => {
      const res = await s.dav('PROPFIND', '/dav/', { anonymous: true, headers: { depth: '0' } });
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Basic/);
    });

    it('leads from /dav/ to the principal, then to the address book home and the default address book', async () => {
      const [root] = await s.propfind('/dav/', '0', 'D:current-user-principal');
      const principal = prop(root!, 'DAV:', 'current-user-principal');
      expect(principal).toBe('/dav/principals/alice/');
      const [p] = await s.propfind(
        '/dav/principals/alice/',
        '0',
        'R:addressbook-home-set',
        'D:displayname',
        'D:resourcetype',
      );
      expect(prop(p!, CARDDAV, 'addressbook-home-set')).toBe('/dav/addressbooks/alice/');
      expect(prop(p!, 'DAV:', 'displayname')).toBe('alice');
      const home = await s.propfind(
        '/dav/addressbooks/alice/',
        '1',
        'D:resourcetype',
        'D:displayname',
        'CS:getctag',
        'D:sync-token',
        'D:supported-report-set',
        'R:supported-address-data',
        'D:current-user-privilege-set',
      );
      const book = responseFor(home, BOOK);
      expect(prop(book, 'DAV:', 'displayname')).toBe('Contacts');
      const types = book.props['{DAV:}resourcetype']!.element.children.filter((c) => typeof c !== 'string');
      expect(types.map((c) => (typeof c === 'string' ? c : `{${c.ns}}${c.local}`))).toEqual([
        '{DAV:}collection',
        `{${CARDDAV}}addressbook`,
      ]);
      expect(prop(book, CS, 'getctag')).toMatch(/^\d+$/);
      expect(prop(book, 'DAV:', 'sync-token')).toMatch(/^https:\/\/nuage\.dev\/ns\/sync\/\d+$/);
      const reports = book.props['{DAV:}supported-report-set']!.element;
      expect(JSON.stringify(reports)).toContain('addressbook-multiget');
      expect(JSON.stringify(reports)).toContain('sync-collection');
      expect(JSON.stringify(book.props[`{${CARDDAV}}supported-address-data`]!.element)).toContain(
        'text/vcard',
      );
      expect(JSON.stringify(book.props['{DAV:}current-user-privilege-set']!.element)).toContain('"write"');
    });

    it('answers OPTIONS with the CardDAV and CalDAV classes', async () => {
      const res = await s.dav('OPTIONS', BOOK, { anonymous: true });
      expect(res.status).toBe(200);
      expect(res.headers.dav).toBe('1, 3, addressbook, calendar-access, extended-mkcol');
      expect(res.headers.allow).toContain('REPORT');
    });

    it('refuses another user’s principal and PROPFIND at Depth infinity', async () => {
      expect((await s.xml('PROPFIND', '/dav/principals/bob/', '', { depth: '0' })).status).toBe(404);
      const deep = await s.dav('PROPFIND', BOOK, { headers: { depth: 'infinity' } });
      expect(deep.status).toBe(403);
      expect(deep.text).toContain('propfind-finite-depth');
    });
  });

  describe('collections', () => {
    it('makes an address book with extended MKCOL, and refuses a second one at the same place', async () => {
      const body = `<?xml version="1.0"?><D:mkcol ${NS}><D:set><D:prop><D:resourcetype><D:collection/><R:addressbook/></D:resourcetype><D:displayname>Work</D:displayname><R:addressbook-description>Colleagues</R:addressbook-description></D:prop></D:set></D:mkcol>`;
      const made = await s.xml('MKCOL', '/dav/addressbooks/alice/work/', body);
      expect(made.status).toBe(201);
      const [work] = await s.propfind(
        '/dav/addressbooks/alice/work/',
        '0',
        'D:displayname',
        'R:addressbook-description',
      );
      expect(prop(work!, 'DAV:', 'displayname')).toBe('Work');
      expect(prop(work!, CARDDAV, 'addressbook-description')).toBe('Colleagues');
      expect((await s.xml('MKCOL', '/dav/addressbooks/alice/work/', body)).status).toBe(405);
    });

    it('refuses a calendar made in the address book home', async () => {
      const body = `<D:mkcol ${NS}><D:set><D:prop><D:resourcetype><D:collection/><C:calendar/></D:resourcetype></D:prop></D:set></D:mkcol>`;
      const res = await s.xml('MKCOL', '/dav/addressbooks/alice/cal/', body);
      expect(res.status).toBe(403);
      expect(res.text).toContain('valid-resourcetype');
    });

    it('changes the display name with PROPPATCH, and refuses a protected property all or nothing', async () => {
      const ok = await s.xml(
        'PROPPATCH',
        '/dav/addressbooks/alice/work/',
        `<D:propertyupdate ${NS}><D:set><D:prop><D:displayname>Office</D:displayname></D:prop></D:set></D:propertyupdate>`,
      );
      expect(ok.status).toBe(207);
      expect(ok.text).toContain('200 OK');
      const refused = await s.xml(
        'PROPPATCH',
        '/dav/addressbooks/alice/work/',
        `<D:propertyupdate ${NS}><D:set><D:prop><D:displayname>Nope</D:displayname><D:getetag>"x"</D:getetag></D:prop></D:set></D:propertyupdate>`,
      );
      const [r] = await multistatus(refused.text);
      expect(r!.props['{DAV:}getetag']!.status).toContain('403');
      expect(r!.props['{DAV:}displayname']!.status).toContain('424');
      const [work] = await s.propfind('/dav/addressbooks/alice/work/', '0', 'D:displayname');
      expect(prop(work!, 'DAV:', 'displayname')).toBe('Office');
    });

    it('deletes an address book', async () => {
      expect((await s.dav('DELETE', '/dav/addressbooks/alice/work/')).status).toBe(204);
      expect((await s.xml('PROPFIND', '/dav/addressbooks/alice/work/', '', { depth: '0' })).status).toBe(404);
    });
  });

  describe('objects', () => {
    let etag: string;

    it('creates a card with If-None-Match: * and refuses a second create', async () => {
      const made = await put('ada.vcf', vcard('ada', 'Ada Lovelace'), { 'if-none-match': '*' });
      expect(made.status).toBe(201);
      etag = String(made.headers.etag);
      expect(etag).toMatch(/^".+"$/);
      expect((await put('ada.vcf', vcard('ada', 'Ada L.'), { 'if-none-match': '*' })).status).toBe(412);
    });

    it('serves the card byte for byte with its etag and type, and 304 for a matching If-None-Match', async () => {
      const res = await s.dav('GET', `${BOOK}ada.vcf`);
      expect(res.status).toBe(200);
      expect(res.text).toBe(vcard('ada', 'Ada Lovelace'));
      expect(res.headers.etag).toBe(etag);
      expect(res.headers['content-type']).toMatch(/^text\/vcard/);
      expect((await s.dav('GET', `${BOOK}ada.vcf`, { headers: { 'if-none-match': etag } })).status).toBe(304);
    });

    it('replaces a card only when If-Match names its etag', async () => {
      expect((await put('ada.vcf', vcard('ada', 'Ada King'), { 'if-match': '"1-nope"' })).status).toBe(412);
      const replaced = await put('ada.vcf', vcard('ada', 'Ada King'), { 'if-match': etag });
      expect(replaced.status).toBe(204);
      expect(replaced.headers.etag).not.toBe(etag);
      etag = String(replaced.headers.etag);
    });

    it('refuses text that is not a vCard with CARDDAV:valid-address-data', async () => {
      const res = await put('bad.vcf', 'hello');
      expect(res.status).toBe(403);
      expect(res.headers['content-type']).toMatch(/xml/);
      expect(res.text).toContain(`<valid-address-data xmlns="${CARDDAV}"/>`);
    });

    it('refuses a second card with the same UID with no-uid-conflict naming the first', async () => {
      const res = await put('other.vcf', vcard('ada', 'Copy'));
      expect(res.status).toBe(403);
      expect(res.text).toContain(
        `<no-uid-conflict xmlns="${CARDDAV}"><D:href>${BOOK}ada.vcf</D:href></no-uid-conflict>`,
      );
    });

    it('answers 409 for a card put into a missing address book', async () => {
      expect(
        (await s.dav('PUT', '/dav/addressbooks/alice/nope/x.vcf', { body: vcard('x', 'X') })).status,
      ).toBe(409);
    });

    it('shows a DAV-made card to the REST API as a contact document', async () => {
      const res = await s.t.client.get('/data/io.nuage.contacts/ada', { headers: s.auth });
      expect(res.status).toBe(200);
      expect(res.json()).toMatchObject({ fullname: 'Ada King', addressbook: 'contacts', href: 'ada.vcf' });
    });

    it('lists the cards of an address book with PROPFIND at Depth 1', async () => {
      const all = await s.propfind(
        BOOK,
        '1',
        'D:getetag',
        'D:getcontenttype',
        'D:getcontentlength',
        'D:resourcetype',
      );
      expect(all.map((r) => r.href)).toEqual([BOOK, `${BOOK}ada.vcf`]);
      const ada = responseFor(all, `${BOOK}ada.vcf`);
      expect(prop(ada, 'DAV:', 'getetag')).toBe(etag);
      expect(prop(ada, 'DAV:', 'getcontenttype')).toMatch(/^text\/vcard/);
      expect(Number(prop(ada, 'DAV:', 'getcontentlength'))).toBe(Buffer.byteLength(vcard('ada', 'Ada King')));
      expect(responseFor(all, BOOK).props['{DAV:}getetag']!.status).toContain('404');
    });

    it('returns cards by addressbook-multiget, 404 for names it lacks', async () => {
      await put('grace.vcf', vcard('grace', 'Grace Hopper', 'grace@navy.mil'));
      const res = await s.report(
        BOOK,
        `<R:addressbook-multiget ${NS}><D:prop><D:getetag/><R:address-data/></D:prop><D:href>${BOOK}ada.vcf</D:href><D:href>http://localhost${BOOK}grace.vcf</D:href><D:href>${BOOK}missing.vcf</D:href></R:addressbook-multiget>`,
      );
      expect(res.status).toBe(207);
      const all = await multistatus(res.text);
      expect(prop(responseFor(all, `${BOOK}ada.vcf`), CARDDAV, 'address-data')).toContain('FN:Ada King');
      expect(prop(responseFor(all, `${BOOK}grace.vcf`), 'DAV:', 'getetag')).toMatch(/^"/);
      expect(responseFor(all, `${BOOK}missing.vcf`).status).toContain('404');
    });

    it('finds cards by addressbook-query text-match', async () => {
      const query = (filter: string) =>
        s.report(
          BOOK,
          `<R:addressbook-query ${NS}><D:prop><D:getetag/><R:address-data/></D:prop><R:filter test="anyof">${filter}</R:filter></R:addressbook-query>`,
        );
      const byName = await multistatus(
        (
          await query(
            '<R:prop-filter name="FN"><R:text-match match-type="contains">hopper</R:text-match></R:prop-filter>',
          )
        ).text,
      );
      expect(byName.map((r) => r.href)).toEqual([`${BOOK}grace.vcf`]);
      const byEmail = await multistatus(
        (
          await query(
            '<R:prop-filter name="EMAIL"><R:text-match match-type="ends-with">@navy.mil</R:text-match></R:prop-filter>',
          )
        ).text,
      );
      expect(byEmail.map((r) => r.href)).toEqual([`${BOOK}grace.vcf`]);
      const negated = await multistatus(
        (
          await query(
            '<R:prop-filter name="FN"><R:text-match negate-condition="yes">hopper</R:text-match></R:prop-filter>',
          )
        ).text,
      );
      expect(negated.map((r) => r.href)).toEqual([`${BOOK}ada.vcf`]);
      const bad = await query(
        '<R:prop-filter name="FN"><R:text-match collation="i;klingon">x</R:text-match></R:prop-filter>',
      );
      expect(bad.status).toBe(403);
      expect(bad.text).toContain(`<supported-collation xmlns="${CARDDAV}"/>`);
    });

    it('deletes a card only when If-Match names its etag', async () => {
      expect((await s.dav('DELETE', `${BOOK}grace.vcf`, { headers: { 'if-match': '"9-x"' } })).status).toBe(
        412,
      );
      expect((await s.dav('DELETE', `${BOOK}grace.vcf`)).status).toBe(204);
      expect((await s.dav('GET', `${BOOK}grace.vcf`)).status).toBe(404);
    });
  });

  describe('sync-collection (RFC 6578)', () => {
    const sync = (token: string) =>
      s.report(
        BOOK,
        `<D:sync-collection ${NS}><D:sync-token>${token}</D:sync-token><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>`,
        '0',
      );
    const tokenOf = (text: string) =>
      /<D:sync-token>([^<]+)<\/D:sync-token>\s*<\/D:multistatus>/.exec(text)?.[1] ?? '';

    it('lists every card on an initial sync, then what changed over REST and DAV since', async () => {
      const initial = await sync('');
      expect(initial.status).toBe(207);
      expect((await multistatus(initial.text)).map((r) => r.href)).toEqual([`${BOOK}ada.vcf`]);
      const token = tokenOf(initial.text);
      expect(token).toMatch(/^https:\/\/nuage\.dev\/ns\/sync\/\d+$/);

      // An app adds a contact through the REST API, to the same address book.
      const rest = await s.t.client.put('/data/io.nuage.contacts/linus', {
        headers: s.auth,
        json: {
          fullname: 'Linus Torvalds',
          addressbook: 'contacts',
          emails: [{ address: 'linus@example.org' }],
        },
      });
      expect(rest.status).toBe(201);
      await put('zoe.vcf', vcard('zoe', 'Zoe'));
      expect((await s.dav('DELETE', `${BOOK}ada.vcf`)).status).toBe(204);

      const next = await sync(token);
      expect(next.status).toBe(207);
      const responses = await multistatus(next.text);
      expect(prop(responseFor(responses, `${BOOK}linus.vcf`), 'DAV:', 'getetag')).toMatch(/^"/);
      expect(prop(responseFor(responses, `${BOOK}zoe.vcf`), 'DAV:', 'getetag')).toMatch(/^"/);
      expect(responseFor(responses, `${BOOK}ada.vcf`).status).toContain('404');
      expect(tokenOf(next.text)).not.toBe(token);

      const card = await s.dav('GET', `${BOOK}linus.vcf`);
      expect(card.text).toContain('FN:Linus Torvalds');
      expect(card.text).toContain('linus@example.org');
    });

    it('refuses a token it did not give with DAV:valid-sync-token', async () => {
      const res = await sync('https://nuage.dev/ns/sync/999999999');
      expect(res.status).toBe(403);
      expect(res.text).toContain('<D:valid-sync-token/>');
    });
  });

  describe('bad requests', () => {
    it('answers 400 for XML that is not well-formed', async () => {
      expect((await s.report(BOOK, '<R:addressbook-query')).status).toBe(400);
    });

    it('answers 403 DAV:supported-report for a report the collection does not support', async () => {
      const res = await s.report(BOOK, `<C:calendar-query ${NS}><C:filter/></C:calendar-query>`);
      expect(res.status).toBe(403);
      expect(res.text).toContain('<D:supported-report/>');
    });
  });
});
