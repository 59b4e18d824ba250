import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DocumentService } from '../../src/data/documents.js';
import { createLogger } from '../../src/http/framework/log.js';
import { NOTIFICATIONS_DOCTYPE, notifyWorker } from '../../src/jobs/notify.js';
import type { JobService } from '../../src/jobs/service.js';
import type { JobContext } from '../../src/jobs/workers.js';
import { STORE_ADAPTERS, type StoreFixture } from '../support/stores.js';
import { T0 } from './harness.js';

describe.each(STORE_ADAPTERS)('notify worker on $name', (adapter) => {
  let fx: StoreFixture;
  beforeEach(async () => {
    fx = await adapter.create();
  });
  afterEach(async () => {
    await fx.dispose();
  });

  it('stores one notification and queues one mail even when the job runs twice', async () => {
    const instance = await fx.store.instances.create('alice.localhost');
    const storage = await fx.store.open(instance);
    const queued: unknown[] = [];
    const service = {
      enqueue: async (_scope: unknown, job: unknown) => queued.push(job),
    } as unknown as JobService;
    const documents = new DocumentService({ now: () => T0 });
    const worker = notifyWorker(documents, () => service);
    const job = await storage.jobs.enqueue({ worker: 'notify' }, T0);
    const context: JobContext = {
      instance,
      storage,
      job,
      signal: new AbortController().signal,
      now: () => T0,
      logger: createLogger('silent'),
    };
    const payload = worker.parse({ title: 'Hello', message: 'World', mailTo: 'a@b.c' });
    await worker.run(payload, context);
    await worker.run(payload, context);
    const [doc] = await storage.documents.getDocs(NOTIFICATIONS_DOCTYPE, [`job-${job.id}`]);
    expect(doc?.body).toMatchObject({ title: 'Hello', message: 'World', read: false });
    expect(queued).toEqual([
      { worker: 'sendmail', payload: { to: 'a@b.c', subject: 'Hello', text: 'World' } },
    ]);
    documents.close();
  });
});
