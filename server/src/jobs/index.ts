import type { DocumentService } from '../data/documents.js';
import type { ChangeNotifier } from '../data/notifier.js';
import type { Logger } from '../http/framework/log.js';
import type { Store } from '../ports/store/store.js';
import { logWorker, sleepWorker } from './builtin.js';
import { EventWatcher } from './events.js';
import { JobJanitor } from './janitor.js';
import { notifyWorker } from './notify.js';
import { fireWorker, planWorker, ReminderTriggers } from './reminders.js';
import { JobRunner } from './runner.js';
import { sendmailWorker, type MailTransport } from './sendmail.js';
import { JobService } from './service.js';
import { WorkerRegistry } from './workers.js';

export interface Jobs {
  readonly workers: WorkerRegistry;
  readonly runner: JobRunner;
  readonly events: EventWatcher;
  readonly service: JobService;
  /** Forgets finished jobs a week old (jobs/janitor.ts). */
  readonly janitor: JobJanitor;
  /** Gives instances the internal triggers of calendar reminders; absent without `documents`. */
  readonly reminders: ReminderTriggers | undefined;
  /** Learns the pending work of every instance and starts the timer and the event loops. */
  start(): Promise<void>;
  /** Stops the event loops and the runner, waiting a bounded time for running jobs. */
  stop(): Promise<void>;
}

export interface JobsOptions {
  store: Store;
  now: () => number;
  logger: Logger;
  notifier: ChangeNotifier;
  config: { pollMs: number; rescanMs: number; stopTimeoutMs?: number };
  /** How `sendmail` sends; SMTP through nodemailer by default. */
  mailTransport?: MailTransport;
  /**
   * The data service `notify` and calendar reminders write notifications with; without it there is no
   * `notify` worker and no reminders.
   */
  documents?: DocumentService;
}

/** Builds the jobs subsystem with the built-in workers; callers may register more before `start`. */
export function createJobs(options: JobsOptions): Jobs {
  const workers = new WorkerRegistry();
  workers.register(logWorker);
  workers.register(sleepWorker);
  workers.register(sendmailWorker(options.mailTransport));
  const runner = new JobRunner({ ...options, ...options.config, workers });
  const events = new EventWatcher({ ...options, queued: (instance) => runner.wake(instance) });
  const service = new JobService({ workers, runner, events, now: options.now });
  const janitor = new JobJanitor(options);
  let reminders: ReminderTriggers | undefined;
  if (options.documents) {
    workers.register(notifyWorker(options.documents, () => service));
    workers.register(planWorker(() => service));
    workers.register(fireWorker(options.documents));
    reminders = new ReminderTriggers({ jobs: () => service, logger: options.logger });
  }
  return {
    workers,
    runner,
    events,
    service,
    janitor,
    reminders,
    async start() {
      await runner.start();
      await events.start();
      janitor.start();
      // After the loops: the triggers it makes wake them like any other.
    },
    async stop() {
      await janitor.stop();
      await events.stop();
      await runner.stop();
    },
  };
}
