import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../../src/auth/tokens.js';
import { ROOT_ID } from '../../../src/files/file-doc.js';
import { parseRules } from '../../../src/permissions/permissions.js';
import { basic, bearer, type Client } from '../../support/http-client.js';
import { startStack, type TestStack } from '../../support/stack.js';

/** Mounting a tmpfs needs root (CI runs as root); elsewhere this file is skipped. */
const canMount = process.getuid?.() === 0;

/**
 * A real full disk: the stack's blob directory is a 1 MiB tmpfs, so the kernel itself answers ENOSPC
 * while an upload streams.
 */
describe.skipIf(!canMount)('uploads when the disk is full', () => {
  let t: TestStack;
  let alice: Client;
  let owner: Record<string, string>;
  let blobsDir: string;

  const leftovers = () =>
    readdirSync(blobsDir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => e.name);

  beforeAll(async () => {
    t = await startStack();
    blobsDir = join(t.dataDir, 'blobs');
    mkdirSync(blobsDir, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', blobsDir]);
    const instance = await t.stack.instances.create('alice.localhost', {
      name: 'alice',
      password: 'alice password',
    });
    alice = t.client.forHost('alice.localhost');
    const accounts = await t.stack.instances.accounts(instance);
    owner = bearer(
      (await createToken(accounts, { rules: parseRules([{ type: 'io.nuage.files', verbs: 'ALL' }]) })).token,
    );
  });
  afterAll(async () => {
    await t?.dispose().catch(() => undefined);
    if (blobsDir) execFileSync('umount', ['-l', blobsDir]);
  });

  it('answers 507 problem+json, keeps no document and no partial blob, and takes what still fits', async () => {
    const big = Buffer.alloc(2 * 1024 * 1024, 1);
    const res = await alice.post(`/files/${ROOT_ID}?Type=file&Name=big.bin`, { body: big, headers: owner });
    expect(res.status).toBe(507);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 507, error: 'insufficient_storage' });
    expect(leftovers()).toEqual([]);
    const listing = await alice.get(`/files/${ROOT_ID}/children`, { headers: owner });
    expect(listing.json<{ children: unknown[] }>().children).toEqual([]);
    const small = await alice.post(`/files/${ROOT_ID}?Type=file&Name=small.txt`, {
      body: 'fits',
      headers: owner,
    });
    expect(small.status).toBe(201);
  });

  it('answers 507 to a WebDAV PUT too, and the old content of an overwritten file stays', async () => {
    const auth = basic('alice', 'alice password');
    const first = await alice.put('/dav/files/keep.txt', { body: 'kept', headers: auth });
    expect(first.status).toBe(201);
    const over = await alice.put('/dav/files/keep.txt', {
      body: Buffer.alloc(2 * 1024 * 1024, 2),
      headers: auth,
    });
    expect(over.status).toBe(507);
    expect((await alice.get('/dav/files/keep.txt', { headers: auth })).text).toBe('kept');
    expect(leftovers().length).toBe(2); // small.txt and keep.txt, no temp file
  });
});
