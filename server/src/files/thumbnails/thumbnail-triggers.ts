import type { Logger } from '../../http/framework/log.js';
import { OncePerInstance } from '../../jobs/once-per-instance.js';
import type { JobScope, JobService } from '../../jobs/service.js';
import { FILES } from '../file-doc.js';
import { mayBeImageSelector } from './sniff.js';
import { THUMBNAIL_WORKER } from './thumbnail-worker.js';

/**
 * Gives every instance the internal `@event io.nuage.files` trigger of the `thumbnail` worker, so each
 * written, changed or deleted file that may be an image (`mayBeImageSelector`) queues a job, whichever edge wrote it (REST, WebDAV, share links,
 * replication), with no code in the upload path. As for calendar reminders (docs/jobs.md), it is made
 * the first time this process serves a request for the instance: every file arrives through a request.
 * When it has to be made, one backfill job queues the files written before its cursor.
 */
export class ThumbnailTriggers {
  private readonly once: OncePerInstance;

  constructor(private readonly deps: { jobs: () => JobService; logger: Logger }) {
    this.once = new OncePerInstance((scope) => this.ensure(scope), deps.logger, 'thumbnails');
  }

  /** `ensure`, once per instance and process; a failure is logged and tried again next time. */
  ensureOnce(scope: JobScope): Promise<void> {
    return this.once.run(scope);
  }

  /** Makes sure the instance has the trigger; queues the backfill when it had to be made. */
  async ensure(scope: JobScope): Promise<void> {
    const service = this.deps.jobs();
    const triggers = await service.listTriggers(scope);
    if (triggers.some((t) => t.worker === THUMBNAIL_WORKER && t.type === '@event')) return;
    await service.createTrigger(scope, {
      type: '@event',
      arguments: `${FILES}:CREATED,UPDATED,DELETED:${JSON.stringify(mayBeImageSelector())}`,
      worker: THUMBNAIL_WORKER,
      payload: {},
    });
    await service.enqueue(scope, { worker: THUMBNAIL_WORKER, payload: {} });
  }
}
