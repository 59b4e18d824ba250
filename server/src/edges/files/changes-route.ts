import { BadRequest } from '../../errors.js';
import { FILES, present } from '../../files/file-doc.js';
import type { FileChangesOptions, FilesService } from '../../files/files-service.js';
import { instanceOf } from '../../http/context.js';
import type { App } from '../../http/framework/app.js';
import { abortOnClose } from '../data/changes-routes.js';
import { reach, readFilter } from '../data/access.js';
import { boolParam, intParam, sinceParam } from '../data/params.js';

/** A longpoll waits at most this long, as on `/data/<doctype>/_changes`. */
const MAX_WAIT_MS = 5 * 60_000;

/**
 * `GET /files/_changes`: what a sync client polls to mirror the tree (docs/files.md). CouchDB's
 * `since`, `limit`, `include_docs`, `feed=normal|longpoll` and `timeout`, plus `skip_deleted`,
 * `skip_trashed` and `fields` (a comma-separated list of the entry fields to return). Entries come as
 * the API shows them (`present`), never with their blob ids; a token that reaches only part of the
 * tree sees only that part, deletions included only for ids it could read.
 */
export function registerFilesChangesRoute(app: App, files: FilesService): void {
  app.get('/files/_changes', async (request, reply) => {
    const r = reach(request, 'GET', FILES);
    const q = request.query;
    const scope = instanceOf(request);
    const feed = q.feed ?? 'normal';
    if (feed !== 'normal' && feed !== 'longpoll') throw new BadRequest('feed must be normal or longpoll');
    const options: FileChangesOptions = {
      since: await sinceParam(q.since, () => scope.storage.documents.updateSeq()),
      feed,
      skipDeleted: boolParam(q, 'skip_deleted'),
      skipTrashed: boolParam(q, 'skip_trashed'),
      signal: abortOnClose(reply.raw),
    };
    const limit = intParam(q, 'limit');
    if (limit !== undefined) options.limit = limit;
    const timeout = intParam(q, 'timeout');
    if (timeout !== undefined) options.timeoutMs = Math.min(timeout, MAX_WAIT_MS);
    const includeDocs = boolParam(q, 'include_docs');
    const fields = fieldsParam(q.fields);
    const keep = readFilter(r, FILES);
    const { results, last_seq } = await files.changes(scope, options);
    const rows = [];
    for (const change of results) {
      // A partial reach decides on the document; a deletion carries none, so it stays unseen.
      if (keep && !(change.doc && keep(change.doc as unknown as Record<string, unknown>))) continue;
      const { doc, ...row } = change;
      rows.push(doc && includeDocs ? { ...row, doc: pick(present(doc), fields) } : row);
    }
    return { results: rows, last_seq };
  });
}

function fieldsParam(raw: string | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  const fields = raw.split(',').map((field) => field.trim());
  if (fields.some((field) => !/^[a-z_][a-z0-9_]{0,63}$/i.test(field))) {
    throw new BadRequest('fields must be a comma-separated list of field names');
  }
  return fields;
}

/** The entry with only `fields` (and always its id and rev). */
function pick(entry: Record<string, unknown>, fields: string[] | undefined): Record<string, unknown> {
  if (fields === undefined) return entry;
  const picked: Record<string, unknown> = { id: entry.id, rev: entry.rev };
  for (const field of fields) if (field in entry) picked[field] = entry[field];
  return picked;
}
