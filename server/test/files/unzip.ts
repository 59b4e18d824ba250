import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

/**
 * Checks a zip with Info-ZIP's `unzip` (the system one: .ci/run installs it) and reads it back through
 * it: `unzip -t` must pass, and the extracted tree is returned as path → bytes (`null` for a folder).
 */
export function unzipAll(archive: Buffer): { test: string; tree: Map<string, Buffer | null> } {
  const dir = mkdtempSync(join(tmpdir(), 'nuage-unzip-'));
  try {
    const file = join(dir, 'archive.zip');
    writeFileSync(file, archive);
    const env = { ...process.env, LC_ALL: 'C.UTF-8' };
    const test = spawnSync('unzip', ['-t', file], { encoding: 'utf8', env });
    if (test.status !== 0) throw new Error(`unzip -t failed (${test.status}): ${test.stdout}${test.stderr}`);
    const out = join(dir, 'out');
    const extract = spawnSync('unzip', ['-q', file, '-d', out], { encoding: 'utf8', env });
    if (extract.status !== 0) throw new Error(`unzip failed: ${extract.stdout}${extract.stderr}`);
    const tree = new Map<string, Buffer | null>();
    for (const entry of readdirSync(out, { recursive: true, withFileTypes: true })) {
      const path = relative(out, join(entry.parentPath, entry.name));
      tree.set(path, entry.isDirectory() ? null : readFileSync(join(out, path)));
    }
    return { test: test.stdout, tree };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Whether `unzip` is here; in CI it must be (.ci/run installs it), elsewhere its tests are skipped. */
export function hasUnzip(): boolean {
  const found = spawnSync('sh', ['-c', 'command -v unzip'], { encoding: 'utf8' }).status === 0;
  if (!found && process.env.CI) throw new Error('unzip is not installed, and CI must run the zip tests');
  return found;
}
