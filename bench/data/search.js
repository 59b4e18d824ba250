// Search at 100k documents: index 100k generated documents (contacts, notes, mail, todos with names
// and Zipf-distributed sentences, some words accented) through the document store with the search
// index attached, then time searches of the kinds people type and print p50/p95/p99.
//
//   npm run build && node bench/data/search.js                 SQLite (target: p95 <= 20 ms)
//   BENCH_POSTGRES=postgres://postgres@127.0.0.1:5432/test node bench/data/search.js
//
// BENCH_DOCS and BENCH_SEARCHES change the sizes. Exits 1 when SQLite misses the p95 budget.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SearchRegistry } from '../../server/dist/data/search/index.js';
import { PostgresStore } from '../../server/dist/ports/store/postgres/postgres-store.js';
import { PostgresSearch } from '../../server/dist/ports/store/postgres/search.js';
import { POSTGRES_SEARCH_MIGRATION } from '../../server/dist/ports/store/postgres/search-schema.js';
import { SqliteSearch } from '../../server/dist/ports/store/sqlite/search.js';
import { SQLITE_SEARCH_MIGRATION } from '../../server/dist/ports/store/sqlite/search-schema.js';
import { SqliteStore } from '../../server/dist/ports/store/sqlite/sqlite-store.js';

const DOCS = Number(process.env.BENCH_DOCS ?? 100_000);
const SEARCHES = Number(process.env.BENCH_SEARCHES ?? 200);
const BATCH = 1000;
const P95_BUDGET_MS = 20;

const FIRST = `Jeanne Élodie Marie Louis Hélène Noël Chloé Zoé Léa Amélie Céline Jérôme François Gaëlle Inès
  Ana Sofia Lucas Hugo Emma Olivia Liam Noah Mia Leo Ava Ella Oscar Jack Harry Grace Ruby Lily Ivy Max Theo Finn
  Sven Björn Åsa Jürgen Müller Øystein Zoë Renée Joël Raphaël Mathéo Anaïs Maëlle Loïc Hervé Agnès Dominique
  Camille Jean Pierre Paul Jacques Michel Claire Anne Sophie Julie Nicolas Thomas Antoine Alice Bob Carol Dave`.split(
  /\s+/,
);
const LAST =
  `Dupont Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefèvre
  Michel Garcia David Bertrand Roux Vincent Fournier Morel Girard André Mercier Blanc Guérin Boyer Garnier Chevalier
  François Legrand Gauthier Perrin Robin Clément Morin Nicolas Henry Roussel Mathieu Gautier Masson Marchand Duval
  Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Moore Jackson White Harris Clark Lewis
  Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Núñez Pérez Gómez Søndergaard`.split(
    /\s+/,
  );
const WORDS =
  `the of and to in is you that it he was for on are as with his they at be this have from or one had
  by word but not what all were we when your can said there use an each which she do how their if will up other
  about out many then them these so some her would make like him into time has look two more write go see number
  no way could people my than first water been call who oil its now find long down day did get come made may part
  meeting project budget review draft report invoice payment contract schedule deadline agenda minutes proposal
  garden kitchen holiday travel flight hotel train ticket museum concert dinner lunch breakfast birthday party
  doctor dentist appointment pharmacy school teacher homework library bicycle repair insurance mortgage tax
  café crème brûlée élève été année déjà voilà naïve façade résumé cliché fiancée entrée soirée rendez-vous
  réunion équipe données sécurité numéro téléphone adresse société problème système général février août décembre
  photo album camera beach mountain river forest winter summer spring autumn weekend morning evening tomorrow
  please thanks regards hello cheers question answer update reminder urgent important follow attached document
  server backup password account login email message calendar contact phone address street city country`.split(
    /\s+/,
  );

let seed = 42;
/** mulberry32: a small seeded generator, so every run indexes the same corpus. */
function random() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (list) => list[Math.floor(random() * list.length)];
/** Zipf-like: common words much more often than rare ones, as in real text. */
const zipf = (list) => list[Math.min(list.length - 1, Math.floor(list.length * random() ** 2.5))];
const sentence = (n) => {
  const words = Array.from({ length: n }, () => zipf(WORDS));
  return `${words.join(' ')}.`.replace(/^./, (c) => c.toUpperCase());
};
const paragraph = (sentences) =>
  Array.from({ length: sentences }, () => sentence(6 + Math.floor(random() * 12))).join(' ');
const person = () => {
  const givenName = pick(FIRST);
  const familyName = pick(LAST);
  return { givenName, familyName, email: `${givenName}.${familyName}@example.org`.toLowerCase() };
};

function generate(i) {
  switch (i % 4) {
    case 0: {
      const p = person();
      return [
        'io.nuage.contacts',
        {
          fullname: `${p.givenName} ${p.familyName}`,
          name: p,
          email: [{ address: p.email }],
          org: pick(LAST),
        },
      ];
    }
    case 1:
      return [
        'io.nuage.notes',
        { title: sentence(3 + Math.floor(random() * 4)), content: paragraph(3 + (i % 7)) },
      ];
    case 2: {
      const from = person();
      const to = person();
      return [
        'io.nuage.mail',
        {
          subject: sentence(4),
          from: { name: `${from.givenName} ${from.familyName}`, address: from.email },
          to: [{ name: `${to.givenName} ${to.familyName}`, address: to.email }],
          text: paragraph(4 + (i % 9)),
        },
      ];
    }
    default:
      return ['io.nuage.todos', { summary: sentence(4), description: paragraph(1) }];
  }
}

/** What people type: names and name prefixes, common and rare words, two-word queries, short prefixes. */
function queries() {
  const kinds = [
    () => pick(FIRST).slice(0, 3),
    () => `${pick(FIRST)} ${pick(LAST)}`,
    () => pick(LAST).slice(0, 4),
    () => zipf(WORDS),
    () => pick(WORDS),
    () => `${pick(WORDS)} ${pick(WORDS)}`,
    () => pick(WORDS).slice(0, 2),
    () => `"${pick(WORDS)} ${pick(WORDS)}"`,
    () => pick(FIRST).slice(0, 1),
    () => `${pick(FIRST).toUpperCase()} ${pick(WORDS).slice(0, 3)}`,
  ];
  return Array.from({ length: SEARCHES }, (_, i) => kinds[i % kinds.length]());
}

/** Every doctype (the owner), then one or two doctypes (an app's token). */
const SCOPES = [
  ['across all doctypes', () => 'all'],
  [
    'in one or two doctypes',
    (i) => [['io.nuage.contacts'], ['io.nuage.notes', 'io.nuage.todos'], ['io.nuage.mail']][i % 3],
  ],
];

const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function writeAll(documents) {
  const byDoctype = new Map();
  for (let i = 0; i < DOCS; i++) {
    const [doctype, body] = generate(i);
    let batch = byDoctype.get(doctype);
    if (!batch) byDoctype.set(doctype, (batch = []));
    batch.push({ id: `d${String(i).padStart(7, '0')}`, deleted: false, body });
    if (batch.length === BATCH) {
      await documents.writeDocs(doctype, batch, { newEdits: true });
      byDoctype.set(doctype, []);
    }
  }
  for (const [doctype, batch] of byDoctype)
    if (batch.length > 0) await documents.writeDocs(doctype, batch, { newEdits: true });
}

async function run(name, open) {
  seed = 42;
  const { documents, index, afterWrite, dispose } = await open(true);
  const started = performance.now();
  await writeAll(documents);
  const writeSeconds = (performance.now() - started) / 1000;
  await afterWrite?.();
  console.log(
    `${name}: ${DOCS} documents written and indexed in ${writeSeconds.toFixed(1)} s ` +
      `(${Math.round(DOCS / writeSeconds)} docs/s, batches of ${BATCH})`,
  );

  const list = queries();
  for (const q of list.slice(0, 20)) await index.search(q, { doctypes: 'all' }); // warm-up
  let p95 = 0;
  for (const [label, scope] of SCOPES) {
    const times = [];
    let hits = 0;
    for (const [i, q] of list.entries()) {
      const doctypes = scope(i);
      const t0 = performance.now();
      const result = await index.search(q, { doctypes, limit: 20 });
      times.push(performance.now() - t0);
      hits += result.hits.length;
    }
    const slowest = list
      .map((q, i) => [q, times[i]])
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3);
    times.sort((a, b) => a - b);
    const ms = (x) => `${x.toFixed(2)} ms`;
    console.log(
      `${name}: ${SEARCHES} searches ${label}: p50 ${ms(percentile(times, 50))}, p95 ${ms(percentile(times, 95))}, ` +
        `p99 ${ms(percentile(times, 99))}, max ${ms(times[times.length - 1])}, ${(hits / SEARCHES).toFixed(1)} hits each; ` +
        `slowest ${slowest.map(([q, t]) => `${JSON.stringify(q)} ${ms(t)}`).join(', ')}`,
    );
    p95 = Math.max(p95, percentile(times, 95));
  }
  await dispose();
  return p95;
}

async function openSqlite(withIndex) {
  const dir = mkdtempSync(join(tmpdir(), 'nuage-bench-search-'));
  const store = new SqliteStore(dir);
  const instance = await store.open(await store.instances.create('bench.localhost'));
  instance.db.exec(SQLITE_SEARCH_MIGRATION);
  const index = new SqliteSearch(instance.db, new SearchRegistry());
  if (withIndex) instance.documents.addParticipant(index);
  return {
    documents: instance.documents,
    index,
    dispose: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function openPostgres(url, withIndex) {
  const store = await PostgresStore.connect({ url, prefix: `bench${randomBytes(4).toString('hex')}` });
  const instance = await store.open(await store.instances.create('bench.localhost'));
  await instance.pool.query(POSTGRES_SEARCH_MIGRATION.replaceAll('{s}', instance.schema));
  const index = new PostgresSearch(instance.pool, instance.schema, new SearchRegistry());
  if (withIndex) instance.documents.addParticipant(index);
  return {
    documents: instance.documents,
    index,
    // Fresh statistics, as autovacuum would gather after a bulk load: without them the planner does
    // not know that walking the seq index backwards finds common words' matches at once.
    afterWrite: () => instance.pool.query(`ANALYZE ${instance.schema}.search_docs`),
    dispose: async () => {
      await store.dropEverything();
      await store.close();
    },
  };
}

const p95 = await run('sqlite', openSqlite);
if (process.env.BENCH_POSTGRES)
  await run('postgres', (withIndex) => openPostgres(process.env.BENCH_POSTGRES, withIndex));
if (process.env.BENCH_BASELINE) {
  // The same writes without the search participant: what indexing costs the writer.
  seed = 42;
  const { documents, dispose } = await openSqlite(false);
  const started = performance.now();
  await writeAll(documents);
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `sqlite without search: ${DOCS} documents written in ${seconds.toFixed(1)} s (${Math.round(DOCS / seconds)} docs/s)`,
  );
  await dispose();
}
if (p95 > P95_BUDGET_MS) {
  console.error(`search p95 on SQLite is ${p95.toFixed(2)} ms, over the ${P95_BUDGET_MS} ms budget`);
  process.exit(1);
}
