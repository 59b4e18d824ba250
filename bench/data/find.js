// Mango `_find` at 100k documents: write 100k generated contacts through DocumentService.bulkDocs
// (batches of 1000), create a json index on ["familyName"] and one on ["city", "age"], then time indexed
// `_find` queries through FindService (equality, range, sorted with limit 25) and print p50/p95/p99.
//
//   npm run build && node bench/data/find.js                      SQLite (target: p95 <= 20 ms)
//   BENCH_POSTGRES=postgres://postgres@127.0.0.1:5432/test node bench/data/find.js
//
// BENCH_DOCS and BENCH_QUERIES change the sizes. Exits 1 when SQLite misses the p95 budget.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DocumentService } from '../../server/dist/data/documents.js';
import { FindService } from '../../server/dist/data/find.js';
import { PostgresStore } from '../../server/dist/ports/store/postgres/postgres-store.js';
import { SqliteStore } from '../../server/dist/ports/store/sqlite/sqlite-store.js';

const DOCS = Number(process.env.BENCH_DOCS ?? 100_000);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 300);
const BATCH = 1000;
const P95_BUDGET_MS = 20;
const T = 'io.cozy.contacts';

const FIRST = `Jeanne Élodie Marie Louis Hélène Noël Chloé Zoé Léa Amélie Céline Jérôme François Gaëlle Inès
  Ana Sofia Lucas Hugo Emma Olivia Liam Noah Mia Leo Ava Ella Oscar Jack Harry Grace Ruby Lily Ivy Max Theo Finn
  Sven Björn Åsa Jürgen Øystein Zoë Renée Joël Raphaël Mathéo Anaïs Maëlle Loïc Hervé Agnès Dominique
  Camille Jean Pierre Paul Jacques Michel Claire Anne Sophie Julie Nicolas Thomas Antoine Alice Bob Carol Dave`.split(
  /\s+/,
);
const LAST =
  `Dupont Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefèvre
  Michel Garcia David Bertrand Roux Vincent Fournier Morel Girard André Mercier Blanc Guérin Boyer Garnier
  Chevalier François Legrand Gauthier Perrin Robin Clément Morin Nicolas Henry Roussel Mathieu Gautier Masson
  Marchand Duval Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Moore Jackson White
  Harris Clark Lewis Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Núñez Pérez
  Gómez Søndergaard Nguyen Tran Le Pham Kowalski Nowak Rossi Russo Ferrari Esposito Bianchi Romano Colombo`.split(
    /\s+/,
  );
const CITIES = `Paris Lyon Marseille Toulouse Nice Nantes Strasbourg Montpellier Bordeaux Lille Rennes Reims
  Grenoble Dijon Angers Nîmes Brest Tours Limoges Amiens Perpignan Metz Besançon Orléans Rouen Caen Nancy
  Bruxelles Genève Lausanne Montréal Québec Berlin München Hamburg Madrid Barcelona Lisboa Porto Roma Milano
  Torino London Bristol Dublin Amsterdam Rotterdam Oslo Bergen København Stockholm Helsinki Wien`.split(
  /\s+/,
);
const STREETS = `rue de la Paix|avenue Victor Hugo|boulevard Voltaire|rue du Moulin|chemin des Vignes|place de
  l'Église|rue Pasteur|allée des Tilleuls|Hauptstraße|High Street|Calle Mayor|Via Roma`.split('|');
const COMPANIES = `Acme|Globex|Initech|Umbrella|Hooli|Soylent|Cozy Cloud|Wayne Enterprises|Stark Industries|
  Tyrell|Cyberdyne|Aperture|Massive Dynamic|Vandelay|Dunder Mifflin|(none)`.split('|');

let seed = 7;
/** mulberry32: a small seeded generator, so every run writes the same corpus. */
function random() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (list) => list[Math.floor(random() * list.length)];
/** Zipf-like: a few names and cities are much more common than the rest, as in a real address book. */
const zipf = (list) => list[Math.min(list.length - 1, Math.floor(list.length * random() ** 1.8))];
const digits = (n) => Array.from({ length: n }, () => Math.floor(random() * 10)).join('');
const ascii = (s) =>
  s
    .normalize('NFD')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();

function contact(i) {
  const givenName = pick(FIRST);
  const familyName = zipf(LAST);
  const city = zipf(CITIES);
  const company = pick(COMPANIES);
  const doc = {
    _id: `c${String(i).padStart(7, '0')}`,
    givenName,
    familyName,
    fullname: `${givenName} ${familyName}`,
    email: [{ address: `${ascii(givenName)}.${ascii(familyName)}${i % 97}@example.org`, type: 'home' }],
    phone: [{ number: `+33 6 ${digits(2)} ${digits(2)} ${digits(2)} ${digits(2)}`, type: 'mobile' }],
    address: [
      {
        street: `${1 + Math.floor(random() * 180)} ${pick(STREETS)}`,
        city,
        postcode: digits(5),
        country: 'FR',
      },
    ],
    city,
    age: 18 + Math.floor(random() * 72),
    company: company === '(none)' ? undefined : company,
    birthday: `19${50 + Math.floor(random() * 50)}-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`,
    note: random() < 0.3 ? 'Met at the conference in Lyon; call back about the project next week.' : '',
    metadata: { version: 1, cozyMetadata: { createdByApp: 'contacts', updatedAt: '2024-05-01T10:00:00Z' } },
  };
  if (doc.company === undefined) delete doc.company;
  return doc;
}

const KINDS = [
  ['equality  {familyName}', () => ({ selector: { familyName: zipf(LAST) } })],
  [
    'range     {city, age in [a, a+5)}',
    () => {
      const a = 18 + Math.floor(random() * 67);
      return { selector: { city: zipf(CITIES), age: { $gte: a, $lt: a + 5 } } };
    },
  ],
  [
    'sorted    {city, age > a} by age desc, limit 25',
    () => ({
      selector: { city: pick(CITIES), age: { $gt: 18 + Math.floor(random() * 60) } },
      sort: [{ age: 'desc' }],
      limit: 25,
    }),
  ],
];

const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const ms = (x) => `${x.toFixed(2)} ms`;

async function run(name, store) {
  seed = 7;
  const instance = await store.instances.create(`bench-${randomBytes(4).toString('hex')}.localhost`);
  const scope = { instance, storage: await store.open(instance) };
  const documents = new DocumentService();
  const find = new FindService();

  let started = performance.now();
  for (let i = 0; i < DOCS; i += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, DOCS - i) }, (_, j) => contact(i + j));
    const results = await documents.bulkDocs(scope, T, batch);
    if (results.some((r) => !r.ok)) throw new Error('a bulk write failed');
  }
  const writeSeconds = (performance.now() - started) / 1000;
  console.log(`${name}: ${DOCS} contacts written in ${writeSeconds.toFixed(1)} s (batches of ${BATCH})`);

  started = performance.now();
  await find.createIndex(scope, T, { index: { fields: ['familyName'] }, ddoc: 'by-family-name' });
  await find.createIndex(scope, T, { index: { fields: ['city', 'age'] }, ddoc: 'by-city-age' });
  console.log(
    `${name}: two indexes created and filled in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );

  const bodies = Array.from({ length: QUERIES }, (_, i) => KINDS[i % KINDS.length]);
  for (const [, make] of bodies.slice(0, 30)) await find.find(scope, T, make()); // warm-up
  const all = [];
  for (const [label, make] of KINDS) {
    const times = [];
    let returned = 0;
    for (let q = 0; q < QUERIES / KINDS.length; q++) {
      const body = make();
      const t0 = performance.now();
      const response = await find.find(scope, T, body);
      times.push(performance.now() - t0);
      if (response.warning !== undefined) throw new Error(`no index used for ${JSON.stringify(body)}`);
      returned += response.docs.length;
    }
    all.push(...times);
    times.sort((a, b) => a - b);
    console.log(
      `${name}: ${times.length} × ${label}: p50 ${ms(percentile(times, 50))}, p95 ${ms(percentile(times, 95))}, ` +
        `p99 ${ms(percentile(times, 99))}, ${(returned / times.length).toFixed(1)} docs each`,
    );
  }
  all.sort((a, b) => a - b);
  console.log(
    `${name}: all ${all.length} indexed _find: p50 ${ms(percentile(all, 50))}, p95 ${ms(percentile(all, 95))}, ` +
      `p99 ${ms(percentile(all, 99))}`,
  );

  // For scale only, outside the budget: every match of a range (not just the first 25), then the same
  // kind of query with no index (a full scan of the doctype).
  const wide = [];
  let wideDocs = 0;
  for (let q = 0; q < 30; q++) {
    const body = { ...KINDS[1][1](), limit: 5000 };
    const t1 = performance.now();
    wideDocs += (await find.find(scope, T, body)).docs.length;
    wide.push(performance.now() - t1);
  }
  wide.sort((a, b) => a - b);
  console.log(
    `${name}: 30 × range, every match (limit 5000): p50 ${ms(percentile(wide, 50))}, ` +
      `p95 ${ms(percentile(wide, 95))}, ${(wideDocs / 30).toFixed(0)} docs each`,
  );
  const t0 = performance.now();
  const fallback = await find.find(scope, T, { selector: { company: 'Hooli', age: { $lt: 30 } } });
  console.log(
    `${name}: one unindexed _find (full scan, ${fallback.docs.length} docs): ${ms(performance.now() - t0)}`,
  );
  return percentile(all, 95);
}

const dataDir = mkdtempSync(join(tmpdir(), 'nuage-bench-find-'));
const sqlite = new SqliteStore(dataDir);
let p95;
try {
  p95 = await run('sqlite', sqlite);
} finally {
  await sqlite.close();
  rmSync(dataDir, { recursive: true, force: true });
}

if (process.env.BENCH_POSTGRES) {
  const prefix = `b${randomBytes(4).toString('hex')}`;
  const postgres = await PostgresStore.connect({
    url: process.env.BENCH_POSTGRES,
    prefix,
    maxConnections: 4,
  });
  try {
    await run('postgres', postgres);
  } finally {
    await postgres.dropEverything();
    await postgres.close();
  }
}

if (p95 > P95_BUDGET_MS) {
  console.error(`find: SQLite p95 ${ms(p95)} is over the ${P95_BUDGET_MS} ms budget`);
  process.exit(1);
}
console.log(`find: SQLite p95 ${ms(p95)} within the ${P95_BUDGET_MS} ms budget`);
