import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** A manifest with the fields every test app shares; `overrides` replace them. */
export function manifestOf(slug: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: slug[0]!.toUpperCase() + slug.slice(1),
    slug,
    version: '1.0.0',
    description: `The ${slug} test app`,
    permissions: {
      notes: { type: 'io.nuage.notes', verbs: ['GET', 'POST'], description: 'Read and add notes' },
    },
    ...overrides,
  };
}

const PAGE =
  '<!doctype html><html><head><title>app</title></head><body><script src="app.js"></script></body></html>';

/**
 * Writes an app into a real git repository (tests install from `git+file://`), committing each call
 * as a new revision on `main`. Returns the source to install it from.
 */
export function writeAppRepo(
  dir: string,
  manifest: Record<string, unknown>,
  files: Record<string, string> = { 'index.html': PAGE, 'app.js': 'console.log("hi")' },
): string {
  mkdirSync(dir, { recursive: true });
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: dir,
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'Test',
        GIT_AUTHOR_EMAIL: 'test@example.org',
        GIT_COMMITTER_NAME: 'Test',
        GIT_COMMITTER_EMAIL: 'test@example.org',
      },
      stdio: 'pipe',
    });
  git('init', '-q', '-b', 'main');
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  git('add', '-A');
  git('commit', '-q', '-m', 'app', '--allow-empty');
  return `git+file://${dir}#main`;
}
