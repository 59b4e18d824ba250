// PouchDB push and pull of 10k small documents, into Nuage and into pouchdb-server, side by side.
//
// One client for both: PouchDB (pouchdb-core + the memory adapter + the http adapter + replication),
// in this process, with the same documents. Each server is its own process on 127.0.0.1:
//   nuage serve (SQLite, fresh temp data dir), replicating with /data/io.nuage.<db> as bench.localhost
//   pouchdb-server --in-memory (express-pouchdb over memdown), replicating with /<db>
// For each of RUNS rounds (the two interleaved, the order alternating) and each server, on a fresh
// database: push = local.replicate.to(remote) of DOCS documents, pull = fresh.replicate.from(remote).
// Prints the medians and the ratio pouchdb-server / Nuage; the target is Nuage at least 2x faster each way.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { STACK_NODE_FLAGS } from '../stack-flags.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const DOCS = Number(process.env.BENCH_DOCS ?? 10_000);
const TARGET = 2;
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(root, 'package.json'));
const PouchDB = require('pouchdb-core')
  .plugin(require('pouchdb-adapter-memory'))
  .plugin(require('pouchdb-adapter-http'))
  .plugin(require('pouchdb-replication'));

const PASSWORD = 'bench password, long enough';
const docs = Array.from({ length: DOCS }, (_, i) => ({
  _id: `todo-${String(i).padStart(6, '0')}`,
  title: `Buy item number ${i}`,
  done: i % 3 === 0,
  priority: i % 5,
  tags: ['home', i % 2 ? 'errand' : 'chore'],
}));

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

const status = (port, path, host) =>
  new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', () => resolve(0));
    req.end();
  });

/** Spawns a server process and waits until `GET path` answers 200; `stop` ends it. */
async function spawnServer(name, args, { cwd, env, port, path = '/', host = '127.0.0.1' }) {
  const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  let exited = false;
  const exit = new Promise((resolve) => child.on('exit', () => resolve((exited = true))));
  for (let tries = 0; (await status(port, path, host)) !== 200; tries++) {
    if (exited || tries > 600) throw new Error(`${name} did not start:\n${stderr}`);
    await sleep(50);
  }
  return async () => {
    child.kill('SIGTERM');
    const timeout = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exit;
    clearTimeout(timeout);
  };
}

async function startNuage() {
  const dataDir = mkdtempSync(join(tmpdir(), 'nuage-bench-repl-'));
  const bin = join(root, 'server', 'bin', 'nuage.js');
  writeFileSync(join(dataDir, 'pw'), PASSWORD);
  const create = ['instance', 'create', 'bench.localhost', '--owner', 'bench', '--password-file'];
  execFileSync(process.execPath, [bin, ...create, join(dataDir, 'pw'), '--data', dataDir]);
  const port = await freePort();
  const args = [
    ...STACK_NODE_FLAGS,
    bin,
    'serve',
    '--port',
    String(port),
    '--host',
    '127.0.0.1',
    '--data',
    dataDir,
  ];
  const env = { ...process.env, NUAGE_LOG_LEVEL: 'warn' };
  const stop = await spawnServer('nuage serve', args, { cwd: root, env, port, path: '/status' });
  // The same PouchDB http adapter; only the Host header (node-fetch may set it) and the credentials differ.
  const fetch = (url, opts) => {
    opts.headers.set('Host', 'bench.localhost');
    return PouchDB.fetch(url, opts);
  };
  const auth = { username: 'bench', password: PASSWORD };
  return {
    name: 'Nuage (SQLite)',
    remote: (db) => new PouchDB(`http://127.0.0.1:${port}/data/io.nuage.${db}`, { fetch, auth }),
    async stop() {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * pouchdb-server as its users run it: on LevelDB in a directory (durable, as Nuage is), or with
 * `--in-memory` (memdown: nothing written anywhere, its fastest).
 */
async function startPouchdbServer(inMemory) {
  // It writes config.json, log.txt and its databases into its working directory: a temporary one.
  const dir = mkdtempSync(join(tmpdir(), 'pouchdb-server-bench-'));
  const port = await freePort();
  const bin = join(root, 'node_modules', 'pouchdb-server', 'bin', 'pouchdb-server');
  const args = [bin, '--port', String(port), '--host', '127.0.0.1', '--no-stdout-logs'];
  if (inMemory) args.push('--in-memory');
  else args.push('--dir', dir);
  const stop = await spawnServer('pouchdb-server', args, { cwd: dir, env: process.env, port });
  return {
    name: inMemory ? 'pouchdb-server, in memory' : 'pouchdb-server, LevelDB',
    remote: (db) => new PouchDB(`http://127.0.0.1:${port}/${db}`),
    async stop() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let made = 0;
const memoryDb = () => new PouchDB(`bench-${++made}`, { adapter: 'memory' });

/** One round on one server: push DOCS documents into a fresh database, then pull them into a fresh one. */
async function round(contender, db) {
  const source = memoryDb();
  for (let i = 0; i < docs.length; i += 1000) await source.bulkDocs(docs.slice(i, i + 1000));
  const remote = contender.remote(db);
  let started = performance.now();
  const push = await source.replicate.to(remote);
  const pushMs = performance.now() - started;
  const target = memoryDb();
  started = performance.now();
  const pull = await target.replicate.from(remote);
  const pullMs = performance.now() - started;
  if (push.docs_written !== DOCS || pull.docs_written !== DOCS) {
    throw new Error(`${contender.name}: pushed ${push.docs_written}, pulled ${pull.docs_written} of ${DOCS}`);
  }
  await Promise.all([source.destroy(), target.destroy()]);
  return { pushMs, pullMs };
}

/** The same replication between two memory databases: what the client costs with no server at all. */
async function localToLocal() {
  const source = memoryDb();
  for (let i = 0; i < docs.length; i += 1000) await source.bulkDocs(docs.slice(i, i + 1000));
  const target = memoryDb();
  const started = performance.now();
  await source.replicate.to(target);
  const ms = performance.now() - started;
  await Promise.all([source.destroy(), target.destroy()]);
  return ms;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

console.log(`PouchDB (memory adapter) push and pull of ${DOCS} documents, ${RUNS} rounds, median`);
const contenders = [await startNuage(), await startPouchdbServer(false), await startPouchdbServer(true)];
const times = contenders.map(() => ({ push: [], pull: [] }));
const floor = [];
try {
  for (let run = 0; run < RUNS; run++) {
    // Rotated, so a slow moment of the machine does not always hit the same contender.
    floor.push(await localToLocal());
    for (let k = 0; k < contenders.length; k++) {
      const i = (run + k) % contenders.length;
      const { pushMs, pullMs } = await round(contenders[i], `bench-${run}`);
      times[i].push.push(pushMs);
      times[i].pull.push(pullMs);
    }
  }
} finally {
  await Promise.all(contenders.map((c) => c.stop()));
}

const [nuage, ...peers] = times.map((t) => ({ push: median(t.push), pull: median(t.pull) }));
const seconds = (ms) => (ms / 1000).toFixed(2);
const row = (name, push, pull, ratio = '') =>
  `${name.padEnd(28)} ${push.padStart(8)} ${pull.padStart(8)}  ${ratio}`;
console.log(row('', 'push s', 'pull s', 'peer / Nuage (push, pull)'));
console.log(row(contenders[0].name, seconds(nuage.push), seconds(nuage.pull)));
const local = seconds(median(floor));
const ratios = peers.map((peer, i) => {
  const ratio = { push: peer.push / nuage.push, pull: peer.pull / nuage.pull };
  const text = `${ratio.push.toFixed(2)}x, ${ratio.pull.toFixed(2)}x`;
  console.log(row(contenders[i + 1].name, seconds(peer.push), seconds(peer.pull), text));
  return ratio;
});
console.log(row('no server: memory to memory', local, local, "(the client's own share)"));
// The target is against pouchdb-server as it ships (LevelDB, durable like Nuage). In memory it does
// no I/O at all; there, pull is bound by the client (see bench/README.md).
const met = ratios[0].push >= TARGET && ratios[0].pull >= TARGET;
console.log(
  `target: Nuage at least ${TARGET}x faster than pouchdb-server (LevelDB) each way: ${met ? 'ok' : 'MISSED'}`,
);
if (!met) process.exitCode = 1;
