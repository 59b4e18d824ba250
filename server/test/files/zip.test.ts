import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { zipStream, type ZipEntry } from '../../src/files/zip.js';
import { hasUnzip, unzipAll } from './unzip.js';

const when = new Date('2024-05-06T07:08:10Z');

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function file(name: string, content: Buffer, compress = true): ZipEntry {
  return {
    name,
    type: 'file',
    modified: when,
    size: content.length,
    compress,
    open: () => Promise.resolve(Readable.from([content.subarray(0, 7), content.subarray(7)])),
  };
}

const random = randomBytes(300_000);
const text = Buffer.from('hello zip\n'.repeat(5000));
const entries = (): ZipEntry[] => [
  { name: 'folder/', type: 'directory', modified: when },
  file('folder/random.bin', random, false),
  file('folder/text.txt', text),
  { name: 'empty folder/', type: 'directory', modified: when },
  file('été 日本 🎉.txt', Buffer.from('unicode name')),
  file('zero.txt', Buffer.alloc(0)),
];

describe.skipIf(!hasUnzip())('the streaming zip writer', () => {
  it('writes an archive that unzip -t accepts, byte for byte, with UTF-8 names and empty folders', async () => {
    const archive = await collect(zipStream(entries()));
    const { test, tree } = unzipAll(archive);
    expect(test).toContain('No errors detected');
    expect(tree.get('folder')).toBeNull();
    expect(tree.get('empty folder')).toBeNull();
    expect(tree.get('folder/random.bin')?.equals(random)).toBe(true);
    expect(tree.get('folder/text.txt')?.equals(text)).toBe(true);
    expect(tree.get('été 日本 🎉.txt')?.toString()).toBe('unicode name');
    expect(tree.get('zero.txt')?.length).toBe(0);
    expect(tree.size).toBe(6);
    // The text deflated: far smaller than its 50 000 bytes.
    expect(archive.length).toBeLessThan(random.length + 10_000);
  });

  it('writes the ZIP64 layout (extra fields, 8-byte descriptors, ZIP64 end records) that unzip reads', async () => {
    const archive = await collect(zipStream(entries(), { forceZip64: true }));
    expect(archive.includes(Buffer.from([0x50, 0x4b, 0x06, 0x06]))).toBe(true);
    expect(archive.includes(Buffer.from([0x50, 0x4b, 0x06, 0x07]))).toBe(true);
    const { test, tree } = unzipAll(archive);
    expect(test).toContain('No errors detected');
    expect(tree.get('folder/random.bin')?.equals(random)).toBe(true);
    expect(tree.get('folder/text.txt')?.equals(text)).toBe(true);
    expect(tree.get('été 日本 🎉.txt')?.toString()).toBe('unicode name');
  });

  it('records the UTF-8 flag, the modification time and Unix modes', async () => {
    const archive = await collect(zipStream(entries()));
    const dir = mkdtempSync(join(tmpdir(), 'nuage-zipinfo-'));
    try {
      writeFileSync(join(dir, 'a.zip'), archive);
      const info = spawnSync('zipinfo', ['-v', join(dir, 'a.zip')], {
        encoding: 'utf8',
        env: { ...process.env, LC_ALL: 'C.UTF-8' },
      }).stdout;
      expect(info).toContain('2024 May 6 07:08:10');
      expect(info).toMatch(/Unix file attributes \(040755 octal\)/);
      expect(info).toMatch(/Unix file attributes \(100644 octal\)/);
      // General purpose flags of every central directory header: data descriptor (3) and UTF-8 (11).
      const central = Buffer.from([0x50, 0x4b, 0x01, 0x02]);
      const flags: number[] = [];
      const start = archive.readUInt32LE(archive.length - 22 + 16);
      for (let at = archive.indexOf(central, start); at >= 0; at = archive.indexOf(central, at + 4)) {
        flags.push(archive.readUInt16LE(at + 8));
      }
      expect(flags).toEqual(Array(6).fill(0x0808));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('opens one file at a time, only when its turn comes', async () => {
    const opened: string[] = [];
    const lazy = (name: string): ZipEntry => ({
      name,
      type: 'file',
      modified: when,
      open: () => {
        opened.push(name);
        return Promise.resolve(Readable.from([Buffer.from(name)]));
      },
    });
    const stream = zipStream([lazy('a'), lazy('b')]);
    expect(opened).toEqual([]);
    await collect(stream);
    expect(opened).toEqual(['a', 'b']);
  });

  it('fails the stream when a file cannot be read', async () => {
    const broken: ZipEntry = {
      name: 'broken',
      type: 'file',
      modified: when,
      open: () =>
        Promise.resolve(
          new Readable({
            read() {
              this.destroy(new Error('disk on fire'));
            },
          }),
        ),
    };
    await expect(collect(zipStream([broken]))).rejects.toThrow('disk on fire');
  });
});
