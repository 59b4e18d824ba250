import { createHash } from 'node:crypto';
import type { DocumentService } from '../../data/documents.js';
import { BadRequest } from '../../errors.js';
import { instanceOf, requireAuth } from '../../http/context.js';
import type { App } from '../../http/framework/app.js';
import type { Request } from '../../http/framework/request.js';
import { readableDoctypes } from '../../permissions/permissions.js';
import { checkReadable, reach, readFilter, writeCheck } from './access.js';
import { boolParam, jsonParam, stringListParam } from './params.js';

/** The `rev` a write names: `?rev=`, else an `If-Match` ETag (quotes removed). */
function revOf(request: Request): string | undefined {
  if (request.query.rev !== undefined) return request.query.rev;
  const match = request.headers['if-match'];
  return typeof match === 'string' ? match.replace(/^W\//, '').replace(/^"|"$/g, '') : undefined;
}

const meta = (q: Record<string, string>) => ({
  revs: boolParam(q, 'revs'),
  revsInfo: boolParam(q, 'revs_info'),
  conflicts: boolParam(q, 'conflicts'),
  deletedConflicts: boolParam(q, 'deleted_conflicts'),
  localSeq: boolParam(q, 'local_seq'),
});

/**
 * One document at a time: `/data/<doctype>/<id>` (and `_design/…`, `_local/…` ids) with GET, PUT,
 * DELETE, plus POST `/data/<doctype>/` to create, and the doctype listing and info. Every route asks
 * the permission module before it calls the service.
 */
export function registerDocumentRoutes(app: App, docs: DocumentService): void {
  // CouchDB's server root. Replicators name a replication after its `uuid` (PouchDB: uuid + doctype),
  // so a checkpoint survives reaching the instance by another URL.
  app.get('/data/', (request) => {
    requireAuth(request);
    const uuid = createHash('sha256')
      .update(`couchdb-uuid:${instanceOf(request).instance.id}`)
      .digest('hex');
    return { couchdb: 'Welcome', version: '3.3.3', uuid: uuid.slice(0, 32), vendor: { name: 'Nuage' } };
  });

  app.get('/data/_doctypes', async (request) => {
    const scope = instanceOf(request);
    const readable = readableDoctypes(requireAuth(request));
    const all = await docs.listDoctypes(scope);
    return all
      .filter((d) => readable === 'all' || readable.includes(d.doctype))
      .map((d) => ({
        doctype: d.doctype,
        doc_count: d.docCount,
        doc_del_count: d.docDelCount,
        update_seq: d.updateSeq,
      }));
  });

  const info = async (request: Request) => {
    const { doctype = '' } = request.params;
    reach(request, 'GET', doctype);
    const d = await docs.doctypeInfo(instanceOf(request), doctype);
    return {
      db_name: doctype,
      doctype,
      doc_count: d.docCount,
      doc_del_count: d.docDelCount,
      update_seq: d.updateSeq,
      instance_start_time: '0',
    };
  };
  app.get('/data/:doctype/', info);
  app.get('/data/:doctype', info);
  // CouchDB clients create their database first; doctypes exist implicitly, so that always succeeds.
  const createDb = async (request: Request) => {
    reach(request, 'GET', request.params.doctype ?? '');
    return { ok: true };
  };
  app.put('/data/:doctype/', createDb);
  app.put('/data/:doctype', createDb);

  app.post('/data/:doctype/', async (request, reply) => {
    const { doctype = '' } = request.params;
    const perms = requireAuth(request);
    reach(request, 'POST', doctype);
    const written = await docs.create(instanceOf(request), doctype, request.body, {
      check: writeCheck(perms, doctype),
    });
    return reply
      .code(201)
      .header('etag', `"${written.rev}"`)
      .send({ ok: true, ...written });
  });

  for (const prefix of ['', '_design/', '_local/']) {
    const path = `/data/:doctype/${prefix}:id`;
    const idOf = (request: Request) => `${prefix}${request.params.id ?? ''}`;

    app.get(path, async (request, reply) => {
      const { doctype = '' } = request.params;
      const r = reach(request, 'GET', doctype);
      const scope = instanceOf(request);
      const q = request.query;
      if (q.open_revs !== undefined) {
        const revs = q.open_revs === 'all' ? 'all' : stringListParam(jsonParam(q, 'open_revs'), 'open_revs');
        const entries = await docs.openRevs(scope, doctype, idOf(request), revs, {
          revs: boolParam(q, 'revs'),
        });
        return entries.filter((e) => !('ok' in e) || r.kind === 'whole' || readFilter(r, doctype)!(e.ok));
      }
      const doc = await docs.get(scope, doctype, idOf(request), {
        ...meta(q),
        ...(q.rev === undefined ? {} : { rev: q.rev }),
      });
      checkReadable(r, doctype, doc);
      const etag = `"${doc._rev}"`;
      if (request.headers['if-none-match'] === etag) return reply.code(304).header('etag', etag).send();
      return reply.header('etag', etag).send(doc);
    });

    app.put(path, async (request, reply) => {
      const { doctype = '' } = request.params;
      const perms = requireAuth(request);
      reach(request, 'PUT', doctype);
      const rev = revOf(request);
      const written = await docs.put(instanceOf(request), doctype, idOf(request), request.body, {
        check: writeCheck(perms, doctype),
        ...(rev === undefined ? {} : { rev }),
      });
      return reply
        .code(201)
        .header('etag', `"${written.rev}"`)
        .send({ ok: true, ...written });
    });

    app.delete(path, async (request, reply) => {
      const { doctype = '' } = request.params;
      const perms = requireAuth(request);
      reach(request, 'DELETE', doctype);
      const rev = revOf(request);
      if (rev === undefined) throw new BadRequest('give the revision to delete with ?rev= or If-Match');
      const written = await docs.delete(instanceOf(request), doctype, idOf(request), rev, {
        check: writeCheck(perms, doctype),
      });
      return reply.header('etag', `"${written.rev}"`).send({ ok: true, ...written });
    });
  }
}
