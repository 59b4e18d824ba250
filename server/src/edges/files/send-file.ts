import type { Readable } from 'node:stream';
import { BadRequest } from '../../errors.js';
import type { DataScope } from '../../data/format.js';
import { etagOf, type FileDoc } from '../../files/file-doc.js';
import type { FilesService } from '../../files/files-service.js';
import type { ByteRange } from '../../ports/blob/blob-store.js';
import type { Reply } from '../../http/framework/reply.js';
import type { Request } from '../../http/framework/request.js';
import { contentDisposition, matchesEtag, parseRange } from './headers.js';

/** What a download needs to know of a content before opening it. */
export interface Content {
  name: string;
  size: number;
  mime: string;
  etag: string;
  open(range: ByteRange | undefined): Promise<Readable>;
}

/**
 * Sends a content as a download, for files, their versions and share links alike: `ETag`,
 * `If-None-Match` → 304, one `Range` → 206 (416 outside), `Content-Disposition: attachment`, HEAD
 * without a body. The caller has already decided the content may be read.
 */
export async function sendContent(request: Request, reply: Reply, content: Content): Promise<Reply> {
  reply
    .header('etag', content.etag)
    .header('accept-ranges', 'bytes')
    .header('content-disposition', contentDisposition(content.name));
  if (matchesEtag(request.headers['if-none-match'], content.etag)) return reply.code(304).send();
  const range = parseRange(request.headers.range, content.size);
  reply.type(content.mime);
  if (range) {
    reply
      .code(206)
      .header('content-range', `bytes ${range.start}-${range.end}/${content.size}`)
      .header('content-length', range.end - range.start + 1);
  } else {
    reply.header('content-length', content.size);
  }
  // HEAD announces the length without opening the content.
  if (request.method === 'HEAD') return reply.send();
  return reply.send(await content.open(range));
}

/** Sends a file's current content (see sendContent). */
export async function sendFile(
  request: Request,
  reply: Reply,
  files: FilesService,
  scope: DataScope,
  file: FileDoc,
): Promise<Reply> {
  if (file.type !== 'file') throw new BadRequest('a directory cannot be downloaded as a file; ask for a zip');
  return sendContent(request, reply, {
    name: file.name,
    size: file.size ?? 0,
    mime: file.mime ?? 'application/octet-stream',
    etag: etagOf(file),
    open: async (range) => (await files.download(scope, file._id, range)).stream,
  });
}
