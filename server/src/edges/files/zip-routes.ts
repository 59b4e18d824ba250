import { Readable } from 'node:stream';
import { BadRequest } from '../../errors.js';
import { FILES, type FileDoc } from '../../files/file-doc.js';
import type { FilesService } from '../../files/files-service.js';
import type { ZipEntry } from '../../files/zip.js';
import { zipEntries } from '../../files/zip-tree.js';
import { instanceOf } from '../../http/context.js';
import type { App } from '../../http/framework/app.js';
import type { Reply } from '../../http/framework/reply.js';
import type { Request } from '../../http/framework/request.js';
import { checkReadable, reach, readFilter } from '../data/access.js';
import { contentDisposition } from './headers.js';

/** At most this many ids in one selection. */
const MAX_SELECTION = 1000;

/**
 * Streams entries as one zip download: no Content-Length (it is known only at the end), no temp file.
 * The writer is imported when first used, to keep it out of the idle process.
 */
export async function sendZip(
  request: Request,
  reply: Reply,
  name: string,
  entries: ZipEntry[],
): Promise<Reply> {
  reply
    .type('application/zip')
    .header('content-disposition', contentDisposition(name))
    .header('cache-control', 'no-store');
  // HEAD learns the headers without the archive being built and thrown away (an empty stream, so no
  // Content-Length: 0 is claimed for an archive whose length nobody knows).
  if (request.method === 'HEAD') return reply.send(Readable.from([]));
  const { zipStream } = await import('../../files/zip.js');
  return reply.send(zipStream(entries));
}

/** `Photos.zip` for a folder or file, `files.zip` for the root or a selection. */
export function archiveName(entries: readonly FileDoc[]): string {
  const only = entries.length === 1 ? entries[0] : undefined;
  return only && only.name !== '' ? `${only.name}.zip` : 'files.zip';
}

/**
 * The owner's zip downloads (docs/files.md): a folder with everything below it, or a selection of
 * entries side by side. Partial reaches (selector tokens) get only what they may read.
 */
export function registerZipRoutes(app: App, files: FilesService): void {
  const keepFor = (request: Request): ((doc: FileDoc) => boolean) => {
    const keep = readFilter(reach(request, 'GET', FILES), FILES);
    return keep ? (doc) => keep(doc as unknown as Record<string, unknown>) : () => true;
  };
  const readable = async (request: Request, id: string): Promise<FileDoc> => {
    const doc = await files.get(instanceOf(request), id);
    checkReadable(reach(request, 'GET', FILES), FILES, doc as unknown as Record<string, unknown>);
    return doc;
  };

  app.get('/files/:id/zip', async (request, reply) => {
    const scope = instanceOf(request);
    const keep = keepFor(request);
    const doc = await readable(request, request.params.id ?? '');
    return sendZip(request, reply, archiveName([doc]), await zipEntries(files, scope, [doc], keep));
  });

  app.post('/files/zip', async (request, reply) => {
    const scope = instanceOf(request);
    const keep = keepFor(request);
    const body = request.body as { ids?: unknown } | undefined;
    const ids = body?.ids;
    if (
      !Array.isArray(ids) ||
      ids.length === 0 ||
      ids.length > MAX_SELECTION ||
      !ids.every((id): id is string => typeof id === 'string')
    ) {
      throw new BadRequest(`ids must be an array of 1 to ${MAX_SELECTION} entry ids`);
    }
    const docs: FileDoc[] = [];
    for (const id of new Set(ids)) docs.push(await readable(request, id));
    return sendZip(request, reply, archiveName(docs), await zipEntries(files, scope, docs, keep));
  });
}
