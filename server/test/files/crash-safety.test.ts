import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join, relative } from 'node:path';
import { setImmediate as tick } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { basic, bearer, Client } from '../support/http-client.js';
import { tempDir } from '../support/stores.js';

const BIN = fileURLToPath(new URL('../../bin/nuage.js', import.meta.url));
const ROOT = 'io.nuage.files.root-dir';
const OWNER = 'alice';

/** The environment of every child: none of the runner's NUAGE_* settings (a CI database, a quota). */
const ENV = {
  ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('NUAGE_'))),
  NUAGE_LOG_LEVEL: 'info',
};

/** Runs a `nuage` command on the data directory and returns what it printed. */
function nuage(dataDir: string, args: string[], input?: string): string {
  return execFileSync(process.execPath, [BIN, ...args, '--data', dataDir], {
    input,
    env: ENV,
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'pipe'],
  }).trim();
}

interface Served {
  child: ChildProcessWithoutNullStreams;
  port: number;
  exited: Promise<NodeJS.Signals | number | null>;
  /** Resolves with the first log line (stdout, JSON) whose msg is `msg`. */
  logLine(msg: string): Promise<Record<string, unknown>>;
}

/** Starts the real `nuage serve` on the data directory and waits for its listening line. */
async function serve(dataDir: string): Promise<Served> {
  const child = spawn(
    process.execPath,
    [BIN, 'serve', '--port', '0', '--host', '127.0.0.1', '--data', dataDir],
    { env: ENV, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(signal ?? code)),
  );
  let stdout = '';
  const waiting: { msg: string; resolve: (line: Record<string, unknown>) => void }[] = [];
  const scan = () => {
    for (const text of stdout.split('\n')) {
      if (!text.startsWith('{')) continue;
      const line = JSON.parse(text) as Record<string, unknown>;
      for (const w of waiting.filter((w) => w.msg === line.msg)) w.resolve(line);
    }
  };
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
    scan();
  });
  const port = await new Promise<number>((resolve, reject) => {
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(stderr);
      if (m) resolve(Number(m[1]));
    });
    void exited.then(() => reject(new Error(`serve exited early: ${stderr}`)));
  });
  return {
    child,
    port,
    exited,
    logLine: (msg) =>
      new Promise((resolve) => {
        waiting.push({ msg, resolve });
        scan();
      }),
  };
}

interface Upload {
  name: string;
  size: number;
  /** Sends all but `hold` bytes, then waits for the kill with the rest unsent. */
  held: boolean;
  viaDav: boolean;
  sha256?: string;
  status?: number;
}

/** Streams one upload in 64 KiB chunks (yielding between them, so all 50 interleave). */
function send(port: number, auth: { token: string; device: string }, upload: Upload, kill: Promise<void>) {
  const path = upload.viaDav ? `/dav/files/${upload.name}` : `/files/${ROOT}?Type=file&Name=${upload.name}`;
  const headers = {
    host: 'localhost',
    'content-length': String(upload.size),
    ...(upload.viaDav ? basic(OWNER, auth.device) : bearer(auth.token)),
  };
  return new Promise<void>((resolve) => {
    const req = request(
      { host: '127.0.0.1', port, method: upload.viaDav ? 'PUT' : 'POST', path, headers },
      (res) => {
        upload.status = res.statusCode;
        res.resume();
        res.on('end', () => resolve());
        res.on('error', () => resolve());
      },
    );
    req.on('error', () => resolve());
    const hash = createHash('sha256');
    void (async () => {
      const stopAt = upload.held ? Math.floor(upload.size / 2) : upload.size;
      for (let sent = 0; sent < stopAt;) {
        const chunk = randomBytes(Math.min(64 * 1024, stopAt - sent));
        hash.update(chunk);
        sent += chunk.length;
        if (!req.write(chunk)) await new Promise((r) => req.once('drain', r));
        await tick();
      }
      if (upload.held) {
        await kill;
        req.destroy();
        return;
      }
      upload.sha256 = hash.digest('hex');
      req.end();
    })().catch(() => resolve());
  });
}

/** GETs a (binary) body and returns its SHA-256 and length, not the bytes. */
function download(port: number, path: string, headers: Record<string, string>) {
  return new Promise<{ status: number; etag: unknown; size: number; sha256: string }>((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, headers: { host: 'localhost', ...headers } },
      (res) => {
        const hash = createHash('sha256');
        let size = 0;
        res.on('data', (c: Buffer) => {
          hash.update(c);
          size += c.length;
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, etag: res.headers.etag, size, sha256: hash.digest('hex') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Every file under a directory, as paths relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)));
}

async function waitFor(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 20));
}

describe('crash safety of uploads', () => {
  let dataDir: string;
  let running: Served | undefined;
  afterEach(async () => {
    if (running && running.child.exitCode === null && running.child.signalCode === null) {
      running.child.kill('SIGKILL');
      await running.exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('after kill -9 during 50 uploads, keeps every acknowledged file intact, shows no partial one, and the start-up sweep leaves no orphan', async () => {
    dataDir = tempDir('nuage-crash-');
    nuage(
      dataDir,
      ['instance', 'create', 'localhost', '--owner', OWNER, '--password-stdin'],
      'crash test pw 123',
    );
    const token = nuage(dataDir, ['token', 'create', '--instance', 'localhost', '--scope', 'io.nuage.files']);
    const device = nuage(dataDir, [
      'device-password',
      'create',
      '--instance',
      'localhost',
      '--name',
      'crash',
    ]);
    const auth = { token, device };

    // 20 small and 10 large uploads that complete; 20 large ones held half-way until the kill.
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const uploads: Upload[] = Array.from({ length: 50 }, (_, i) => {
      const kind = i % 5 === 0 ? 'large' : i % 5 < 3 ? 'small' : 'held';
      const size =
        kind === 'small' ? Math.floor(random() * 300_000) : 1_000_000 + Math.floor(random() * 5_000_000);
      return { name: `upload-${i}.bin`, size, held: kind === 'held', viaDav: i % 2 === 1 };
    });
    const held = uploads.filter((u) => u.held);

    running = await serve(dataDir);
    const first = running;
    let killed!: () => void;
    const kill = new Promise<void>((resolve) => (killed = resolve));
    const all = uploads.map((u) => send(first.port, auth, u, kill));
    await Promise.all(all.filter((_, i) => !uploads[i]!.held));

    // Kill once every held upload is streaming into a temp file.
    const blobRoot = join(dataDir, 'blobs');
    const scope = readdirSync(blobRoot)[0]!;
    const temps = () => readdirSync(join(blobRoot, scope, 'tmp')).filter((n) => n.endsWith('.part'));
    await waitFor(() => temps().length === held.length);
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    killed();
    await Promise.all(all);

    const acknowledged = uploads.filter((u) => u.status === 201);
    expect(acknowledged.map((u) => u.name).sort()).toEqual(
      uploads
        .filter((u) => !u.held)
        .map((u) => u.name)
        .sort(),
    );
    expect(temps()).toHaveLength(held.length);
    // What a crash between a blob's write and its document's commit leaves: a blob nothing names.
    const orphan = randomBytes(16).toString('hex');
    mkdirSync(join(blobRoot, scope, orphan.slice(0, 2)), { recursive: true });
    writeFileSync(join(blobRoot, scope, orphan.slice(0, 2), orphan), 'orphan');

    running = await serve(dataDir);
    const sweep = await running.logLine('orphan sweep finished');
    expect(sweep).toMatchObject({ blobs: 1, temps: held.length });

    const client = new Client(running.port, 'localhost');
    const auth2 = { headers: bearer(token) };
    const listing = (await client.get(`/files/${ROOT}/children`, auth2)).json<{
      children: { id: string; name: string; size: number; sha256: string }[];
    }>();
    expect(listing.children.map((c) => c.name).sort()).toEqual(acknowledged.map((u) => u.name).sort());
    for (const child of listing.children) {
      const sent = acknowledged.find((u) => u.name === child.name)!;
      expect({ size: child.size, sha256: child.sha256 }).toEqual({ size: sent.size, sha256: sent.sha256 });
      const content = await download(running.port, `/files/download/${child.id}`, bearer(token));
      expect(content).toEqual({
        status: 200,
        etag: `"${child.sha256.slice(0, 32)}"`,
        size: sent.size,
        sha256: sent.sha256,
      });
    }

    const docs = (await client.get('/data/io.nuage.files/_all_docs?include_docs=true', auth2)).json<{
      rows: { doc: { blob?: string } }[];
    }>();
    const referenced = docs.rows.flatMap((r) => (r.doc.blob ? [r.doc.blob] : []));
    expect(referenced).toHaveLength(acknowledged.length);
    expect(filesUnder(join(blobRoot, scope)).sort()).toEqual(
      referenced.map((id) => join(id.slice(0, 2), id)).sort(),
    );
  }, 120_000);
});
