import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { cp, lstat, mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { BadRequest } from '../errors.js';
import type { AppSource } from './sources.js';

const run = promisify(execFile);

/** Largest tarball accepted, and the longest a fetch may take. */
const MAX_TARBALL_BYTES = 100 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 120_000;

/** A source that could not be fetched (network, missing ref, wrong digest): the owner's input, so 400. */
export class SourceUnavailable extends BadRequest {
  override readonly code = 'source_unavailable';
}

/**
 * Puts the app's files into `dest` (which must not exist). Returns what was fetched, for the record:
 * the commit of a git source. Nothing runs from the fetched files: no hooks, no install scripts.
 */
export async function fetchSource(
  source: Exclude<AppSource, { kind: 'catalog' }>,
  dest: string,
): Promise<{ revision: string | null }> {
  switch (source.kind) {
    case 'git':
      return fetchGit(source.url, source.ref, dest);
    case 'tarball':
      await fetchTarball(source.url, source.sha256, dest);
      return { revision: source.sha256 };
    case 'dir':
      await cp(source.path, dest, {
        recursive: true,
        // node_modules and sources are the developer's business; the app is its built files.
        filter: (from) => !/[/\\](node_modules|\.git)$/.test(from),
      });
      return { revision: null };
  }
}

async function fetchGit(url: string, ref: string | null, dest: string): Promise<{ revision: string }> {
  // A shallow fetch of one ref into an empty repository works for branches, tags and (where the server
  // allows it) commits alike; hooks and credential prompts are off, and only these transports exist.
  const env = { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: 'true', GIT_CONFIG_NOSYSTEM: '1' };
  const git = (args: string[]) =>
    run(
      'git',
      [
        '-c',
        'protocol.allow=never',
        '-c',
        'protocol.https.allow=always',
        '-c',
        'protocol.http.allow=always',
        '-c',
        'protocol.file.allow=always',
        '-c',
        'core.hooksPath=/dev/null',
        ...args,
      ],
      {
        env,
        timeout: FETCH_TIMEOUT_MS,
        maxBuffer: 1024 * 1024,
      },
    );
  try {
    await mkdir(dest, { recursive: true });
    await git(['init', '-q', dest]);
    await git(['-C', dest, 'fetch', '-q', '--depth', '1', '--', url, ref ?? 'HEAD']);
    await git(['-C', dest, 'checkout', '-q', 'FETCH_HEAD']);
    const { stdout } = await git(['-C', dest, 'rev-parse', 'HEAD']);
    await rm(join(dest, '.git'), { recursive: true, force: true });
    return { revision: stdout.trim() };
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim().split('\n').pop() ?? '';
    throw new SourceUnavailable(
      `could not fetch ${url}${ref ? `#${ref}` : ''} with git${stderr ? `: ${stderr}` : ''}`,
      { cause: error },
    );
  }
}

async function fetchTarball(url: string, sha256: string, dest: string): Promise<void> {
  await mkdir(dest, { recursive: true });
  const archive = `${dest}.tar`;
  try {
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'follow' });
    } catch (error) {
      throw new SourceUnavailable(`could not download ${url}`, { cause: error });
    }
    if (!response.ok || !response.body)
      throw new SourceUnavailable(`downloading ${url} answered ${response.status}`);
    const hash = createHash('sha256');
    let size = 0;
    const body = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>);
    body.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_TARBALL_BYTES) body.destroy(new SourceUnavailable(`${url} is larger than 100 MB`));
      hash.update(chunk);
    });
    await pipeline(body, createWriteStream(archive));
    if (hash.digest('hex') !== sha256)
      throw new SourceUnavailable(`the tarball at ${url} does not have the sha256 digest given`);
    try {
      // GNU tar refuses members with `..` and strips leading slashes; the installer refuses links.
      await run('tar', ['-xf', archive, '-C', dest, '--no-same-owner', '--no-same-permissions'], {
        timeout: FETCH_TIMEOUT_MS,
      });
    } catch (error) {
      throw new SourceUnavailable(`${url} is not a tar archive that can be extracted`, { cause: error });
    }
  } finally {
    await rm(archive, { force: true });
  }
}

/** Links could point anywhere on the host once served: an installed app is plain files only. */
export async function refuseLinks(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const stat = await lstat(path);
    if (stat.isDirectory()) await refuseLinks(path);
    else if (!stat.isFile() || stat.nlink > 1)
      throw new SourceUnavailable(`the archive holds "${entry.name}", which is not a plain file`);
  }
}
