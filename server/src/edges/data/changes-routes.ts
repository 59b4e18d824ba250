import type { ServerResponse } from 'node:http';
import type { ChangeEntry, ChangesOptions } from '../../data/changes.js';
import type { FeedOptions } from '../../data/changes-feed.js';
import type { DocumentService } from '../../data/documents.js';
import type { DataScope } from '../../data/format.js';
import { matches, parseSelector, type Selector } from '../../data/mango/index.js';
import { BadRequest } from '../../errors.js';
import { instanceOf } from '../../http/context.js';
import type { App } from '../../http/framework/app.js';
import type { Reply } from '../../http/framework/reply.js';
import type { Request } from '../../http/framework/request.js';
import { reach, readFilter } from './access.js';
import { boolParam, intParam, jsonParam, sinceParam, stringListParam, objectBody } from './params.js';

/** Longest a feed without heartbeat waits for a change (a `timeout` above it is lowered to it). */
const MAX_WAIT_MS = 5 * 60_000;
/** CouchDB's heartbeat when a client sends `heartbeat=true`. */
const DEFAULT_HEARTBEAT_MS = 60_000;
const MIN_HEARTBEAT_MS = 10;

const FEEDS = ['normal', 'longpoll', 'continuous', 'eventsource'] as const;
type Feed = (typeof FEEDS)[number];

/** Rows a caller may see: a partial reach drops the documents its rules do not cover. */
type RowFilter = (rows: ChangeEntry[]) => ChangeEntry[];

/**
 * `/data/<doctype>/_changes` in CouchDB's four feeds. `normal` and `longpoll` answer one JSON object;
 * `continuous` streams one JSON line per change and ends with `{"last_seq":N}`; `eventsource` streams
 * Server-Sent Events (`Last-Event-ID` resumes). A `heartbeat` writes a newline after each quiet period
 * and, as in CouchDB, keeps the feed open past `timeout` until `limit` or the client hangs up; a
 * longpoll with a heartbeat streams newlines while it waits. Feeds end when the client goes away,
 * leaving nothing behind. Filters: `_doc_ids`, and `_selector` (a Mango selector on each document).
 */
export function registerChangesRoutes(app: App, docs: DocumentService): void {
  const handler = async (request: Request, reply: Reply) => {
    const doctype = request.params.doctype ?? '';
    const r = reach(request, 'GET', doctype);
    const q = request.query;
    const scope = instanceOf(request);
    const feed = (q.feed ?? 'normal') as Feed;
    if (!FEEDS.includes(feed)) throw new BadRequest(`feed must be one of ${FEEDS.join(', ')}`);
    const style = q.style ?? 'main_only';
    if (style !== 'main_only' && style !== 'all_docs')
      throw new BadRequest('style must be main_only or all_docs');
    const includeDocs = boolParam(q, 'include_docs');
    const lastEventId = request.headers['last-event-id'];
    const sinceRaw =
      q.since ?? (feed === 'eventsource' && typeof lastEventId === 'string' ? lastEventId : undefined);
    const signal = abortOnClose(reply.raw);
    const options: ChangesOptions & { since: number } = {
      doctype,
      since: await sinceParam(sinceRaw, () => scope.storage.documents.updateSeq()),
      style,
      includeDocs: includeDocs || r.kind === 'partial',
      conflicts: boolParam(q, 'conflicts'),
    };
    const limit = intParam(q, 'limit');
    if (limit !== undefined) options.limit = limit;
    const timeout = intParam(q, 'timeout');
    if (timeout !== undefined) options.timeoutMs = Math.min(timeout, MAX_WAIT_MS);
    const selector = filterParams(request, options);
    const heartbeatMs = heartbeatParam(q.heartbeat);
    const visible = rowFilter(readFilter(r, doctype), selector, includeDocs);
    if (feed === 'normal' || (feed === 'longpoll' && heartbeatMs === undefined)) {
      const result = await docs.changes(scope, { ...options, feed, signal });
      return { results: visible(result.results), last_seq: result.last_seq };
    }
    const feedOptions: FeedOptions = { ...options, signal, once: feed === 'longpoll' };
    if (heartbeatMs !== undefined) feedOptions.heartbeatMs = heartbeatMs;
    return stream(reply, docs, scope, feedOptions, feed, visible);
  };
  app.get('/data/:doctype/_changes', handler);
  app.post('/data/:doctype/_changes', handler);
}

/**
 * `filter=_doc_ids` (ids in `doc_ids`: the store reads only them) or `filter=_selector` (a Mango
 * selector, which needs each document: returned for the edge to apply).
 */
function filterParams(request: Request, options: ChangesOptions): Selector | undefined {
  const q = request.query;
  const docIds = request.method === 'POST' ? objectBody(request).doc_ids : jsonParam(q, 'doc_ids');
  if (docIds !== undefined) {
    options.docIds = stringListParam(docIds, 'doc_ids');
    return undefined;
  }
  if (q.filter === '_doc_ids') throw new BadRequest('filter=_doc_ids needs doc_ids');
  if (q.filter === undefined) return undefined;
  if (q.filter !== '_selector') throw new BadRequest('only the _doc_ids and _selector filters are supported');
  // PouchDB's replicate({selector}) and CouchDB replications with a selector send this.
  options.includeDocs = true;
  return parseSelector(request.method === 'POST' ? objectBody(request).selector : jsonParam(q, 'selector'));
}

/** Keeps the rows a partial reach may read and a selector picks; drops docs the client did not ask for. */
function rowFilter(
  keep: ((doc: Record<string, unknown>) => boolean) | undefined,
  selector: Selector | undefined,
  includeDocs: boolean,
): RowFilter {
  return (rows) => {
    if (!keep && !selector) return rows;
    const shown = rows.filter(
      (row) =>
        row.doc !== undefined &&
        (!keep || (!row.deleted && keep(row.doc))) &&
        (!selector || matches(selector, row.doc)),
    );
    if (!includeDocs) for (const row of shown) delete row.doc;
    return shown;
  };
}

/** Writes a feed as it comes: lines for continuous, events for eventsource, one object for longpoll. */
async function stream(
  reply: Reply,
  docs: DocumentService,
  scope: DataScope,
  options: FeedOptions,
  feed: Exclude<Feed, 'normal'>,
  visible: RowFilter,
): Promise<Reply> {
  const res = reply.raw;
  reply.sent = true;
  res.writeHead(200, {
    'content-type': feed === 'eventsource' ? 'text/event-stream; charset=utf-8' : 'application/json',
    'cache-control': 'no-cache',
    // Reverse proxies (nginx) would otherwise hold the lines back.
    'x-accel-buffering': 'no',
  });
  res.flushHeaders();
  const collected: ChangeEntry[] = [];
  for await (const event of docs.feed(scope, options)) {
    if (res.destroyed) break;
    let chunk: string;
    if (event.kind === 'heartbeat') {
      chunk = feed === 'eventsource' ? 'event: heartbeat\ndata: \n\n' : '\n';
    } else if (event.kind === 'changes') {
      const rows = visible(event.results);
      if (feed === 'longpoll') {
        collected.push(...rows);
        continue;
      }
      chunk =
        feed === 'eventsource'
          ? rows.map((row) => `data: ${JSON.stringify(row)}\nid: ${row.seq}\n\n`).join('')
          : rows.map((row) => `${JSON.stringify(row)}\n`).join('');
    } else if (feed === 'continuous') {
      chunk = `${JSON.stringify({ last_seq: event.lastSeq })}\n`;
    } else if (feed === 'longpoll') {
      chunk = JSON.stringify({ results: collected, last_seq: event.lastSeq });
    } else break;
    await write(res, chunk, options.signal);
  }
  if (!res.destroyed) res.end();
  return reply;
}

/** Writes with back-pressure: waits for `drain` (or the end of the connection) when the buffer is full. */
function write(res: ServerResponse, chunk: string, signal: AbortSignal): Promise<void> | void {
  if (chunk === '' || res.write(chunk) || signal.aborted) return;
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    res.once('drain', done);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Aborts when the response closes: finished, or the client hung up (one listener per response). */
export function abortOnClose(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => controller.abort());
  return controller.signal;
}

function heartbeatParam(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === 'false') return undefined;
  if (raw === 'true') return DEFAULT_HEARTBEAT_MS;
  const ms = intParam({ heartbeat: raw }, 'heartbeat', MAX_WAIT_MS);
  return ms === undefined ? undefined : Math.max(ms, MIN_HEARTBEAT_MS);
}
