// WebDAV throughput of the stack side by side with nginx's WebDAV (Debian `nginx` and
// `libnginx-mod-http-dav-ext`), in one run, with the same Node client (a keep-alive agent, streamed
// bodies) against both:
//   200 MB PUT and GET throughput (median of RUNS), 2000 × 4 KB PUTs then GETs one after the other,
//   PROPFIND Depth: 1 over those 2000 files (median of 9), and the stack's resident memory (VmRSS,
//   sampled every 100 ms) while a 2 GB file, generated on the fly, uploads.
// nginx runs in the foreground from a config written to a temp dir; the stack is `nuage serve` on a
// fresh SQLite data dir, reached at /dav/files/ with a device password. Exits non-zero on a missed target.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { STACK_NODE_FLAGS } from '../stack-flags.js';

const MB = 1024 * 1024;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const LARGE_MB = Number(process.env.BENCH_LARGE_MB ?? 200);
const SMALL = Number(process.env.BENCH_SMALL ?? 2000);
const HUGE_MB = Number(process.env.BENCH_HUGE_MB ?? 2048);
const TARGETS = { putRatio: 0.7, getRatio: 0.7, smallPutRatio: 3, propfindMs: 50, rssMb: 150 };
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const NGINX = process.env.BENCH_NGINX ?? '/usr/sbin/nginx';
const DAV_EXT = '/usr/lib/nginx/modules/ngx_http_dav_ext_module.so';

if (!existsSync(NGINX) || !existsSync(DAV_EXT)) {
  console.error(
    'bench webdav: needs nginx and its DAV extension: apt-get install -y nginx libnginx-mod-http-dav-ext',
  );
  process.exit(1);
}

const work = mkdtempSync(join(tmpdir(), 'nuage-bench-webdav-'));
const children = [];
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** nginx in the foreground, everything (pid, logs, temp bodies, files) under `dir`. */
async function startNginx(dir) {
  const port = await freePort();
  mkdirSync(join(dir, 'www'), { recursive: true });
  const conf = join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    `load_module ${DAV_EXT};
user root;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  keepalive_requests 100000;
  server {
    listen 127.0.0.1:${port};
    location / {
      root ${dir}/www;
      dav_methods PUT DELETE MKCOL COPY MOVE;
      dav_ext_methods PROPFIND OPTIONS;
      create_full_put_path on;
      client_max_body_size 0;
    }
  }
}
`,
  );
  const child = spawn(NGINX, ['-c', conf, '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'inherit'] });
  children.push(child);
  for (let tries = 0; ; tries++) {
    const status = await send({ port, method: 'OPTIONS', path: '/' }).then(
      (r) => r.status,
      () => 0,
    );
    if (status > 0) break;
    if (tries > 200) throw new Error('nginx did not answer');
    await sleep(25);
  }
  return { name: 'nginx', port, prefix: '', headers: {}, pid: child.pid, child };
}

/** `nuage serve` on a fresh data dir, with an owner and a device password for Basic auth. */
async function startNuage(dir) {
  const nuage = (args, input) =>
    execFileSync(process.execPath, [join(root, 'server', 'bin', 'nuage.js'), ...args, '--data', dir], {
      input,
      encoding: 'utf8',
    }).trim();
  nuage(['instance', 'create', 'localhost', '--owner', 'bench', '--password-stdin'], 'bench password 123');
  const device = nuage(['device-password', 'create', '--instance', 'localhost', '--name', 'bench']);
  const child = spawn(
    process.execPath,
    [
      ...STACK_NODE_FLAGS,
      join(root, 'server', 'bin', 'nuage.js'),
      'serve',
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--data',
      dir,
    ],
    { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  children.push(child);
  const port = await new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      const match = /listening on http:\/\/[^\s:]+:(\d+)/i.exec(stderr);
      if (match) resolve(Number(match[1]));
    });
    child.on('exit', (code) => reject(new Error(`nuage exited with ${code}:\n${stderr}`)));
  });
  const auth = `Basic ${Buffer.from(`bench:${device}`).toString('base64')}`;
  return {
    name: 'nuage',
    port,
    prefix: '/dav/files',
    headers: { authorization: auth },
    pid: child.pid,
    child,
  };
}

/**
 * The bare Node server of floor-server.js on a fresh directory: the floor of the figures. `name` is
 * `floor` (fsync before each 201, as Nuage) or `nosync` (no fsync, as nginx).
 */
async function startFloor(dir, name) {
  mkdirSync(dir, { recursive: true });
  const args = [
    join(root, 'bench', 'webdav', 'floor-server.js'),
    dir,
    ...(name === 'nosync' ? ['--no-fsync'] : []),
  ];
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const port = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /listening on (\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    child.on('exit', (code) => reject(new Error(`the floor server exited with ${code}`)));
  });
  return { name, port, prefix: '', headers: {}, pid: child.pid, child };
}

/**
 * Writes every dirty page of the machine back before a server's turn. Without it, a server's fsync
 * paid for the files the server before it left in the page cache (an ext4 journal commit flushes them
 * too), so a figure depended on the order of the turns more than on the server.
 */
const settle = () => execFileSync('sync');

const agent = new Agent({ keepAlive: true, maxSockets: 8 });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** One request; `body` is a Buffer, a Readable or nothing; the answer's body is counted, or kept if `keep`. */
function send({ port, method, path, headers = {}, body, length, keep = false }) {
  return new Promise((resolve, reject) => {
    const all = { host: 'localhost', ...headers };
    if (Buffer.isBuffer(body)) all['content-length'] = String(body.length);
    else if (length !== undefined) all['content-length'] = String(length);
    const req = request({ host: '127.0.0.1', port, method, path, headers: all, agent }, (res) => {
      let bytes = 0;
      const chunks = [];
      res.on('data', (chunk) => {
        bytes += chunk.length;
        if (keep) chunks.push(chunk);
      });
      res.on('end', () => resolve({ status: res.statusCode, bytes, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body instanceof Readable) body.pipe(req);
    else req.end(body);
  });
}

/** `total` bytes made on the fly from one random MiB, so nothing of that size is ever held or stored first. */
const block = randomBytes(MB);
function generated(total) {
  return Readable.from(
    (function* () {
      for (let left = total; left > 0; left -= MB) yield left >= MB ? block : block.subarray(0, left);
    })(),
    { objectMode: false },
  );
}

async function expectStatus(promise, ok, what) {
  const res = await promise;
  if (!ok.includes(res.status))
    throw new Error(`${what}: ${res.status} ${res.body?.toString().slice(0, 300)}`);
  return res;
}

const seconds = (start) => Number(process.hrtime.bigint() - start) / 1e9;
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

async function large(server, round) {
  const path = `${server.prefix}/large-${round}.bin`;
  const bytes = LARGE_MB * MB;
  let start = process.hrtime.bigint();
  const put = send({ ...server, method: 'PUT', path, body: generated(bytes), length: bytes });
  await expectStatus(put, [201, 204], `${server.name} PUT ${path}`);
  const putMbs = LARGE_MB / seconds(start);
  start = process.hrtime.bigint();
  const got = await expectStatus(
    send({ ...server, method: 'GET', path }),
    [200],
    `${server.name} GET ${path}`,
  );
  const getMbs = LARGE_MB / seconds(start);
  if (got.bytes !== bytes) throw new Error(`${server.name} GET ${path}: ${got.bytes} bytes, not ${bytes}`);
  await send({ ...server, method: 'DELETE', path });
  return { putMbs, getMbs };
}

async function small(server, { propfind = true } = {}) {
  const dir = `${server.prefix}/small/`;
  await expectStatus(send({ ...server, method: 'MKCOL', path: dir }), [201], `${server.name} MKCOL`);
  const body = randomBytes(4096);
  let start = process.hrtime.bigint();
  for (let i = 0; i < SMALL; i++) {
    const path = `${dir}f${i}.txt`;
    await expectStatus(
      send({ ...server, method: 'PUT', path, body }),
      [201, 204],
      `${server.name} PUT ${path}`,
    );
  }
  const putS = seconds(start);
  start = process.hrtime.bigint();
  for (let i = 0; i < SMALL; i++) {
    const got = await send({ ...server, method: 'GET', path: `${dir}f${i}.txt` });
    if (got.status !== 200 || got.bytes !== 4096)
      throw new Error(`${server.name} GET f${i}.txt: ${got.status}`);
  }
  const getS = seconds(start);
  const times = [];
  for (let i = 0; propfind && i < 9; i++) {
    start = process.hrtime.bigint();
    const res = await expectStatus(
      send({
        ...server,
        method: 'PROPFIND',
        path: dir,
        headers: { ...server.headers, depth: '1' },
        keep: true,
      }),
      [207],
      `${server.name} PROPFIND`,
    );
    times.push(seconds(start) * 1000);
    const members = res.body.toString().match(/<(\w+:)?response[\s>]/g)?.length ?? 0;
    if (members !== SMALL + 1)
      throw new Error(`${server.name} PROPFIND listed ${members - 1} members, not ${SMALL}`);
  }
  return { putS, getS, propfindMs: median(times) };
}

function rssMb(pid) {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : 0;
}

/** The stack's peak RSS while a HUGE_MB file uploads, sampled every 100 ms. */
async function huge(server) {
  const samples = [];
  const timer = setInterval(() => samples.push(rssMb(server.pid)), 100);
  samples.push(rssMb(server.pid));
  const path = `${server.prefix}/huge.bin`;
  const bytes = HUGE_MB * MB;
  const start = process.hrtime.bigint();
  try {
    const put = send({ ...server, method: 'PUT', path, body: generated(bytes), length: bytes });
    await expectStatus(put, [201, 204], `${server.name} PUT ${path}`);
  } finally {
    clearInterval(timer);
  }
  const mbs = HUGE_MB / seconds(start);
  await send({ ...server, method: 'DELETE', path });
  return { peak: Math.max(...samples), before: samples[0], samples: samples.length, mbs };
}

const nginx = await startNginx(join(work, 'nginx'));
const stack = await startNuage(join(work, 'nuage'));
const floors = [
  await startFloor(join(work, 'floor'), 'floor'),
  await startFloor(join(work, 'nosync'), 'nosync'),
];
const servers = [stack, nginx];
const everyone = [...servers, ...floors];

const startRss = rssMb(stack.pid);
const nginxVersion = spawnSync(NGINX, ['-v'], { encoding: 'utf8' }).stderr.trim();
console.log(`WebDAV: nuage (${stack.prefix}/, SQLite, device password) vs ${nginxVersion}, same Node client`);
const results = new Map(everyone.map((s) => [s.name, { put: [], get: [] }]));
for (let round = 0; round < RUNS; round++) {
  // Interleaved, and the order flipped each round, so a slow moment of the machine hits all alike.
  const order = [...everyone];
  for (const server of round % 2 ? order.reverse() : order) {
    settle();
    const { putMbs, getMbs } = await large(server, round);
    results.get(server.name).put.push(putMbs);
    results.get(server.name).get.push(getMbs);
  }
}
const phases = [
  `started ${startRss.toFixed(1)}`,
  `after ${LARGE_MB} MB rounds ${rssMb(stack.pid).toFixed(1)}`,
];
const smallResults = new Map();
for (const server of servers) {
  settle();
  smallResults.set(server.name, await small(server));
}
for (const floor of floors) {
  settle();
  smallResults.set(floor.name, await small(floor, { propfind: false }));
}
phases.push(`after small files ${rssMb(stack.pid).toFixed(1)}`);
const rss = await huge(stack);

const n = results.get('nuage');
const x = results.get('nginx');
const sn = smallResults.get('nuage');
const sx = smallResults.get('nginx');
/** Each figure: nuage's, nginx's, decimals, and the target as a check of (nuage, nuage / nginx) with its text. */
const rows = [
  {
    name: `${LARGE_MB} MB PUT MB/s`,
    ours: median(n.put),
    theirs: median(x.put),
    digits: 0,
    target: `>= ${TARGETS.putRatio * 100}% of nginx`,
    ok: (_, ratio) => ratio >= TARGETS.putRatio,
  },
  {
    name: `${LARGE_MB} MB GET MB/s`,
    ours: median(n.get),
    theirs: median(x.get),
    digits: 0,
    target: `>= ${TARGETS.getRatio * 100}% of nginx`,
    ok: (_, ratio) => ratio >= TARGETS.getRatio,
  },
  {
    name: `${SMALL} x 4 KB PUT s`,
    ours: sn.putS,
    theirs: sx.putS,
    digits: 2,
    target: `<= ${TARGETS.smallPutRatio}x nginx's time`,
    ok: (_, ratio) => ratio <= TARGETS.smallPutRatio,
  },
  { name: `${SMALL} x 4 KB GET s`, ours: sn.getS, theirs: sx.getS, digits: 2 },
  {
    name: `PROPFIND Depth:1 (${SMALL}) ms`,
    ours: sn.propfindMs,
    theirs: sx.propfindMs,
    digits: 1,
    target: `<= ${TARGETS.propfindMs} ms`,
    ok: (ours) => ours <= TARGETS.propfindMs,
  },
];
const pad = (text, width, left = false) => (left ? String(text).padEnd(width) : String(text).padStart(width));
console.log(`${pad('', 28, true)}${pad('nuage', 10)}${pad('nginx', 10)}${pad('ratio', 8)}  target`);
let failed = false;
for (const { name, ours, theirs, digits, target, ok } of rows) {
  const ratio = ours / theirs;
  const met = ok ? ok(ours, ratio) : true;
  if (!met) failed = true;
  const verdict = target ? `${target}: ${met ? 'ok' : 'MISSED'}` : '';
  const figures = `${pad(ours.toFixed(digits), 10)}${pad(theirs.toFixed(digits), 10)}`;
  console.log(`${pad(name, 28, true)}${figures}${pad(`${ratio.toFixed(2)}x`, 8)}  ${verdict}`.trimEnd());
}
console.log(
  'floors: floor-server.js, a bare Node server that writes a temp file and renames it, with an fsync ' +
    '(floor) or without (nosync)',
);
for (const floor of floors) {
  const f = results.get(floor.name);
  const sf = smallResults.get(floor.name);
  for (const [name, ours, floors, nginxs] of [
    [`${LARGE_MB} MB PUT MB/s`, median(n.put), median(f.put), median(x.put)],
    [`${LARGE_MB} MB GET MB/s`, median(n.get), median(f.get), median(x.get)],
    [`${SMALL} x 4 KB PUT s`, sn.putS, sf.putS, sx.putS],
    [`${SMALL} x 4 KB GET s`, sn.getS, sf.getS, sx.getS],
  ]) {
    const rate = name.endsWith('MB/s');
    const what = rate ? 'throughput' : 'time';
    const text = `${floor.name} ${floors.toFixed(rate ? 0 : 2)}: ${(floors / nginxs).toFixed(2)}x nginx's ${what}`;
    console.log(`  ${pad(name, 26, true)}${text}; nuage ${(ours / floors).toFixed(2)}x ${floor.name}'s`);
  }
}
const rssOk = rss.peak < TARGETS.rssMb;
if (!rssOk) failed = true;
console.log(
  `nuage RSS during a ${HUGE_MB} MB PUT: peak ${rss.peak.toFixed(1)} MB (${rss.before.toFixed(1)} before, ${rss.samples} samples, ${rss.mbs.toFixed(0)} MB/s): < ${TARGETS.rssMb} MB: ${rssOk ? 'ok' : 'MISSED'}`,
);
console.log(`nuage RSS MB: ${phases.join(', ')}`);
console.log(
  `runs: ${RUNS}; large PUT/GET MB/s each run: ${everyone
    .map(({ name }) => {
      const { put, get } = results.get(name);
      return `${name} ${put.map((v) => v.toFixed(0))} / ${get.map((v) => v.toFixed(0))}`;
    })
    .join(', ')}`,
);

for (const server of everyone) server.child.kill('SIGTERM');
await Promise.all(
  everyone.map(
    (s) => new Promise((resolve) => (s.child.exitCode !== null ? resolve() : s.child.on('exit', resolve))),
  ),
);
agent.destroy();
if (failed) process.exitCode = 1;
