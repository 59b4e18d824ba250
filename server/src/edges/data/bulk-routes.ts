import type { AllDocsOptions } from '../../data/reads.js';
import type { ChangesOptions } from '../../data/changes.js';
import type { DocumentService } from '../../data/documents.js';
import { BadRequest } from '../../errors.js';
import { instanceOf, requireAuth } from '../../http/context.js';
import type { App } from '../../http/framework/app.js';
import type { Request } from '../../http/framework/request.js';
import { reach, readFilter, writeCheck } from './access.js';
import { boolParam, intParam, jsonParam, sinceParam, stringKeyParam, stringListParam } from './params.js';

const MAX_LONGPOLL_MS = 5 * 60_000;

function body(request: Request): Record<string, unknown> {
  const b = request.body;
  if (b === undefined) return {};
  if (typeof b !== 'object' || b === null || Array.isArray(b))
    throw new BadRequest('the body must be a JSON object');
  return b as Record<string, unknown>;
}

/** Aborts when the client hangs up, so a longpoll does not outlive its connection. */
function abortOnClose(request: Request): AbortSignal {
  const controller = new AbortController();
  request.raw.socket.once('close', () => controller.abort());
  return controller.signal;
}

/**
 * The collection endpoints of `/data/<doctype>/` that CouchDB clients and replicators use:
 * `_all_docs`, `_bulk_docs`, `_changes` (normal and longpoll), `_revs_diff`, `_bulk_get`,
 * `_ensure_full_commit`. A caller whose token covers only part of the doctype sees only that part.
 */
export function registerBulkRoutes(app: App, docs: DocumentService): void {
  const allDocs = async (request: Request) => {
    const { doctype = '' } = request.params;
    const r = reach(request, 'GET', doctype);
    const q = request.query;
    const keys = request.method === 'POST' ? body(request).keys : jsonParam(q, 'keys');
    const includeDocs = boolParam(q, 'include_docs') || body(request).include_docs === true;
    const options: AllDocsOptions = {
      includeDocs: includeDocs || r.kind === 'partial',
      conflicts: boolParam(q, 'conflicts'),
      inclusiveEnd: boolParam(q, 'inclusive_end', true),
      descending: boolParam(q, 'descending'),
    };
    if (keys !== undefined) options.keys = stringListParam(keys, 'keys');
    const startkey = stringKeyParam(q, 'startkey', 'start_key');
    const endkey = stringKeyParam(q, 'endkey', 'end_key');
    const key = stringKeyParam(q, 'key');
    if (startkey !== undefined) options.startkey = startkey;
    if (endkey !== undefined) options.endkey = endkey;
    if (key !== undefined) options.keys = [key];
    const limit = intParam(q, 'limit');
    const skip = intParam(q, 'skip');
    if (limit !== undefined) options.limit = limit;
    if (skip !== undefined) options.skip = skip;
    const result = await docs.allDocs(instanceOf(request), doctype, options);
    const keep = readFilter(r, doctype);
    if (!keep) return result;
    const rows = result.rows.filter((row) => 'doc' in row && row.doc && keep(row.doc));
    if (!includeDocs) for (const row of rows) if ('doc' in row) delete row.doc;
    return { total_rows: rows.length, rows };
  };
  app.get('/data/:doctype/_all_docs', allDocs);
  app.post('/data/:doctype/_all_docs', allDocs);

  app.post('/data/:doctype/_bulk_docs', async (request, reply) => {
    const { doctype = '' } = request.params;
    const perms = requireAuth(request);
    reach(request, request.body === undefined ? 'POST' : 'PUT', doctype);
    const b = body(request);
    const newEdits = b.new_edits === undefined ? true : b.new_edits === true;
    if (b.new_edits !== undefined && typeof b.new_edits !== 'boolean')
      throw new BadRequest('new_edits must be a boolean');
    const results = await docs.bulkDocs(instanceOf(request), doctype, b.docs, {
      newEdits,
      check: writeCheck(perms, doctype),
    });
    // CouchDB answers new_edits=false with an empty list: replicators only want failures.
    return reply.code(201).send(newEdits ? results : results.filter((r) => !('ok' in r)));
  });

  const changes = async (request: Request) => {
    const doctype = request.params.doctype ?? '';
    const r = reach(request, 'GET', doctype);
    const q = request.query;
    const scope = instanceOf(request);
    const feed = q.feed ?? 'normal';
    if (feed !== 'normal' && feed !== 'longpoll') throw new BadRequest('feed must be normal or longpoll');
    const style = q.style ?? 'main_only';
    if (style !== 'main_only' && style !== 'all_docs')
      throw new BadRequest('style must be main_only or all_docs');
    const includeDocs = boolParam(q, 'include_docs');
    const options: ChangesOptions = {
      doctype,
      since: await sinceParam(q.since, () => scope.storage.documents.updateSeq()),
      feed,
      style,
      includeDocs: includeDocs || r.kind === 'partial',
      conflicts: boolParam(q, 'conflicts'),
      signal: abortOnClose(request),
    };
    const limit = intParam(q, 'limit');
    if (limit !== undefined) options.limit = limit;
    const timeout = intParam(q, 'timeout');
    if (timeout !== undefined) options.timeoutMs = Math.min(timeout, MAX_LONGPOLL_MS);
    const docIds = request.method === 'POST' ? body(request).doc_ids : jsonParam(q, 'doc_ids');
    if (docIds !== undefined) options.docIds = stringListParam(docIds, 'doc_ids');
    else if (q.filter === '_doc_ids') throw new BadRequest('filter=_doc_ids needs doc_ids');
    else if (q.filter !== undefined) throw new BadRequest('only the _doc_ids filter is supported');
    const result = await docs.changes(scope, options);
    const keep = readFilter(r, doctype);
    if (!keep) return result;
    const results = result.results.filter((row) => row.doc !== undefined && !row.deleted && keep(row.doc));
    if (!includeDocs) for (const row of results) delete row.doc;
    return { results, last_seq: result.last_seq };
  };
  app.get('/data/:doctype/_changes', changes);
  app.post('/data/:doctype/_changes', changes);

  app.post('/data/:doctype/_revs_diff', async (request) => {
    const { doctype = '' } = request.params;
    reach(request, 'GET', doctype);
    return docs.revsDiff(instanceOf(request), doctype, request.body);
  });

  app.post('/data/:doctype/_bulk_get', async (request) => {
    const { doctype = '' } = request.params;
    const r = reach(request, 'GET', doctype);
    const result = await docs.bulkGet(instanceOf(request), doctype, request.body, {
      revs: boolParam(request.query, 'revs'),
    });
    const keep = readFilter(r, doctype);
    if (!keep) return result;
    for (const entry of result.results) {
      entry.docs = entry.docs.map((d) =>
        'ok' in d && !keep(d.ok)
          ? { error: { id: entry.id, rev: d.ok._rev, error: 'not_found', reason: 'missing' } }
          : d,
      );
    }
    return result;
  });

  // Every write is durable when it is acknowledged; replicators still ask.
  app.post('/data/:doctype/_ensure_full_commit', async (request, reply) => {
    reach(request, 'GET', request.params.doctype ?? '');
    return reply.code(201).send({ ok: true, instance_start_time: '0' });
  });
}
