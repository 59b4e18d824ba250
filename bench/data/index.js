// The data system at 100k documents, through HTTP as clients see it, on SQLite and PostgreSQL:
//   bulk      POST _bulk_docs of 100k generated documents (contacts, notes, mail, todos; all searchable,
//             so the search index is written in the same transactions), batches of 1000 → docs/s
//   put       single PUT of a new document, one after the other → p50 / p99
//   find      indexed _find (equality, range, sorted with limit) → p50 / p95
//   search    GET /search of what people type (names, prefixes, words, phrases) → p50 / p95
// Targets on SQLite (issue 3): bulk ≥ 20k docs/s; _find and search p95 ≤ 20 ms.
//
//   npm run bench -- data                  SQLite, then PostgreSQL if it answers on 127.0.0.1:5432
//   BENCH_DOCS=20000 npm run bench -- data smaller corpus
//   BENCH_POSTGRES=off                     SQLite only
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { generate, pick, queries, reseed, LAST, FIRST } from './corpus.js';
import { STACK_NODE_FLAGS } from '../stack-flags.js';

const DOCS = Number(process.env.BENCH_DOCS ?? 100_000);
const PUTS = Number(process.env.BENCH_PUTS ?? 1000);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 300);
const BATCH = 1000;
const PG_URL = process.env.BENCH_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test';
const HOST = 'bench.localhost';
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = join(root, 'server', 'bin', 'nuage.js');
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

function call(port, token, method, path, body) {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const headers = { host: HOST, authorization: `Bearer ${token}` };
  if (payload !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = Buffer.byteLength(payload);
  }
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        if (res.statusCode >= 300)
          reject(new Error(`${method} ${path}: ${res.statusCode} ${text.slice(0, 300)}`));
        else resolve(JSON.parse(text));
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

function nuage(args, storage) {
  const result = spawnSync(process.execPath, [bin, ...args, ...storage], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`nuage ${args.join(' ')}: ${result.stderr}`);
  return result.stdout.trim();
}

async function serve(storage) {
  const child = spawn(
    process.execPath,
    [...STACK_NODE_FLAGS, bin, 'serve', '--port', '0', '--host', '127.0.0.1', ...storage],
    {
      env: { ...process.env, NUAGE_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  const port = await new Promise((resolve, reject) => {
    let err = '';
    child.stderr.on('data', (c) => {
      err += c;
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(err);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', () => reject(new Error(`serve exited: ${err}`)));
  });
  return { port, stop: () => new Promise((r) => (child.once('exit', r), child.kill('SIGTERM'))) };
}

const percentile = (times, p) => {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
async function timed(count, run) {
  const times = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await run(i);
    times.push(performance.now() - t0);
  }
  return times;
}

async function bench(name, storage) {
  reseed(42);
  const dir = mkdtempSync(join(tmpdir(), 'nuage-bench-data-'));
  writeFileSync(join(dir, 'pw'), 'bench password');
  nuage(['instance', 'create', HOST, '--owner', 'bench', '--password-file', join(dir, 'pw')], storage);
  const doctypes = ['io.nuage.contacts', 'io.nuage.notes', 'io.nuage.mail', 'io.nuage.todos'];
  const scopes = [...doctypes, 'io.nuage.bench.plain'].flatMap((d) => ['--scope', d]);
  const token = nuage(['token', 'create', '--instance', HOST, ...scopes], storage);
  const server = await serve(storage);
  const api = (method, path, body) => call(server.port, token, method, path, body);
  const out = { name };
  try {
    // bulk
    const batches = new Map(doctypes.map((d) => [d, []]));
    let seconds = 0;
    for (let i = 0; i < DOCS; i++) {
      const [doctype, body] = generate(i);
      const batch = batches.get(doctype);
      batch.push({ _id: `d${String(i).padStart(7, '0')}`, ...body });
      if (batch.length === BATCH || i === DOCS - 1) {
        for (const [d, docs] of batches) {
          if (docs.length === 0 || (docs.length < BATCH && i !== DOCS - 1)) continue;
          const t0 = performance.now();
          await api('POST', `/data/${d}/_bulk_docs`, { docs });
          seconds += (performance.now() - t0) / 1000;
          batches.set(d, []);
        }
      }
    }
    out.bulk = DOCS / seconds;

    // the same kind of bodies into a doctype nobody declared searchable: the cost of the store alone
    const PLAIN = Math.min(DOCS, 20_000);
    let plainSeconds = 0;
    for (let i = 0; i < PLAIN; i += BATCH) {
      const docs = Array.from({ length: Math.min(BATCH, PLAIN - i) }, (_, j) => ({
        _id: `p${i + j}`,
        ...generate(i + j)[1],
      }));
      const t0 = performance.now();
      await api('POST', '/data/io.nuage.bench.plain/_bulk_docs', { docs });
      plainSeconds += (performance.now() - t0) / 1000;
    }
    out.plain = PLAIN / plainSeconds;

    // single PUT
    out.put = await timed(PUTS, (i) =>
      api('PUT', `/data/io.nuage.notes/put-${i}`, { title: `Note ${i}`, content: 'A single write.' }),
    );

    // _find on two indexes
    await api('POST', '/data/io.nuage.contacts/_index', {
      index: { fields: ['name.familyName'] },
      name: 'by-family',
    });
    await api('POST', '/data/io.nuage.contacts/_index', {
      index: { fields: ['org', 'name.givenName'] },
      name: 'by-org',
    });
    const findQueries = [
      () => ({ selector: { 'name.familyName': pick(LAST) }, limit: 25 }),
      () => ({ selector: { org: pick(LAST), 'name.givenName': { $gte: pick(FIRST) } }, limit: 25 }),
      () => ({ selector: { 'name.familyName': { $gt: pick(LAST) } }, sort: ['name.familyName'], limit: 25 }),
    ];
    let unindexed = 0;
    out.find = await timed(QUERIES, async (i) => {
      const result = await api(
        'POST',
        '/data/io.nuage.contacts/_find',
        findQueries[i % findQueries.length](),
      );
      if (result.warning) unindexed++;
    });
    if (unindexed > 0) throw new Error(`${unindexed} _find queries used no index`);

    // search
    const texts = queries(QUERIES);
    out.search = await timed(QUERIES, (i) =>
      api('GET', `/search?q=${encodeURIComponent(texts[i])}&limit=20`),
    );
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

const ms = (x) => `${x.toFixed(2)} ms`;
function report(r) {
  console.log(`${r.name}: bulk ${Math.round(r.bulk)} docs/s (${DOCS} searchable docs, batches of ${BATCH})`);
  console.log(
    `${r.name}: bulk ${Math.round(r.plain)} docs/s (same bodies in a doctype that is not searchable)`,
  );
  console.log(
    `${r.name}: single PUT p50 ${ms(percentile(r.put, 50))}, p99 ${ms(percentile(r.put, 99))} (${PUTS} PUTs)`,
  );
  console.log(
    `${r.name}: indexed _find p50 ${ms(percentile(r.find, 50))}, p95 ${ms(percentile(r.find, 95))} (${QUERIES} queries)`,
  );
  console.log(
    `${r.name}: search p50 ${ms(percentile(r.search, 50))}, p95 ${ms(percentile(r.search, 95))} (${QUERIES} queries)`,
  );
}

const dataDir = mkdtempSync(join(tmpdir(), 'nuage-bench-sqlite-'));
const sqlite = await bench('sqlite', ['--data', dataDir]);
rmSync(dataDir, { recursive: true, force: true });
report(sqlite);

if (PG_URL !== 'off') {
  const database = `nuage_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    const url = new URL(PG_URL);
    url.pathname = `/${database}`;
    const storeDir = mkdtempSync(join(tmpdir(), 'nuage-bench-pg-'));
    try {
      report(await bench('postgres', ['--database', url.toString(), '--data', storeDir]));
    } finally {
      rmSync(storeDir, { recursive: true, force: true });
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    }
  } catch (error) {
    console.log(`postgres: skipped (${error.message})`);
  } finally {
    await admin.end().catch(() => undefined);
  }
}

const misses = [];
if (sqlite.bulk < 20_000) misses.push(`bulk ${Math.round(sqlite.bulk)} docs/s < 20000`);
if (percentile(sqlite.find, 95) > 20) misses.push(`_find p95 ${ms(percentile(sqlite.find, 95))} > 20 ms`);
if (percentile(sqlite.search, 95) > 20)
  misses.push(`search p95 ${ms(percentile(sqlite.search, 95))} > 20 ms`);
console.log(misses.length === 0 ? 'sqlite: every target met' : `sqlite: missed ${misses.join('; ')}`);
process.exitCode = misses.length === 0 ? 0 : 1;
