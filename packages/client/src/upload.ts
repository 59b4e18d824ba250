import { errorFromResponse, networkError, NuageError } from './errors.js';
import type { Transport } from './transport.js';

/** What can be uploaded: a Blob or File (browsers), bytes, text, or a byte stream (services). */
export type UploadBody = Blob | ArrayBuffer | Uint8Array | string | ReadableStream<Uint8Array>;

/** Called as bytes leave: how many so far, and the total when known. */
export type ProgressCallback = (sent: number, total: number | undefined) => void;

export interface UploadRequest {
  /** POST (a new file, the default) or PUT (new content for a file). */
  method?: 'POST' | 'PUT';
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: UploadBody;
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
}

/**
 * Sends an upload and answers the stack's JSON. Browsers report progress only through
 * XMLHttpRequest (fetch has no upload progress, and streamed request bodies need HTTP/2 there), so a
 * Blob with a progress callback goes through it when it exists; elsewhere (Node services) the body is
 * streamed through a counter, which reports bytes as fetch reads them.
 */
export async function sendUpload<T>(transport: Transport, request: UploadRequest): Promise<T> {
  const { body, onProgress } = request;
  if (onProgress && body instanceof Blob && typeof XMLHttpRequest !== 'undefined') {
    return xhrUpload<T>(transport, request, body, onProgress);
  }
  const total = sizeOf(body);
  const response = await transport.request(request.path, {
    method: request.method ?? 'POST',
    query: request.query,
    headers: request.headers,
    // A function makes a fresh body for each attempt, so a 401 can be retried; a stream can be read once.
    body:
      body instanceof ReadableStream
        ? onProgress
          ? counted(body, total, onProgress)
          : body
        : () => (onProgress ? counted(body, total, onProgress) : asBodyInit(body)),
    ...(request.signal ? { signal: request.signal } : {}),
  });
  const result = (await response.json()) as T;
  if (total !== undefined) onProgress?.(total, total);
  return result;
}

function sizeOf(body: UploadBody): number | undefined {
  if (body instanceof Blob) return body.size;
  if (body instanceof ArrayBuffer || body instanceof Uint8Array) return body.byteLength;
  if (typeof body === 'string') return new TextEncoder().encode(body).byteLength;
  return undefined;
}

function asBodyInit(body: UploadBody): BodyInit {
  return body instanceof Uint8Array ? body.slice().buffer : body;
}

function streamOf(body: UploadBody): ReadableStream<Uint8Array> {
  if (body instanceof ReadableStream) return body;
  if (body instanceof Blob) return body.stream();
  return new Blob([asBodyInit(body) as BlobPart]).stream();
}

/** The body as a stream that reports each chunk as it is read. */
function counted(body: UploadBody, total: number | undefined, onProgress: ProgressCallback) {
  let sent = 0;
  return streamOf(body).pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        sent += chunk.byteLength;
        onProgress(sent, total);
        controller.enqueue(chunk);
      },
    }),
  );
}

async function xhrUpload<T>(
  transport: Transport,
  request: UploadRequest,
  blob: Blob,
  onProgress: ProgressCallback,
): Promise<T> {
  const token = await transport.session.current();
  let answer = await xhrSend(transport.url(request.path, request.query), token, request, blob, onProgress);
  if (answer.status === 401 && transport.session.canRefresh) {
    const fresh = await transport.session.refresh(token);
    answer = await xhrSend(
      transport.url(request.path, request.query),
      fresh.token,
      request,
      blob,
      onProgress,
    );
  }
  if (answer.status < 200 || answer.status >= 300) {
    throw await errorFromResponse(new Response(answer.text, { status: answer.status }));
  }
  return JSON.parse(answer.text) as T;
}

function xhrSend(
  url: string,
  token: string,
  request: UploadRequest,
  blob: Blob,
  onProgress: ProgressCallback,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(request.method ?? 'POST', url);
    for (const [name, value] of Object.entries(request.headers)) xhr.setRequestHeader(name, value);
    xhr.setRequestHeader('authorization', `Bearer ${token}`);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (event) =>
      onProgress(event.loaded, event.lengthComputable ? event.total : blob.size);
    xhr.onload = () => resolve({ status: xhr.status, text: xhr.responseText });
    xhr.onerror = () => reject(networkError(new Error('the upload failed')));
    xhr.onabort = () => reject(new NuageError(0, 'aborted', 'aborted', 'the upload was aborted'));
    request.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(blob);
  });
}
