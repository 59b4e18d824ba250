import { cp, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { InvalidManifest } from '../errors.js';
import { refuseLinks } from './fetch-source.js';
import { parseManifest, type Manifest } from './manifest.js';

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

/** An installed app on disk: `files/` as served, `compressed/` with .br and .gz twins of text files. */
export interface AppLayout {
  files: string;
  compressed: string;
}

export function layoutOf(installDir: string): AppLayout {
  return { files: join(installDir, 'files'), compressed: join(installDir, 'compressed') };
}

const MAX_MANIFEST_BYTES = 256 * 1024;
const COMPRESSIBLE = /\.(html?|m?js|css|svg|json|txt|xml|map|wasm|ico|webmanifest)$/i;
const MIN_COMPRESS_BYTES = 1024;

/** Reads and validates `manifest.json` at the root of fetched files (or of their one top folder). */
export async function readManifest(fetched: string): Promise<{ root: string; manifest: Manifest }> {
  const root = await appRoot(fetched);
  let text: string;
  try {
    const info = await stat(join(root, 'manifest.json'));
    if (info.size > MAX_MANIFEST_BYTES) throw new InvalidManifest('manifest.json is larger than 256 KB');
    text = await readFile(join(root, 'manifest.json'), 'utf8');
  } catch (error) {
    if (error instanceof InvalidManifest) throw error;
    throw new InvalidManifest('the app has no manifest.json at its root');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new InvalidManifest('manifest.json is not valid JSON');
  }
  return { root, manifest: parseManifest(json) };
}

/** Archives often hold one top folder (`app-1.2.0/`): the app starts there. */
async function appRoot(dir: string): Promise<string> {
  const entries = await readdir(dir, { withFileTypes: true });
  if (entries.some((e) => e.name === 'manifest.json')) return dir;
  const visible = entries.filter((e) => !e.name.startsWith('.'));
  if (visible.length === 1 && visible[0]!.isDirectory()) return join(dir, visible[0]!.name);
  return dir;
}

/**
 * Copies what the manifest serves or runs (manifest, icon, route folders, service files) from `root`
 * into `installDir`, then precompresses text files once so that serving them costs no CPU on a
 * Raspberry Pi. Refuses links and missing files named by the manifest.
 */
export async function installFiles(root: string, manifest: Manifest, installDir: string): Promise<AppLayout> {
  const layout = layoutOf(installDir);
  await mkdir(layout.files, { recursive: true });
  const keep = new Set<string>(['manifest.json']);
  if (manifest.icon) keep.add(manifest.icon);
  for (const route of Object.values(manifest.routes)) keep.add(route.folder);
  for (const service of Object.values(manifest.services)) keep.add(service.file);
  for (const path of keep) {
    const from = join(root, path);
    try {
      await stat(from);
    } catch {
      throw new InvalidManifest(`the manifest names "${path || '/'}", which the app does not contain`);
    }
    if (path === '') {
      await cp(root, layout.files, { recursive: true, filter: (f) => !/[/\\]\.git$/.test(f) });
      break;
    }
    await mkdir(dirname(join(layout.files, path)), { recursive: true });
    await cp(from, join(layout.files, path), { recursive: true });
  }
  await refuseLinks(layout.files);
  for (const route of Object.values(manifest.routes)) {
    const index = join(layout.files, route.folder, route.index);
    try {
      await stat(index);
    } catch {
      throw new InvalidManifest(`route folder "${route.folder || '/'}" has no ${route.index}`);
    }
  }
  await precompress(layout.files, layout.compressed);
  return layout;
}

async function precompress(files: string, compressed: string, dir = files): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      await precompress(files, compressed, path);
      continue;
    }
    if (!COMPRESSIBLE.test(entry.name)) continue;
    const body = await readFile(path);
    if (body.length < MIN_COMPRESS_BYTES) continue;
    const target = join(compressed, relative(files, path));
    await mkdir(dirname(target), { recursive: true });
    const [br, gzipped] = await Promise.all([
      brotli(body, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 10, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
      }),
      gz(body, { level: 9 }),
    ]);
    // A twin that saves less than a tenth is not worth the client's decompression.
    if (br.length < body.length * 0.9) await writeFile(`${target}.br`, br);
    if (gzipped.length < body.length * 0.9) await writeFile(`${target}.gz`, gzipped);
  }
}
