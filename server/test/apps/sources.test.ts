import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { manifestOf } from '../support/apps.js';
import { startStack, tempDir, type TestStack } from '../support/stack.js';

/** A local web server standing for the internet: tarballs and a catalog, by path. */
let server: Server;
let base: string;
const served = new Map<string, Buffer>();

beforeAll(async () => {
  server = createServer((req, res) => {
    const body = served.get(req.url ?? '');
    res.writeHead(body ? 200 : 404).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

let work: string;
beforeEach(() => {
  work = tempDir();
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

/** Packs `files` under one top folder, as release tarballs do, and serves it; returns its source. */
function serveTarball(name: string, files: Record<string, string>, extra?: (dir: string) => void): string {
  const root = join(work, name, `${name}-1.0.0`);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  extra?.(root);
  const archive = join(work, `${name}.tar.gz`);
  execFileSync('tar', ['-czf', archive, '-C', join(work, name), `${name}-1.0.0`]);
  const bytes = readFileSync(archive);
  served.set(`/${name}.tar.gz`, bytes);
  return `${base}/${name}.tar.gz#sha256=${createHash('sha256').update(bytes).digest('hex')}`;
}

const PAGE = '<html><head></head><body>tar</body></html>';

async function scopeOf(t: TestStack) {
  const instance = await t.stack.instances.get('localhost');
  return { instance, storage: await t.stack.instances.storage(instance) };
}

describe('tarball sources', () => {
  let t: TestStack;
  beforeEach(async () => {
    t = await startStack({ config: { catalogs: [] } });
  });
  afterEach(() => t.dispose());

  it('installs a tarball whose digest matches, from its one top folder', async () => {
    const source = serveTarball('notes', {
      'manifest.json': JSON.stringify(manifestOf('notes')),
      'index.html': PAGE,
    });
    const scope = await scopeOf(t);
    const staged = await t.stack.apps.stage(scope, source);
    expect(staged).toMatchObject({ manifest: { slug: 'notes' }, revision: source.split('sha256=')[1] });
    const app = await t.stack.apps.install(scope, staged.id);
    expect(readFileSync(join(app.dir, 'files', 'index.html'), 'utf8')).toBe(PAGE);
  });

  it('refuses a tarball whose bytes do not match the digest, a missing one, and one with a link', async () => {
    const scope = await scopeOf(t);
    const good = serveTarball('notes', {
      'manifest.json': JSON.stringify(manifestOf('notes')),
      'index.html': PAGE,
    });
    const wrong = good.replace(/sha256=.*/, `sha256=${'0'.repeat(64)}`);
    await expect(t.stack.apps.stage(scope, wrong)).rejects.toMatchObject({ code: 'source_unavailable' });
    await expect(
      t.stack.apps.stage(scope, `${base}/nothing.tar.gz#sha256=${'0'.repeat(64)}`),
    ).rejects.toMatchObject({
      status: 400,
    });
    const linked = serveTarball(
      'sneaky',
      { 'manifest.json': JSON.stringify(manifestOf('sneaky')), 'index.html': PAGE },
      (dir) => symlinkSync('/etc/passwd', join(dir, 'passwd.txt')),
    );
    await expect(t.stack.apps.stage(scope, linked)).rejects.toMatchObject({ status: 400 });
    expect(await t.stack.apps.list(scope)).toEqual([]);
  });
});

describe('catalogs by URL', () => {
  it('offers the apps of a configured catalog after the first-party ones, and installs them by slug', async () => {
    const source = serveTarball('weather', {
      'manifest.json': JSON.stringify(manifestOf('weather')),
      'index.html': PAGE,
    });
    served.set(
      '/catalog.json',
      Buffer.from(
        JSON.stringify({
          apps: [
            { slug: 'weather', name: 'Weather', description: 'Forecasts', source },
            // A remote catalog cannot point at the server's own folders.
            { slug: 'sneaky', name: 'Sneaky', source: 'dir:home' },
          ],
        }),
      ),
    );
    const t = await startStack({ config: { catalogs: [`${base}/catalog.json`] } });
    try {
      const entries = await t.stack.apps.catalogs.entries();
      expect(entries.map((e) => e.slug)).toContain('weather');
      expect(entries.map((e) => e.slug)).not.toContain('sneaky');
      expect(entries.find((e) => e.slug === 'home')?.catalog).toBe('builtin');
      const scope = await scopeOf(t);
      const staged = await t.stack.apps.stage(scope, 'weather');
      expect((await t.stack.apps.install(scope, staged.id)).source).toBe('weather');
    } finally {
      await t.dispose();
    }
  });
});
