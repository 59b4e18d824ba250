import { NotFound } from '../../errors.js';
import type { JobService } from '../../jobs/service.js';
import { defineWorker, InvalidPayload, PermanentFailure, type Worker } from '../../jobs/workers.js';
import { contentKey, ROOT_ID } from '../file-doc.js';
import type { FilesService } from '../files-service.js';
import { renderThumbnails, UnreadableImage, type RenderLimits } from './render.js';
import { mayBeImage, sniffImage } from './sniff.js';
import type { ThumbnailStore } from './thumbnail-store.js';

export const THUMBNAIL_WORKER = 'thumbnail';

export interface ThumbnailLimits extends RenderLimits {
  /** Files larger than this are not decoded: the whole content is read into memory first. */
  maxBytes: number;
}

/** 100 megapixels: past any phone camera's photo, far below what would exhaust a small server. */
export const DEFAULT_LIMITS: ThumbnailLimits = { maxPixels: 100_000_000, maxBytes: 64 * 1024 * 1024 };

/** `{fileId}`: bring that file's thumbnails up to date; `{}`: queue that for every file that needs it. */
interface ThumbnailPayload {
  fileId?: string;
}

/** Payloads come from the `@event` trigger (`{event: {id, verb…}}`), a backfill (`{fileId}`) or a caller (`{}`). */
function parse(payload: unknown): ThumbnailPayload {
  const p = (payload ?? {}) as { fileId?: unknown; event?: { id?: unknown } };
  const id = p.event === undefined ? p.fileId : p.event.id;
  if (id === undefined) return {};
  if (typeof id !== 'string' || id === '') throw new InvalidPayload('fileId must be a file id');
  return { fileId: id };
}

/**
 * `thumbnail`: makes a file's thumbnails match its current content. It reads the file again rather
 * than trusting the event's verb, so it is idempotent and order does not matter: a file gone loses its
 * thumbnails, a file whose content has a record (thumbnails, or a noted failure) is left alone, and any
 * other image is decoded and its three sizes stored under its MD5. A content that is not an image, or
 * is too large, is noted as such. An image that cannot be decoded is noted too, and the job fails
 * without retries (PermanentFailure): another attempt would read the same bytes.
 */
export function thumbnailWorker(deps: {
  files: FilesService;
  store: ThumbnailStore;
  jobs: () => JobService;
  limits?: ThumbnailLimits;
}): Worker {
  const limits = deps.limits ?? DEFAULT_LIMITS;
  return defineWorker<ThumbnailPayload>({
    name: THUMBNAIL_WORKER,
    concurrency: 1,
    timeoutMs: 120_000,
    parse,
    run: async ({ fileId }, { instance, storage, signal }) => {
      const scope = { instance, storage };
      if (fileId === undefined) {
        // Files written before the instance had its trigger: one job each, so none holds the others up.
        for (const file of await deps.files.descendants(scope, ROOT_ID)) {
          if (signal.aborted) return;
          if (mayBeImage(file) && !(await deps.store.current(scope, file)))
            await deps.jobs().enqueue(scope, { worker: THUMBNAIL_WORKER, payload: { fileId: file._id } });
        }
        return;
      }
      const file = await deps.files.get(scope, fileId).catch((error: unknown) => {
        if (error instanceof NotFound) return null;
        throw error;
      });
      const key = file ? contentKey(file) : undefined;
      if (!file || !mayBeImage(file) || key === undefined) {
        await deps.store.remove(scope, fileId);
        return;
      }
      if ((await deps.store.record(scope, fileId))?.content === key) return;
      if ((file.size ?? 0) > limits.maxBytes) {
        await deps.store.markFailed(scope, fileId, key, `larger than ${limits.maxBytes} bytes`);
        return;
      }
      const { stream } = await deps.files.download(scope, fileId);
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      const content = Buffer.concat(chunks);
      if (!sniffImage(content.subarray(0, 16))) {
        await deps.store.markFailed(scope, fileId, key, 'not an image');
        return;
      }
      let rendered;
      try {
        rendered = await renderThumbnails(content, limits);
      } catch (error) {
        if (!(error instanceof UnreadableImage)) throw error;
        await deps.store.markFailed(scope, fileId, key, error.message);
        throw new PermanentFailure(`unreadable image: ${error.message}`, { cause: error });
      }
      if (signal.aborted) return;
      await deps.store.save(scope, fileId, key, rendered);
    },
  });
}
