import { BadRequest, NotFound, PreconditionFailed } from '../../errors.js';
import { etagOf, FILES, present, presentVersion, type FileDoc } from '../../files/file-doc.js';
import type { FilesService } from '../../files/files-service.js';
import { instanceOf } from '../../http/context.js';
import type { App } from '../../http/framework/app.js';
import type { Request } from '../../http/framework/request.js';
import type { Verb } from '../../permissions/permissions.js';
import { checkReadable, reach, readFilter, writeCheck, type Reach } from '../data/access.js';
import { md5FromHeader, sha256FromDigest } from './headers.js';
import { sendContent, sendFile } from './send-file.js';

/** Asks the permission module for `verb` on io.nuage.files, returning what a service write needs. */
function access(request: Request, verb: Verb) {
  const r = reach(request, verb, FILES);
  const check = writeCheck(r.perms, FILES);
  return {
    reach: r,
    options: check === undefined ? {} : { check },
    scope: instanceOf(request),
  };
}

function readable(request: Request, doc: FileDoc): FileDoc {
  checkReadable(reach(request, 'GET', FILES), FILES, doc as unknown as Record<string, unknown>);
  return doc;
}

/** The entries a partial reach may read (all of them for a whole one). */
function visibleTo(r: Reach, docs: FileDoc[]): FileDoc[] {
  const keep = readFilter(r, FILES);
  return keep ? docs.filter((doc) => keep(doc as unknown as Record<string, unknown>)) : docs;
}

/** The upload options a request's headers announce: type, length and checksums. */
function uploadHeaders(request: Request) {
  const length = request.headers['content-length'];
  const contentType = request.headers['content-type'];
  const expectedMd5 = md5FromHeader(request.headers['content-md5']);
  const expectedSha256 = sha256FromDigest(request.headers.digest);
  return {
    ...(typeof contentType === 'string' ? { mime: contentType.split(';')[0]?.trim() ?? '' } : {}),
    ...(typeof length === 'string' && /^\d+$/.test(length) ? { declaredSize: Number(length) } : {}),
    ...(expectedMd5 === undefined ? {} : { expectedMd5 }),
    ...(expectedSha256 === undefined ? {} : { expectedSha256 }),
  };
}

function jsonBody(request: Request): Record<string, unknown> {
  const body = request.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new BadRequest('a JSON object is expected');
  }
  return body as Record<string, unknown>;
}

/**
 * The `/files` API (docs/files.md): thin handlers that parse, ask `reach` for io.nuage.files, call one
 * FilesService function and format the answer. Errors become problem+json in the app's one handler.
 */
export function registerFilesRoutes(app: App, files: FilesService): void {
  app.post(
    '/files/:dirId',
    async (request, reply) => {
      const { scope, options } = access(request, 'POST');
      const dirId = request.params.dirId ?? '';
      const { Type: type, Name: name } = request.query;
      if (type === 'directory') {
        request.raw.resume();
        const dir = await files.createDirectory(scope, dirId, name, options);
        return reply.code(201).send(present(dir));
      }
      if (type !== 'file') throw new BadRequest('Type must be file or directory');
      const file = await files.upload(scope, dirId, name, request.raw, {
        ...options,
        ...uploadHeaders(request),
      });
      return reply.code(201).send(present(file));
    },
    { rawBody: true },
  );

  // New content for a file; `If-Match` (a revision or the content's ETag) guards against lost updates.
  app.put(
    '/files/:id',
    async (request) => {
      const { scope, options } = access(request, 'PUT');
      const file = readable(request, await files.get(scope, request.params.id ?? ''));
      const ifMatch = request.headers['if-match'];
      if (typeof ifMatch === 'string' && !ifMatchFile(ifMatch, file)) {
        throw new PreconditionFailed('the file changed since this version was read');
      }
      return present(
        await files.replace(scope, file._id, request.raw, { ...options, ...uploadHeaders(request) }),
      );
    },
    { rawBody: true },
  );

  app.get('/files/:id/versions', async (request) => {
    const { scope } = access(request, 'GET');
    const file = readable(request, await files.get(scope, request.params.id ?? ''));
    return { versions: (await files.versions(scope, file._id)).map(presentVersion) };
  });

  app.get('/files/:id/versions/:version', async (request, reply) => {
    const { scope } = access(request, 'GET');
    const file = readable(request, await files.get(scope, request.params.id ?? ''));
    const versionId = request.params.version ?? '';
    const version = (await files.versions(scope, file._id)).find((v) => v.blob === versionId);
    if (!version) throw new NotFound('no such version of this file');
    return sendContent(request, reply, {
      name: file.name,
      size: version.size,
      mime: version.mime,
      etag: etagOf(version),
      open: async (range) => (await files.downloadVersion(scope, file._id, versionId, range)).stream,
    });
  });

  app.post('/files/:id/versions/:version/restore', async (request) => {
    const { scope, options } = access(request, 'PUT');
    const file = readable(request, await files.get(scope, request.params.id ?? ''));
    return present(await files.restoreVersion(scope, file._id, request.params.version ?? '', options));
  });

  app.delete('/files/:id/versions/:version', async (request) => {
    const { scope, options } = access(request, 'PUT');
    const file = readable(request, await files.get(scope, request.params.id ?? ''));
    return present(await files.deleteVersion(scope, file._id, request.params.version ?? '', options));
  });

  app.get('/files/:id', async (request) => {
    const { scope } = access(request, 'GET');
    return present(readable(request, await files.get(scope, request.params.id ?? '')));
  });

  app.get('/files/:id/children', async (request) => {
    const { scope, reach: r } = access(request, 'GET');
    const dir = readable(request, await files.get(scope, request.params.id ?? ''));
    const children = await files.children(scope, dir._id);
    return { dir: present(dir), children: visibleTo(r, children).map(present) };
  });

  app.get('/files/trash', async (request) => {
    const { scope, reach: r } = access(request, 'GET');
    const trashed = await files.trashed(scope);
    return { trashed: visibleTo(r, trashed).map(present) };
  });

  app.get('/files/download/:id', async (request, reply) => {
    const { scope } = access(request, 'GET');
    const file = readable(request, await files.get(scope, request.params.id ?? ''));
    if (file.type !== 'file') throw new BadRequest('a directory downloads as a zip: GET /files/<id>/zip');
    return sendFile(request, reply, files, scope, file);
  });

  app.route('PATCH', '/files/:id', async (request) => {
    const { scope, options } = access(request, 'PUT');
    const body = jsonBody(request);
    readable(request, await files.get(scope, request.params.id ?? ''));
    const patch = {
      ...(body.name === undefined ? {} : { name: body.name }),
      ...(body.dir_id === undefined ? {} : { dir_id: body.dir_id }),
    };
    return present(await files.update(scope, request.params.id ?? '', patch, options));
  });

  app.delete('/files/:id', async (request) => {
    const { scope, options } = access(request, 'PUT');
    readable(request, await files.get(scope, request.params.id ?? ''));
    return present(await files.trash(scope, request.params.id ?? '', options));
  });

  app.post('/files/trash/:id', async (request) => {
    const { scope, options } = access(request, 'PUT');
    readable(request, await files.get(scope, request.params.id ?? ''));
    return present(await files.restore(scope, request.params.id ?? '', options));
  });

  app.delete('/files/trash/:id', async (request, reply) => {
    const { scope, options } = access(request, 'DELETE');
    readable(request, await files.get(scope, request.params.id ?? ''));
    await files.destroy(scope, request.params.id ?? '', options);
    return reply.code(204).send();
  });
}

/** Whether an `If-Match` value names this file's revision or its content's ETag (or is `*`). */
function ifMatchFile(header: string, file: FileDoc): boolean {
  const tags = header.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
  return tags.some(
    (tag) => tag === '*' || tag === etagOf(file) || tag === `"${file._rev}"` || tag === file._rev,
  );
}
