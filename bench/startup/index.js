// Start-up time and idle resident memory of the stack, side by side with the floor any Node stack pays:
// a bare `node -e` HTTP server with better-sqlite3 opened; and the same stack with ten apps installed
// (from ten local git repositories, through `nuage app install`), each app origin visited once, to
// check that installed apps cost no resident memory (budget: +5 MB).
//
// For each of RUNS rounds, and for each contender on a fresh temporary data directory:
//   start-up = time from spawn to the first 200 answer of GET /status
//   idle RSS = VmRSS from /proc/<pid>/status, after a few requests and IDLE_MS of quiet
// and prints the medians, the ratio to the peer, and whether the stack keeps within the RSS budget.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { STACK_NODE_FLAGS } from '../stack-flags.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const IDLE_MS = Number(process.env.BENCH_IDLE_MS ?? 3000);
const RSS_BUDGET_MB = 70;
const APPS_BUDGET_MB = 5;
const APPS = 10;
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The peer: what any Node HTTP server with an open SQLite database costs, and nothing more. */
const PEER = `
const http = require('node:http');
const path = require('node:path');
const Database = require('better-sqlite3');
const db = new Database(path.join(process.argv[1], 'peer.sqlite'));
db.pragma('journal_mode = WAL');
db.exec('CREATE TABLE IF NOT EXISTS kv (k TEXT PRIMARY KEY, v TEXT)');
const check = db.prepare('SELECT 1 AS ok');
const server = http.createServer((req, res) => {
  if (req.url === '/status') {
    check.get();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"status":"ok"}');
  } else {
    res.writeHead(404, { 'content-type': 'text/html' });
    res.end('<h1>Not found</h1>');
  }
});
server.listen(0, '127.0.0.1', () => {
  console.error('listening on http://127.0.0.1:' + server.address().port);
});
process.on('SIGTERM', () => server.close(() => { db.close(); process.exit(0); }));
`;

const serve = (dataDir) => [
  ...STACK_NODE_FLAGS,
  join(root, 'server', 'bin', 'nuage.js'),
  'serve',
  '--port',
  '0',
  '--host',
  '127.0.0.1',
  '--data',
  dataDir,
];

/** Ten small apps, each in its own git repository, installed with the CLI as an owner would. */
function installApps(dataDir) {
  const nuage = (...args) =>
    execFileSync(process.execPath, [join(root, 'server', 'bin', 'nuage.js'), ...args, '--data', dataDir], {
      input: 'bench password 123',
      stdio: ['pipe', 'ignore', 'inherit'],
    });
  nuage('instance', 'create', 'localhost', '--owner', 'bench', '--password-stdin');
  for (let i = 0; i < APPS; i++) {
    const slug = `bench${i}`;
    const repo = join(dataDir, 'repos', slug);
    mkdirSync(repo, { recursive: true });
    const manifest = {
      name: `Bench ${i}`,
      slug,
      version: '1.0.0',
      permissions: { notes: { type: 'io.nuage.notes', verbs: ['GET'] } },
      services: { tick: { file: 'service.mjs', trigger: '@every 24h' } },
    };
    writeFileSync(join(repo, 'manifest.json'), JSON.stringify(manifest));
    writeFileSync(join(repo, 'index.html'), `<html><head></head><body>${slug}</body></html>`);
    writeFileSync(join(repo, 'app.js'), `console.log(${JSON.stringify('x'.repeat(20_000))});`);
    writeFileSync(join(repo, 'service.mjs'), 'console.log("tick");');
    const git = (...args) =>
      execFileSync('git', args, {
        cwd: repo,
        stdio: 'ignore',
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: 'b',
          GIT_AUTHOR_EMAIL: 'b@b',
          GIT_COMMITTER_NAME: 'b',
          GIT_COMMITTER_EMAIL: 'b@b',
        },
      });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'app');
    nuage('app', 'install', `git+file://${repo}#main`, '--instance', 'localhost', '--yes');
  }
}

const contenders = [
  { name: 'nuage serve (SQLite)', command: serve },
  { name: 'node -e http + better-sqlite3', command: (dataDir) => ['-e', PEER, dataDir] },
  {
    name: `nuage serve, ${APPS} apps installed`,
    command: serve,
    prepare: installApps,
    visits: Array.from({ length: APPS }, (_, i) => [`bench${i}.localhost`, '/']),
  },
];

function get(port, path, host = 'localhost') {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
    req.end();
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function rssMb(pid) {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for ${pid}`);
  return Number(match[1]) / 1024;
}

/** One start: spawn, wait for the listening line, poll /status, browse, idle, measure, stop. */
async function measure(contender) {
  const dataDir = mkdtempSync(join(tmpdir(), 'nuage-bench-'));
  contender.prepare?.(dataDir);
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, contender.command(dataDir), {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const exited = new Promise((resolve) => child.on('exit', resolve));
  try {
    const port = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no listening line within 30 s:\n${stderr}`)), 30_000);
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
        const match = /listening on http:\/\/[^\s:]+:(\d+)/i.exec(stderr);
        if (match) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      });
      void exited.then((code) => reject(new Error(`exited with ${code} before listening:\n${stderr}`)));
    });
    let status = 0;
    for (let tries = 0; status !== 200; tries++) {
      if (tries > 300) throw new Error(`/status never answered 200 (last ${status})`);
      status = await get(port, '/status').catch(() => 0);
      if (status !== 200) await sleep(10);
    }
    const startupMs = Number(process.hrtime.bigint() - started) / 1e6;
    for (const path of ['/', '/auth/login', '/status']) await get(port, path);
    for (const [host, path] of contender.visits ?? []) await get(port, path, host);
    await sleep(IDLE_MS);
    const rss = rssMb(child.pid);
    return { startupMs, rss };
  } finally {
    child.kill('SIGTERM');
    const timeout = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timeout);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

console.log(
  `start-up and idle RSS, ${RUNS} runs each, median; idle = ${IDLE_MS} ms after / /auth/login /status`,
);
const results = contenders.map(() => ({ startup: [], rss: [] }));
for (let run = 0; run < RUNS; run++) {
  // Interleaved, so a slow moment of the machine hits both contenders alike.
  for (const [i, contender] of contenders.entries()) {
    const { startupMs, rss } = await measure(contender);
    results[i].startup.push(startupMs);
    results[i].rss.push(rss);
  }
}

const [stack, peer, withApps] = results.map((r) => ({ startup: median(r.startup), rss: median(r.rss) }));
const row = (name, startup, rss, ratio = '') =>
  `${name.padEnd(32)} ${startup.padStart(12)} ${rss.padStart(14)}  ${ratio}`.trimEnd();
console.log(row('', 'start-up ms', 'idle RSS MB'));
console.log(row(contenders[0].name, stack.startup.toFixed(0), stack.rss.toFixed(1)));
console.log(row(contenders[1].name, peer.startup.toFixed(0), peer.rss.toFixed(1), '(peer)'));
console.log(row(contenders[2].name, withApps.startup.toFixed(0), withApps.rss.toFixed(1)));
console.log(
  row(
    'ratio stack / peer',
    `${(stack.startup / peer.startup).toFixed(2)}x`,
    `${(stack.rss / peer.rss).toFixed(2)}x`,
  ),
);
const within = stack.rss <= RSS_BUDGET_MB;
console.log(
  `idle RSS budget: ${stack.rss.toFixed(1)} MB ${within ? '<=' : '>'} ${RSS_BUDGET_MB} MB: ${within ? 'ok' : 'OVER BUDGET'}`,
);
if (!within) process.exitCode = 1;
const added = withApps.rss - stack.rss;
const appsOk = added <= APPS_BUDGET_MB;
console.log(
  `${APPS} installed apps add ${added.toFixed(1)} MB of idle RSS ${appsOk ? '<=' : '>'} ${APPS_BUDGET_MB} MB: ${appsOk ? 'ok' : 'OVER BUDGET'}`,
);
if (!appsOk) process.exitCode = 1;
