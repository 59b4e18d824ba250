import { ConfigError } from '../errors.js';
import { isDoctype } from '../permissions/permissions.js';
import { nodeTransport, type Credentials, type HttpTransport } from '../replication/couch-http.js';
import { RemoteDb } from '../replication/remote-db.js';
import { replicate, type ReplicationStats } from '../replication/replicator.js';
import { parse, required } from './args.js';
import type { CliIo } from './io.js';

/**
 * One side of a replication: where each doctype's database is, and how to reach it. An instance origin
 * (`http://alice:pw@alice.localhost:8080`) means Nuage's layout, `/data/<doctype>`; a URL with a
 * `{doctype}` placeholder (or `{db}`, the doctype with `.` turned into `$`, as CouchDB database names
 * allow no dots) names one database per doctype on any CouchDB-compatible server.
 */
export interface Endpoint {
  label: string;
  dbUrl(doctype: string): URL;
  /** Where the doctypes are listed (`…/_doctypes` in Nuage's layout), or null. */
  listUrl: URL | null;
  http: HttpTransport;
}

export function parseEndpoint(raw: string, token: string | undefined, flag: string): Endpoint {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${flag} must be a URL such as http://alice.localhost:8080`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(`${flag} must be http(s)`);
  let credentials: Credentials | null = null;
  if (token !== undefined) credentials = { kind: 'bearer', token };
  else if (url.username !== '') {
    credentials = {
      kind: 'basic',
      user: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
    };
  }
  url.username = '';
  url.password = '';
  let template = `${url.origin}${url.pathname}`;
  if (url.pathname === '/' || url.pathname === '') template = `${url.origin}/data/%7Bdoctype%7D`;
  else if (!/%7B(doctype|db)%7D/i.test(template)) {
    throw new ConfigError(`${flag}: give an instance origin, or a database URL with {doctype} or {db} in it`);
  }
  const fill = (doctype: string) =>
    new URL(template.replace(/%7Bdoctype%7D/gi, doctype).replace(/%7Bdb%7D/gi, doctype.replaceAll('.', '$')));
  return {
    label: url.origin,
    dbUrl: fill,
    listUrl: /%7Bdoctype%7D/i.test(template) ? fill('_doctypes') : null,
    http: nodeTransport(credentials),
  };
}

/** The doctypes the source's credentials may read (`GET /data/_doctypes` answers only those). */
async function listDoctypes(from: Endpoint): Promise<string[]> {
  if (from.listUrl === null) throw new ConfigError('give --doctypes: this source cannot list its doctypes');
  const listed = await from.http({ method: 'GET', url: from.listUrl });
  if (!Array.isArray(listed)) throw new Error(`${from.label} did not list its doctypes`);
  return listed
    .map((d: { doctype?: unknown }) => d.doctype)
    .filter((d): d is string => typeof d === 'string');
}

const seqText = (seq: unknown) => (typeof seq === 'string' ? seq : JSON.stringify(seq));

function summary(doctype: string, s: ReplicationStats): string {
  if (s.missingChecked === 0) return `${doctype}: up to date at seq ${seqText(s.lastSeq)}`;
  const already = s.missingChecked - s.missingFound;
  return (
    `${doctype}: ${s.docsWritten} written, ${s.docWriteFailures} refused, ${already} already there ` +
    `(seq ${seqText(s.startSeq)} → ${seqText(s.lastSeq)})`
  );
}

/** Aborts on SIGINT or SIGTERM, for `--continuous`; `dispose` removes the handlers. */
function stopSignal(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    },
  };
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

/**
 * `nuage replicate --from <url> --to <url> [--doctypes a,b] [--continuous]`: copies every doctype the
 * source credentials may read (or those named) to the target, one line per doctype, resuming from the
 * checkpoints of earlier runs; a second run copies nothing. `--continuous` then follows every source
 * until SIGINT or SIGTERM, retrying with back-off when a side is unreachable. Exits 1 when a doctype
 * failed (after trying the others).
 */
export async function replicateCommand(args: string[], io: CliIo, given?: AbortSignal): Promise<void> {
  const { values } = parse(args, {
    from: { type: 'string' },
    to: { type: 'string' },
    'from-token': { type: 'string' },
    'to-token': { type: 'string' },
    doctypes: { type: 'string' },
    continuous: { type: 'boolean' },
    'batch-size': { type: 'string' },
  });
  const from = parseEndpoint(required(values.from, '--from <url>'), values['from-token'], '--from');
  const to = parseEndpoint(required(values.to, '--to <url>'), values['to-token'], '--to');
  const batchSize = Number(values['batch-size'] ?? 500);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000)
    throw new ConfigError('--batch-size must be a whole number from 1 to 10000');
  const named = values.doctypes
    ?.split(',')
    .map((d) => d.trim())
    .filter((d) => d !== '');
  for (const d of named ?? []) if (!isDoctype(d)) throw new ConfigError(`"${d}" is not a doctype`);
  const stop = given ? { signal: given, dispose: () => undefined } : stopSignal();
  try {
    const doctypes = named ?? (await listDoctypes(from));
    if (doctypes.length === 0) io.out('nothing to replicate: the source lists no doctypes');
    const pair = (d: string) =>
      [new RemoteDb(from.dbUrl(d), from.http), new RemoteDb(to.dbUrl(d), to.http)] as const;
    let failed = 0;
    for (const doctype of doctypes) {
      try {
        io.out(summary(doctype, await replicate(...pair(doctype), { batchSize, signal: stop.signal })));
      } catch (error) {
        if (stop.signal.aborted) return;
        failed++;
        io.err(`${doctype}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (values.continuous)
      await follow(doctypes, pair, named === undefined ? from : null, { io, batchSize, signal: stop.signal });
    if (failed > 0) throw new Error(`${failed} of ${doctypes.length} doctypes failed`);
  } finally {
    stop.dispose();
  }
}

/**
 * Follows each doctype's source until `signal` aborts, printing a line per batch copied; with a
 * listing source, doctypes that appear later are picked up within a minute.
 */
async function follow(
  initial: readonly string[],
  pair: (d: string) => readonly [RemoteDb, RemoteDb],
  lister: Endpoint | null,
  ctx: { io: CliIo; batchSize: number; signal: AbortSignal },
): Promise<void> {
  const { io, signal } = ctx;
  const running = new Map<string, Promise<void>>();
  const start = (doctype: string) => {
    if (running.has(doctype)) return;
    running.set(
      doctype,
      (async () => {
        let backoff = 1000;
        while (!signal.aborted) {
          try {
            await replicate(...pair(doctype), {
              batchSize: ctx.batchSize,
              continuous: true,
              signal,
              onBatch: (s) =>
                io.out(`${doctype}: ${s.docsWritten} written so far (seq ${seqText(s.lastSeq)})`),
            });
            backoff = 1000;
          } catch (error) {
            if (signal.aborted) return;
            io.err(
              `${doctype}: ${error instanceof Error ? error.message : String(error)}; retrying in ${backoff / 1000} s`,
            );
            await sleep(backoff, signal);
            backoff = Math.min(backoff * 2, 60_000);
          }
        }
      })(),
    );
  };
  initial.forEach(start);
  io.out(`following ${initial.length} doctypes; stop with Ctrl-C`);
  while (!signal.aborted) {
    await sleep(60_000, signal);
    if (lister && !signal.aborted) (await listDoctypes(lister).catch(() => [])).forEach(start);
  }
  await Promise.all(running.values());
}
