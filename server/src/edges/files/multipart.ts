import { PassThrough, type Readable } from 'node:stream';
import { BadRequest } from '../../errors.js';

export interface FilePart {
  /** The form field's name. */
  field: string;
  /** The file name the browser sent (not checked: callers check it as a name). */
  filename: string;
  /** The part's Content-Type, or application/octet-stream. */
  type: string;
  /** The part's bytes, as they arrive. */
  stream: Readable;
}

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');
const MAX_HEADER = 16 * 1024;
const MAX_PARTS = 1000;

/** The boundary of a `multipart/form-data` Content-Type; BadRequest for anything else. */
export function multipartBoundary(contentType: string | undefined): string {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^;\s]{1,70}))/i.exec(contentType ?? '');
  const boundary = match?.[1] ?? match?.[2];
  if (type !== 'multipart/form-data' || !boundary) {
    throw new BadRequest('a multipart/form-data body with a boundary is expected');
  }
  return boundary;
}

/**
 * Reads a `multipart/form-data` body as it arrives (RFC 7578) and hands each file part to `onFile` as a
 * stream, one at a time, with back-pressure: nothing is held beyond one chunk and a boundary's length.
 * Fields that are not files are skipped. Resolves with what each `onFile` resolved with; a malformed
 * or truncated body is a BadRequest, and the part being read then errors, so its consumer keeps nothing.
 */
export async function eachFilePart<T>(
  body: AsyncIterable<Buffer>,
  boundary: string,
  onFile: (part: FilePart) => Promise<T>,
): Promise<T[]> {
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  const results: T[] = [];
  let parts = 0;
  // The first delimiter has no CRLF before it: pretend it had one.
  let buffer: Buffer = CRLF;
  let state: 'preamble' | 'after' | 'headers' | 'body' | 'done' = 'preamble';
  let current: { stream: PassThrough; done: Promise<T> } | null = null;

  const write = async (bytes: Buffer): Promise<void> => {
    if (!current || bytes.length === 0) return;
    if (!current.stream.write(bytes)) {
      // The consumer may stop early (over quota): its failure ends the wait for `drain`.
      await Promise.race([new Promise((resolve) => current!.stream.once('drain', resolve)), current.done]);
    }
  };

  try {
    for await (const chunk of body) {
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
      for (;;) {
        if (state === 'preamble' || state === 'body') {
          const at = buffer.indexOf(delimiter);
          if (at < 0) {
            const keep = Math.min(buffer.length, delimiter.length - 1);
            await write(buffer.subarray(0, buffer.length - keep));
            buffer = buffer.subarray(buffer.length - keep);
            break;
          }
          await write(buffer.subarray(0, at));
          buffer = buffer.subarray(at + delimiter.length);
          if (current) {
            const finished = current;
            current = null;
            finished.stream.end();
            results.push(await finished.done);
          }
          state = 'after';
        } else if (state === 'after') {
          if (buffer.length < 2) break;
          const next = buffer.subarray(0, 2).toString('latin1');
          if (next === '--') {
            state = 'done';
            break;
          }
          if (next !== '\r\n') throw new BadRequest('malformed multipart body');
          buffer = buffer.subarray(2);
          state = 'headers';
        } else if (state === 'headers') {
          const at = buffer.indexOf(HEADER_END);
          if (at < 0) {
            if (buffer.length > MAX_HEADER) throw new BadRequest('multipart part headers are too long');
            break;
          }
          const headers = parseHeaders(buffer.subarray(0, at).toString('utf8'));
          buffer = buffer.subarray(at + HEADER_END.length);
          if (++parts > MAX_PARTS) throw new BadRequest(`at most ${MAX_PARTS} parts per request`);
          const disposition = parseDisposition(headers.get('content-disposition') ?? '');
          if (disposition.filename !== undefined) {
            const stream = new PassThrough();
            // The consumer may not be reading yet when a bad body makes us destroy the part: its own
            // reads see the error; this keeps it from being an uncaught 'error' event meanwhile.
            stream.on('error', () => undefined);
            const done = onFile({
              field: disposition.name ?? '',
              filename: disposition.filename,
              type: headers.get('content-type') ?? 'application/octet-stream',
              stream,
            });
            // Awaited at the part's end; until then a failure must not count as unhandled.
            done.catch(() => undefined);
            current = { stream, done };
          }
          state = 'body';
        } else {
          break;
        }
      }
      if (state === 'done') break;
    }
    if (state !== 'done') throw new BadRequest('the multipart body ended before its closing boundary');
  } catch (error) {
    if (current) {
      current.stream.destroy(error instanceof Error ? error : new Error(String(error)));
      await current.done.catch(() => undefined);
    }
    throw error;
  }
  return results;
}

function parseHeaders(text: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

/** `form-data; name="x"; filename="y"` (quoted strings with `\"`), and RFC 5987 `filename*=UTF-8''…`. */
function parseDisposition(value: string): { name?: string; filename?: string } {
  const out: { name?: string; filename?: string } = {};
  const param = /;\s*([\w*]+)=(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g;
  let star: string | undefined;
  for (const m of value.matchAll(param)) {
    const key = m[1]!.toLowerCase();
    const val = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? '').trim();
    if (key === 'name') out.name = val;
    else if (key === 'filename') out.filename = val;
    else if (key === 'filename*') {
      const ext = /^utf-8''(.*)$/i.exec(val);
      try {
        star = ext ? decodeURIComponent(ext[1]!) : undefined;
      } catch {
        star = undefined;
      }
    }
  }
  if (star !== undefined) out.filename = star;
  return out;
}
