import type { Logger } from '../http/framework/log.js';
import type { JobScope } from './service.js';

/**
 * Runs a set-up task (an instance's internal triggers) once per instance and process, the first time
 * the process serves that instance; callers waiting meanwhile share the same run. A failure is logged
 * as `what` and the task is tried again on the next call.
 */
export class OncePerInstance {
  private readonly runs = new Map<string, Promise<void>>();

  constructor(
    private readonly task: (scope: JobScope) => Promise<void>,
    private readonly logger: Logger,
    private readonly what: string,
  ) {}

  run(scope: JobScope): Promise<void> {
    let pending = this.runs.get(scope.instance.id);
    if (!pending) {
      pending = this.task(scope).catch((error: unknown) => {
        this.runs.delete(scope.instance.id);
        this.logger.warn({ err: error, instance: scope.instance.domain }, `could not set up ${this.what}`);
      });
      this.runs.set(scope.instance.id, pending);
    }
    return pending;
  }
}
