import { BadRequest } from '../../errors.js';
import type { DataScope } from '../../data/format.js';
import type { FileDoc } from '../../files/file-doc.js';
import type { FilesService } from '../../files/files-service.js';
import type { Reply } from '../../http/framework/reply.js';
import type { Request } from '../../http/framework/request.js';
import { contentDisposition, matchesEtag, parseRange } from './headers.js';

/**
 * Sends a file's content as a download, for the files API and share links alike: `ETag` (the MD5),
 * `If-None-Match` → 304, one `Range` → 206 (416 outside), `Content-Disposition: attachment`, HEAD
 * without a body. The caller has already decided the file may be read.
 */
export async function sendFile(
  request: Request,
  reply: Reply,
  files: FilesService,
  scope: DataScope,
  file: FileDoc,
): Promise<Reply> {
  if (file.type !== 'file') throw new BadRequest('a directory cannot be downloaded as a file; ask for a zip');
  const size = file.size ?? 0;
  const etag = `"${file.md5sum ?? ''}"`;
  reply
    .header('etag', etag)
    .header('accept-ranges', 'bytes')
    .header('content-disposition', contentDisposition(file.name));
  if (matchesEtag(request.headers['if-none-match'], etag)) return reply.code(304).send();
  const range = parseRange(request.headers.range, size);
  reply.type(file.mime ?? 'application/octet-stream');
  if (range) {
    reply
      .code(206)
      .header('content-range', `bytes ${range.start}-${range.end}/${size}`)
      .header('content-length', range.end - range.start + 1);
  } else {
    reply.header('content-length', size);
  }
  // HEAD announces the length without opening the content.
  if (request.method === 'HEAD') return reply.send();
  const { stream } = await files.download(scope, file._id, range);
  return reply.send(stream);
}
