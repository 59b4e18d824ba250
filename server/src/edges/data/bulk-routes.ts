import type { AllDocsOptions } from '../../data/reads.js';
import type { DocumentService } from '../../data/documents.js';
import { BadRequest } from '../../errors.js';
import { instanceOf, requireAuth } from '../../http/context.js';
import type { App } from '../../http/framework/app.js';
import type { Request } from '../../http/framework/request.js';
import { reach, readFilter, writeCheck } from './access.js';
import { boolParam, intParam, jsonParam, stringKeyParam, stringListParam, objectBody } from './params.js';

/**
 * The collection endpoints of `/data/<doctype>/` that CouchDB clients and replicators use:
 * `_all_docs`, `_bulk_docs`, `_revs_diff`, `_bulk_get`, `_ensure_full_commit` (`_changes` is in
 * changes-routes.ts). A caller whose token covers only part of the doctype sees only that part.
 */
export function registerBulkRoutes(app: App, docs: DocumentService): void {
  const allDocs = async (request: Request) => {
    const { doctype = '' } = request.params;
    const r = reach(request, 'GET', doctype);
    const q = request.query;
    const keys = request.method === 'POST' ? objectBody(request).keys : jsonParam(q, 'keys');
    const includeDocs = boolParam(q, 'include_docs') || objectBody(request).include_docs === true;
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
    // Counts over the whole doctype would tell about documents this caller may not see.
    return { total_rows: rows.length, offset: null, rows };
  };
  app.get('/data/:doctype/_all_docs', allDocs);
  app.post('/data/:doctype/_all_docs', allDocs);

  app.post('/data/:doctype/_bulk_docs', async (request, reply) => {
    const { doctype = '' } = request.params;
    const perms = requireAuth(request);
    reach(request, request.body === undefined ? 'POST' : 'PUT', doctype);
    const b = objectBody(request);
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
