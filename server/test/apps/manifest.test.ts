import { describe, expect, it } from 'vitest';
import { asksForMore, parseManifest, rulesOf } from '../../src/apps/manifest.js';
import { appHostname, originFor, splitAppHostname } from '../../src/apps/origins.js';
import { parseSource } from '../../src/apps/sources.js';
import { InvalidManifest } from '../../src/errors.js';

const base = { name: 'Notes', slug: 'notes', version: '1.2.3' };

function problemsOf(input: unknown): string[] {
  try {
    parseManifest(input);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidManifest);
    return (error as InvalidManifest).extra.problems as string[];
  }
  return [];
}

describe('a manifest', () => {
  it('gets defaults: the app root served at /, no permissions, no services', () => {
    expect(parseManifest(base)).toMatchObject({
      routes: { '/': { folder: '', index: 'index.html', public: false } },
      permissions: {},
      services: {},
      icon: null,
    });
  });

  it('reports every problem at once', () => {
    const problems = problemsOf({
      name: '',
      slug: 'My-App',
      version: 'v1',
      icon: '../../etc/passwd',
      permissions: { x: { type: 'Not A Doctype' }, y: { type: 'io.nuage.notes', verbs: ['STEAL'] } },
      services: { s: { file: 'run.sh', trigger: 'every day', timeout: 99999 } },
    });
    expect(problems).toHaveLength(8);
    expect(problems.join('\n')).toMatch(/"name"/);
    expect(problems.join('\n')).toMatch(/"icon"/);
  });

  it('refuses paths that leave the app, whatever their form', () => {
    for (const path of ['..', '../x', 'a/../../b', '.env', 'a/.git/config', 'a\\b', '/etc/../x']) {
      expect(problemsOf({ ...base, icon: path }), path).toHaveLength(1);
    }
    expect(parseManifest({ ...base, icon: '/img/icon.svg' }).icon).toBe('img/icon.svg');
  });

  it('turns named permissions into token rules, ALL included', () => {
    const m = parseManifest({
      ...base,
      permissions: {
        notes: { type: 'io.nuage.notes', verbs: ['GET', 'POST', 'GET'], description: 'why' },
        files: { type: 'io.nuage.files' },
      },
    });
    expect(rulesOf(m)).toEqual([
      { type: 'io.nuage.notes', verbs: ['GET', 'POST'] },
      { type: 'io.nuage.files', verbs: 'ALL' },
    ]);
  });

  it('says whether an update asks for more than was granted', () => {
    const v1 = parseManifest({
      ...base,
      permissions: { n: { type: 'io.nuage.notes', verbs: ['GET', 'POST'] } },
    });
    const fewer = parseManifest({ ...base, permissions: { n: { type: 'io.nuage.notes', verbs: ['GET'] } } });
    const verb = parseManifest({
      ...base,
      permissions: { n: { type: 'io.nuage.notes', verbs: ['DELETE'] } },
    });
    const doctype = parseManifest({
      ...base,
      permissions: { c: { type: 'io.nuage.contacts', verbs: ['GET'] } },
    });
    const all = parseManifest({ ...base, permissions: { n: { type: 'io.nuage.notes', verbs: 'ALL' } } });
    expect(asksForMore(v1, fewer)).toBe(false);
    expect(asksForMore(v1, v1)).toBe(false);
    expect(asksForMore(v1, verb)).toBe(true);
    expect(asksForMore(v1, doctype)).toBe(true);
    expect(asksForMore(v1, all)).toBe(true);
    expect(asksForMore(all, v1)).toBe(false);
  });

  it('parses services with their trigger, timeout and memory', () => {
    const m = parseManifest({
      ...base,
      services: { sync: { file: 'services/sync.mjs', trigger: '@cron 0 3 * * *', memory: 128 } },
    });
    expect(m.services.sync).toEqual({
      file: 'services/sync.mjs',
      trigger: '@cron 0 3 * * *',
      timeout: 60,
      memory: 128,
    });
  });
});

describe('app sources', () => {
  it('reads catalog slugs, git URLs with refs, and tarballs with their digest', () => {
    expect(parseSource('drive')).toEqual({ kind: 'catalog', slug: 'drive' });
    expect(parseSource('git+https://example.org/a/b.git#v1.2')).toEqual({
      kind: 'git',
      url: 'https://example.org/a/b.git',
      ref: 'v1.2',
    });
    expect(parseSource('git+file:///srv/app')).toEqual({ kind: 'git', url: 'file:///srv/app', ref: null });
    const sha = 'a'.repeat(64);
    expect(parseSource(`https://example.org/app.tar.gz#sha256=${sha}`)).toEqual({
      kind: 'tarball',
      url: 'https://example.org/app.tar.gz',
      sha256: sha,
    });
  });

  it('refuses other transports, option-looking refs and tarballs without a digest', () => {
    for (const bad of [
      'git+ssh://host/repo',
      'git+ext::sh -c id',
      'git+https://h/r#--upload-pack=x',
      'https://h/app.tgz',
      'ftp://h/x',
      '-rf',
    ]) {
      expect(() => parseSource(bad), bad).toThrow();
    }
  });
});

describe('app origins', () => {
  it('names apps nested or flat, and reads the names back', () => {
    expect(appHostname('alice.example.org', 'drive', 'nested')).toBe('drive.alice.example.org');
    expect(appHostname('alice.example.org', 'drive', 'flat')).toBe('alice-drive.example.org');
    expect(appHostname('localhost', 'drive', 'flat')).toBe('drive.localhost');
    expect(appHostname('alice.localhost', 'drive', 'flat')).toBe('alice-drive.localhost');
    expect(splitAppHostname('drive.alice.example.org', 'nested')).toEqual([
      { domain: 'alice.example.org', slug: 'drive' },
    ]);
    expect(splitAppHostname('my-alice-drive.example.org', 'flat')).toEqual([
      { domain: 'my-alice.example.org', slug: 'drive' },
    ]);
    expect(splitAppHostname('drive.localhost', 'flat')).toEqual([{ domain: 'localhost', slug: 'drive' }]);
    expect(splitAppHostname('alice-drive.localhost', 'flat')).toEqual([
      { domain: 'alice.localhost', slug: 'drive' },
      { domain: 'localhost', slug: 'alice-drive' },
    ]);
    expect(splitAppHostname('localhost', 'flat')).toEqual([]);
  });

  it('keeps the scheme and port the client used', () => {
    expect(originFor('http', 'drive.localhost', 'localhost:8080')).toBe('http://drive.localhost:8080');
    expect(originFor('https', 'drive.a.org', 'a.org:443')).toBe('https://drive.a.org');
    expect(originFor('https', 'drive.a.org', 'a.org')).toBe('https://drive.a.org');
  });
});
