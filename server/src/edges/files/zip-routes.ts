import { Readable } from 'node:stream';
import { BadRequest, NotFound } from '../../errors.js';
import { createDownloadLink, findDownloadLink } from '../../files/download-links.js';
import { canAny, canWhole, type PermissionSet } from '../../permissions/permissions.js';
import { FILES, type FileDoc } from '../../files/file-doc.js';
import type { FilesService } from '../../files/files-service.js';
import type { ZipEntry } from '../../files/zip.js';
import { zipEntries } from '../../files/zip-tree.js';
import { instanceOf } from '../../http/context.js';
import type { App } from '../../http/framework/app.js';
import type { Reply } from '../../http/framework/reply.js';
import type { Request } from '../../http/framework/request.js';
import { checkReadable, reach, readFilter, type Reach } from '../data/access.js';
import { sendFile } from './send-file.js';
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
    const docs: FileDoc[] = [];
    for (const id of selection(request.body)) docs.push(await readable(request, id));
    return sendZip(request, reply, archiveName(docs), await zipEntries(files, scope, docs, keep));
  });

  // A one-minute link an app can navigate to: the browser streams the download to disk itself.
  app.post('/files/_download-links', async (request) => {
    const ctx = instanceOf(request);
    const body = request.body as { ids?: unknown; zip?: unknown } | undefined;
    const ids = [...new Set(selection(body))];
    const zip = body?.zip === true;
    const docs: FileDoc[] = [];
    for (const id of ids) docs.push(await readable(request, id));
    if (!zip && (docs.length !== 1 || docs[0]!.type !== 'file'))
      throw new BadRequest('without "zip": true a link downloads exactly one file');
    const perms = reach(request, 'GET', FILES).perms;
    const { secret, expiresAt } = await createDownloadLink(ctx.storage.records, ctx.accounts.now(), {
      ids,
      zip,
      perms,
    });
    return { url: `/files/dl/${secret}`, expiresAt };
  });

  app.get('/files/dl/:secret', async (request, reply) => {
    const ctx = instanceOf(request);
    const link = await findDownloadLink(ctx.storage.records, ctx.accounts.now(), request.params.secret ?? '');
    if (!link) throw new NotFound('this download link is unknown or has expired');
    reply
      .header('referrer-policy', 'no-referrer')
      .header('content-security-policy', "default-src 'none'; sandbox");
    // The maker's permissions, checked again: an entry trashed or out of reach since is not served.
    const r = reachOf(link.perms);
    const filter = readFilter(r, FILES);
    const keep = filter ? (doc: FileDoc) => filter(doc as unknown as Record<string, unknown>) : () => true;
    const docs: FileDoc[] = [];
    for (const id of link.ids) {
      const doc = await files.get(ctx, id);
      checkReadable(r, FILES, doc as unknown as Record<string, unknown>);
      if (!(await files.reachable(ctx, doc))) throw new NotFound('this entry is in the trash');
      docs.push(doc);
    }
    if (!link.zip) return sendFile(request, reply, files, ctx, docs[0]!);
    return sendZip(request, reply, archiveName(docs), await zipEntries(files, ctx, docs, keep));
  });
}

/** What a stored permission set may read of the files, as `reach` says for a live caller. */
function reachOf(perms: PermissionSet): Reach {
  if (canWhole(perms, 'GET', FILES)) return { kind: 'whole', perms };
  if (canAny(perms, 'GET', FILES)) return { kind: 'partial', perms };
  throw new NotFound('this download link is unknown or has expired');
}

/** The `ids` of a selection body, checked. */
function selection(body: unknown): string[] {
  const ids = (body as { ids?: unknown } | undefined)?.ids;
  if (
    !Array.isArray(ids) ||
    ids.length === 0 ||
    ids.length > MAX_SELECTION ||
    !ids.every((id): id is string => typeof id === 'string')
  ) {
    throw new BadRequest(`ids must be an array of 1 to ${MAX_SELECTION} entry ids`);
  }
  return ids;
}
