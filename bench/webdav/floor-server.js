// The floor of the webdav figures: the least a Node HTTP server pays to keep what it acknowledges.
// PUT streams the body into a temp file in 1 MiB writes, fsyncs it and renames it into place, then
// answers 201 (what Nuage does with a file's content, and nothing else: no hashing, no document, no
// index, no authentication); GET sends a file back through two reused 1 MiB buffers, as Nuage sends a
// blob; MKCOL makes a directory. It makes the same cheap
// calls as Nuage's blob store: open, large writes and fsync on the thread pool, a background fdatasync
// every 16 MiB of a large body, a body smaller than one write batch written and closed in place.
// With --no-fsync it skips the fsyncs and keeps the body in the page cache, as nginx does: the floor of
// any Node server, whatever it promises.
// Usage: node floor-server.js <dir> [--no-fsync]; prints `listening on <port>`.
import {
  closeSync,
  fdatasync,
  fsync,
  mkdirSync,
  open,
  openSync,
  read,
  statSync,
  writev,
  writevSync,
} from 'node:fs';
import { rename } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';

const BATCH = 1024 * 1024;
const SYNC_EVERY = 16 * 1024 * 1024;
const root = process.argv[2];
const durable = process.argv[3] !== '--no-fsync';
const openAsync = promisify(open);
const writevAsync = promisify(writev);
const readAsync = promisify(read);
const fsyncAsync = promisify(fsync);
const fdatasyncAsync = promisify(fdatasync);
let temps = 0;

/** The body into a new file at `path`, fsynced if `durable`. Short writes are not retried: this is a local bench. */
async function store(req, path) {
  const fd = await openAsync(path, 'wx');
  try {
    let batch = [];
    let batched = 0;
    let wrote = false;
    let syncing = Promise.resolve();
    let sinceSync = 0;
    for await (const chunk of req) {
      batch.push(chunk);
      batched += chunk.length;
      if (batched >= BATCH) {
        await writevAsync(fd, batch);
        sinceSync += batched;
        if (durable && sinceSync >= SYNC_EVERY) {
          sinceSync = 0;
          await syncing;
          syncing = fdatasyncAsync(fd);
        }
        wrote = true;
        batch = [];
        batched = 0;
      }
    }
    if (!wrote) writevSync(fd, batch);
    else if (batched > 0) await writevAsync(fd, batch);
    await syncing;
    if (durable) await fsyncAsync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The file into `out` through two 1 MiB buffers, each refilled once `out` took it (as Nuage sends a blob). */
async function send(path, size, out) {
  const fd = openSync(path, 'r');
  try {
    const length = Math.max(1, Math.min(BATCH, size));
    const buffers = [Buffer.allocUnsafe(length), Buffer.allocUnsafe(length)];
    let written = Promise.resolve();
    for (let position = 0, i = 0; position < size; i ^= 1) {
      const { bytesRead } = await readAsync(fd, buffers[i], 0, Math.min(length, size - position), position);
      await written;
      const chunk = buffers[i].subarray(0, bytesRead);
      written = new Promise((resolve, reject) =>
        out.write(chunk, (error) => (error ? reject(error) : resolve())),
      );
      position += bytesRead;
    }
    await written;
    out.end();
  } finally {
    closeSync(fd);
  }
}

const server = createServer(async (req, res) => {
  const path = join(root, decodeURIComponent(new URL(req.url, 'http://x').pathname));
  try {
    if (req.method === 'PUT') {
      const tmp = join(root, `.tmp-${temps++}`);
      await store(req, tmp);
      await rename(tmp, path);
      res.writeHead(201, { 'content-length': 0 }).end();
    } else if (req.method === 'GET') {
      const { size } = statSync(path);
      res.writeHead(200, { 'content-length': size });
      send(path, size, res).catch(() => res.destroy());
    } else if (req.method === 'MKCOL') {
      mkdirSync(path);
      res.writeHead(201, { 'content-length': 0 }).end();
    } else if (req.method === 'DELETE' || req.method === 'OPTIONS') {
      res.writeHead(204).end();
    } else res.writeHead(405, { 'content-length': 0 }).end();
  } catch {
    res.writeHead(404, { 'content-length': 0 }).end();
  }
});
server.listen(0, '127.0.0.1', () => console.log(`listening on ${server.address().port}`));
