import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onboard, rmSync, startStack, tempDir, type TestStack } from '../../support/stack.js';
import { toolAvailable } from './tools.js';

const HAS_RCLONE = toolAvailable('rclone');
const exec = promisify(execFile);

/** Every file and directory below `root`, relative, with the bytes of each file. */
function snapshot(root: string, prefix = ''): Map<string, Buffer | 'dir'> {
  const out = new Map<string, Buffer | 'dir'>();
  for (const name of readdirSync(join(root, prefix)).sort()) {
    const rel = prefix === '' ? name : `${prefix}/${name}`;
    if (statSync(join(root, rel)).isDirectory()) {
      out.set(rel, 'dir');
      for (const [k, v] of snapshot(root, rel)) out.set(k, v);
    } else {
      out.set(rel, readFileSync(join(root, rel)));
    }
  }
  return out;
}

describe.skipIf(!HAS_RCLONE)('rclone syncing a folder over WebDAV', () => {
  let t: TestStack;
  let work: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    t = await startStack({ config: { defaultInstance: '127.0.0.1' } });
    await onboard(t.client.forHost('127.0.0.1'), 'alice', 'password');
    work = tempDir('nuage-rclone-');
    const { stdout } = await exec('rclone', ['obscure', 'password']);
    env = {
      ...process.env,
      RCLONE_CONFIG: join(work, 'rclone.conf'),
      RCLONE_CONFIG_NUAGE_TYPE: 'webdav',
      RCLONE_CONFIG_NUAGE_URL: `http://127.0.0.1:${t.port}/dav/files/`,
      RCLONE_CONFIG_NUAGE_VENDOR: 'other',
      RCLONE_CONFIG_NUAGE_USER: 'alice',
      RCLONE_CONFIG_NUAGE_PASS: stdout.trim(),
    };
  });

  afterAll(async () => {
    await t?.dispose();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('syncs a tree up and back down identical, byte for byte', async () => {
    const source = join(work, 'source');
    mkdirSync(join(source, 'docs/deep/deeper'), { recursive: true });
    mkdirSync(join(source, 'empty dir'), { recursive: true });
    mkdirSync(join(source, 'Ünïcödé ✓ 日本'), { recursive: true });
    writeFileSync(join(source, 'big.bin'), randomBytes(3 * 1024 * 1024 + 17));
    writeFileSync(join(source, 'empty.txt'), '');
    writeFileSync(join(source, 'docs/notes #1 & 100%.md'), '# notes\n');
    writeFileSync(join(source, 'docs/deep/deeper/leaf.txt'), 'leaf');
    writeFileSync(join(source, 'Ünïcödé ✓ 日本/café 🌍.txt'), 'bonjour');

    const flags = ['--create-empty-src-dirs', '--retries', '1', '--low-level-retries', '1'];
    await exec('rclone', ['sync', source, 'nuage:backup', ...flags], { env });
    const down = join(work, 'down');
    await exec('rclone', ['sync', 'nuage:backup', down, ...flags], { env });

    const expected = snapshot(source);
    const actual = snapshot(down);
    expect([...actual.keys()]).toEqual([...expected.keys()]);
    for (const [path, content] of expected) {
      const got = actual.get(path);
      // Buffer.equals, not toEqual: a deep comparison of 3 MB byte by byte takes seconds.
      expect(content === 'dir' ? got === 'dir' : Buffer.isBuffer(got) && got.equals(content), path).toBe(
        true,
      );
    }

    // A second sync finds nothing to do: sizes and names read back as they were written.
    const { stderr } = await exec('rclone', ['check', source, 'nuage:backup', '--size-only'], { env });
    expect(stderr).toMatch(/0 differences found/);
  }, 120_000);
});
