import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataScope } from '../../../src/data/format.js';
import { onboard, rmSync, startStack, tempDir, type TestStack } from '../../support/stack.js';
import { toolAvailable } from './tools.js';

const exec = promisify(execFile);
/** Mounting needs root and the FUSE device (CI runs as root); elsewhere this file is skipped. */
const CAN_MOUNT = process.getuid?.() === 0 && existsSync('/dev/fuse') && toolAvailable('mount.davfs');

/**
 * davfs2, the Linux kernel-side client: the drive mounted as a file system. Every file operation runs
 * in a child shell, never in this process: the stack serving the mount lives here, and a blocking read
 * of the mount from its own event loop or thread pool could wait on itself. (On this project's VMs a
 * FUSE readdir answers EINVAL for any server, nginx included, so the test does not list directories.)
 */
describe.skipIf(!CAN_MOUNT)('davfs2 mounting the drive', () => {
  let t: TestStack;
  let work: string;
  let mountPoint: string;
  let scope: DataScope;
  const big = randomBytes(2 * 1024 * 1024 + 5);
  const sh = (script: string) => exec('sh', ['-c', script], { cwd: work, timeout: 60_000 });

  beforeAll(async () => {
    t = await startStack({ config: { defaultInstance: '127.0.0.1' } });
    await onboard(t.client.forHost('127.0.0.1'), 'alice', 'password');
    const instance = await t.stack.instances.get('127.0.0.1');
    scope = { instance, storage: await t.stack.store.open(instance) };
    work = tempDir('nuage-davfs-');
    mountPoint = join(work, 'drive');
    mkdirSync(mountPoint);
    // mount.davfs drops to its own user, which must reach and write its cache.
    chmodSync(work, 0o755);
    mkdirSync(join(work, 'cache'));
    chmodSync(join(work, 'cache'), 0o777);
    const url = `http://127.0.0.1:${t.port}/dav/files/`;
    writeFileSync(join(work, 'secrets'), `${url} alice password\n`, { mode: 0o600 });
    writeFileSync(
      join(work, 'davfs2.conf'),
      `secrets ${work}/secrets\ncache_dir ${work}/cache\nuse_locks 1\n`,
    );
    writeFileSync(join(work, 'big.bin'), big);
    const root = await t.stack.files.resolve(scope, []);
    await t.stack.files.upload(
      scope,
      root.entry!._id,
      'from the web.txt',
      Readable.from([Buffer.from('written by an app')]),
    );
    await exec('mount', ['-t', 'davfs', url, mountPoint, '-o', `conf=${work}/davfs2.conf`], {
      timeout: 30_000,
    });
  });

  afterAll(async () => {
    if (mountPoint) await exec('umount', ['-l', mountPoint]).catch(() => undefined); // already, after the test
    await t?.dispose();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('mounts it: files written, renamed and deleted through the file system are in the tree, byte for byte', async () => {
    const { stdout } = await sh(`cat "drive/from the web.txt"`);
    expect(stdout).toBe('written by an app');
    await sh(
      [
        'mkdir -p drive/docs/deep',
        'printf "first draft" > drive/docs/draft.txt',
        'mv drive/docs/draft.txt "drive/docs/deep/Café ✓.txt"',
        'cp big.bin drive/docs/big.bin',
        'printf gone > drive/docs/temp.txt',
        'rm drive/docs/temp.txt',
        'sync',
      ].join(' && '),
    );
    expect((await sh(`cat "drive/docs/deep/Café ✓.txt"`)).stdout).toBe('first draft');
    // Unmounting uploads what davfs2 still holds in its cache.
    await exec('umount', [mountPoint], { timeout: 60_000 });
    const find = async (...names: string[]) => (await t.stack.files.resolve(scope, names)).entry;
    const moved = await find('docs', 'deep', 'Café ✓.txt');
    expect(moved).toMatchObject({ type: 'file', size: 11 });
    const copied = await find('docs', 'big.bin');
    expect(copied?.sha256).toBe(createHash('sha256').update(big).digest('hex'));
    expect(await find('docs', 'draft.txt')).toBeNull();
    expect(await find('docs', 'temp.txt')).toBeNull();
  });
});
