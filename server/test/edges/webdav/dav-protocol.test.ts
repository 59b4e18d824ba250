import { describe, expect, it } from 'vitest';
import {
  parseDestination,
  parseDepth,
  parseOverwrite,
  parseTimeout,
  MAX_LOCK_SECONDS,
} from '../../../src/edges/dav/headers.js';
import { evaluateIf, parseIf, submittedTokens } from '../../../src/edges/dav/if-header.js';
import { Multistatus, propElement } from '../../../src/edges/dav/multistatus.js';
import { parseXml, serializeXml } from '../../../src/edges/dav/xml.js';
import { BadGateway, BadRequest } from '../../../src/errors.js';

describe('the If header', () => {
  it('parses untagged lists with tokens, entity tags and Not', () => {
    expect(parseIf('(<opaquelocktoken:a> ["e1"]) (Not <DAV:no-lock> [W/"e2"])')).toEqual([
      {
        resource: undefined,
        conditions: [
          { not: false, kind: 'token', value: 'opaquelocktoken:a' },
          { not: false, kind: 'etag', value: '"e1"' },
        ],
      },
      {
        resource: undefined,
        conditions: [
          { not: true, kind: 'token', value: 'DAV:no-lock' },
          { not: false, kind: 'etag', value: 'W/"e2"' },
        ],
      },
    ]);
  });

  it('parses tagged lists, each applying to its resource', () => {
    const lists = parseIf('<http://h/a> (<t1>) </b> (<t2>) (["x]y"])');
    expect(lists.map((l) => l.resource)).toEqual(['http://h/a', '/b', '/b']);
    expect(lists[2]!.conditions[0]!.value).toBe('"x]y"');
    expect(submittedTokens(lists)).toEqual(['t1', 't2']);
  });

  it.each(['', '(', '()', '(<a>', 'x', '(<a>) <http://h/a> (<b>)', '(Not)', '(["e")'])(
    'refuses the malformed %j with BadRequest',
    (header) => {
      expect(() => parseIf(header)).toThrow(BadRequest);
    },
  );

  it('holds when, for every resource named, one of its lists holds', async () => {
    const state = async (r: string | undefined) =>
      r === '/b' ? { etag: '"b"', lockTokens: [] } : { etag: '"a"', lockTokens: ['t'] };
    expect(await evaluateIf(parseIf('(<t>)'), state)).toBe(true);
    expect(await evaluateIf(parseIf('(<u>) (["a"])'), state)).toBe(true);
    expect(await evaluateIf(parseIf('(<u>) (Not ["a"])'), state)).toBe(false);
    expect(await evaluateIf(parseIf('</b> (["b"])'), state)).toBe(true);
    expect(await evaluateIf(parseIf('</b> (<t>)'), state)).toBe(false);
    expect(await evaluateIf(parseIf('([W/"a"])'), state)).toBe(true);
  });
});

describe('DAV headers', () => {
  it('reads Depth, Overwrite and Timeout', () => {
    expect(parseDepth(undefined, ['0', 'infinity'], 'infinity')).toBe('infinity');
    expect(parseDepth('Infinity', ['0', 'infinity'], '0')).toBe('infinity');
    expect(() => parseDepth('1', ['0', 'infinity'], '0')).toThrow(BadRequest);
    expect(parseOverwrite(undefined)).toBe(true);
    expect(parseOverwrite('F')).toBe(false);
    expect(() => parseOverwrite('maybe')).toThrow(BadRequest);
    expect(parseTimeout('Second-60')).toBe(60);
    expect(parseTimeout('Infinite, Second-4100000000')).toBe(MAX_LOCK_SECONDS);
    expect(parseTimeout('Second-99999999999')).toBe(MAX_LOCK_SECONDS);
  });

  it('reads a Destination on this host without resolving dot segments itself', () => {
    expect(parseDestination('http://alice.example:8080/dav/files/a%20b', 'alice.example')).toBe(
      '/dav/files/a%20b',
    );
    expect(parseDestination('/dav/files/x?y', 'h')).toBe('/dav/files/x');
    expect(parseDestination('http://h/dav/files/%2e%2e/x', 'h')).toBe('/dav/files/%2e%2e/x');
    expect(() => parseDestination('http://other/dav/files/x', 'h')).toThrow(BadGateway);
    expect(() => parseDestination('dav/files/x', 'h')).toThrow(BadRequest);
    expect(() => parseDestination(undefined, 'h')).toThrow(BadRequest);
  });
});

describe('DAV XML', () => {
  it('keeps namespaces, not prefixes, and writes an element back self-contained', async () => {
    const el = await parseXml(
      '<a:x xmlns:a="urn:a" xmlns:b="urn:b" b:attr="1 &amp; 2"><b:y>t&lt;</b:y><z xmlns="">n</z></a:x>',
    );
    expect(el).toMatchObject({
      ns: 'urn:a',
      local: 'x',
      attributes: [{ ns: 'urn:b', local: 'attr', value: '1 & 2' }],
    });
    const text = serializeXml(el);
    expect(text).toBe(
      '<x xmlns="urn:a" xmlns:a0="urn:b" a0:attr="1 &amp; 2"><y xmlns="urn:b">t&lt;</y><z xmlns="">n</z></x>',
    );
    expect(await parseXml(text)).toEqual(el);
  });

  it('escapes what it writes into a multistatus', async () => {
    const ms = new Multistatus();
    ms.addProps('/dav/files/a&b<c>', [{ status: 200, props: [propElement('urn:"q"', 'p', 'v')] }]);
    ms.addStatus('/x', 423, 'lock-token-submitted');
    const root = await parseXml(ms.toString());
    expect(root.local).toBe('multistatus');
    expect(ms.toString()).toContain('<D:href>/dav/files/a&amp;b&lt;c&gt;</D:href>');
    expect(ms.toString()).toContain(
      '<D:status>HTTP/1.1 423 Locked</D:status><D:error><D:lock-token-submitted/></D:error>',
    );
  });

  it('refuses entity tricks: an external entity or an undeclared entity is a BadRequest', async () => {
    await expect(
      parseXml('<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'),
    ).rejects.toThrow(BadRequest);
    await expect(parseXml('<x>&nope;</x>')).rejects.toThrow(BadRequest);
    await expect(parseXml('<x/><y/>')).rejects.toThrow(BadRequest);
  });
});
