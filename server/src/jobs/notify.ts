import type { DocumentService } from '../data/documents.js';
import { Conflict } from '../errors.js';
import type { JobScope, JobService } from './service.js';
import { defineWorker, InvalidPayload, type Worker } from './workers.js';

/** Where notifications live; the notification centre and realtime read them from there. */
export const NOTIFICATIONS_DOCTYPE = 'io.nuage.notifications';

export interface Notification {
  title: string;
  message?: string;
  /** Where clicking the notification leads (an app route, say). */
  url?: string;
  /** A free category for grouping and muting, e.g. `calendar.reminder`. */
  category?: string;
  /** Also send it by mail to this address (through `sendmail`). */
  mailTo?: string;
}

export function parseNotification(payload: unknown): Notification {
  const p = (payload ?? {}) as Record<string, unknown>;
  if (typeof p.title !== 'string' || p.title.length === 0 || p.title.length > 500)
    throw new InvalidPayload('title must be a string of 1 to 500 characters');
  const n: Notification = { title: p.title };
  for (const key of ['message', 'url', 'category', 'mailTo'] as const) {
    const value = p[key];
    if (value === undefined) continue;
    if (typeof value !== 'string') throw new InvalidPayload(`${key} must be a string`);
    n[key] = value;
  }
  return n;
}

/**
 * `notify`: stores an `io.nuage.notifications` document (so open tabs hear of it through realtime) and,
 * with `mailTo`, queues a `sendmail` job. Idempotent: the document's id is derived from the job, so a
 * second run finds it and queues no second mail.
 */
export function notifyWorker(documents: DocumentService, jobs: () => JobService): Worker {
  return defineWorker<Notification>({
    name: 'notify',
    concurrency: 4,
    timeoutMs: 30_000,
    parse: parseNotification,
    run: async (n, { instance, storage, job, now }) => {
      const scope = { instance, storage };
      const source = { worker: 'notify', job: job.id };
      // An earlier attempt stored it (and queued its mail): nothing more to do.
      if (!(await storeNotification(documents, scope, `job-${job.id}`, n, now(), source))) return;
      if (n.mailTo !== undefined) {
        const text = [n.message ?? '', n.url ?? ''].filter(Boolean).join('\n\n') || n.title;
        await jobs().enqueue(scope, {
          worker: 'sendmail',
          payload: { to: n.mailTo, subject: n.title, text },
        });
      }
    },
  });
}

/**
 * Stores a notification under `id` unless one is there already: the id is what makes a worker that
 * runs twice notify once. Resolves false when the document existed.
 */
export async function storeNotification(
  documents: DocumentService,
  scope: JobScope,
  id: string,
  n: Notification,
  now: number,
  source: Record<string, string>,
): Promise<boolean> {
  const doc = {
    title: n.title,
    message: n.message ?? null,
    url: n.url ?? null,
    category: n.category ?? null,
    read: false,
    createdAt: new Date(now).toISOString(),
    source,
  };
  try {
    await documents.put(scope, NOTIFICATIONS_DOCTYPE, id, doc);
    return true;
  } catch (error) {
    if (error instanceof Conflict) return false;
    throw error;
  }
}
