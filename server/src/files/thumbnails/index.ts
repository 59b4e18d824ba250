import type { Logger } from '../../http/framework/log.js';
import type { JobService } from '../../jobs/service.js';
import type { Worker } from '../../jobs/workers.js';
import type { BlobStore } from '../../ports/blob/blob-store.js';
import type { FilesService } from '../files-service.js';
import { ThumbnailStore } from './thumbnail-store.js';
import { ThumbnailTriggers } from './thumbnail-triggers.js';
import { thumbnailWorker, type ThumbnailLimits } from './thumbnail-worker.js';

/** Thumbnails as the composition root wires them (docs/files.md, Thumbnails). */
export interface Thumbnails {
  /** The records and blobs: what the routes serve and the orphan sweep keeps. */
  readonly store: ThumbnailStore;
  /** The `thumbnail` job worker, to register with the job runner. */
  readonly worker: Worker;
  /** Gives an instance its `@event` trigger, once per process (call it when serving the instance). */
  readonly triggers: ThumbnailTriggers;
}

export function createThumbnails(deps: {
  files: FilesService;
  blobs: BlobStore;
  jobs: () => JobService;
  logger: Logger;
  now: () => number;
  limits?: ThumbnailLimits;
}): Thumbnails {
  const store = new ThumbnailStore(deps.blobs, deps.now);
  return {
    store,
    worker: thumbnailWorker({ ...deps, store }),
    triggers: new ThumbnailTriggers(deps),
  };
}
